import type { SafetyCategory, SafetyDetector } from '../safety/types.js';
import { z } from 'zod';
import type { Flow } from '../flows/schema.js';
import type { LocaleInfo, Translate } from '../i18n/types.js';

// The engine speaks through i18n's types; many modules take them from here with the engine's own.
export type { LocaleInfo, Translate };

/** An answer as stored in the state: a choice value, number, yes/no, code, text or several values. */
export const answerValueSchema = z.union([z.string(), z.number(), z.boolean(), z.array(z.string())]);
export type AnswerValue = z.infer<typeof answerValueSchema>;

/** A prompt the engine itself opened on top of the flow (not a flow node). */
const pendingSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('language') }),
  z.object({ kind: z.literal('confirm_erase') }),
  z.object({ kind: z.literal('faq') }),
  z.object({ kind: z.literal('multi'), selected: z.array(z.string()) }),
  /**
   * The questionnaire stands still after a disclosure (`safety`) or a question about the safety of
   * return (`return_question`): it goes on only when the person taps "continue". The flow's own
   * position (node, awaiting, a multi-select's picks) is kept underneath, untouched.
   */
  z.object({ kind: z.literal('pause'), reason: z.enum(['safety', 'return_question']), selected: z.array(z.string()).optional() }),
]);
export type Pending = z.infer<typeof pendingSchema>;

/**
 * Conversation state as persisted after every turn. `v` versions the shape: a stored state of
 * another version is migrated (or rejected) by `parseState`, never cast.
 */
export const conversationStateSchema = z.object({
  v: z.literal(1),
  flow: z.string(),
  node: z.string(),
  /** True while `node` is an ask waiting for its answer. */
  awaiting: z.boolean(),
  finished: z.boolean(),
  answers: z.record(z.string(), answerValueSchema),
  /**
   * `declined` at the consent question; `withdrawn` after it was given and taken back. In both the
   * person's words are not stored and no personal question is asked. States stored before
   * `withdrawn` existed still parse: the enum only grew.
   */
  consent: z.enum(['unknown', 'given', 'declined', 'withdrawn']),
  pending: pendingSchema.optional(),
});
export type ConversationState = z.infer<typeof conversationStateSchema>;

export const intents = ['help', 'restart', 'language', 'handoff', 'cancel', 'erase', 'faq', 'safety', 'withdraw'] as const;
export type Intent = (typeof intents)[number];

/** What a channel hands the engine, already validated at the channel's edge. */
export type InboundEvent =
  | { type: 'start' }
  | { type: 'text'; text: string }
  /** A tapped button. `node` (when the channel knows it) detects taps on old questions. */
  | { type: 'choice'; value: string; node?: string }
  | { type: 'intent'; intent: Intent }
  | { type: 'locale'; locale: string };

export type TextRef = { key: string; params?: Record<string, unknown> };

/** What an `eligibility` node says, and what each explained programme's "more about" button gives. */
export interface Explanation {
  messages: TextRef[];
  programmes: { programme: string; outcome: string; nameKey: string; detail: TextRef }[];
}

export type Answers = Readonly<Record<string, AnswerValue>>;

export interface OutboundChoice {
  /** What comes back as a `choice` event when tapped. */
  value: string;
  label: TextRef | { literal: string };
}

/** A message for the client, channel-neutral: an i18n key, its parameters, optional choices. */
export interface OutboundMessage extends TextRef {
  choices?: OutboundChoice[];
  /** The ask node this message prompts for, so channels can tell current from stale buttons. */
  node?: string;
}

export type DomainEvent =
  | { type: 'consent'; granted: boolean; noticeVersion: string }
  | { type: 'locale_changed'; from: string; to: string }
  /** `category` is what the safety detector heard (absent for the "I am in danger" button and other reasons). */
  | { type: 'handoff_requested'; reason: string; category?: SafetyCategory }
  /** The person withdrew their request for a counsellor (only emitted while one is open). */
  | { type: 'handoff_cancel_requested' }
  | { type: 'erasure_requested' }
  | { type: 'flow_finished'; flow: string }
  /**
   * An `eligibility` node explained the programmes: each explained programme's outcome code
   * (`eligible`, `possibly_eligible`, `not_eligible`), never the answers behind it.
   */
  | { type: 'eligibility_evaluated'; outcomes: Record<string, string> };

/**
 * What the engine cannot read from its own state, told by the caller for this turn.
 * @example runTurn(ctx, state, 'en', { type: 'text', text: 'cancel' }, { handoffOpen: conversation.status !== 'bot' })
 */
export interface TurnSituation {
  /** A counsellor has been asked for, or owns the chat (the store's conversation status, not the flow's). */
  handoffOpen: boolean;
  /** A counsellor owns the chat right now (status `human`): the bot asks nothing, not even "continue". */
  counsellorOnChat?: boolean;
}

export interface TurnResult {
  messages: OutboundMessage[];
  state: ConversationState;
  locale: string;
  events: DomainEvent[];
}

/** A typed phrase that triggers an intent, and the languages whose texts list it. */
export interface IntentPhrase {
  intent: Intent;
  locales: ReadonlySet<string>;
}

/** Which programmes of the catalogue an explanation may cover. */
export interface EligibilityOptions {
  /** Ids of programmes the conversation's organisation does not offer (`Organisation.disabledProgrammes`). */
  disabledProgrammes?: readonly string[];
  /** Today as YYYY-MM-DD: departure deadlines are compared with it (the engine reads no clock). */
  today?: string;
}

/** Everything the engine needs, passed in: it reads no files, clock or database. */
export interface EngineContext {
  flows: ReadonlyMap<string, Flow>;
  entryFlow: string;
  locales: readonly LocaleInfo[];
  translatorFor(locale: string): Translate;
  /** Normalised phrases of every shipped language mapped to their intent ("talk to a person" -> handoff). */
  intentPhrases: ReadonlyMap<string, IntentPhrase>;
  /** Hears danger in any language (src/safety/); asked before anything else on every typed message. */
  safety: SafetyDetector;
  /**
   * Explains which programmes fit the answers so far: the messages an `eligibility` node says, and
   * per programme its outcome and the detail its "more about" button gives. Pure; absent when no
   * programme catalogue is loaded.
   * @example ctx.eligibility?.({ hostCountry: 'DE', ageBand: '18-59' }) // { messages: [{ key: 'eligibility:explain.summary', ... }], programmes: [...] }
   */
  eligibility?: (answers: Answers, options?: EligibilityOptions) => Explanation;
}

export const initialState = (entryFlow: string, startNode: string): ConversationState => ({
  v: 1,
  flow: entryFlow,
  node: startNode,
  awaiting: false,
  finished: false,
  answers: {},
  consent: 'unknown',
});

export type ParseStateResult = { status: 'success'; state: ConversationState } | { status: 'fail'; reason: string };

export function parseState(raw: unknown): ParseStateResult {
  const parsed = conversationStateSchema.safeParse(raw);
  return parsed.success ? { status: 'success', state: parsed.data } : { status: 'fail', reason: parsed.error.message };
}
