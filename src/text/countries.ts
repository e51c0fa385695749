import { distance } from 'fastest-levenshtein';
import { COUNTRY_CODES, isCountryCode } from './country-codes.js';
import { normalise } from './normalise.js';

const nameIndexes = new Map<string, Map<string, string>>();

function nameIndex(locale: string): Map<string, string> {
  let index = nameIndexes.get(locale);
  if (!index) {
    index = new Map();
    const names = new Intl.DisplayNames([locale, 'en'], { type: 'region', fallback: 'none' });
    // ISO's list, not every region Intl names: it also names FX, SU, YU, and "France" must read as FR.
    for (const code of COUNTRY_CODES) {
      const name = names.of(code);
      if (name) index.set(normalise(name), code);
    }
    nameIndexes.set(locale, index);
  }
  return index;
}

/**
 * Languages whose country names are read whatever the chat's language: a person may write a name
 * in their own language or the host country's ("Deutschland", "Sverige", "Shqipëria").
 */
const namesAlsoReadIn = [
  'en',
  'de',
  'fr',
  'es',
  'it',
  'nl',
  'pt',
  'ru',
  'uk',
  'tr',
  'ar',
  'fa',
  'ps',
  'ur',
  'bn',
  'ka',
  'so',
  'sq',
  'ti',
  'am',
  'pl',
  'ro',
  'el',
  'sv',
];

/** A sentence longer than this is a story, not an answer to "which country?". */
const maxSentenceWords = 8;

/**
 * Reads a country typed as a code ("AF"), a name in the client's language, English or a neighbouring
 * language ("deutschland"), inside a short sentence ("I live in Germany"), or misspelt by a letter or
 * two ("germny", "afganistan").
 *
 * @example
 * countryFromText('i live in germny', 'en'); // 'DE'
 */
export function countryFromText(text: string, locale: string): string | undefined {
  const trimmed = text.trim();
  // Only capitals read as a code: typed in lower case, "no" (Norway) or Albanian "jo" (Jordan) is an answer, not a country.
  if (isCountryCode(trimmed)) return trimmed;
  const typed = normalise(trimmed);
  return exactName(typed, locale) ?? nameInSentence(typed, locale);
}

function exactName(typed: string, locale: string): string | undefined {
  for (const language of [locale, ...namesAlsoReadIn]) {
    const code = nameIndex(language).get(typed);
    if (code) return code;
  }
  return undefined;
}

/** The one country named in a short sentence, the longest name first ("papua new guinea" before "guinea"), then one misspelt. */
function nameInSentence(typed: string, locale: string): string | undefined {
  const words = typed.split(' ');
  if (words.length > maxSentenceWords) return undefined;
  for (let size = Math.min(3, words.length); size >= 1; size -= 1) {
    const found = new Set<string>();
    for (let start = 0; start + size <= words.length; start += 1) {
      const code = exactName(words.slice(start, start + size).join(' '), locale);
      if (code) found.add(code);
    }
    if (found.size === 1) return [...found][0];
    if (found.size > 1) return undefined;
  }
  return misspeltName(words, locale);
}

const candidatesByLocale = new Map<string, readonly (readonly [name: string, code: string])[]>();

/** The names a misspelling is compared with: the client's language's and English, built once per language. */
function misspellingCandidates(locale: string): readonly (readonly [name: string, code: string])[] {
  let candidates = candidatesByLocale.get(locale);
  if (!candidates) {
    candidates = [...new Map([...nameIndex('en'), ...nameIndex(locale)])];
    candidatesByLocale.set(locale, candidates);
  }
  return candidates;
}

/**
 * A name in the client's language or English one letter off (two from 9 letters), when exactly one
 * country is that close. Short names ("iran", "iraq") must be spelt right: one letter makes another.
 */
function misspeltName(words: readonly string[], locale: string): string | undefined {
  const candidates = misspellingCandidates(locale);
  let best: { distance: number; codes: Set<string> } | undefined;
  for (let size = 1; size <= Math.min(3, words.length); size += 1) {
    for (let start = 0; start + size <= words.length; start += 1) {
      const typed = words.slice(start, start + size).join(' ');
      if (typed.length < 5) continue;
      const allowed = typed.length >= 9 ? 2 : 1;
      for (const [name, code] of candidates) {
        if (Math.abs(name.length - typed.length) > allowed) continue;
        const away = distance(typed, name);
        if (away > allowed) continue;
        if (!best || away < best.distance) best = { distance: away, codes: new Set([code]) };
        else if (away === best.distance) best.codes.add(code);
      }
    }
  }
  return best?.codes.size === 1 ? [...best.codes][0] : undefined;
}

export function countryName(code: string, locale: string): string {
  return new Intl.DisplayNames([locale, 'en'], { type: 'region' }).of(code) ?? code;
}
