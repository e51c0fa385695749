import { GrammyError } from 'grammy';
import type { Logger } from 'pino';
import type { ClaimedOutboxMessage, OutboxRepository } from '../../store/repositories/outbox.js';
import type { DeliveryResult } from './deliver.js';
import { loggableError } from './log-error.js';

export interface OutboxSenderOptions {
  outbox: Pick<OutboxRepository, 'claimDue' | 'markSent' | 'markFailed' | 'setUnreachable'>;
  /** Sends one claimed message, awaiting `beforeSend` before each Bot API call. */
  send(message: ClaimedOutboxMessage & { payload: NonNullable<ClaimedOutboxMessage['payload']> }, beforeSend: () => Promise<void>): Promise<DeliveryResult>;
  logger: Logger;
  /** How often to look for due messages when nobody called `wake()`. */
  pollIntervalMs?: number;
  /** Longer than any one send may take (rate-limit waits and automatic retries included). */
  leaseMs?: number;
  batchSize?: number;
  /** Telegram's limits: about 30 messages a second per bot, one a second per chat. */
  perBotPerSecond?: number;
  perChatIntervalMs?: number;
  maxAttempts?: number;
}

class Stopped extends Error {}

/**
 * Delivers the outbox (the bot's replies, stored in the turn's own commit, and messages accepted
 * while nobody was waiting for them, e.g. a counsellor's reply) within Telegram's rate limits.
 * A turn's reply goes out at once through `flush(conversationId)`, called right after the commit;
 * the loop sends what is left (messages of other instances, retries, a predecessor's crash).
 *
 * Each message moves: pending -> claimed (still `pending`, hidden by a lease) -> sent | pending
 * again with a later `notBefore` (retry with backoff) | failed (given up). A process that dies
 * before sending leaves the claim to expire and the message is sent by whoever claims it next;
 * the only way to send twice is to die after Telegram accepted a message and before `markSent`.
 */
export class OutboxSender {
  private readonly pollIntervalMs: number;
  private readonly leaseMs: number;
  private readonly batchSize: number;
  private readonly spacingMs: number;
  private readonly perChatIntervalMs: number;
  private readonly maxAttempts: number;
  private readonly chatNextAt = new Map<string, number>();
  private globalNextAt = 0;
  private controller = new AbortController();
  private wakeUp: (() => void) | undefined;
  private woken = false;
  private running: Promise<void> | undefined;

  constructor(private readonly options: OutboxSenderOptions) {
    this.pollIntervalMs = options.pollIntervalMs ?? 1_000;
    this.leaseMs = options.leaseMs ?? 5 * 60_000;
    this.batchSize = options.batchSize ?? 30;
    this.spacingMs = 1_000 / (options.perBotPerSecond ?? 30);
    this.perChatIntervalMs = options.perChatIntervalMs ?? 1_000;
    this.maxAttempts = options.maxAttempts ?? 8;
  }

  start(): void {
    if (this.running) return;
    this.controller = new AbortController();
    this.running = this.loop();
  }

  /** Looks for due messages now instead of at the next poll (call after enqueueing). */
  wake(): void {
    this.woken = true;
    this.wakeUp?.();
  }

  /**
   * Sends what is due of one conversation now, in order, and resolves when it is out (or handed
   * back for a retry): the hot path after a turn stored its reply. The messages of one flush go as
   * one burst, as a reply always did (Telegram tolerates short bursts per chat, and a 429's
   * retry_after is waited out by auto-retry); the bot-wide pace still holds. A message another
   * sender holds is left to it: the claim hands out a chat's oldest pending message only.
   *
   * @example
   * await sender.flush(outcome.conversation.id);
   */
  async flush(conversationId: string, maxMessages = 20): Promise<void> {
    for (let sent = 0; sent < maxMessages; sent++) {
      let claimed: ClaimedOutboxMessage[];
      try {
        claimed = await this.options.outbox.claimDue('telegram', { limit: 1, leaseMs: this.leaseMs, conversationId });
      } catch (error) {
        this.options.logger.error({ err: error, conversationId }, 'telegram outbox: claiming failed; the sender loop will retry');
        this.wake();
        return;
      }
      const [message] = claimed;
      if (!message) return;
      if (!(await this.deliverOne(message, { burst: true }))) return;
    }
    // A long backlog (held while the person had blocked the bot): the loop sends the rest, paced.
    this.wake();
  }

  /** Stops claiming; messages claimed but not yet sent are released for the next claimer. */
  async stop(): Promise<void> {
    this.controller.abort();
    this.wakeUp?.();
    await this.running;
    this.running = undefined;
  }

  private async loop(): Promise<void> {
    const { signal } = this.controller;
    while (!signal.aborted) {
      this.woken = false;
      let claimed: ClaimedOutboxMessage[] = [];
      try {
        claimed = await this.options.outbox.claimDue('telegram', { limit: this.batchSize, leaseMs: this.leaseMs });
      } catch (error) {
        this.options.logger.error({ err: error }, 'telegram outbox: claiming failed');
      }
      // A claim returns at most one message per conversation, so the batch can run concurrently.
      if (claimed.length > 0) await Promise.all(claimed.map((message) => this.deliverOne(message)));
      else if (!this.woken) await this.idle();
    }
  }

  private idle(): Promise<void> {
    return new Promise((resolve) => {
      const done = () => {
        clearTimeout(timer);
        this.wakeUp = undefined;
        resolve();
      };
      const timer = setTimeout(done, this.pollIntervalMs);
      this.wakeUp = done;
      if (this.controller.signal.aborted) done();
    });
  }

  /** True when the message was sent (the chat's next one may follow at once). */
  private async deliverOne(message: ClaimedOutboxMessage, options: { burst?: boolean } = {}): Promise<boolean> {
    const { outbox, logger } = this.options;
    const context = { conversationId: message.conversationId, outboxId: message.id, attempts: message.attempts };
    try {
      if (!message.payload) {
        logger.error(context, 'telegram outbox: stored payload does not parse; given up');
        await outbox.markFailed(message.id, 'payload does not parse', null);
        return true;
      }
      let calls = 0;
      const beforeSend = async () => {
        // Once a piece of a long message went out, the rest follows even during shutdown.
        await this.pace(message.channelRef, calls === 0, options.burst === true);
        calls++;
      };
      const result = await this.options.send({ ...message, payload: message.payload }, beforeSend);
      if (result.status === 'blocked') {
        // Kept pending: claims skip unreachable conversations, and it is delivered if the person writes again.
        await outbox.setUnreachable(message.conversationId, new Date());
        await outbox.markFailed(message.id, 'blocked by the person', new Date());
        logger.info(context, 'telegram outbox: the person blocked the bot; conversation marked unreachable');
        return false;
      }
      await outbox.markSent(message.id);
      return true;
    } catch (error) {
      if (error instanceof Stopped) {
        await outbox.markFailed(message.id, 'released at shutdown', new Date()).catch(() => undefined);
        return false;
      }
      const permanent = error instanceof GrammyError && error.error_code >= 400 && error.error_code < 500 && error.error_code !== 429;
      const giveUp = permanent || message.attempts >= this.maxAttempts;
      const retryAt = giveUp ? null : new Date(Date.now() + Math.min(10 * 60_000, 1_000 * 2 ** message.attempts));
      logger.warn(
        { ...context, error: loggableError(error), retryAt },
        giveUp ? 'telegram outbox: sending the reply failed; given up' : 'telegram outbox: sending the reply failed; will retry',
      );
      await outbox.markFailed(message.id, error instanceof Error ? error.message : String(error), retryAt).catch((markError: unknown) => {
        logger.error({ ...context, err: markError }, 'telegram outbox: recording the failure failed; the lease will expire');
      });
      return false;
    }
  }

  /** Waits for this chat's (unless in a reply's burst) and the bot's next free slot, and books it. */
  private async pace(chat: string, mayStop: boolean, burst: boolean): Promise<void> {
    const now = Date.now();
    for (const [key, at] of this.chatNextAt) if (at < now) this.chatNextAt.delete(key);
    const at = Math.max(now, burst ? 0 : (this.chatNextAt.get(chat) ?? 0), this.globalNextAt);
    this.chatNextAt.set(chat, at + this.perChatIntervalMs);
    this.globalNextAt = at + this.spacingMs;
    if (at > now) await this.sleep(at - now);
    if (mayStop && this.controller.signal.aborted) throw new Stopped();
    // Counted from when the send really starts: a busy event loop may have woken us late.
    this.chatNextAt.set(chat, Date.now() + this.perChatIntervalMs);
  }

  private sleep(ms: number): Promise<void> {
    const { signal } = this.controller;
    return new Promise((resolve) => {
      const done = () => {
        clearTimeout(timer);
        signal.removeEventListener('abort', done);
        resolve();
      };
      const timer = setTimeout(done, ms);
      signal.addEventListener('abort', done, { once: true });
    });
  }
}
