// Yes and no typed the everyday way (issue 17, item 4), not as the button says: each language's
// `system:answer.yes_words` and `no_words`, through the shipped flows' own yes/no questions.
import { beforeAll, describe, expect, it } from 'vitest';
import type { EngineContext } from '../../src/engine/types.js';
import { shippedEngine } from '../support/engine.js';
import { parsedAt } from '../support/parse-answer.js';

let ctx: EngineContext;
beforeAll(async () => {
  ({ ctx } = await shippedEngine());
});

const parsed = (node: string, locale: string, typed: string) => parsedAt(ctx, node, locale, typed);

type Row = [locale: string, typed: string, expected: string];

const typed: Row[] = [
  ['en', 'yeah', 'yes'],
  ['en', 'Yep!', 'yes'],
  ['en', 'nope', 'no'],
  ['en', 'nah', 'no'],
  ['prs', 'بله', 'yes'],
  ['prs', 'ها', 'yes'],
  ['prs', 'نی', 'no'],
  ['prs', 'bale', 'yes'],
  ['ckb', 'بەلی', 'yes'],
  ['ckb', 'بەلێ', 'yes'],
  ['ckb', 'na', 'no'],
  ['kmr', 'ere', 'yes'],
  ['kmr', 'nexer', 'no'],
  ['am', 'እሺ', 'yes'],
  ['am', 'awo', 'yes'],
  ['ti', 'ሕራይ', 'yes'],
  ['fa', 'آره', 'yes'],
  ['fa', 'areh', 'yes'],
  ['fa', 'نخیر', 'no'],
  ['ar', 'ايوه', 'yes'],
  ['ar', 'aywa', 'yes'],
  ['ar', 'كلا', 'no'],
  ['fr', 'ouais', 'yes'],
  ['fr', "d'accord", 'yes'],
  ['fr', 'nan', 'no'],
  ['es', 'claro', 'yes'],
  ['pt', 'com certeza', 'yes'],
  ['ru', 'ага', 'yes'],
  ['ru', 'da', 'yes'],
  ['ru', 'неа', 'no'],
  ['uk', 'авжеж', 'yes'],
  ['tr', 'hı hı', 'yes'],
  ['tr', 'tamam', 'yes'],
  ['tr', 'yok', 'no'],
  ['ur', 'جی ہاں', 'yes'],
  ['ur', 'nahi', 'no'],
  ['bn', 'ji', 'yes'],
  ['ka', 'ho', 'yes'],
  ['sq', 'patjeter', 'yes'],
  ['so', 'haye', 'yes'],
  ['ps', 'ho', 'yes'],
  // Only the whole message: a sentence with "yeah" in it is not an answer.
  ['en', 'yeah but I am not sure', 'not understood'],
];

describe('typed yes and no', () => {
  it.each(typed)('%s: "%s" to "are you safe" is %s', (locale, text, expected) => {
    expect(parsed('safety', locale, text)).toBe(expected);
  });

  it('answers a yes/no question whose buttons have wordings of their own', () => {
    expect(parsed('offer', 'en', 'yeah')).toBe('yes');
    expect(parsed('offer', 'prs', 'نی')).toBe('no');
  });

  it('is read for yes/no questions only', () => {
    expect(parsed('age_band', 'en', 'yeah')).toBe('not understood');
    expect(parsed('return_country', 'prs', 'ها')).toBe('not understood');
  });

  it('every client language has its everyday yes and no words, none in both lists', () => {
    for (const { code } of ctx.locales) {
      const t = ctx.translatorFor(code);
      const [yes, no] = ['yes', 'no'].map((value) => t(`system:answer.${value}_words`).split('|'));
      expect(yes?.length, code).toBeGreaterThan(1);
      expect(no?.length, code).toBeGreaterThan(1);
      expect(
        yes?.filter((word) => no?.includes(word)),
        code,
      ).toEqual([]);
    }
  });
});
