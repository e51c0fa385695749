import { asciiDigits } from '../text/normalise.js';
import {
  AGE_BANDS,
  LEGAL_STATUSES,
  PREFER_NOT_TO_SAY,
  STATELESS,
  TRI_STATES,
  UNKNOWN,
  VULNERABILITIES,
  WISHES,
  parseCase,
  type Case,
  type Household,
  type Vulnerability,
} from './case.js';
import { isCountryCode, type CountryCode } from './countries.js';

/** Answers as a conversation collects them: choice values, numbers, yes/no, codes, lists. */
export type FlowAnswers = Readonly<Record<string, string | number | boolean | readonly string[]>>;
type AnswerValue = FlowAnswers[string] | undefined;

/**
 * The answer names the counselling flows use, by case field. Most are the case's own names; the
 * household and the departure deadline take several questions.
 */
export const ANSWER_NAMES = {
  hostCountry: 'hostCountry',
  hostCity: 'hostCity',
  nationality: 'nationality',
  returnCountry: 'returnCountry',
  ageBand: 'ageBand',
  legalStatus: 'legalStatus',
  asylumWithdrawn: 'asylumWithdrawn',
  /** yes / no / unknown / prefer_not_to_say; the date itself is `departureDeadline`. */
  hasDepartureDeadline: 'hasDepartureDeadline',
  departureDeadline: 'departureDeadline',
  /** Adults who would travel; for an adult, themselves included. */
  householdAdults: 'householdAdults',
  /** Children under 18 who would travel; for a child, themselves included. */
  householdMinors: 'householdMinors',
  /** The children's ages as typed, e.g. "4, 9". */
  minorAges: 'minorAges',
  /** yes: a child here without a parent or other adult of the family. */
  unaccompaniedMinor: 'unaccompaniedMinor',
  vulnerabilities: 'vulnerabilities',
  priorReturnAssistance: 'priorReturnAssistance',
  detained: 'detained',
  wishes: 'wishes',
} as const;

/** The "none of these" button of the vulnerability question. */
export const NO_VULNERABILITY = 'none';

const A = ANSWER_NAMES;
const MINOR_BANDS: readonly string[] = ['0-15', '16-17'];

const oneOf = <T extends string>(list: readonly T[], value: AnswerValue): T | undefined => list.find((item) => item === value);

const count = (value: AnswerValue): number | undefined =>
  typeof value === 'number' && Number.isInteger(value) && value >= 0 && value <= 30 ? value : undefined;

const isGap = (value: AnswerValue): boolean => value === UNKNOWN || value === PREFER_NOT_TO_SAY;

function country(value: AnswerValue): CountryCode | undefined {
  return typeof value === 'string' && isCountryCode(value) ? value : undefined;
}

/** "4, 9" or "٤ و ٩": every whole number from 0 to 17, or nothing when one is out of range. */
function ages(value: AnswerValue): number[] | undefined {
  if (typeof value !== 'string' || isGap(value)) return undefined;
  const ascii = asciiDigits(value);
  const numbers = ascii.match(/\d+/g)?.map(Number) ?? [];
  return numbers.length > 0 && numbers.every((age) => age <= 17) ? numbers : undefined;
}

function household(answers: FlowAnswers, ageBand: string | undefined): Household | undefined {
  const minorPerson = MINOR_BANDS.includes(ageBand ?? '');
  const alone = answers[A.unaccompaniedMinor];
  const unaccompaniedMinor = minorPerson && alone === 'yes' ? true : alone === 'no' ? false : undefined;
  let adults = count(answers[A.householdAdults]);
  let minors = count(answers[A.householdMinors]);
  // A child alone has no adult travelling with them, whatever was typed earlier.
  if (unaccompaniedMinor === true) adults = 0;
  if (adults === 0 && minors === 0) adults = minors = undefined;
  // A 16- or 17-year-old travelling as the only child is at least 16: the estimate need not guess.
  const childAges = ages(answers[A.minorAges]) ?? (ageBand === '16-17' && minors === 1 ? [16] : undefined);
  const result: Household = {
    ...(adults !== undefined ? { adults } : {}),
    ...(minors !== undefined ? { minors } : {}),
    ...(childAges !== undefined && minors !== undefined && childAges.length === minors ? { minorAges: childAges } : {}),
    ...(unaccompaniedMinor !== undefined ? { unaccompaniedMinor } : {}),
  };
  return Object.keys(result).length > 0 ? result : undefined;
}

/**
 * Vulnerabilities as answered, plus what other answers already say (a child, a child alone, an
 * older person, a family with children), so the person is never asked the same thing twice.
 * Omitted while the question has not been answered.
 */
function vulnerabilities(answers: FlowAnswers, c: Case): Vulnerability[] | undefined {
  const value = answers[A.vulnerabilities];
  if (value === undefined || value === UNKNOWN) return undefined;
  const stated = typeof value === 'string' ? [value] : Array.isArray(value) ? value : [];
  const derived: Vulnerability[] = [];
  const minorPerson = MINOR_BANDS.includes(c.ageBand ?? '');
  if (minorPerson) derived.push('minor');
  if (c.household?.unaccompaniedMinor === true) derived.push('unaccompanied_minor');
  if (c.ageBand === '60+') derived.push('elderly');
  if (!minorPerson && (c.household?.minors ?? 0) > 0) derived.push('family_with_children');
  const all = [...stated.flatMap((item) => oneOf(VULNERABILITIES, item) ?? []), ...derived];
  return VULNERABILITIES.filter((item) => all.includes(item));
}

function departureDeadline(answers: FlowAnswers): Case['departureDeadline'] {
  const has = answers[A.hasDepartureDeadline];
  if (has === 'no') return null;
  if (has === undefined) return undefined;
  const date = answers[A.departureDeadline];
  return has === 'yes' && typeof date === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(date) ? date : UNKNOWN;
}

/**
 * Turns a conversation's answers into the case record the evaluator and the referral use. Pure and
 * total: an answer that does not fit the case (a typo'd city, ages that do not match the number of
 * children) is left out, as if not asked, so the result always passes `CaseSchema`.
 * @example caseFromAnswers({ hostCountry: 'DE', ageBand: '18-59', householdAdults: 2, wishes: ['travel'] })
 *   // { hostCountry: 'DE', ageBand: '18-59', household: { adults: 2 }, wishes: ['travel'] }
 */
export function caseFromAnswers(answers: FlowAnswers): Case {
  const ageBand = oneOf(AGE_BANDS, answers[A.ageBand]);
  const nationality = answers[A.nationality];
  const returnCountry = answers[A.returnCountry];
  const city = answers[A.hostCity];
  const wishes = answers[A.wishes];
  const hostCountry = country(answers[A.hostCountry]);
  const legalStatus = oneOf(LEGAL_STATUSES, answers[A.legalStatus]);
  const asylumWithdrawn = oneOf(TRI_STATES, answers[A.asylumWithdrawn]);
  const deadline = departureDeadline(answers);
  const home = household(answers, ageBand);
  const priorReturnAssistance = oneOf(TRI_STATES, answers[A.priorReturnAssistance]);
  const detained = oneOf(TRI_STATES, answers[A.detained]);
  const nationalityValue = country(nationality) ?? oneOf([STATELESS, UNKNOWN, PREFER_NOT_TO_SAY] as const, nationality);
  const returnValue = country(returnCountry) ?? oneOf([UNKNOWN, PREFER_NOT_TO_SAY] as const, returnCountry);

  const c: Case = {
    ...(hostCountry !== undefined ? { hostCountry } : {}),
    ...(typeof city === 'string' && !isGap(city) && city.trim().length > 0 ? { hostCity: city.trim().slice(0, 120) } : {}),
    ...(nationalityValue !== undefined ? { nationality: nationalityValue } : {}),
    ...(returnValue !== undefined ? { returnCountry: returnValue } : {}),
    ...(ageBand !== undefined ? { ageBand } : {}),
    ...(legalStatus !== undefined ? { legalStatus } : {}),
    ...(asylumWithdrawn !== undefined ? { asylumWithdrawn } : {}),
    ...(deadline !== undefined ? { departureDeadline: deadline } : {}),
    ...(home !== undefined ? { household: home } : {}),
    ...(priorReturnAssistance !== undefined ? { priorReturnAssistance } : {}),
    ...(detained !== undefined ? { detained } : {}),
    ...(Array.isArray(wishes) ? { wishes: WISHES.filter((wish) => wishes.includes(wish)) } : {}),
  };
  const withVulnerabilities = vulnerabilities(answers, c);
  const result: Case = withVulnerabilities !== undefined ? { ...c, vulnerabilities: withVulnerabilities } : c;
  const parsed = parseCase(result);
  if (parsed.status === 'success') return parsed.case;
  // Not expected (every field is built from its own list above); still, never hand on an invalid case.
  const bad = new Set(parsed.issues.map((issue) => issue.path.split('.')[0] ?? ''));
  return Object.fromEntries(Object.entries(result).filter(([field]) => !bad.has(field)));
}
