import { randomUUID } from 'node:crypto';
import type { Logger } from 'pino';
import type { WebhookSettings } from '../config.js';
import { signWebhookBody } from '../crypto/webhook-signature.js';
import type { ClaimedWebhookDelivery, NewWebhookEvent, WebhookRepository } from '../store/repositories/webhooks.js';
import type { HandoffEvent, HandoffEvents } from './events.js';

/** A referral's id as the console shows it for reading aloud or typing: its first 8 characters. */
const referenceOf = (referralId: string) => referralId.slice(0, 8);

const closingChanges = new Set(['closed', 'cancelled']);
const statusChanges = new Set(['status_changed', 'handed_back', 'unassigned', 'handoff_requested_again', 'assigned', 'transferred']);

/**
 * The webhook event a handoff event becomes, or null when endpoints are not told about it (a
 * note, a message). Only ids, statuses and what changed: never a person's words or answers, so a
 * case-management system reads the record itself, with an API key, when it may.
 *
 * @example
 * webhookEventOf({ type: 'referral_updated', change: 'claimed', referralId, status: 'claimed', … }, now)
 * // { type: 'referral.claimed', orderKey: referralId, data: { referralId, reference, status: 'claimed', change: 'claimed', … } }
 */
export function webhookEventOf(event: HandoffEvent, at: Date): NewWebhookEvent | null {
  const common = { organisationId: event.organisationId, eventId: randomUUID(), occurredAt: at };
  switch (event.type) {
    case 'referral_created':
      return {
        ...common,
        type: 'referral.created',
        orderKey: event.referralId,
        data: { referralId: event.referralId, reference: referenceOf(event.referralId), status: event.status, priority: event.priority },
      };
    case 'referral_updated': {
      const type =
        event.change === 'claimed'
          ? 'referral.claimed'
          : closingChanges.has(event.change)
            ? 'referral.closed'
            : statusChanges.has(event.change)
              ? 'referral.status_changed'
              : null;
      if (!type) return null;
      return {
        ...common,
        type,
        orderKey: event.referralId,
        data: {
          referralId: event.referralId,
          reference: referenceOf(event.referralId),
          status: event.status,
          priority: event.priority,
          change: event.change,
          assignedUserId: event.assignedUserId,
        },
      };
    }
    case 'conversation_erased':
      // Ordered behind the first referral's events; the ids are those the receiver already holds.
      return {
        ...common,
        type: 'person.erased',
        orderKey: event.referralIds[0] ?? event.conversationId,
        data: { referralIds: event.referralIds, references: event.referralIds.map(referenceOf) },
      };
    case 'client_message':
    case 'counsellor_message':
    case 'outbox_enqueued':
      return null;
    default: {
      const unreachable: never = event;
      throw new Error(`unknown handoff event ${JSON.stringify(unreachable)}`);
    }
  }
}

/**
 * Wraps the handoff's events so each one published here is also queued for the organisation's
 * webhooks. Only the publishing instance queues (events heard from other instances arrive through
 * `subscribe`, not `publish`), so each event is queued once. Queuing runs in publish order, one
 * after the other, so one referral's deliveries keep the order of its events.
 *
 * The cost: the event is queued after the change was committed, not in its transaction, so a
 * crash between the two loses that event (the referral itself is kept).
 *
 * @example
 * const events = withWebhookEvents(pgEvents, { webhooks, logger, queued: () => sender.wake() });
 */
export function withWebhookEvents(
  events: HandoffEvents,
  deps: { webhooks: Pick<WebhookRepository, 'enqueue'>; logger: Logger; queued: () => void; clock?: () => Date },
): HandoffEvents & { settled(): Promise<void> } {
  let chain: Promise<void> = Promise.resolve();
  const now = deps.clock ?? (() => new Date());
  return {
    publish(event) {
      events.publish(event);
      const webhookEvent = webhookEventOf(event, now());
      if (!webhookEvent) return;
      chain = chain
        .then(async () => {
          if ((await deps.webhooks.enqueue(webhookEvent)) > 0) deps.queued();
        })
        .catch((error: unknown) => deps.logger.error({ err: error, eventType: webhookEvent.type }, 'a webhook event could not be queued'));
    },
    subscribe: (listener) => events.subscribe(listener),
    settled: () => chain,
  };
}

/** The JSON body of one attempt; `timestamp` (seconds) is the attempt's, the same as `X-Homeward-Timestamp`. */
export function webhookBody(delivery: Pick<ClaimedWebhookDelivery, 'eventId' | 'eventType' | 'occurredAt' | 'data'>, at: Date): string {
  return JSON.stringify({
    id: delivery.eventId,
    type: delivery.eventType,
    occurredAt: delivery.occurredAt.toISOString(),
    timestamp: Math.floor(at.getTime() / 1000),
    data: delivery.data,
  });
}

/** The wait before attempt `attempts + 1`: the base doubled per failed attempt, up to the maximum. */
export function webhookBackoffMs(settings: Pick<WebhookSettings, 'retryBaseMs' | 'retryMaxMs'>, attempts: number): number {
  return Math.min(settings.retryMaxMs, settings.retryBaseMs * 2 ** Math.max(0, attempts - 1));
}

export interface WebhookSender {
  /** Looks for due deliveries now (after an event was queued) instead of at the next poll. */
  wake(): void;
  close(): Promise<void>;
}

/**
 * Sends queued deliveries: polls every `pollMs` (and when woken), claims due ones, posts each
 * signed body with a timeout, and marks it delivered on a 2xx; anything else (an error, a
 * timeout, another status, a redirect, which is not followed) is tried again after an
 * exponential backoff, until `maxAttempts`. Several instances may run one each.
 */
export function startWebhookSender(deps: {
  webhooks: Pick<WebhookRepository, 'claimDue' | 'markDelivered' | 'markFailed'>;
  settings: WebhookSettings;
  logger: Logger;
  clock?: () => Date;
}): WebhookSender {
  const { settings, logger } = deps;
  const now = deps.clock ?? (() => new Date());
  let closed = false;
  let running: Promise<void> | null = null;
  let again = false;
  let timer: NodeJS.Timeout | undefined;

  const attempt = async (delivery: ClaimedWebhookDelivery) => {
    const at = now();
    const body = webhookBody(delivery, at);
    let statusCode: number | null = null;
    let error: string;
    try {
      const response = await fetch(delivery.url, {
        method: 'POST',
        redirect: 'manual',
        signal: AbortSignal.timeout(settings.timeoutMs),
        headers: {
          'content-type': 'application/json',
          'user-agent': 'Homeward-Webhooks/1',
          'x-homeward-event': delivery.eventType,
          'x-homeward-event-id': delivery.eventId,
          'x-homeward-timestamp': String(Math.floor(at.getTime() / 1000)),
          'x-homeward-signature': signWebhookBody(delivery.secret, body),
        },
        body,
      });
      statusCode = response.status;
      await response.body?.cancel().catch(() => {});
      if (response.status >= 200 && response.status < 300) {
        await deps.webhooks.markDelivered(delivery.id, response.status, now());
        return;
      }
      error = `the endpoint answered ${response.status}`;
    } catch (cause) {
      error = cause instanceof Error && cause.name === 'TimeoutError' ? `no answer within ${settings.timeoutMs} ms` : `the request failed: ${messageOf(cause)}`;
    }
    const retryAt = delivery.attempts >= settings.maxAttempts ? null : new Date(now().getTime() + webhookBackoffMs(settings, delivery.attempts));
    await deps.webhooks.markFailed(delivery.id, { statusCode, error, at: now(), retryAt });
    logger.warn(
      { webhookId: delivery.webhookId, deliveryId: delivery.id, attempts: delivery.attempts, statusCode, givenUp: retryAt === null },
      'a webhook delivery failed',
    );
  };

  const drain = async () => {
    do {
      again = false;
      for (;;) {
        if (closed) return;
        const due = await deps.webhooks.claimDue({ limit: 20, leaseMs: settings.timeoutMs + 5_000 });
        if (due.length === 0) break;
        // One per endpoint and referral is claimed at a time (claimDue), so these may run side by side.
        await Promise.all(due.map(attempt));
      }
    } while (again && !closed);
  };

  const run = () => {
    if (closed) return;
    if (running) {
      again = true;
      return;
    }
    running = drain()
      .catch((error: unknown) => logger.error({ err: error }, 'the webhook sender failed; it tries again at the next poll'))
      .finally(() => {
        running = null;
      });
  };

  timer = setInterval(run, settings.pollMs);
  timer.unref();
  run();
  return {
    wake: run,
    async close() {
      closed = true;
      clearInterval(timer);
      timer = undefined;
      await running;
    },
  };
}

function messageOf(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  const cause = error.cause instanceof Error ? `: ${error.cause.message}` : '';
  return `${error.message}${cause}`.slice(0, 300);
}
