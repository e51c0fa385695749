import { z } from 'zod';

/**
 * The flow file format. A flow is data: nodes keyed by id, texts as i18n keys, next steps
 * guarded by conditions over the answers collected so far. Every flow file passes this schema
 * at start-up and in `npm run flows:check`.
 *
 * @example
 * ```yaml
 * id: intake
 * start: welcome
 * nodes:
 *   welcome: { type: say, text: intake.welcome, next: ask_age }
 *   ask_age:
 *     type: ask
 *     text: intake.ask_age
 *     answer: ageBand
 *     input: { kind: choice, choices: [{ value: "18-59", label: intake.age.adult }] }
 *     next:
 *       - { if: { answer: ageBand, in: ["under-16", "16-17"] }, goto: minor }
 *       - { goto: summary }
 * ```
 */

const identifier = z.string().regex(/^[A-Za-z][A-Za-z0-9_.-]*$/, 'use letters, digits, "_", "-" or "."');
/** An i18n key, optionally prefixed with its namespace (`eligibility:reason.x`). */
const i18nKey = z.string().regex(/^([a-z][a-z0-9_-]*:)?[A-Za-z0-9_.-]+$/, 'not an i18n key');

export const textSchema = z.union([i18nKey, z.strictObject({ key: i18nKey, params: z.record(z.string(), z.union([z.string(), z.number()])).optional() })]);
export type FlowText = z.infer<typeof textSchema>;

type ScalarValue = string | number | boolean;
const scalar = z.union([z.string(), z.number(), z.boolean()]);

export type Condition =
  | { answer: string; equals: ScalarValue }
  | { answer: string; in: ScalarValue[] }
  | { answer: string; answered: boolean }
  | { answer: string; gte?: number; lte?: number }
  | { all: Condition[] }
  | { any: Condition[] }
  | { not: Condition };

export const conditionSchema: z.ZodType<Condition> = z.lazy(() =>
  z.union([
    z.strictObject({ answer: identifier, equals: scalar }),
    z.strictObject({ answer: identifier, in: z.array(scalar).min(1) }),
    z.strictObject({ answer: identifier, answered: z.boolean() }),
    z.strictObject({ answer: identifier, gte: z.number().optional(), lte: z.number().optional() }),
    z.strictObject({ all: z.array(conditionSchema).min(1) }),
    z.strictObject({ any: z.array(conditionSchema).min(1) }),
    z.strictObject({ not: conditionSchema }),
  ]),
);

/** Either one node id, or guarded steps tried in order; the last one should have no `if`. */
export const nextSchema = z.union([identifier, z.array(z.strictObject({ if: conditionSchema.optional(), goto: identifier })).min(1)]);
export type Next = z.infer<typeof nextSchema>;

export const choiceSchema = z.strictObject({
  value: z.union([z.string(), z.number()]),
  label: i18nKey,
  /** A typed number from..to (both included) picks this choice: "34" or "I am 34" for the band "18 to 59". */
  numbers: z
    .tuple([z.number(), z.number()])
    .refine(([from, to]) => from <= to, 'numbers: the smaller number first')
    .optional(),
});
export type Choice = z.infer<typeof choiceSchema>;

/** Answers that mean "asked, but no usable value"; offered as extra buttons where an ask allows them. */
export const specialAnswers = ['unknown', 'prefer_not_to_say'] as const;
export type SpecialAnswer = (typeof specialAnswers)[number];

const inputBase = { allow: z.array(z.enum(specialAnswers)).optional() };

export const inputSchema = z.discriminatedUnion('kind', [
  z.strictObject({ kind: z.literal('choice'), choices: z.array(choiceSchema).min(1), multiple: z.boolean().optional(), ...inputBase }),
  z.strictObject({
    kind: z.literal('yes_no'),
    /**
     * Labels that say what yes and no mean here ("Yes, I want to talk", "No, not now"), for a question
     * whose buttons may be read away from it (after a long answer). The value stays yes or no; each
     * label should start with the language's own yes or no, so a typed "yes" still picks it.
     */
    labels: z.strictObject({ yes: z.string().min(1), no: z.string().min(1) }).optional(),
    ...inputBase,
  }),
  z.strictObject({
    kind: z.literal('number'),
    min: z.number().optional(),
    max: z.number().optional(),
    integer: z.boolean().optional(),
    ...inputBase,
  }),
  z.strictObject({ kind: z.literal('country'), suggestions: z.array(z.string().regex(/^[A-Z]{2}$/)).optional(), ...inputBase }),
  /** The languages Homeward speaks, labelled with their native names; the answer switches the conversation language. */
  z.strictObject({ kind: z.literal('language') }),
  /** A calendar date typed as 31.12.2026, 31/12/2026 or 2026-12-31; stored as YYYY-MM-DD. */
  z.strictObject({ kind: z.literal('date'), ...inputBase }),
  z.strictObject({ kind: z.literal('text'), maxLength: z.number().int().positive().max(2000).optional(), ...inputBase }),
]);
export type Input = z.infer<typeof inputSchema>;

export const nodeSchema = z.discriminatedUnion('type', [
  z.strictObject({ type: z.literal('say'), text: textSchema, next: nextSchema.optional() }),
  z.strictObject({
    type: z.literal('ask'),
    text: textSchema,
    /** Shown once before the question: why we ask (for sensitive questions). */
    why: textSchema.optional(),
    answer: identifier,
    input: inputSchema,
    /** `consent`: a yes records consent to store answers (the privacy notice's version is `noticeVersion`). */
    effect: z.literal('consent').optional(),
    noticeVersion: z.string().optional(),
    /**
     * `programmes`: besides its own choices, the question offers a "more about" button for each
     * programme the explanation said fits or may fit; a tap gives that programme's detail and asks
     * the question again (the explanation stays short; amounts come on demand).
     */
    details: z.literal('programmes').optional(),
    next: nextSchema,
  }),
  z.strictObject({ type: z.literal('branch'), next: z.array(z.strictObject({ if: conditionSchema.optional(), goto: identifier })).min(1) }),
  z.strictObject({ type: z.literal('set'), values: z.record(identifier, scalar), next: nextSchema }),
  /** Asks for a counsellor (the handoff issue queues it); continues at `next` if given, else waits there. */
  z.strictObject({ type: z.literal('handoff'), reason: identifier, text: textSchema.optional(), next: nextSchema.optional() }),
  z.strictObject({ type: z.literal('end'), text: textSchema.optional() }),
  /** Explains which programmes fit the answers so far (the context's `eligibility` function writes the messages). */
  z.strictObject({ type: z.literal('eligibility'), next: nextSchema.optional() }),
  z.strictObject({ type: z.literal('jump'), flow: identifier, node: identifier.optional() }),
]);
export type FlowNode = z.infer<typeof nodeSchema>;
export type NodeType = FlowNode['type'];

export const flowSchema = z.strictObject({
  id: identifier,
  /** The namespace of bare keys in this flow. */
  namespace: z.string().default('bot'),
  start: identifier,
  nodes: z.record(identifier, nodeSchema),
});
export type Flow = z.infer<typeof flowSchema>;
