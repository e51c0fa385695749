// Answers typed the way people type them (issue 17, item 4), one table per kind of question, in
// many languages: through the shipped flows' own questions and the shipped locales, as the engine
// parses them. A row that is not understood fails with the text that was typed.
import { beforeAll, describe, expect, it } from 'vitest';
import { numberInShortText } from '../../src/engine/answers/numbers.js';
import type { EngineContext } from '../../src/engine/types.js';
import { shippedEngine } from '../support/engine.js';
import { parsedAt } from '../support/parse-answer.js';

let ctx: EngineContext;
beforeAll(async () => {
  ({ ctx } = await shippedEngine());
});

const parsed = (node: string, locale: string, typed: string) => parsedAt(ctx, node, locale, typed);

type Row = [locale: string, typed: string, expected: unknown];

const numbers: Row[] = [
  ['en', 'two', 2],
  ['en', 'we are 4', 4],
  ['en', 'just me', 1],
  ['fr', 'deux', 2],
  ['fr', 'nous sommes trois', 3],
  ['es', 'somos dos', 2],
  ['pt', 'duas', 2],
  ['de', 'zwei', 2],
  ['nl', 'twee', 2],
  ['ru', 'нас двое', 2],
  ['uk', 'нас троє', 3],
  ['ru', 'два', 2],
  ['uk', 'три', 3],
  ['tr', 'iki', 2],
  ['tr', 'on iki', 12],
  ['ar', 'اثنين', 2],
  ['ar', '٣', 3],
  ['fa', 'دو نفر', 2],
  ['fa', '۴', 4],
  ['ps', 'دوه', 2],
  ['ur', 'تین', 3],
  ['bn', 'দুই', 2],
  ['so', 'laba', 2],
  ['ti', 'ክልተ', 2],
  ['sq', 'dy', 2],
  ['ka', 'ორი', 2],
  // Ethiopic numerals: ፪ 2, ፲፪ "ten two" 12.
  ['am', '፪', 2],
  ['am', '፲፪', 12],
  ['ti', '፫', 3],
  // Not a number: two units side by side.
  ['am', '፪፫', 'not understood'],
];

const noChildren: Row[] = [
  ['en', 'none', 0],
  ['en', 'no one', 0],
  ['es', 'ninguno', 0],
  ['de', 'keine kinder', 0],
  ['tr', 'hiç', 0],
  ['fa', 'هیچ', 0],
];

const ages: Row[] = [
  ['en', 'I am 34', '18-59'],
  ['en', 'sixteen', '16-17'],
  ['fr', "j'ai 34 ans", '18-59'],
  ['es', 'tengo 16', '16-17'],
  ['de', 'ich bin 70', '60+'],
  ['ar', 'عمري ١٥', '0-15'],
  ['fa', '۳۴ سالمه', '18-59'],
  ['ru', 'мне 16', '16-17'],
  ['tr', '34 yaşındayım', '18-59'],
  ['am', '፴፬', '18-59'],
  ['am', 'እድሜዬ ፴፬ ነው', '18-59'],
  ['ti', '፲፮ ዓመተይ', '16-17'],
  // Two numbers, or a number in a sentence about something else: no guess.
  ['en', '34 or 35', 'not understood'],
  ['en', 'I have 3 children and 2 dogs', 'not understood'],
];

const unknowns: Row[] = [
  ['en', "I don't know", 'unknown'],
  ['en', 'dont know', 'unknown'],
  ['en', 'i dont know', 'unknown'],
  ['de', 'weiss nicht', 'unknown'],
  ['de', 'keine Ahnung', 'unknown'],
  ['en', 'no idea', 'unknown'],
  ['fr', 'je sais pas', 'unknown'],
  ['es', 'ni idea', 'unknown'],
  ['ar', 'ما بعرف', 'unknown'],
  ['fa', 'نمیدونم', 'unknown'],
  ['prs', 'نمیفامم', 'unknown'],
  ['ru', 'без понятия', 'unknown'],
  ['tr', 'fikrim yok', 'unknown'],
  ['pt', 'sei lá', 'unknown'],
  ['nl', 'ik weet het niet', 'unknown'],
  ['nl', 'geen idee', 'unknown'],
  ['sq', "s'e di", 'unknown'],
  ['ka', 'ar vici', 'unknown'],
  ['ur', 'pata nahi', 'unknown'],
  ['ur', 'مجھے نہیں پتا', 'unknown'],
  ['ps', 'na pohegam', 'unknown'],
  ['ps', 'خبر نه یم', 'unknown'],
  ['bn', 'jani na', 'unknown'],
  ['am', 'አላቅም', 'unknown'],
  ['ti', 'አይፈልጥን', 'unknown'],
  ['so', 'ma aqaan', 'unknown'],
  ['ckb', 'nazanm', 'unknown'],
  ['kmr', 'ne bawer im', 'unknown'],
  ['en', "I'd rather not say", 'prefer_not_to_say'],
  ['pt', 'não quero falar', 'prefer_not_to_say'],
  ['nl', 'wil ik niet zeggen', 'prefer_not_to_say'],
  ['ur', 'nahi batana', 'prefer_not_to_say'],
  ['am', 'መናገር አልፈልግም', 'prefer_not_to_say'],
  ['ckb', 'نامەوێت بیلێم', 'prefer_not_to_say'],
  // A longer story keeps its words for an open question; here it names no country.
  ['en', 'i have no idea what to do my family is far away and i am so tired', 'not understood'],
];

const statuses: Row[] = [
  ['en', 'my asylum was refused', 'asylum_rejected'],
  ['en', 'I got a negative', 'asylum_rejected'],
  ['en', 'no papers', 'irregular'],
  ['en', 'still waiting', 'asylum_pending'],
  ['fr', 'ma demande a été refusée', 'asylum_rejected'],
  ['de', 'Asyl abgelehnt', 'asylum_rejected'],
  ['de', 'ich habe eine Duldung', 'irregular'],
  ['es', 'me lo negaron', 'asylum_rejected'],
  ['ar', 'رفضوا طلبي', 'asylum_rejected'],
  ['fa', 'کیسم رد شد', 'asylum_rejected'],
  ['ru', 'мне отказали', 'asylum_rejected'],
  ['uk', 'тимчасовий захист', 'temporary_protection'],
  ['tr', 'iltica reddedildi', 'asylum_rejected'],
  ['pt', 'meu asilo foi negado', 'asylum_rejected'],
  ['pt', 'estou sem papéis', 'irregular'],
  ['pt', 'ainda estou esperando a resposta', 'asylum_pending'],
  ['nl', 'mijn asiel is afgewezen', 'asylum_rejected'],
  ['nl', 'ik heb een negatief gekregen', 'asylum_rejected'],
  ['nl', 'ik heb geen papieren', 'irregular'],
  ['sq', 'më refuzuan azilin', 'asylum_rejected'],
  ['sq', 'jam pa dokumente', 'irregular'],
  ['ka', 'უარი მივიღე', 'asylum_rejected'],
  ['ka', 'uari mitxres', 'asylum_rejected'],
  ['ka', 'საბუთები არ მაქვს', 'irregular'],
  ['ur', 'میرا کیس رد ہو گیا', 'asylum_rejected'],
  ['ur', 'mera case reject ho gaya', 'asylum_rejected'],
  ['ur', 'میرے پاس کاغذات نہیں ہیں', 'irregular'],
  ['ps', 'زما کیس رد شو', 'asylum_rejected'],
  ['ps', 'اسناد نه لرم', 'irregular'],
  ['bn', 'আমার কেস রিজেক্ট হয়েছে', 'asylum_rejected'],
  ['bn', 'amar case reject hoyeche', 'asylum_rejected'],
  ['bn', 'আমার কাগজ নেই', 'irregular'],
  ['am', 'ጥገኝነቴ ውድቅ ሆነ', 'asylum_rejected'],
  ['am', 'ወረቀት የለኝም', 'irregular'],
  ['ti', 'ዑቕባ ተነጺገ', 'asylum_rejected'],
  ['ti', 'ወረቐት የብለይን', 'irregular'],
  ['so', 'magangalyada waa la iga diiday', 'asylum_rejected'],
  ['so', 'sharci ma haysto', 'irregular'],
  ['ckb', 'داواکارییەکەم رەتکرایەوە', 'asylum_rejected'],
  ['ckb', 'ئیقامەم نییە', 'irregular'],
  ['kmr', 'daxwaza min red bû', 'asylum_rejected'],
  ['kmr', 'ez bê kaxez im', 'irregular'],
  ['kmr', 'li benda bersivê me', 'asylum_pending'],
  ['pt', 'recebi asilo', 'refugee_status'],
  // A "no" before a choice's other words is another choice, or none: not the words' own choice.
  ['pt', 'não consegui asilo', 'asylum_rejected'],
  ['sq', 'nuk mora azil', 'asylum_rejected'],
  ['nl', 'ik heb geen status', 'not understood'],
  ['kmr', 'daxwaza min nehat qebûlkirin', 'not understood'],
  ['en', 'I have no residence permit', 'irregular'],
  ['nl', 'ik ben statushouder', 'refugee_status'],
  ['ur', 'mujhe asylum mil gaya', 'refugee_status'],
  ['am', 'ጥገኝነት አግኝቻለሁ', 'refugee_status'],
  ['ckb', 'پەنابەریم وەرگرت', 'refugee_status'],
  ['kmr', 'daxwaza min hat qebûlkirin', 'refugee_status'],
  ['bn', 'আমার আবেদন মঞ্জুর হয়নি', 'asylum_rejected'],
  ['so', 'farahayga waa laga qaaday', 'dublin'],
  ['ka', 'ევროპული პასპორტი მაქვს', 'eu_citizen'],
  ['sq', 'jam nga ukraina', 'temporary_protection'],
];

describe('typed answers, as people type them', () => {
  it.each(numbers)('%s: "%s" for how many adults is %s', (locale, typed, expected) => {
    expect(parsed('adults', locale, typed)).toBe(expected);
  });

  it.each(noChildren)('%s: "%s" for how many children is %s', (locale, typed, expected) => {
    expect(parsed('minors', locale, typed)).toBe(expected);
  });

  it.each(ages)('%s: "%s" for the age picks %s', (locale, typed, expected) => {
    expect(parsed('age_band', locale, typed)).toBe(expected);
  });

  it.each(statuses)('%s: "%s" for the situation in this country is %s', (locale, typed, expected) => {
    expect(parsed('legal_status', locale, typed)).toBe(expected);
  });

  it.each(unknowns)('%s: "%s" is "I don\'t know"', (locale, typed, expected) => {
    expect(parsed('return_country', locale, typed)).toBe(expected);
  });

  // Other words for a choice (`<label key>_also`) must not pick another choice of the same question:
  // each phrase typed alone picks its own, at the status question and, for "I don't know" and "I'd
  // rather not say", at a country, a yes/no, a date and a number question too. Typed answers under
  // three characters are read only as a whole label (matchChoice), so "رد" counts inside a sentence only.
  it("every language's other words for a choice, typed alone, pick that choice and no other", () => {
    const statuses = ['asylum_pending', 'asylum_rejected', 'irregular', 'refugee_status', 'temporary_permit', 'temporary_protection', 'dublin', 'eu_citizen'];
    const asked: [value: string, key: string, nodes: string[]][] = [
      ...statuses.map((value): [string, string, string[]] => [value, `bot:counselling.status.${value}_also`, ['legal_status']]),
      ...['unknown', 'prefer_not_to_say'].map((value): [string, string, string[]] => [
        value,
        `system:answer.${value}_also`,
        ['legal_status', 'return_country', 'asylum_withdrawn', 'deadline_date', 'child_adults'],
      ]),
    ];
    const wrong: string[] = [];
    for (const { code } of ctx.locales) {
      const t = ctx.translatorFor(code);
      for (const [value, key, nodes] of asked) {
        const text = t(key);
        if (text.endsWith('_also')) continue;
        for (const phrase of text.split('|').filter((words) => words.trim().length >= 3)) {
          for (const node of nodes) {
            const got = parsed(node, code, phrase);
            if (got !== value) wrong.push(`${code} ${node}: "${phrase}" is ${String(got)}, not ${value}`);
          }
        }
      }
    }
    expect(wrong).toEqual([]);
  });

  it('every client language has a word for each number from 0 to 20 that it reads back', () => {
    for (const { code } of ctx.locales) {
      const t = ctx.translatorFor(code);
      const forms = t('system:answer.number_words').split('|');
      expect(forms, code).toHaveLength(21);
      forms.forEach((form, value) => {
        const first = form.split('/')[0];
        // Persian and Dari leave nine out: نه is also "no".
        if (first) expect(numberInShortText(first, t), `${code}: "${first}"`).toBe(value);
      });
    }
  });
});
