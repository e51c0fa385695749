import type { CountryCode } from '../text/country-codes.js';

export { COUNTRY_CODES, type CountryCode, isCountryCode } from '../text/country-codes.js';

/** EU member states (2020 onwards). */
export const EU_COUNTRIES = [
  'AT',
  'BE',
  'BG',
  'CY',
  'CZ',
  'DE',
  'DK',
  'EE',
  'ES',
  'FI',
  'FR',
  'GR',
  'HR',
  'HU',
  'IE',
  'IT',
  'LT',
  'LU',
  'LV',
  'MT',
  'NL',
  'PL',
  'PT',
  'RO',
  'SE',
  'SI',
  'SK',
] as const satisfies readonly CountryCode[];

/**
 * Named country groups a programme condition may refer to (`inGroup`). Membership is a legal fact
 * shared by every programme, so it lives here once instead of being copied into each file.
 */
export const COUNTRY_GROUPS = {
  eu: EU_COUNTRIES,
  // Citizens of these states enjoy free movement and are outside the scope of return programmes.
  eu_eea_ch: [...EU_COUNTRIES, 'IS', 'LI', 'NO', 'CH'],
} as const satisfies Record<string, readonly CountryCode[]>;

export type CountryGroup = keyof typeof COUNTRY_GROUPS;
export const COUNTRY_GROUP_NAMES = Object.keys(COUNTRY_GROUPS) as CountryGroup[];
