import type { Logger } from 'pino';
import type { ConversationRepository, StoredConversation, StoredMessage } from '../store/repositories/conversations.js';
import type { OutboxRepository } from '../store/repositories/outbox.js';
import type { HandoffEvent, HandoffEvents } from './events.js';
import { outboxPayloadSchema } from './outbox.js';

/** Who answers the person now, as the widget is told (`conversation.status` event activity). */
export type ChatStatus = 'queued' | 'human' | 'bot';

/** What the relay needs of the web channel: live delivery to whoever watches a conversation here. */
export interface WebRelayTarget {
  /** Stored messages to this instance's open streams of the conversation (a no-op when none is open). */
  deliver(conversation: StoredConversation, messages: readonly StoredMessage[]): Promise<unknown>;
  announce(conversation: StoredConversation, status: ChatStatus, detail: { referralStatus: string }): Promise<void>;
}

export interface RelayDeps {
  events: HandoffEvents;
  outbox: Pick<OutboxRepository, 'find' | 'markSent' | 'claimDue' | 'markFailed'>;
  conversations: Pick<ConversationRepository, 'findById' | 'listMessages'>;
  web: WebRelayTarget;
  /** Present when Telegram is on: its outbox sender claims and sends, we only wake it. */
  telegram?: { wakeOutbox(): void };
  logger: Logger;
  /** How often web outbox rows nobody announced (an event lost in a restart) are swept up. */
  sweepIntervalMs?: number;
}

export interface Relay {
  close(): Promise<void>;
}

const statusByChange: Readonly<Record<string, ChatStatus>> = {
  claimed: 'human',
  assigned: 'human',
  unassigned: 'queued',
  handoff_requested_again: 'queued',
  handed_back: 'bot',
  closed: 'bot',
  cancelled: 'bot',
};

/**
 * Carries what the handoff queued for a person to their channel. Every instance hears every
 * `outbox_enqueued` event (PostgreSQL LISTEN/NOTIFY) and pushes a web message to the streams it
 * holds itself, so the person gets it on whichever instance their WebSocket is open; the stream
 * drops what it sent already (by seq), so a second push never doubles a message. The message is
 * in the transcript anyway, so a web row counts as sent once pushed. Telegram rows are claimed
 * and sent by exactly one instance's outbox sender.
 */
export function startRelay(deps: RelayDeps): Relay {
  const { logger } = deps;
  const pending = new Set<Promise<void>>();
  let closed = false;

  const track = (work: Promise<void>) => {
    pending.add(work);
    void work.finally(() => pending.delete(work));
  };

  const messageAt = async (conversationId: string, seq: number): Promise<StoredMessage | null> => {
    const [message] = await deps.conversations.listMessages(conversationId, { afterSeq: seq - 1, limit: 1 });
    return message?.seq === seq ? message : null;
  };

  const pushWeb = async (outboxId: string, seqHint?: number): Promise<void> => {
    const row = await deps.outbox.find(outboxId);
    if (row?.channel !== 'web') return;
    const payload = outboxPayloadSchema.safeParse(row.payload);
    const seq = payload.success ? payload.data.seq : seqHint;
    const conversation = await deps.conversations.findById(row.conversationId);
    const message = conversation && seq !== undefined ? await messageAt(conversation.id, seq) : null;
    if (conversation && message) await deps.web.deliver(conversation, [message]);
    else logger.warn({ outboxId, conversationId: row.conversationId }, 'relay: the queued message is not in the transcript');
    await deps.outbox.markSent(row.id);
  };

  const onEvent = (event: HandoffEvent) => {
    if (closed) return;
    switch (event.type) {
      case 'outbox_enqueued':
        if (event.channel === 'telegram') deps.telegram?.wakeOutbox();
        else
          track(
            pushWeb(event.outboxId).catch((error: unknown) => logger.error({ err: error, outboxId: event.outboxId }, 'relay: pushing a web message failed')),
          );
        return;
      case 'referral_updated':
      case 'referral_created': {
        const status = event.type === 'referral_created' ? 'queued' : statusByChange[event.change];
        if (!status) return;
        track(
          (async () => {
            const conversation = await deps.conversations.findById(event.conversationId);
            if (conversation?.channel === 'web') await deps.web.announce(conversation, status, { referralStatus: event.status });
          })().catch((error: unknown) => logger.error({ err: error, conversationId: event.conversationId }, 'relay: announcing a status failed')),
        );
        return;
      }
      case 'client_message':
      case 'counsellor_message':
      case 'conversation_erased':
        return;
      default: {
        const unreachable: never = event;
        throw new Error(`unknown handoff event ${JSON.stringify(unreachable)}`);
      }
    }
  };
  const unsubscribe = deps.events.subscribe(onEvent);

  // The safety net: rows whose event this instance (or every instance) missed.
  const sweep = async () => {
    for (;;) {
      const claimed = await deps.outbox.claimDue('web', { limit: 50, leaseMs: 60_000 });
      if (claimed.length === 0 || closed) return;
      for (const row of claimed) {
        await pushWeb(row.id).catch(async (error: unknown) => {
          logger.error({ err: error, outboxId: row.id }, 'relay: sweeping a web message failed');
          await deps.outbox.markFailed(row.id, 'relay failed', new Date(Date.now() + 30_000)).catch(() => undefined);
        });
      }
    }
  };
  let sweeping: Promise<void> | undefined;
  const timer = setInterval(() => {
    if (sweeping || closed) return;
    sweeping = sweep()
      .catch((error: unknown) => logger.error({ err: error }, 'relay: sweeping the web outbox failed'))
      .finally(() => (sweeping = undefined));
  }, deps.sweepIntervalMs ?? 5_000);
  timer.unref();

  return {
    async close() {
      closed = true;
      unsubscribe();
      clearInterval(timer);
      await sweeping;
      await Promise.allSettled([...pending]);
    },
  };
}
