import type { Input } from '../../flows/schema.js';
import { specialAnswers } from '../../flows/schema.js';
import { asciiDigits, normalise } from '../../text/normalise.js';
import type { AnswerValue, LocaleInfo, OutboundChoice, TextRef, Translate } from '../types.js';
import { countryFromText, countryName } from '../../text/countries.js';
import { numberInShortText } from './numbers.js';

/** Parsing an answer returns a result, never throws: a failure carries the text that explains it. */
export type ParseResult = { status: 'success'; value: AnswerValue } | { status: 'fail'; reason: TextRef };

export type Reply = { type: 'text'; text: string } | { type: 'choice'; value: string };

const yesNo = ['yes', 'no'] as const;
const plainYesNo: readonly OutboundChoice[] = yesNo.map((value) => ({ value, label: { key: `system:answer.${value}` } }));

/** The buttons an input offers, in the order they are numbered for typed answers ("1", "2"...). */
export function choicesFor(input: Input, context: { locales: readonly LocaleInfo[]; namespace: string; locale: string }): OutboundChoice[] {
  const extras = (input.kind === 'language' ? [] : (input.allow ?? [])).map((value) => ({
    value,
    label: { key: `system:answer.${value}` },
  }));
  switch (input.kind) {
    case 'choice':
      return [...input.choices.map((choice) => ({ value: String(choice.value), label: { key: withNamespace(choice.label, context.namespace) } })), ...extras];
    case 'yes_no':
      return [
        ...yesNo.map((value) => ({ value, label: { key: input.labels ? withNamespace(input.labels[value], context.namespace) : `system:answer.${value}` } })),
        ...extras,
      ];
    case 'language':
      return context.locales.map((locale) => ({ value: locale.code, label: { literal: locale.nativeName } }));
    case 'country':
      return [
        // Country names come from the runtime's CLDR data, already translated into every language.
        ...(input.suggestions ?? []).map((code) => ({ value: code, label: { literal: countryName(code, context.locale) } })),
        ...extras,
      ];
    case 'number':
    case 'date':
    case 'text':
      return extras;
    default: {
      const unreachable: never = input;
      return unreachable;
    }
  }
}

export function withNamespace(key: string, namespace: string): string {
  return key.includes(':') ? key : `${namespace}:${key}`;
}

/** Matches a reply against the offered buttons: the tapped value, its number, or its label typed out. */
export function matchChoice(reply: Reply, choices: readonly OutboundChoice[], t: Translate, byPosition = true, byPart = true): OutboundChoice | undefined {
  if (reply.type === 'choice') return choices.find((choice) => choice.value === reply.value);
  const typed = normalise(reply.text);
  const position = byPosition && /^\d{1,2}$/.test(typed) ? Number(typed) : NaN;
  if (position >= 1 && position <= choices.length) return choices[position - 1];
  const labels = choices.map((choice) => normalise('literal' in choice.label ? choice.label.literal : t(choice.label.key, choice.label.params)));
  const exact = choices.find((choice, index) => labels[index] === typed || normalise(choice.value) === typed);
  if (exact || typed.length < 3 || !byPart) return exact;
  // "18 to 59" for the label "From 18 to 59": a typed part of exactly one label is taken as that label.
  // Whole words only: Portuguese "sei" must not pick the label "Passei por violência".
  const partial = choices.filter((_, index) => ` ${labels[index] ?? ''} `.includes(` ${typed} `));
  return partial.length === 1 ? partial[0] : byOtherWords(typed, choices, t);
}

/** The suffix of a label's optional key of other words for it: `counselling.status.asylum_rejected_also`. */
export const otherWordsSuffix = '_also';

/** Words around a label's other words that still just give them ("I think my asylum was refused"). */
const maxWordsAroundOtherWords = 3;

/**
 * The choice whose other words (`<label key>_also`: "refused|rejected|got a negative", a language
 * may leave the key out) appear as whole words in what was typed: "my asylum was refused" for "My
 * asylum application was refused". The longest phrase wins; two choices' phrases of the same length
 * pick neither.
 */
function byOtherWords(typed: string, choices: readonly OutboundChoice[], t: Translate): OutboundChoice | undefined {
  const words = typed.split(' ').length;
  let best: { length: number; choices: Set<OutboundChoice> } | undefined;
  for (const choice of choices) {
    if ('literal' in choice.label) continue;
    for (const phrase of otherWordsOf(choice.label.key, t)) {
      const length = phrase.split(' ').length;
      // A short answer, not a story that happens to contain "no idea" (an open question keeps its words).
      if (words - length > maxWordsAroundOtherWords || !` ${typed} `.includes(` ${phrase} `)) continue;
      if (!best || length > best.length) best = { length, choices: new Set([choice]) };
      else if (length === best.length) best.choices.add(choice);
    }
  }
  return best?.choices.size === 1 ? [...best.choices][0] : undefined;
}

const otherWordsCache = new WeakMap<Translate, Map<string, readonly string[]>>();

/** A label's other words, folded; none where the language has no `_also` key (i18next then gives the key back). */
function otherWordsOf(labelKey: string, t: Translate): readonly string[] {
  let byKey = otherWordsCache.get(t);
  if (!byKey) otherWordsCache.set(t, (byKey = new Map()));
  let words = byKey.get(labelKey);
  if (!words) {
    const key = `${labelKey}${otherWordsSuffix}`;
    const text = t(key);
    words = text === key || text === key.slice(key.indexOf(':') + 1) ? [] : text.split('|').map(normalise).filter(Boolean);
    byKey.set(labelKey, words);
  }
  return words;
}

export function parseAnswer(
  input: Input,
  reply: Reply,
  context: { t: Translate; locale: string; choices: readonly OutboundChoice[]; locales: readonly LocaleInfo[] },
): ParseResult {
  // Where a typed number is the answer itself ("1" adult), it must not pick the first extra button.
  // A language is read by its names (languageByName), which knows the names two languages share:
  // "kurdi", a part of Kurmanji's button "Kurdî (Kurmancî)", is Sorani's name too and picks neither.
  const chosen = matchChoice(reply, context.choices, context.t, input.kind !== 'number' && input.kind !== 'date', input.kind !== 'language');
  if (chosen && (specialAnswers as readonly string[]).includes(chosen.value)) return { status: 'success', value: chosen.value };
  switch (input.kind) {
    case 'choice': {
      const value = chosen?.value ?? (reply.type === 'text' ? choiceByNumber(input, reply.text, context.t) : undefined);
      return value !== undefined ? { status: 'success', value } : { status: 'fail', reason: { key: 'system:error.pick_a_choice' } };
    }
    case 'language': {
      const value = chosen?.value ?? (reply.type === 'text' ? languageByName(reply.text, context.locales, context.locale) : undefined);
      return value !== undefined ? { status: 'success', value } : { status: 'fail', reason: { key: 'system:error.pick_a_choice' } };
    }
    case 'yes_no': {
      // With labels of its own ("No, not now"), a plain typed "no" still answers (short words match only whole labels).
      const answer = chosen ?? (input.labels ? matchChoice(reply, plainYesNo, context.t) : undefined);
      const value = answer?.value ?? (reply.type === 'text' ? yesNoWord(reply.text, context.t) : undefined);
      return value ? { status: 'success', value } : { status: 'fail', reason: { key: 'system:error.pick_a_choice' } };
    }
    case 'country': {
      if (chosen) return { status: 'success', value: chosen.value };
      const code = reply.type === 'text' ? countryFromText(reply.text, context.locale) : undefined;
      return code ? { status: 'success', value: code } : { status: 'fail', reason: { key: 'system:error.unknown_country' } };
    }
    case 'number':
      return reply.type === 'text' ? parseNumber(input, reply.text, context.t) : { status: 'fail', reason: { key: 'system:error.not_a_number' } };
    case 'date':
      return reply.type === 'text' ? parseDate(reply.text) : { status: 'fail', reason: { key: 'system:error.not_a_date' } };
    case 'text': {
      if (reply.type !== 'text') return { status: 'fail', reason: { key: 'system:error.type_an_answer' } };
      const text = reply.text.trim();
      const max = input.maxLength ?? 500;
      if (text.length === 0) return { status: 'fail', reason: { key: 'system:error.type_an_answer' } };
      if (text.length > max) return { status: 'fail', reason: { key: 'system:error.too_long', params: { max } } };
      return { status: 'success', value: text };
    }
    default: {
      const unreachable: never = input;
      return unreachable;
    }
  }
}

/**
 * A yes or no typed the everyday way rather than as the button says: Dari "بله" or "ها" for the
 * button "بلی", Sorani "بەلێ" typed with ل for ڵ, English "yeah" or "nope". The chat language's
 * `system:answer.yes_words` and `no_words` ("|"-separated) hold them; the whole message must be
 * one of them. Read for yes/no questions only: "ok" or "ha" is not an answer to any other question.
 */
function yesNoWord(raw: string, t: Translate): 'yes' | 'no' | undefined {
  const typed = normalise(raw);
  const heard = yesNo.filter((value) =>
    t(`system:answer.${value}_words`)
      .split('|')
      .some((word) => normalise(word) === typed),
  );
  // A word in both lists of a language would be a mistake in its texts: it answers neither.
  return heard.length === 1 ? heard[0] : undefined;
}

/** Words around a language's name that still just name it ("arabic please", "in farsi"). */
const maxWordsAroundLanguage = 2;

/**
 * The shipped language a text names: its own name, another name people use (meta.json
 * `alsoCalled`: "عربي"), or its name in English or in the chat's language (CLDR through Intl:
 * "arabic", "persan"), alone or with a word or two around it. None when two languages are named.
 *
 * A name inside a longer matched name is not a second language: "farsi dari" (Dari) contains
 * "farsi" (Persian), "kurdi sorani" contains "kurdi", and the longer name is the one meant. A name
 * two languages' own authors both list ("kurdi", Sorani and Kurmanji alike) still names none, and
 * the question is asked again; but a name one language lists for itself beats the same name as
 * CLDR gives it for another (Sorani's "کوردی" is also CLDR's Sorani word for Kurmanji).
 */
function languageByName(raw: string, locales: readonly LocaleInfo[], chatLocale: string): string | undefined {
  const typed = normalise(raw);
  const words = typed.split(' ').length;
  const matches: { code: string; name: string; own: boolean }[] = [];
  for (const { code, names } of languageNames(locales, chatLocale)) {
    for (const { name, own } of names) {
      if (name === typed || (words - name.split(' ').length <= maxWordsAroundLanguage && ` ${typed} `.includes(` ${name} `))) matches.push({ code, name, own });
    }
  }
  // Whole words only, as above: "farsi" is inside "farsi dari", "dari" is not inside "dary".
  const within = (shorter: string, longer: string) => shorter.length < longer.length && ` ${longer} `.includes(` ${shorter} `);
  const claimed = (match: { code: string; name: string }) => matches.some((other) => other.own && other.code !== match.code && other.name === match.name);
  const named = new Set(
    matches.filter((match) => !matches.some((other) => within(match.name, other.name)) && (match.own || !claimed(match))).map((match) => match.code),
  );
  return named.size === 1 ? [...named][0] : undefined;
}

type LanguageNames = readonly { code: string; names: readonly { name: string; own: boolean }[] }[];

const languageNamesCache = new WeakMap<readonly LocaleInfo[], Map<string, LanguageNames>>();

/**
 * Every shipped language's names, folded, as a chat in `chatLocale` may write them; built once per
 * chat language. `own`: a name from the language's meta.json, not one CLDR gives it.
 */
function languageNames(locales: readonly LocaleInfo[], chatLocale: string): LanguageNames {
  let byChatLocale = languageNamesCache.get(locales);
  if (!byChatLocale) languageNamesCache.set(locales, (byChatLocale = new Map()));
  let entries = byChatLocale.get(chatLocale);
  if (!entries) {
    const displays = [chatLocale, 'en'].map((language) => new Intl.DisplayNames([language], { type: 'language', fallback: 'none' }));
    entries = locales.map((locale) => ({
      code: locale.code,
      names: [
        ...[locale.nativeName, ...(locale.alsoCalled ?? [])].map((name) => ({ name: normalise(name), own: true })),
        ...displays
          .map((display) => display.of(locale.code))
          .filter((name) => name !== undefined)
          .map((name) => ({ name: normalise(name), own: false })),
      ],
    }));
    byChatLocale.set(chatLocale, entries);
  }
  return entries;
}

/** The choice whose `numbers` hold the one number of a short text ("34", "I am 34", "sixteen"); none for no number, several, or a sentence. */
function choiceByNumber(input: Extract<Input, { kind: 'choice' }>, raw: string, t: Translate): string | undefined {
  if (input.multiple) return undefined;
  const typed = numberInShortText(raw, t);
  if (typed === undefined) return undefined;
  const choice = input.choices.find((candidate) => candidate.numbers && typed >= candidate.numbers[0] && typed <= candidate.numbers[1]);
  return choice === undefined ? undefined : String(choice.value);
}

/** A number typed as digits ("2", "1,5", "٣"), or as a word or in a few words ("two", "we are 4"). */
function parseNumber(input: Extract<Input, { kind: 'number' }>, raw: string, t: Translate): ParseResult {
  const text = asciiDigits(raw).trim().replace(',', '.');
  const value = /^-?\d+(\.\d+)?$/.test(text) ? Number(text) : numberInShortText(raw, t);
  if (value === undefined) return { status: 'fail', reason: { key: 'system:error.not_a_number' } };
  if (input.integer && !Number.isInteger(value)) return { status: 'fail', reason: { key: 'system:error.whole_number' } };
  const { min, max } = input;
  if ((min !== undefined && value < min) || (max !== undefined && value > max)) {
    return { status: 'fail', reason: { key: 'system:error.number_range', params: { min: min ?? '', max: max ?? '' } } };
  }
  return { status: 'success', value };
}

/** Day first (31.12.2026, 31/12/2026, 31-12-2026) as written in most countries people come from, or ISO 2026-12-31. */
function parseDate(raw: string): ParseResult {
  const text = asciiDigits(raw).trim();
  const iso = /^(\d{4})-(\d{1,2})-(\d{1,2})$/.exec(text);
  const dayFirst = /^(\d{1,2})[./-](\d{1,2})[./-](\d{4})$/.exec(text);
  const [year, month, day] = iso ? [iso[1], iso[2], iso[3]] : dayFirst ? [dayFirst[3], dayFirst[2], dayFirst[1]] : [];
  if (year === undefined || month === undefined || day === undefined) return { status: 'fail', reason: { key: 'system:error.not_a_date' } };
  const date = new Date(Date.UTC(Number(year), Number(month) - 1, Number(day)));
  // Date.UTC rolls 31.02 over into March; a date that does not round-trip does not exist.
  if (date.getUTCFullYear() !== Number(year) || date.getUTCMonth() !== Number(month) - 1 || date.getUTCDate() !== Number(day)) {
    return { status: 'fail', reason: { key: 'system:error.not_a_date' } };
  }
  return { status: 'success', value: date.toISOString().slice(0, 10) };
}
