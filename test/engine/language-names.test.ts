// Languages named by typing (issue 17, item 1): a name inside a longer one ("farsi" in "farsi dari")
// is not a second language, and a name two languages share ("kurdi") still names none.
import { beforeAll, describe, expect, it } from 'vitest';
import { choicesFor, parseAnswer } from '../../src/engine/answers/parse.js';
import type { EngineContext } from '../../src/engine/types.js';
import type { Input } from '../../src/flows/schema.js';
import { shippedEngine } from '../support/engine.js';

let ctx: EngineContext;
beforeAll(async () => {
  ({ ctx } = await shippedEngine());
});

/** The language a typed text picks at a language question in a `locale` chat, or 'asked again'. */
function named(locale: string, typed: string): unknown {
  const input: Input = { kind: 'language' };
  const choices = choicesFor(input, { locales: ctx.locales, namespace: 'system', locale });
  const result = parseAnswer(input, { type: 'text', text: typed }, { t: ctx.translatorFor(locale), locale, choices, locales: ctx.locales });
  return result.status === 'success' ? result.value : 'asked again';
}

describe('a language named by typing', () => {
  it.each([
    ['en', 'farsi dari', 'prs'],
    ['prs', 'فارسی دری', 'prs'],
    ['en', 'farsi dari please', 'prs'],
    ['fa', 'فارسی', 'fa'],
    ['en', 'farsi', 'fa'],
    ['en', 'kurmanci', 'kmr'],
    ['en', 'sorani', 'ckb'],
    ['en', 'kurdi sorani', 'ckb'],
    ['en', 'kurdi', 'asked again'],
    ['ckb', 'کوردی سۆرانی', 'ckb'],
    // Sorani lists "کوردی" for itself; CLDR's Sorani name for Kurmanji is also "کوردی".
    ['ckb', 'کوردی', 'ckb'],
    ['en', 'کوردی', 'ckb'],
    // Two languages named side by side are still two: neither contains the other.
    ['en', 'arabic or farsi', 'asked again'],
  ])('in a %s chat, "%s" picks %s', (locale, typed, expected) => {
    expect(named(locale, typed)).toBe(expected);
  });
});
