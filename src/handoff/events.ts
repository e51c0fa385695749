import type { Priority, ReferralStatus } from '../referral/record.js';

/**
 * What the handoff publishes for consoles and integrations. In-process now; part B relays the same
 * events between instances (PostgreSQL LISTEN/NOTIFY) by wrapping `publish`. Events carry ids, not
 * records: a listener re-reads what it needs with its own authorisation. The one exception is
 * `client_message.text`, the stored text (before consent, the placeholder: the words themselves
 * are neither stored nor relayed), so a console shows it without a second read.
 */
export type HandoffEvent =
  | { type: 'referral_created'; organisationId: string; referralId: string; conversationId: string; priority: Priority; status: ReferralStatus }
  | {
      type: 'referral_updated';
      organisationId: string;
      referralId: string;
      conversationId: string;
      priority: Priority;
      status: ReferralStatus;
      /** What changed: handoff_requested_again, claimed, status_changed, handed_back, closed, cancelled, note_added. */
      change: string;
      assignedUserId: string | null;
    }
  | {
      /** The person wrote while a counsellor owns (or is about to own) the chat. */
      type: 'client_message';
      organisationId: string;
      referralId: string | null;
      conversationId: string;
      /** The stored message (its text is a placeholder when the person has not consented). */
      messageId: string;
      seq: number;
      text: string;
      at: string;
    }
  | {
      /** A counsellor's message was stored and queued in the outbox for the person's channel. */
      type: 'counsellor_message';
      organisationId: string;
      referralId: string;
      conversationId: string;
      messageId: string;
      outboxId: string;
      seq: number;
      authorUserId: string;
      at: string;
    }
  | {
      /** Something for the person (a counsellor's words or a notice) is waiting in the outbox. */
      type: 'outbox_enqueued';
      organisationId: string;
      conversationId: string;
      outboxId: string;
      channel: 'web' | 'telegram';
    }
  | {
      /** The person erased their data: consoles showing one of these referrals close it. */
      type: 'conversation_erased';
      organisationId: string;
      conversationId: string;
      referralIds: string[];
    };

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
