import { normalise } from './normalise.js';

const letters = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ';
const allPairs = [...letters].flatMap((first) => [...letters].map((second) => first + second));

/** Region codes that `Intl` names: ISO 3166-1 alpha-2 as the runtime's CLDR data knows them. */
export const countryCodes: readonly string[] = (() => {
  const names = new Intl.DisplayNames(['en'], { type: 'region', fallback: 'none' });
  return allPairs.filter((code) => {
    const name = names.of(code);
    // Drops groupings (EU, UN, EZ) and user-assigned codes, but keeps Kosovo's XK.
    return name !== undefined && !['EU', 'UN', 'EZ'].includes(code) && !/^(Q[M-Z]|X[A-JL-Z]|ZZ)$/.test(code);
  });
})();

const nameIndexes = new Map<string, Map<string, string>>();

function nameIndex(locale: string): Map<string, string> {
  let index = nameIndexes.get(locale);
  if (!index) {
    index = new Map();
    const names = new Intl.DisplayNames([locale, 'en'], { type: 'region', fallback: 'none' });
    for (const code of countryCodes) {
      const name = names.of(code);
      if (name) index.set(normalise(name), code);
    }
    nameIndexes.set(locale, index);
  }
  return index;
}

/** Reads a country typed as a code ("AF") or a name in the client's language or English. */
export function countryFromText(text: string, locale: string): string | undefined {
  const trimmed = text.trim();
  // Only capitals read as a code: typed in lower case, "no" (Norway) or Albanian "jo" (Jordan) is an answer, not a country.
  if (/^[A-Z]{2}$/.test(trimmed) && countryCodes.includes(trimmed)) return trimmed;
  const typed = normalise(trimmed);
  return nameIndex(locale).get(typed) ?? nameIndex('en').get(typed);
}

export function countryName(code: string, locale: string): string {
  return new Intl.DisplayNames([locale, 'en'], { type: 'region' }).of(code) ?? code;
}
