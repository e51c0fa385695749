import { z } from 'zod';
import { PRIORITIES, REFERRAL_STATUSES } from '../referral/record.js';

const id = z.uuid();
const common = { organisationId: id, conversationId: id };

/**
 * What the handoff publishes for consoles and integrations, in this process and, through
 * PostgreSQL LISTEN/NOTIFY (pg-events.ts), between instances, where another instance's event is
 * checked against this schema like any input from outside. Events carry ids, not records: a
 * listener re-reads what it needs with its own authorisation. The one exception is
 * `client_message.text`, the stored text (before consent, the placeholder: the words themselves
 * are neither stored nor relayed), so a console shows it without a second read.
 */
export const handoffEventSchema = z.discriminatedUnion('type', [
  z.strictObject({ type: z.literal('referral_created'), ...common, referralId: id, priority: z.enum(PRIORITIES), status: z.enum(REFERRAL_STATUSES) }),
  z.strictObject({
    type: z.literal('referral_updated'),
    ...common,
    referralId: id,
    priority: z.enum(PRIORITIES),
    status: z.enum(REFERRAL_STATUSES),
    /** What changed: handoff_requested_again, claimed, assigned, transferred, unassigned, status_changed, handed_back, closed, cancelled, note_added. */
    change: z.string().max(64),
    assignedUserId: id.nullable(),
  }),
  /** The person wrote while a counsellor owns (or is about to own) the chat. */
  z.strictObject({
    type: z.literal('client_message'),
    ...common,
    referralId: id.nullable(),
    /** The stored message (its text is a placeholder when the person has not consented). */
    messageId: id,
    seq: z.int().min(0),
    text: z.string(),
    at: z.string().max(40),
  }),
  /** A counsellor's message was stored and queued in the outbox for the person's channel. */
  z.strictObject({
    type: z.literal('counsellor_message'),
    ...common,
    referralId: id,
    messageId: id,
    outboxId: id,
    seq: z.int().min(0),
    authorUserId: id,
    at: z.string().max(40),
  }),
  /** Something for the person (a counsellor's words or a notice) is waiting in the outbox. */
  z.strictObject({ type: z.literal('outbox_enqueued'), ...common, outboxId: id, channel: z.enum(['web', 'telegram']) }),
  /** The person erased their data: consoles showing one of these referrals close it. */
  z.strictObject({ type: z.literal('conversation_erased'), ...common, referralIds: z.array(id).max(1000) }),
]);
export type HandoffEvent = z.infer<typeof handoffEventSchema>;

export type HandoffListener = (event: HandoffEvent) => void;

export interface HandoffEvents {
  publish(event: HandoffEvent): void;
  /** Returns the function that unsubscribes. */
  subscribe(listener: HandoffListener): () => void;
}

/** Delivers events to listeners in this process; a failing listener does not stop the others. */
export function createInProcessEvents(onListenerError: (error: unknown) => void = () => {}): HandoffEvents {
  const listeners = new Set<HandoffListener>();
  return {
    publish(event) {
      for (const listener of listeners) {
        try {
          listener(event);
        } catch (error) {
          onListenerError(error);
        }
      }
    },
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  };
}
