import type { NodeType } from '../../flows/schema.js';

/** What a diagram box can stand for: a node of the flow, another flow it continues in, or a target that does not exist. */
export type DiagramNodeKind = NodeType | 'flow' | 'missing';

export const diagramNodeKinds: readonly DiagramNodeKind[] = ['say', 'ask', 'branch', 'set', 'handoff', 'end', 'jump', 'eligibility', 'flow', 'missing'];

/**
 * Every word a diagram prints besides the flow's own texts, under `admin.flows.diagram` in
 * `locales/<lng>/console.json` (the reader is an organisation's admin, in the console's language).
 */
export const diagramWordKeys = [
  ...diagramNodeKinds.map((kind) => `kind.${kind}` as const),
  'start',
  'otherwise',
  'and',
  'or',
  'not',
  'equals',
  'in',
  'answered',
  'not_answered',
  'at_least',
  'at_most',
  'between',
  'saved_as',
  'why',
  'consent',
  'input.choice',
  'input.choice_multiple',
  'input.yes_no',
  'input.number',
  'input.country',
  'input.language',
  'input.date',
  'input.text',
  'set_value',
  'handoff_reason',
  'handoff_waits',
  'eligibility_text',
  'continues_in',
  'continues_at',
  'missing_text',
  'title',
  'description',
  'legend',
] as const;
export type DiagramWordKey = (typeof diagramWordKeys)[number];

/** A diagram's vocabulary: one word or phrase by key, `{{name}}` filled from params. */
export type DiagramWords = (key: DiagramWordKey, params?: Record<string, string | number>) => string;

/** Resolves a flow's text (`namespace:key`, params as in the flow file) to what the person reads, or undefined when no language has it. */
export type FlowTextSource = (key: string, params?: Record<string, string | number>) => string | undefined;

/** A handoff reason in the reader's words (the console's `handoff_reason.*`), or the reason code itself. */
export type ReasonWords = (reason: string) => string;

export interface DiagramLanguage {
  words: DiagramWords;
  text: FlowTextSource;
  reason: ReasonWords;
}
