import type { Logger } from 'pino';
import { forTurn } from '../engine/context.js';
import { runTurn, startState } from '../engine/engine.js';
import { recogniseIntent } from '../engine/intents.js';
import { parseState, type ConversationState, type DomainEvent, type EngineContext, type InboundEvent, type TurnResult } from '../engine/types.js';
import type { ChannelName, ConversationRepository, NewMessage, StoredConversation, StoredMessage } from '../store/repositories/conversations.js';
import type { SafetyCategory } from '../safety/types.js';
import type { OutboxPayload } from '../store/repositories/outbox-payload.js';
import { KeyedQueue } from './keyed-queue.js';
import { isLatestPrompt, offeredLookback, wasOffered } from './offered-choices.js';
import { renderMessage, type RenderedMessage } from './render.js';

/** A person's message as a channel hands it over, already validated by the channel. */
export interface InboundTurn {
  organisationId: string;
  channel: ChannelName;
  /** The channel's own id for the chat. */
  channelRef: string;
  /** Languages the channel knows the person prefers (Telegram's language_code, Accept-Language). */
  preferredLocales: readonly string[];
  event: InboundEvent;
  /** Channel data kept with the client's message, e.g. the activity id the channel gave it. */
  clientPayload?: Record<string, unknown>;
  /** The channel's id for this delivery (a Telegram update id): a repeated delivery is processed once. */
  deliveryKey?: string;
  /**
   * The conversation as the channel just loaded it (to authorise the request), saving a second read;
   * null when the channel just found there is none (a new chat). A copy made stale by a turn queued
   * before this one costs only a retry: the version check catches it; a conversation created
   * meanwhile is found by `create`, which returns the existing one.
   */
  known?: StoredConversation | null;
  /**
   * Outbox hook (harden-telegram): a channel that sends its replies from the persistent outbox
   * (Telegram) turns the turn's rendered replies into outbox payloads here; they are stored in the
   * turn's own commit, so a crash after it still delivers them, and `TurnOutcome.repliesQueued`
   * says so. Without it the channel sends `TurnOutcome.messages` itself. `after.counsellorOnChat`:
   * a counsellor owns the chat once the turn is committed (Telegram then keeps "talk to a person" off
   * its keyboard).
   */
  outboxFor?(rendered: readonly RenderedMessage[], locale: string, after: { counsellorOnChat: boolean }): OutboxPayload[];
}

export interface TurnOutcome {
  conversation: StoredConversation;
  /** What to deliver to the person, in order. */
  messages: RenderedMessage[];
  /** Stored messages of this turn (client and bot), with their sequence numbers; empty when nothing was stored. */
  stored: StoredMessage[];
  events: DomainEvent[];
  /** False when the turn failed and the person was asked to try again (nothing changed). */
  ok: boolean;
  /** True when this delivery had already been processed: nothing was run, stored or sent. */
  duplicate?: boolean;
  /**
   * With `InboundTurn.outboxFor`: how many of `messages`, from the first, are already in the outbox
   * (the turn's replies); the rest (handoff notices stored after the commit) are not.
   */
  repliesQueued?: number;
}

export interface TurnProcessorDeps {
  conversations: ConversationRepository;
  engine: EngineContext;
  /** The best offered language for a new conversation, `hidden` ones left out (src/i18n/index.ts `choose`). */
  chooseLocale(preferences: readonly string[], fallback: string, hidden?: readonly string[]): string;
  defaultLocaleOf(organisationId: string): Promise<string>;
  logger: Logger;
  /** Attempts when another instance advanced the same conversation in between. */
  maxAttempts?: number;
  /** The human handoff (src/handoff/turn-port.ts); without it a handoff only queues the conversation. */
  handoff?: HandoffPort;
  /**
   * Complete erasure (src/privacy/erasure.ts: every table, audit, console notice); without it
   * only the conversation and what cascades from it are deleted.
   */
  erasure?: { erase(conversationId: string): Promise<boolean> };
  /**
   * Ids of the programmes the organisation does not offer (`Organisation.disabledProgrammes`), asked
   * at every turn (the organisation repository caches the record and refreshes it on change);
   * without it every programme is explained.
   */
  disabledProgrammesOf?(organisationId: string): Promise<readonly string[]>;
  /**
   * The client languages the organisation does not offer (drafts it hides, src/i18n/offered.ts),
   * asked at every turn from the cached record; without it every shipped language is offered.
   */
  hiddenLocalesOf?(organisationId: string): Promise<readonly string[]>;
  /** Today's date for departure deadlines; the system clock by default (tests fix it). */
  clock?: () => Date;
}

const systemClock = (): Date => new Date();
/** The calendar date (UTC) a deadline is compared with. */
const isoDate = (at: Date): string => at.toISOString().slice(0, 10);

/** What the turn processor needs from the human handoff. */
export interface HandoffPort {
  /** A stored turn asked for a person: returns notices for the reply (already stored). */
  handoffRequested(
    conversation: StoredConversation,
    reasons: readonly string[],
    options?: { category?: SafetyCategory; helpGiven?: boolean },
  ): Promise<{ messages: RenderedMessage[]; stored: StoredMessage[] }>;
  /**
   * A turn raised a safety concern: what the person must read first (the numbers to call, when a
   * counsellor can answer), stored with the turn's own messages and ahead of them.
   */
  emergencyHelp?(conversation: StoredConversation, category?: SafetyCategory): Promise<RenderedMessage[]>;
  /**
   * A stored turn withdrew the request for a person (the reply already said so): cancels the open
   * referral. False when there was none left (a counsellor closed it meanwhile).
   */
  handoffCancelled(conversation: StoredConversation): Promise<boolean>;
  /** A person's message was stored while a counsellor owns the chat; `text` is what they sent. */
  clientMessageForCounsellor(conversation: StoredConversation, stored: StoredMessage, text: string): Promise<void>;
}

export class TurnProcessor {
  private readonly queue = new KeyedQueue();

  constructor(private readonly deps: TurnProcessorDeps) {}

  /**
   * Loads the conversation, runs the engine, and stores the new state with every message of the
   * turn in one transaction. Two turns of one conversation never both apply to the same version:
   * in-process they queue, across processes the version check makes the loser retry.
   */
  process(turn: InboundTurn): Promise<TurnOutcome> {
    return this.queue.run(`${turn.channel}:${turn.channelRef}`, () => this.processWithRetry(turn));
  }

  private async processWithRetry(turn: InboundTurn): Promise<TurnOutcome> {
    const attempts = this.deps.maxAttempts ?? 25;
    let conversation = await this.loadOrCreate(turn);
    for (let attempt = 1; attempt <= attempts; attempt++) {
      try {
        // Inside the error handling: a failing lookup is a logged turn failure with an apology, not a 500.
        if (attempt === 1 && turn.deliveryKey !== undefined && (await this.deps.conversations.wasDelivered(turn.channel, turn.deliveryKey))) {
          return duplicateOutcome(conversation);
        }
        const outcome = await this.attempt(conversation, turn);
        if (outcome !== 'conflict') return outcome;
      } catch (error) {
        this.deps.logger.error({ err: error, conversationId: conversation.id }, 'turn failed; state left unchanged');
        return this.apology(conversation);
      }
      // Full jitter, growing to 100 ms: contenders from other instances spread out instead of colliding again.
      await new Promise((resolve) => setTimeout(resolve, Math.random() * Math.min(100, 2 ** attempt)));
      conversation = (await this.deps.conversations.findById(conversation.id)) ?? conversation;
    }
    this.deps.logger.error({ conversationId: conversation.id, attempts }, 'turn kept conflicting; state left unchanged');
    return this.apology(conversation);
  }

  private async loadOrCreate(turn: InboundTurn): Promise<StoredConversation> {
    const existing = turn.known !== undefined ? turn.known : await this.deps.conversations.findByChannelRef(turn.channel, turn.channelRef);
    if (existing) return existing;
    const fallback = await this.deps.defaultLocaleOf(turn.organisationId);
    // Only a new conversation is placed: one that exists keeps its language even once it is hidden.
    const hidden = (await this.deps.hiddenLocalesOf?.(turn.organisationId)) ?? [];
    return this.deps.conversations.create({
      organisationId: turn.organisationId,
      channel: turn.channel,
      channelRef: turn.channelRef,
      locale: this.deps.chooseLocale(turn.preferredLocales, fallback, hidden),
      flowState: startState(this.deps.engine),
    });
  }

  private async attempt(conversation: StoredConversation, turn: InboundTurn): Promise<TurnOutcome | 'conflict'> {
    const parsed = parseState(conversation.flowState);
    if (parsed.status === 'fail') throw new Error(`stored state does not parse: ${parsed.reason}`);
    const state = parsed.state;
    const handoffOpen = conversation.status === 'queued' || conversation.status === 'human';
    // Hidden languages leave the language question; the conversation's own locale stays as it is (forTurn says why).
    const hiddenLocales = (await this.deps.hiddenLocalesOf?.(conversation.organisationId)) ?? [];
    const engine = forTurn(this.deps.engine, {
      disabledProgrammes: this.deps.engine.eligibility ? ((await this.deps.disabledProgrammesOf?.(conversation.organisationId)) ?? []) : [],
      ...(this.deps.engine.eligibility ? { today: isoDate((this.deps.clock ?? systemClock)()) } : {}),
      hiddenLocales,
    });
    const run = () => runTurn(engine, state, conversation.locale, turn.event, { handoffOpen, counsellorOnChat: conversation.status === 'human' });
    let result: TurnResult;
    if (conversation.status === 'human' && !this.reachesBot(turn.event, conversation.locale)) {
      const answered = await this.answerToOpenPrompt(conversation, state, turn.event, run);
      if (!answered) return this.relayToCounsellor(conversation, state, turn);
      result = answered;
    } else result = run();
    const t = this.deps.engine.translatorFor(result.locale);
    // A person in danger reads the numbers to call first, in this turn's own commit (src/handoff/service.ts emergencyHelp).
    const safety = result.events.find((event) => event.type === 'handoff_requested' && event.reason === 'safety_concern');
    const category = safety?.type === 'handoff_requested' ? safety.category : undefined;
    const help = safety && this.deps.handoff?.emergencyHelp ? await this.deps.handoff.emergencyHelp(conversation, category) : [];
    const rendered = [...help, ...result.messages.map((message) => renderMessage(message, t))];

    if (result.events.some((event) => event.type === 'erasure_requested')) {
      await (this.deps.erasure ?? this.deps.conversations).erase(conversation.id);
      // No id: a log line that names the erased conversation could be matched with a backup.
      this.deps.logger.info({ organisationId: conversation.organisationId, channel: conversation.channel }, "conversation erased at the person's request");
      return { conversation, messages: rendered, stored: [], events: result.events, ok: true };
    }

    // Before consent (and after it was withdrawn) only the technical minimum is kept: the fact that
    // the person wrote (channels need it to confirm delivery) and which offered button they tapped,
    // never what they typed.
    const messages: NewMessage[] = [await this.clientRecord(conversation, state, turn)];
    for (const [index, message] of rendered.entries()) {
      messages.push({
        author: index < help.length ? 'system' : 'bot',
        text: message.text,
        textKey: message.key,
        ...(message.params ? { textParams: message.params } : {}),
        locale: result.locale,
        payload: { choices: message.choices, ...(message.node ? { node: message.node } : {}) },
      });
    }
    const consent = result.events.find((event) => event.type === 'consent');
    const handoff = result.events.some((event) => event.type === 'handoff_requested');
    const cancelled = handoffOpen && result.events.some((event) => event.type === 'handoff_cancel_requested');

    // The turn's own commit gives the chat back to the bot; the referral is cancelled right after.
    const before = cancelled ? ('bot' as const) : conversation.status;
    const status = handoff && before === 'bot' ? ('queued' as const) : before;
    const outbox = turn.outboxFor?.(rendered, result.locale, { counsellorOnChat: status === 'human' }) ?? [];
    const committed = await this.deps.conversations.commitTurn({
      conversationId: conversation.id,
      expectedVersion: conversation.version,
      locale: result.locale,
      flowState: result.state,
      status,
      messages,
      ...(turn.deliveryKey !== undefined ? { deliveryKey: turn.deliveryKey } : {}),
      ...(outbox.length > 0 ? { outbox } : {}),
      ...milestonesOf(result.events, result.state),
      ...(consent
        ? {
            consent: {
              noticeVersion: consent.noticeVersion,
              granted: consent.granted,
              scopes: consent.granted ? ['store_answers', 'share_with_counsellor'] : [],
              channel: conversation.channel,
            },
          }
        : {}),
    });
    if (!committed.ok) return committed.reason === 'duplicate' ? duplicateOutcome(conversation) : 'conflict';
    const outcome = {
      conversation: committed.conversation,
      messages: rendered,
      stored: committed.messages,
      events: result.events,
      ok: true,
      ...(turn.outboxFor ? { repliesQueued: rendered.length } : {}),
    };
    if (cancelled && this.deps.handoff) {
      try {
        await this.deps.handoff.handoffCancelled(committed.conversation);
      } catch (error) {
        // The person was told and the bot answers again; the referral stays in the queue for a counsellor to close.
        this.deps.logger.error({ err: error, conversationId: conversation.id }, 'cancelling the handoff failed after the turn was stored');
      }
    }
    const reasons = result.events.flatMap((event) => (event.type === 'handoff_requested' ? [event.reason] : []));
    if (reasons.length > 0 && this.deps.handoff) {
      try {
        const notices = await this.deps.handoff.handoffRequested(committed.conversation, reasons, {
          ...(category ? { category } : {}),
          helpGiven: help.length > 0,
        });
        return { ...outcome, messages: [...rendered, ...notices.messages], stored: [...committed.messages, ...notices.stored] };
      } catch (error) {
        // The turn is stored and the conversation queued; the referral is made on the next request.
        this.deps.logger.error({ err: error, conversationId: conversation.id }, 'handoff failed after the turn was stored');
      }
    }
    return outcome;
  }

  /**
   * While a counsellor owns the chat the bot stays silent: only global commands (help, language,
   * restart, erase, cancel the request, a safety concern) reach the engine, and the answer to a
   * prompt one of them opened (`answerToOpenPrompt`). "Talk to a person" is already answered.
   */
  private reachesBot(event: InboundEvent, locale: string): boolean {
    const global = (intent: string | undefined) => intent !== undefined && intent !== 'handoff';
    switch (event.type) {
      case 'intent':
        return global(event.intent);
      case 'locale':
        return true;
      case 'choice':
        return event.value.startsWith('intent:') && global(event.value.slice('intent:'.length));
      case 'text':
        return this.deps.engine.safety.detect(event.text) !== undefined || global(recogniseIntent(event.text, this.deps.engine.intentPhrases, locale));
      case 'start':
        return false;
      default: {
        const unreachable: never = event;
        throw new Error(`unknown event ${JSON.stringify(unreachable)}`);
      }
    }
  }

  /**
   * While a counsellor owns the chat, the answer to a prompt the engine itself opened on top of the
   * chat (state.pending: "delete everything?", "which language?", "which question?") still goes to
   * the engine; otherwise "yes, delete" would reach the counsellor as a chat message and nothing
   * would be deleted. A tap on the prompt's button always counts (the engine itself refuses a tap
   * on an older prompt). Typed words count only while that prompt is the newest message of the
   * chat, so a "yes" said to the counsellor after they wrote never erases anything. An event the
   * engine does not take as the answer (it would ask again) goes to the counsellor as usual.
   */
  private async answerToOpenPrompt(
    conversation: StoredConversation,
    state: ConversationState,
    event: InboundEvent,
    run: () => TurnResult,
  ): Promise<TurnResult | undefined> {
    const { pending } = state;
    if (pending === undefined || pending.kind === 'multi') return undefined;
    if (event.type !== 'choice' && event.type !== 'text') return undefined;
    if (event.type === 'text') {
      // The engine names an open prompt `<node>#<kind>` in the message that asks it (engine.ts, currentPromptId).
      const latest = await this.deps.conversations.listMessages(conversation.id, { afterSeq: conversation.nextSeq - 2 });
      if (!isLatestPrompt(latest, `${state.node}#${pending.kind}`)) return undefined;
    }
    const result = run();
    // The engine closes a prompt it got its answer for; one it asks again stays open.
    return result.state.pending === undefined ? result : undefined;
  }

  private async relayToCounsellor(conversation: StoredConversation, state: ConversationState, turn: InboundTurn): Promise<TurnOutcome | 'conflict'> {
    const message = await this.clientRecord(conversation, state, turn);
    const committed = await this.deps.conversations.commitTurn({
      conversationId: conversation.id,
      expectedVersion: conversation.version,
      locale: conversation.locale,
      flowState: state,
      status: 'human',
      messages: [message],
      ...(turn.deliveryKey !== undefined ? { deliveryKey: turn.deliveryKey } : {}),
    });
    if (!committed.ok) return committed.reason === 'duplicate' ? duplicateOutcome(conversation) : 'conflict';
    const stored = committed.messages[0];
    if (stored && this.deps.handoff) {
      try {
        // What was stored, and nothing more: before consent the counsellor gets the placeholder, not the words.
        await this.deps.handoff.clientMessageForCounsellor(committed.conversation, stored, stored.text);
      } catch (error) {
        this.deps.logger.error({ err: error, conversationId: conversation.id }, 'could not tell the counsellor about a message');
      }
    }
    return { conversation: committed.conversation, messages: [], stored: committed.messages, events: [], ok: true };
  }

  private apology(conversation: StoredConversation): TurnOutcome {
    const t = this.deps.engine.translatorFor(conversation.locale);
    return { conversation, messages: [renderMessage({ key: 'system:error.try_again' }, t)], stored: [], events: [], ok: false };
  }

  /**
   * The person's message as it is stored (and shown to a counsellor). With consent, as sent. Before
   * consent (and after it was withdrawn) only what carries nothing of theirs: a command, a button
   * the bot offered, one of the shipped languages. Typed words, and any value the bot never offered
   * (a forged `choice` or `locale` can carry any text), become a placeholder that says why.
   */
  private async clientRecord(conversation: StoredConversation, state: ConversationState, turn: InboundTurn): Promise<NewMessage> {
    if (state.consent === 'given') return clientMessage(turn);
    const { event } = turn;
    const kept =
      event.type === 'start' ||
      event.type === 'intent' ||
      (event.type === 'locale' && this.deps.engine.locales.some((info) => info.code === event.locale)) ||
      (event.type === 'choice' &&
        wasOffered(
          await this.deps.conversations.listMessages(conversation.id, { afterSeq: conversation.nextSeq - 1 - offeredLookback }),
          event.value,
          event.node,
        ));
    if (kept) return clientMessage(turn);
    const key = state.consent === 'withdrawn' ? 'system:not_kept_after_withdrawal' : 'system:not_kept_before_consent';
    return {
      author: 'client',
      text: this.deps.engine.translatorFor(conversation.locale)(key),
      textKey: key,
      payload: { event: event.type, redacted: true, ...turn.clientPayload },
    };
  }
}

/**
 * Funnel milestones for analytics, kept only with consent (the outcome codes are derived from the
 * person's answers, and leave with them when consent is withdrawn). The intake counts as completed
 * in the first turn that either explained the programmes (in flows/counselling.yaml every question
 * has been asked by then) or ran the flow to its end (a flow without an eligibility node; in the
 * shipped flows, after the offer of a counsellor).
 */
function milestonesOf(
  events: readonly DomainEvent[],
  state: ConversationState,
): { intakeCompleted?: true; eligibilityOutcomes?: Record<string, string> | null } {
  if (state.consent === 'withdrawn' && events.some((event) => event.type === 'consent' && !event.granted)) return { eligibilityOutcomes: null };
  if (state.consent !== 'given') return {};
  const evaluated = events.findLast((event) => event.type === 'eligibility_evaluated');
  const finished = events.some((event) => event.type === 'flow_finished');
  return { ...(evaluated || finished ? { intakeCompleted: true } : {}), ...(evaluated ? { eligibilityOutcomes: evaluated.outcomes } : {}) };
}

function duplicateOutcome(conversation: StoredConversation): TurnOutcome {
  return { conversation, messages: [], stored: [], events: [], ok: true, duplicate: true };
}

function clientMessage(turn: InboundTurn): NewMessage {
  const { event } = turn;
  const text =
    event.type === 'text'
      ? event.text
      : event.type === 'choice'
        ? event.value
        : event.type === 'intent'
          ? `/${event.intent}`
          : event.type === 'locale'
            ? event.locale
            : '/start';
  return { author: 'client', text, payload: { event: event.type, ...turn.clientPayload } };
}
