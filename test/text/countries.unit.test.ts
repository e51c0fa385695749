// Countries typed the way people type them: in any language, inside a sentence, misspelt.
import { describe, expect, it } from 'vitest';
import { countryFromText } from '../../src/text/countries.js';

describe('countryFromText', () => {
  it.each([
    ['Germany', 'en', 'DE'],
    ['deutschland', 'en', 'DE'],
    ['Sverige', 'fa', 'SE'],
    ['germny', 'en', 'DE'],
    ['afganistan', 'en', 'AF'],
    ['I live in Germany', 'en', 'DE'],
    ['i am in germny now', 'en', 'DE'],
    ['je suis en Belgique', 'fr', 'BE'],
    // An inflected name is one letter from the dictionary form (Германии, Германия).
    ['я живу в Германии', 'ru', 'DE'],
    ['من در آلمان هستم', 'fa', 'DE'],
    ['papua new guinea', 'en', 'PG'],
    ['AF', 'en', 'AF'],
    // ISO codes only: Intl also names retired regions (FX, SU, YU, DY, HV, UK) with today's names.
    ['France', 'en', 'FR'],
    ['Россия', 'ru', 'RU'],
    ['Serbia', 'en', 'RS'],
    ['Burkina Faso', 'fr', 'BF'],
    ['Bénin', 'fr', 'BJ'],
    ['United Kingdom', 'en', 'GB'],
  ])('reads %j (chat in %s) as %s', (typed, locale, expected) => {
    expect(countryFromText(typed, locale)).toBe(expected);
  });

  it.each([
    ['no', 'en'],
    ['jo', 'sq'],
    ['yes', 'en'],
    // Four letters or fewer must be spelt right: "iram" could be Iran or Iraq.
    ['iram', 'en'],
    // Two countries named: no guess.
    ['from syria but now in germany', 'en'],
    ['my husband beat me when we lived in the camp near the border for many months', 'en'],
  ])('reads nothing in %j (chat in %s)', (typed, locale) => {
    expect(countryFromText(typed, locale)).toBeUndefined();
  });
});
