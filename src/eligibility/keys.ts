import { COMPONENT_KINDS, type ComponentKind, type Programme } from './programme.js';
import { BUILTIN_REASON_KEYS } from './reason.js';

export const componentNameKey = (kind: ComponentKind): string => `eligibility:component.${kind}`;
/** The currency's name in words ("euros"), used inside amounts. */
export const currencyNameKey = (code: string): string => `eligibility:currency.${code}`;

/** Keys for the words around a result: outcomes and the estimate's wording. */
export const RESULT_KEYS = {
  outcome: {
    eligible: 'eligibility:outcome.eligible',
    possibly_eligible: 'eligibility:outcome.possibly_eligible',
    not_eligible: 'eligibility:outcome.not_eligible',
  },
  /** Params: amount (a number), currency (ISO 4217 code). */
  upTo: 'eligibility:estimate.up_to',
  toBeConfirmed: 'eligibility:estimate.to_be_confirmed',
  sampleData: 'eligibility:estimate.sample_data',
} as const;

/** Every i18n key a programme file references (names, texts, reasons, its components' names). */
export function programmeKeys(programme: Programme): string[] {
  const keys = [
    programme.nameKey,
    programme.summaryKey,
    programme.shortKey,
    programme.howToApplyKey,
    ...programme.eligibility.map((rule) => rule.reasonKey),
    ...programme.exclusions.map((exclusion) => exclusion.reasonKey),
    ...programme.notes.map((note) => note.reasonKey),
    ...programme.assistance.flatMap((c) => [componentNameKey(c.kind), currencyNameKey(c.currency), ...(c.detailKey ? [c.detailKey] : [])]),
  ];
  return [...new Set(keys)];
}

/** Keys the evaluator and the result's wording use whatever the catalogue holds. */
export function evaluatorKeys(): string[] {
  return [
    ...Object.values(BUILTIN_REASON_KEYS),
    ...Object.values(RESULT_KEYS.outcome),
    RESULT_KEYS.upTo,
    RESULT_KEYS.toBeConfirmed,
    RESULT_KEYS.sampleData,
    ...COMPONENT_KINDS.map(componentNameKey),
  ];
}

/** All keys a catalogue needs in every locale, sorted. */
export function catalogueKeys(programmes: readonly Programme[]): string[] {
  return [...new Set([...programmes.flatMap(programmeKeys), ...evaluatorKeys()])].sort();
}

/** A locale's resources for one namespace, as stored in `locales/<lng>/<ns>.json`. */
export type LocaleResource = { [key: string]: string | LocaleResource };

function lookup(resource: LocaleResource, path: string): string | LocaleResource | undefined {
  let node: string | LocaleResource | undefined = resource;
  for (const part of path.split('.')) {
    if (node === undefined || typeof node === 'string') return undefined;
    node = node[part];
  }
  return node;
}

/**
 * Keys (with their `eligibility:` prefix) that a locale lacks. A key counts as present when it is a
 * string, or when every plural form the language needs exists (`key_one`, `key_other`, and in Arabic
 * `_zero/_one/_two/_few/_many/_other`, as i18next's JSON v4 format expects).
 * @example findMissingKeys(catalogueKeys(programmes), arResource, 'ar') // []
 */
export function findMissingKeys(keys: readonly string[], resource: LocaleResource, lng: string): string[] {
  const categories = new Intl.PluralRules(lng).resolvedOptions().pluralCategories;
  return keys.filter((key) => {
    const path = key.replace(/^eligibility:/, '');
    if (typeof lookup(resource, path) === 'string') return false;
    return !categories.every((category) => typeof lookup(resource, `${path}_${category}`) === 'string');
  });
}
