import { z } from 'zod';
import { CountryCodeSchema } from './case.js';
import { ConditionSchema } from './condition.js';

/*
 * One programme of the catalogue, shaped like the EU's Return and Reintegration Assistance
 * Inventory (RRAI): who may apply, what assistance (cash or in kind, how much), at which stage,
 * who runs it, how to apply, and where the figures come from. Unknown keys are rejected so a typo
 * in a programme file is an error, not a silently ignored rule.
 */

export const COMPONENT_KINDS = [
  'travel',
  'pre_departure_cash',
  'reintegration_cash',
  'reintegration_in_kind',
  'medical',
  'housing',
  'family_supplement',
] as const;
export type ComponentKind = (typeof COMPONENT_KINDS)[number];

/** Stages of the procedure at which a programme is offered (descriptive; rules decide). */
export const STAGES = ['before_decision', 'after_rejection', 'irregular_stay', 'with_permit', 'any'] as const;
export type Stage = (typeof STAGES)[number];

export const I18nKeySchema = z.string().regex(/^eligibility:[a-z0-9_]+(\.[a-z0-9_]+)+$/, {
  message: 'expected an i18n key in the eligibility namespace, e.g. "eligibility:reason.eu_citizen"',
});

const CURRENCIES: ReadonlySet<string> = new Set(Intl.supportedValuesOf('currency'));
const CurrencySchema = z.string().refine((code) => CURRENCIES.has(code), {
  message: 'expected an ISO 4217 currency code, e.g. "EUR"',
});

const money = z.number().positive().max(1_000_000);

/** A lower amount for children under `ageUnder`: a share of the full amount, or a fixed amount. */
export const ReductionSchema = z.union([
  z.strictObject({ ageUnder: z.int().min(1).max(18), factor: z.number().min(0).max(1) }),
  z.strictObject({ ageUnder: z.int().min(1).max(18), amount: z.number().min(0) }),
]);
export type Reduction = z.infer<typeof ReductionSchema>;

export const ComponentSchema = z
  .strictObject({
    kind: z.enum(COMPONENT_KINDS),
    /**
     * The most one person (or the household) can receive. Omitted when no source we can cite gives
     * a figure: the person is told the kind of support and that a counsellor says how much.
     */
    amount: money.optional(),
    currency: CurrencySchema,
    per: z.enum(['person', 'household']),
    reductions: z.array(ReductionSchema).default([]),
    householdCap: money.optional(),
    // Extra wording for this component, e.g. "for three months after arrival".
    detailKey: I18nKeySchema.optional(),
    onlyFor: ConditionSchema.optional(),
    notFor: ConditionSchema.optional(),
  })
  .superRefine((component, ctx) => {
    if (component.amount === undefined && (component.reductions.length > 0 || component.householdCap !== undefined)) {
      ctx.addIssue({ code: 'custom', path: ['amount'], message: 'reductions and caps need an amount to reduce or cap' });
    }
    if (component.per === 'household' && component.reductions.length > 0) {
      ctx.addIssue({
        code: 'custom',
        path: ['reductions'],
        message: 'reductions apply to per-person amounts only',
      });
    }
  });
export type Component = z.infer<typeof ComponentSchema>;

export const RuleSchema = z.strictObject({
  require: ConditionSchema,
  /** Said when the rule fails or cannot be decided yet, and as a reason when it holds. */
  reasonKey: I18nKeySchema,
});

export const ExclusionSchema = z.strictObject({
  when: ConditionSchema,
  reasonKey: I18nKeySchema,
  /**
   * Exclude only on an answer that says so: "I don't know" (or no answer yet) leaves the programme
   * open, e.g. a person not yet sure where they would go is not asked first whether it is an EU state.
   */
  onlyWhenKnown: z.boolean().default(false),
});

/** Information added to the result when `when` holds, e.g. "the asylum claim must be withdrawn". */
export const NoteSchema = z.strictObject({
  when: ConditionSchema,
  reasonKey: I18nKeySchema,
});

export const SourceSchema = z.strictObject({
  title: z.string().min(1),
  url: z.url({ protocol: /^https?$/ }),
  checked: z.iso.date({ error: 'expected the date checked as YYYY-MM-DD' }),
  verified: z.boolean(),
  note: z.string().min(1).optional(),
});

export const ProgrammeSchema = z
  .strictObject({
    id: z.string().regex(/^[a-z0-9]+(-[a-z0-9]+)*$/, {
      message: 'expected a lowercase id with dashes, e.g. "de-reag-garp"',
    }),
    nameKey: I18nKeySchema,
    summaryKey: I18nKeySchema,
    /** A few plain words on what it is ("help from the German government with the journey home and a new start"), for the summary: no acronym without its meaning. */
    shortKey: I18nKeySchema,
    howToApplyKey: I18nKeySchema,
    hostCountry: CountryCodeSchema,
    // A proper name, shown as written in every language.
    operator: z.string().min(1),
    sampleData: z.boolean(),
    stages: z.array(z.enum(STAGES)).min(1),
    eligibility: z.array(RuleSchema).default([]),
    exclusions: z.array(ExclusionSchema).default([]),
    notes: z.array(NoteSchema).default([]),
    /**
     * EU/EEA/Swiss citizens are not eligible for return programmes, except when this holds (REAG/GARP
     * helps EU citizens who are victims of trafficking or forced prostitution).
     */
    euCitizensWhen: ConditionSchema.optional(),
    /**
     * The countries of return the programme serves, when it serves only some (a reintegration
     * programme with partners in those countries). The explanation names such a programme as the
     * help that exists in the person's country of return; where none does, it says a counsellor can
     * find out. Other limits on the country of return are exclusions.
     */
    returnCountries: z.array(CountryCodeSchema).min(1).optional(),
    /** Nationals of these countries get the travel components only (e.g. visa-free countries). */
    travelOnlyNationalities: z.array(CountryCodeSchema).default([]),
    assistance: z.array(ComponentSchema).min(1),
    /** Cap on the whole household's total, across components. */
    householdCap: money.optional(),
    sources: z.array(SourceSchema).min(1),
  })
  .superRefine((programme, ctx) => {
    // What a person reads about money must be true: a figure needs every source verified.
    if (programme.sources.some((source) => !source.verified)) {
      programme.assistance.forEach((component, index) => {
        if (component.amount !== undefined) {
          ctx.addIssue({
            code: 'custom',
            path: ['assistance', index, 'amount'],
            message: 'an amount needs every source verified; remove it or verify the sources',
          });
        }
      });
      if (programme.householdCap !== undefined) {
        ctx.addIssue({ code: 'custom', path: ['householdCap'], message: 'a cap needs every source verified; remove it or verify the sources' });
      }
    }
    const currencies = new Set(programme.assistance.map((c) => c.currency));
    if (currencies.size > 1) {
      ctx.addIssue({
        code: 'custom',
        path: ['assistance'],
        message: `expected one currency per programme, found ${[...currencies].join(', ')}`,
      });
    }
    const seen = new Set<string>();
    programme.travelOnlyNationalities.forEach((code, index) => {
      if (seen.has(code)) {
        ctx.addIssue({
          code: 'custom',
          path: ['travelOnlyNationalities', index],
          message: `"${code}" is listed twice`,
        });
      }
      seen.add(code);
    });
  });

export type Programme = z.infer<typeof ProgrammeSchema>;
export type ProgrammeInput = z.input<typeof ProgrammeSchema>;
