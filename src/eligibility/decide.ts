import { PREFER_NOT_TO_SAY, UNKNOWN, type Case } from './case.js';
import type { Condition, ConditionField } from './condition.js';
import { COUNTRY_GROUPS } from './countries.js';

/**
 * The result of a condition over a case, in three-valued logic: `null` when the answers the
 * condition needs are not known yet (omitted, "unknown" or "prefer_not_to_say"); `missing` then
 * names those case fields.
 */
export interface Decision {
  value: boolean | null;
  missing: string[];
}

const yes: Decision = { value: true, missing: [] };
const no: Decision = { value: false, missing: [] };
const unknownField = (field: string): Decision => ({ value: null, missing: [field] });

const isGap = (value: string): boolean => value === UNKNOWN || value === PREFER_NOT_TO_SAY;

const ADULT_BANDS: readonly string[] = ['18-59', '60+'];

type FieldValue = string | string[] | number | boolean | null | undefined;

/** What a decision may depend on besides the case. */
export interface DecisionContext {
  /** Today as YYYY-MM-DD, for deadlines; without it a deadline cannot be compared. */
  today?: string;
}

function read(c: Case, field: ConditionField, at: DecisionContext): FieldValue {
  switch (field) {
    case 'departureDeadlinePassed': {
      const deadline = c.departureDeadline;
      // null: there is no deadline, so none has passed.
      if (deadline === null) return false;
      if (deadline === undefined || isGap(deadline) || at.today === undefined) return undefined;
      return deadline < at.today;
    }
    case 'household.adults':
      return c.household?.adults;
    case 'household.minors':
      return c.household?.minors;
    case 'household.size': {
      const adults = c.household?.adults;
      const minors = c.household?.minors;
      return adults === undefined || minors === undefined ? undefined : adults + minors;
    }
    case 'household.unaccompaniedMinor': {
      const stated = c.household?.unaccompaniedMinor;
      if (stated !== undefined) return stated;
      // An adult in the household (or the person being one) settles the question without asking.
      const adults = c.household?.adults;
      if ((adults !== undefined && adults > 0) || ADULT_BANDS.includes(c.ageBand ?? '')) {
        return false;
      }
      return undefined;
    }
    default:
      return c[field];
  }
}

type Leaf = Exclude<Condition, { all: unknown } | { any: unknown } | { not: unknown }>;

function decideLeaf(condition: Leaf, c: Case, at: DecisionContext): Decision {
  const { field } = condition;
  const value = read(c, field, at);
  if (value === undefined || value === null) {
    // The derived deadline fact is settled by the deadline answer.
    if (field === 'departureDeadlinePassed') return unknownField('departureDeadline');
    if (field !== 'household.size') return unknownField(field);
    // Derived: name the answers that are really missing.
    const parts = (['adults', 'minors'] as const).filter((key) => c.household?.[key] === undefined);
    return { value: null, missing: parts.map((key) => `household.${key}`) };
  }

  if ('includesAny' in condition) {
    if (!Array.isArray(value)) return unknownField(field);
    if (condition.includesAny.some((item) => value.includes(item))) return yes;
    return value.includes(PREFER_NOT_TO_SAY) ? unknownField(field) : no;
  }
  if ('equals' in condition) return value === condition.equals ? yes : no;
  if ('in' in condition || 'notIn' in condition || 'inGroup' in condition) {
    if (typeof value !== 'string') return unknownField(field);
    if ('in' in condition) {
      if (condition.in.includes(value)) return yes;
      return isGap(value) ? unknownField(field) : no;
    }
    if ('notIn' in condition) {
      if (condition.notIn.includes(value)) return no;
      return isGap(value) ? unknownField(field) : yes;
    }
    if (isGap(value)) return unknownField(field);
    const group: readonly string[] = COUNTRY_GROUPS[condition.inGroup];
    return group.includes(value) ? yes : no;
  }
  if (typeof value !== 'number') return unknownField(field);
  const { atLeast, atMost } = condition;
  const ok = (atLeast === undefined || value >= atLeast) && (atMost === undefined || value <= atMost);
  return ok ? yes : no;
}

function unknownOf(decisions: Decision[]): Decision {
  return { value: null, missing: decisions.flatMap((d) => (d.value === null ? d.missing : [])) };
}

/** Evaluates a condition; pure. */
export function decide(condition: Condition, c: Case, at: DecisionContext = {}): Decision {
  if ('all' in condition) {
    const parts = condition.all.map((part) => decide(part, c, at));
    if (parts.some((d) => d.value === false)) return no;
    return parts.every((d) => d.value === true) ? yes : unknownOf(parts);
  }
  if ('any' in condition) {
    const parts = condition.any.map((part) => decide(part, c, at));
    if (parts.some((d) => d.value === true)) return yes;
    return parts.every((d) => d.value === false) ? no : unknownOf(parts);
  }
  if ('not' in condition) {
    const inner = decide(condition.not, c, at);
    return inner.value === null ? inner : { value: !inner.value, missing: [] };
  }
  return decideLeaf(condition, c, at);
}

/** Three-valued AND of decisions already made. */
export function both(a: Decision, b: Decision): Decision {
  if (a.value === false || b.value === false) return no;
  if (a.value === true && b.value === true) return yes;
  return unknownOf([a, b]);
}

export function negate(d: Decision): Decision {
  return d.value === null ? d : { value: !d.value, missing: [] };
}

/** Three-valued OR of decisions already made. */
export function either(a: Decision, b: Decision): Decision {
  if (a.value === true || b.value === true) return yes;
  if (a.value === false && b.value === false) return no;
  return unknownOf([a, b]);
}
