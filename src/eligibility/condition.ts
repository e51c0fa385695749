import { z } from 'zod';
import { AGE_BANDS, CaseSchema, CountryCodeSchema, LEGAL_STATUSES, TRI_STATES, VULNERABILITIES, WISHES } from './case.js';
import { COUNTRY_GROUP_NAMES, type CountryGroup } from './countries.js';

/*
 * The small declarative condition language programme files use over a case:
 *   { field: legalStatus, in: [asylum_pending, asylum_rejected] }
 *   { field: nationality, inGroup: eu_eea_ch }
 *   { field: vulnerabilities, includesAny: [medical_needs] }
 *   { field: household.minors, atLeast: 1 }
 *   { all: [...] } | { any: [...] } | { not: {...} }
 */

export const VALUE_FIELDS = [
  'hostCountry',
  'nationality',
  'returnCountry',
  'ageBand',
  'legalStatus',
  'asylumWithdrawn',
  'priorReturnAssistance',
  'detained',
] as const;
export const COUNTRY_FIELDS = ['hostCountry', 'nationality', 'returnCountry'] as const;
export const LIST_FIELDS = ['vulnerabilities', 'wishes'] as const;
// departureDeadlinePassed is derived: the deadline answer compared with today's date.
export const BOOLEAN_FIELDS = ['household.unaccompaniedMinor', 'departureDeadlinePassed'] as const;
// household.size is adults + minors, known once both are.
export const NUMBER_FIELDS = ['household.adults', 'household.minors', 'household.size'] as const;
export const CONDITION_FIELDS = [...VALUE_FIELDS, ...LIST_FIELDS, ...BOOLEAN_FIELDS, ...NUMBER_FIELDS] as const;

export type ValueField = (typeof VALUE_FIELDS)[number];
export type CountryField = (typeof COUNTRY_FIELDS)[number];
export type ListField = (typeof LIST_FIELDS)[number];
export type BooleanField = (typeof BOOLEAN_FIELDS)[number];
export type NumberField = (typeof NUMBER_FIELDS)[number];
export type ConditionField = (typeof CONDITION_FIELDS)[number];

export type Condition =
  | { field: ValueField; in: string[] }
  | { field: ValueField; notIn: string[] }
  | { field: CountryField; inGroup: CountryGroup }
  | { field: ListField; includesAny: string[] }
  | { field: BooleanField; equals: boolean }
  | { field: NumberField; atLeast?: number; atMost?: number }
  | { all: Condition[] }
  | { any: Condition[] }
  | { not: Condition };

/** What a programme file may write; validated, then narrowed to `Condition`. */
export interface ConditionInput {
  field?: string;
  in?: string[];
  notIn?: string[];
  inGroup?: string;
  includesAny?: string[];
  equals?: boolean;
  atLeast?: number;
  atMost?: number;
  all?: ConditionInput[];
  any?: ConditionInput[];
  not?: ConditionInput;
}

const includes = <T extends string>(list: readonly T[], value: string): value is T => (list as readonly string[]).includes(value);

const isValueField = (field: string): field is ValueField => includes(VALUE_FIELDS, field);
const isCountryField = (field: string): field is CountryField => includes(COUNTRY_FIELDS, field);
const isListField = (field: string): field is ListField => includes(LIST_FIELDS, field);
const isBooleanField = (field: string): field is BooleanField => includes(BOOLEAN_FIELDS, field);
const isNumberField = (field: string): field is NumberField => includes(NUMBER_FIELDS, field);

/** The schema each value in `in`/`notIn`/`includesAny` must pass, per field. */
const VALUE_SCHEMAS: Record<ValueField | ListField, z.ZodType<string>> = {
  hostCountry: CountryCodeSchema,
  nationality: CaseSchema.shape.nationality.unwrap(),
  returnCountry: CaseSchema.shape.returnCountry.unwrap(),
  ageBand: z.enum(AGE_BANDS),
  legalStatus: z.enum(LEGAL_STATUSES),
  asylumWithdrawn: z.enum(TRI_STATES),
  priorReturnAssistance: z.enum(TRI_STATES),
  detained: z.enum(TRI_STATES),
  vulnerabilities: z.enum(VULNERABILITIES),
  wishes: z.enum(WISHES),
};

type Operator = 'in' | 'notIn' | 'inGroup' | 'includesAny' | 'equals' | 'range';

function operatorsOf(raw: ConditionInput): Operator[] {
  const ops: Operator[] = [];
  if (raw.in !== undefined) ops.push('in');
  if (raw.notIn !== undefined) ops.push('notIn');
  if (raw.inGroup !== undefined) ops.push('inGroup');
  if (raw.includesAny !== undefined) ops.push('includesAny');
  if (raw.equals !== undefined) ops.push('equals');
  if (raw.atLeast !== undefined || raw.atMost !== undefined) ops.push('range');
  return ops;
}

function allowedOperators(field: string): Operator[] {
  if (isCountryField(field)) return ['in', 'notIn', 'inGroup'];
  if (isValueField(field)) return ['in', 'notIn'];
  if (isListField(field)) return ['includesAny'];
  if (isBooleanField(field)) return ['equals'];
  return ['range'];
}

const OPERATOR_KEYS: Record<Operator, string> = {
  in: 'in',
  notIn: 'notIn',
  inGroup: 'inGroup',
  includesAny: 'includesAny',
  equals: 'equals',
  range: 'atLeast/atMost',
};

function check(raw: ConditionInput, ctx: z.RefinementCtx): void {
  const shapes = (['field', 'all', 'any', 'not'] as const).filter((key) => raw[key] !== undefined);
  const ops = operatorsOf(raw);
  if (shapes.length !== 1) {
    ctx.addIssue({
      code: 'custom',
      message: `expected exactly one of "field", "all", "any", "not"; found ${shapes.length === 0 ? 'none' : shapes.join(', ')}`,
    });
    return;
  }
  const field = raw.field;
  if (field === undefined) {
    if (ops.length > 0) {
      ctx.addIssue({
        code: 'custom',
        message: `"${OPERATOR_KEYS[ops[0] ?? 'in']}" needs a "field"`,
      });
    }
    return;
  }
  const allowed = allowedOperators(field);
  if (ops.length !== 1 || !allowed.includes(ops[0] ?? 'in')) {
    ctx.addIssue({
      code: 'custom',
      message: `field "${field}" expects exactly one of: ${allowed.map((op) => OPERATOR_KEYS[op]).join(', ')}`,
    });
    return;
  }
  if (isValueField(field) || isListField(field)) {
    const valueSchema = VALUE_SCHEMAS[field];
    for (const key of ['in', 'notIn', 'includesAny'] as const) {
      raw[key]?.forEach((value, index) => {
        const result = valueSchema.safeParse(value);
        if (!result.success) {
          ctx.addIssue({
            code: 'custom',
            path: [key, index],
            message: `"${value}" is not a valid value of ${field}: ${result.error.issues[0]?.message ?? 'invalid'}`,
          });
        }
      });
    }
  }
  if (raw.atLeast !== undefined && raw.atMost !== undefined && raw.atLeast > raw.atMost) {
    ctx.addIssue({ code: 'custom', path: ['atMost'], message: 'expected atMost >= atLeast' });
  }
}

function isCountryGroup(value: string): value is CountryGroup {
  return includes(COUNTRY_GROUP_NAMES, value);
}

/** Builds the typed condition; only reached after `check` accepted the shape. */
function toCondition(raw: ConditionInput, ctx: z.RefinementCtx): Condition {
  const invalid = (): Condition => {
    ctx.addIssue({ code: 'custom', message: 'invalid condition' });
    return z.NEVER;
  };
  if (raw.all !== undefined) return { all: raw.all.map((c) => toCondition(c, ctx)) };
  if (raw.any !== undefined) return { any: raw.any.map((c) => toCondition(c, ctx)) };
  if (raw.not !== undefined) return { not: toCondition(raw.not, ctx) };
  const field = raw.field ?? '';
  if (isCountryField(field) && raw.inGroup !== undefined && isCountryGroup(raw.inGroup)) {
    return { field, inGroup: raw.inGroup };
  }
  if (isValueField(field) && raw.in !== undefined) return { field, in: raw.in };
  if (isValueField(field) && raw.notIn !== undefined) return { field, notIn: raw.notIn };
  if (isListField(field) && raw.includesAny !== undefined) {
    return { field, includesAny: raw.includesAny };
  }
  if (isBooleanField(field) && raw.equals !== undefined) return { field, equals: raw.equals };
  if (isNumberField(field)) {
    return {
      field,
      ...(raw.atLeast !== undefined && { atLeast: raw.atLeast }),
      ...(raw.atMost !== undefined && { atMost: raw.atMost }),
    };
  }
  return invalid();
}

const count = z.int().min(0);
const nonEmptyStrings = z.array(z.string()).min(1);

const RawConditionSchema: z.ZodType<ConditionInput> = z.lazy(() =>
  z
    .strictObject({
      field: z.enum(CONDITION_FIELDS).optional(),
      in: nonEmptyStrings.optional(),
      notIn: nonEmptyStrings.optional(),
      inGroup: z.enum(COUNTRY_GROUP_NAMES).optional(),
      includesAny: nonEmptyStrings.optional(),
      equals: z.boolean().optional(),
      atLeast: count.optional(),
      atMost: count.optional(),
      all: z.array(RawConditionSchema).min(1).optional(),
      any: z.array(RawConditionSchema).min(1).optional(),
      not: RawConditionSchema.optional(),
    })
    .superRefine(check),
);

export const ConditionSchema: z.ZodType<Condition> = RawConditionSchema.transform(toCondition);
