import type { Case } from './case.js';

/** Who would travel together, as the estimate counts them. */
export interface Travellers {
  adults: number;
  /** One entry per minor; `null` when the age is not known. */
  minorAges: (number | null)[];
  /** True when the case says nothing about the household and one person is assumed. */
  assumedSingle: boolean;
}

const MINOR_BANDS: readonly string[] = ['0-15', '16-17'];

export function travellersOf(c: Case): Travellers {
  const h = c.household;
  const personIsMinor = MINOR_BANDS.includes(c.ageBand ?? '') || h?.unaccompaniedMinor === true;
  if (h?.adults === undefined && h?.minors === undefined) {
    if (!personIsMinor) return { adults: 1, minorAges: [], assumedSingle: true };
    return { adults: 0, minorAges: [c.ageBand === '16-17' ? 16 : null], assumedSingle: true };
  }
  const minors = h.minors ?? 0;
  const minorAges = h.minorAges ?? Array.from({ length: minors }, () => null);
  // The person answering counts as the household's adult unless they are a minor themselves.
  const adults = h.adults ?? (personIsMinor ? 0 : 1);
  return { adults, minorAges, assumedSingle: false };
}
