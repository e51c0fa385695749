import { z } from 'zod';
import { COUNTRY_CODES, isCountryCode, type CountryCode } from './countries.js';
import { fieldIssues, type FieldIssue } from '../validation/zod-issues.js';

/*
 * The case: everything the counselling flow has learnt about a person, in the public JSON form that
 * the referral record and the API carry too. An omitted field means "not asked yet"; "unknown" and
 * "prefer_not_to_say" are answers.
 */

export const UNKNOWN = 'unknown';
export const PREFER_NOT_TO_SAY = 'prefer_not_to_say';

export const AGE_BANDS = ['0-15', '16-17', '18-59', '60+', UNKNOWN, PREFER_NOT_TO_SAY] as const;

export const LEGAL_STATUSES = [
  'asylum_pending',
  'asylum_rejected',
  'irregular',
  'refugee_status',
  'temporary_permit',
  // People from Ukraine under the EU's temporary protection (Directive 2001/55/EC).
  'temporary_protection',
  // Another EU state is responsible for the asylum claim (Dublin III); a transfer may be pending.
  'dublin',
  'eu_citizen',
  'other',
  UNKNOWN,
  PREFER_NOT_TO_SAY,
] as const;

/** Answers to yes/no questions (asylum withdrawn, prior return assistance, detention). */
export const TRI_STATES = ['yes', 'no', UNKNOWN, PREFER_NOT_TO_SAY] as const;

/**
 * Directive 2008/115/EC art. 3(9) (minors, unaccompanied minors, disabled and elderly people,
 * pregnant women, single parents with minor children, survivors of torture, rape or other serious
 * violence), plus what the EU return strategy adds (families, victims of trafficking) and medical
 * needs, mental health and LGBTIQ persons at risk. `survivor_of_violence` is kept for records made
 * before torture, rape and other serious violence were asked one by one. "prefer_not_to_say" may
 * be the only item or sit beside others.
 */
export const VULNERABILITIES = [
  'minor',
  'unaccompanied_minor',
  'disability',
  'elderly',
  'pregnant',
  'single_parent',
  'survivor_of_violence',
  'torture',
  'sexual_violence',
  'serious_violence',
  'family_with_children',
  'trafficking_victim',
  'medical_needs',
  'mental_health',
  'lgbtiq_at_risk',
  PREFER_NOT_TO_SAY,
] as const;

export const WISHES = ['travel', 'medical', 'housing', 'education', 'business', 'psychosocial', 'family_tracing'] as const;

/** Nationality also allows "stateless", a real answer that no country code expresses. */
export const STATELESS = 'stateless';

export type AgeBand = (typeof AGE_BANDS)[number];
export type LegalStatus = (typeof LEGAL_STATUSES)[number];
export type TriState = (typeof TRI_STATES)[number];
export type Vulnerability = (typeof VULNERABILITIES)[number];
export type Wish = (typeof WISHES)[number];

export const CountryCodeSchema = z.string().refine((value): value is CountryCode => isCountryCode(value), {
  message: 'expected an ISO 3166-1 alpha-2 country code in capitals, e.g. "AF"',
});

const countryOr = <const T extends readonly [string, ...string[]]>(extra: T) =>
  z.union([CountryCodeSchema, z.enum(extra)], {
    error: `expected an ISO 3166-1 alpha-2 country code in capitals or one of: ${extra.join(', ')}`,
  });

const IsoDateSchema = z.iso.date({ error: 'expected a date as YYYY-MM-DD' });

const uniqueList = <T extends string>(item: z.ZodType<T>) =>
  z.array(item).refine((items) => new Set(items).size === items.length, {
    message: 'expected each value only once',
  });

export const HouseholdSchema = z
  .strictObject({
    adults: z.int({ error: 'expected a whole number' }).min(0).max(30).optional(),
    minors: z.int({ error: 'expected a whole number' }).min(0).max(30).optional(),
    minorAges: z.array(z.int({ error: 'expected a whole number' }).min(0).max(17)).optional(),
    unaccompaniedMinor: z.boolean().optional(),
  })
  .superRefine((household, ctx) => {
    const { adults, minors, minorAges, unaccompaniedMinor } = household;
    if (minorAges !== undefined && minors !== undefined && minorAges.length !== minors) {
      ctx.addIssue({
        code: 'custom',
        path: ['minorAges'],
        message: `expected ${minors} age(s), one for each minor`,
      });
    }
    if (adults === 0 && minors === 0) {
      ctx.addIssue({ code: 'custom', path: ['adults'], message: 'expected at least one person' });
    }
    if (unaccompaniedMinor === true && adults !== undefined && adults > 0) {
      ctx.addIssue({
        code: 'custom',
        path: ['unaccompaniedMinor'],
        message: 'a minor travelling alone has no adult in the household',
      });
    }
  });

export const CaseSchema = z.strictObject({
  hostCountry: CountryCodeSchema.optional(),
  hostCity: z.string().trim().min(1).max(120).optional(),
  nationality: countryOr([STATELESS, UNKNOWN, PREFER_NOT_TO_SAY]).optional(),
  returnCountry: countryOr([UNKNOWN, PREFER_NOT_TO_SAY]).optional(),
  ageBand: z.enum(AGE_BANDS).optional(),
  legalStatus: z.enum(LEGAL_STATUSES).optional(),
  asylumWithdrawn: z.enum(TRI_STATES).optional(),
  // null: the person has no departure deadline.
  departureDeadline: z.union([IsoDateSchema, z.null(), z.literal(UNKNOWN)]).optional(),
  household: HouseholdSchema.optional(),
  vulnerabilities: uniqueList(z.enum(VULNERABILITIES)).optional(),
  priorReturnAssistance: z.enum(TRI_STATES).optional(),
  detained: z.enum(TRI_STATES).optional(),
  wishes: uniqueList(z.enum(WISHES)).optional(),
});

export type Case = z.infer<typeof CaseSchema>;
export type Household = z.infer<typeof HouseholdSchema>;

/** Top-level case fields in contract order; used to order `missing` lists. */
export const CASE_FIELDS = Object.keys(CaseSchema.shape) as (keyof Case)[];

export { COUNTRY_CODES };

export type ParseCaseResult = { status: 'success'; case: Case } | { status: 'fail'; issues: FieldIssue[] };

/**
 * Validates unknown input (parsed JSON, a flow's state) as a case.
 * @example parseCase({ household: { adults: 'two' } })
 *   // { status: 'fail', issues: [{ path: 'household.adults', message: 'expected a whole number' }] }
 */
export function parseCase(input: unknown): ParseCaseResult {
  const result = CaseSchema.safeParse(input);
  if (result.success) return { status: 'success', case: result.data };
  return { status: 'fail', issues: fieldIssues(result.error) };
}
