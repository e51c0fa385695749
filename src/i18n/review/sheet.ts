// The review sheet's rows for one language: every text of the client namespaces in the English
// file's order, English beside the translation. Pure: takes the namespace trees as read from disk.
// A plural key becomes one row per form the language needs (Arabic: six), each beside the English
// form of the same category, or English "other" where English has no such form.
import { flatten, pluralSuffix } from '../completeness.js';
import { placesOf, type KeyUsage } from './usage.js';

export interface SheetRow {
  key: string;
  namespace: string;
  /** Where it appears; "—" when the scan found nothing. */
  where: string;
  english: string;
  translation: string;
  /** Filled by the reviewer: the corrected text, or the translation copied when it is right. */
  reviewed: string;
  comment: string;
}

/** What the sheet is shown instead of a place when none was found. */
export const unknownPlace = '—';

/** Namespace -> tree, as `locales/<lng>/<namespace>.json` holds it. */
export type NamespaceTrees = Readonly<Record<string, unknown>>;

const pluralOrder = ['zero', 'one', 'two', 'few', 'many', 'other'] as const;

/** The plural categories `locale` uses, in i18next's suffix order. */
export function pluralCategories(locale: string): string[] {
  const categories = new Set<string>(new Intl.PluralRules(locale).resolvedOptions().pluralCategories);
  return pluralOrder.filter((category) => categories.has(category));
}

/**
 * The rows of `namespaces` (in the order given) for `locale`. A key the translation lacks has an
 * empty translation cell, so the reviewer can write it.
 */
export function sheetRows(english: NamespaceTrees, translated: NamespaceTrees, locale: string, namespaces: readonly string[], usage: KeyUsage): SheetRow[] {
  const categories = pluralCategories(locale);
  const rows: SheetRow[] = [];
  for (const namespace of namespaces) {
    const base = flatten(english[namespace]);
    const own = flatten(translated[namespace]);
    const row = (key: string, englishText: string): SheetRow => {
      const places = placesOf(usage, namespace, key);
      return {
        key,
        namespace,
        where: places.length > 0 ? places.join('; ') : unknownPlace,
        english: englishText,
        translation: own.get(key) ?? '',
        reviewed: '',
        comment: '',
      };
    };
    const pluralsDone = new Set<string>();
    for (const [key, text] of base) {
      const plural = pluralSuffix.exec(key);
      if (!plural) {
        rows.push(row(key, text));
        continue;
      }
      const stem = key.slice(0, plural.index);
      if (pluralsDone.has(stem)) continue;
      pluralsDone.add(stem);
      for (const category of categories) rows.push(row(`${stem}_${category}`, base.get(`${stem}_${category}`) ?? base.get(`${stem}_other`) ?? text));
    }
  }
  return rows;
}

/** The stem of a plural form (`days_few` -> `days`) when `english` has that key as a plural, else undefined. */
export function pluralStem(key: string, english: ReadonlyMap<string, string>): string | undefined {
  const plural = pluralSuffix.exec(key);
  if (!plural) return undefined;
  const stem = key.slice(0, plural.index);
  return english.has(`${stem}_other`) && !english.has(key.replace(pluralSuffix, '')) ? stem : undefined;
}
