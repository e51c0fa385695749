import { z } from 'zod';
import { noEncryption, type FieldCipher } from '../../crypto/field-cipher.js';
import type { PrismaClient } from '../generated/client.js';
import type { RepositoryOptions } from './conversations.js';
import { isUuid, toJsonInput } from './records.js';

/** The events an endpoint may subscribe to. */
export const WEBHOOK_EVENTS = ['referral.created', 'referral.claimed', 'referral.status_changed', 'referral.closed', 'person.erased'] as const;
export type WebhookEventType = (typeof WEBHOOK_EVENTS)[number];

export interface StoredWebhook {
  id: string;
  organisationId: string;
  url: string;
  events: WebhookEventType[];
  createdAt: Date;
}

export type WebhookDeliveryStatus = 'pending' | 'delivered' | 'failed';

/** A delivery as the log shows it: what was sent and how it went, never the secret. */
export interface ListedWebhookDelivery {
  id: string;
  eventId: string;
  eventType: string;
  orderKey: string;
  data: unknown;
  occurredAt: Date;
  status: WebhookDeliveryStatus;
  attempts: number;
  nextAttemptAt: Date | null;
  lastAttemptAt: Date | null;
  lastStatusCode: number | null;
  lastError: string | null;
  deliveredAt: Date | null;
  createdAt: Date;
}

/** A delivery claimed for sending, with the endpoint's address and opened secret. */
export interface ClaimedWebhookDelivery {
  id: string;
  webhookId: string;
  url: string;
  secret: string;
  eventId: string;
  eventType: string;
  data: unknown;
  occurredAt: Date;
  /** Attempts including this one. */
  attempts: number;
}

/** One event to queue for every endpoint of the organisation subscribed to its type. */
export interface NewWebhookEvent {
  organisationId: string;
  eventId: string;
  type: WebhookEventType;
  orderKey: string;
  data: Record<string, unknown>;
  occurredAt: Date;
}

export interface WebhookRepository {
  create(input: { organisationId: string; url: string; events: readonly WebhookEventType[]; secret: string; createdByUserId: string }): Promise<StoredWebhook>;
  list(organisationId: string): Promise<StoredWebhook[]>;
  find(organisationId: string, id: string): Promise<StoredWebhook | null>;
  /** Deletes the endpoint and its deliveries (queued ones are not sent); false when it is not the organisation's. */
  delete(organisationId: string, id: string): Promise<boolean>;
  /**
   * Queues the event for each subscribed endpoint; once this resolves the deliveries survive a
   * crash. Returns how many were queued (0 when no endpoint wants it).
   */
  enqueue(event: NewWebhookEvent): Promise<number>;
  /**
   * Claims up to `limit` due deliveries for `leaseMs`, as the outbox does: invisible to other
   * claimers until the lease ends, and only the oldest pending delivery of each endpoint and
   * `orderKey` is due, so one referral's events arrive in order.
   */
  claimDue(options: { limit: number; leaseMs: number }): Promise<ClaimedWebhookDelivery[]>;
  markDelivered(id: string, statusCode: number, at: Date): Promise<void>;
  /** Failed once: tried again at `retryAt`, or given up when `retryAt` is null. */
  markFailed(id: string, outcome: { statusCode: number | null; error: string; at: Date; retryAt: Date | null }): Promise<void>;
  /** The endpoint's deliveries, newest first; null when the endpoint is not the organisation's. */
  listDeliveries(organisationId: string, webhookId: string, limit: number): Promise<ListedWebhookDelivery[] | null>;
  /** "Send again": the delivery is queued once more, due now (a delivered one too: the receiver deduplicates on the event id). */
  retry(organisationId: string, webhookId: string, deliveryId: string, at: Date): Promise<ListedWebhookDelivery | null>;
}

/** The sealed field names of webhooks (key rotation walks them, src/store/repositories/privacy.ts). */
export const webhookFields = { secret: 'webhook.secret' } as const;
const secretField = webhookFields.secret;
const claimedIdsSchema = z.array(z.object({ id: z.string() }));
const eventsSchema = z.array(z.enum(WEBHOOK_EVENTS));

/** Endpoints and their delivery queue; secrets are sealed like message texts (they must be read back to sign). */
export function createWebhookRepository(prisma: PrismaClient, options: RepositoryOptions = {}): WebhookRepository {
  return new PrismaWebhookRepository(prisma, options.cipher ?? noEncryption);
}

const webhookSelect = { id: true, organisationId: true, url: true, events: true, createdAt: true } as const;
const deliverySelect = {
  id: true,
  eventId: true,
  eventType: true,
  orderKey: true,
  data: true,
  occurredAt: true,
  status: true,
  attempts: true,
  notBefore: true,
  lastAttemptAt: true,
  lastStatusCode: true,
  lastError: true,
  deliveredAt: true,
  createdAt: true,
} as const;

class PrismaWebhookRepository implements WebhookRepository {
  // createdAt orders one referral's deliveries; two events in one millisecond must keep their order.
  private lastCreatedAt = 0;

  constructor(
    private readonly prisma: PrismaClient,
    private readonly cipher: FieldCipher,
  ) {}

  async create(input: { organisationId: string; url: string; events: readonly WebhookEventType[]; secret: string; createdByUserId: string }) {
    const row = await this.prisma.webhook.create({
      data: {
        organisationId: input.organisationId,
        url: input.url,
        events: [...input.events],
        secret: this.cipher.seal(secretField, input.secret),
        createdByUserId: input.createdByUserId,
      },
      select: webhookSelect,
    });
    return webhookOf(row);
  }

  async list(organisationId: string) {
    if (!isUuid(organisationId)) return [];
    const rows = await this.prisma.webhook.findMany({ where: { organisationId }, orderBy: [{ createdAt: 'asc' }, { id: 'asc' }], select: webhookSelect });
    return rows.map(webhookOf);
  }

  async find(organisationId: string, id: string) {
    if (!isUuid(organisationId) || !isUuid(id)) return null;
    const row = await this.prisma.webhook.findFirst({ where: { id, organisationId }, select: webhookSelect });
    return row ? webhookOf(row) : null;
  }

  async delete(organisationId: string, id: string) {
    if (!isUuid(organisationId) || !isUuid(id)) return false;
    return (await this.prisma.webhook.deleteMany({ where: { id, organisationId } })).count > 0;
  }

  async enqueue(event: NewWebhookEvent) {
    if (!isUuid(event.organisationId)) return 0;
    const createdAt = new Date(Math.max(Date.now(), this.lastCreatedAt + 1));
    this.lastCreatedAt = createdAt.getTime();
    const endpoints = await this.prisma.webhook.findMany({
      where: { organisationId: event.organisationId, events: { has: event.type } },
      select: { id: true },
    });
    if (endpoints.length === 0) return 0;
    const { count } = await this.prisma.webhookDelivery.createMany({
      data: endpoints.map((endpoint) => ({
        webhookId: endpoint.id,
        eventId: event.eventId,
        eventType: event.type,
        orderKey: event.orderKey,
        data: toJsonInput(event.data),
        occurredAt: event.occurredAt,
        createdAt,
        notBefore: createdAt,
      })),
    });
    return count;
  }

  async claimDue(options: { limit: number; leaseMs: number }): Promise<ClaimedWebhookDelivery[]> {
    // As in the outbox (outbox.ts): timestamps are UTC without a zone, SKIP LOCKED lets instances pass each other.
    const raw = await this.prisma.$queryRaw`
      UPDATE "WebhookDelivery" AS d
      SET "notBefore" = (now() AT TIME ZONE 'UTC') + ${options.leaseMs}::int * interval '1 millisecond',
          attempts = d.attempts + 1
      FROM (
        SELECT w.id FROM "WebhookDelivery" w
        WHERE w.status = 'pending' AND w."notBefore" <= (now() AT TIME ZONE 'UTC')
          AND NOT EXISTS (
            SELECT 1 FROM "WebhookDelivery" e
            WHERE e."webhookId" = w."webhookId" AND e."orderKey" = w."orderKey" AND e.status = 'pending'
              AND (e."createdAt" < w."createdAt" OR (e."createdAt" = w."createdAt" AND e.id < w.id))
          )
        ORDER BY w."createdAt", w.id
        LIMIT ${options.limit}::int
        FOR UPDATE OF w SKIP LOCKED
      ) AS due
      WHERE d.id = due.id
      RETURNING d.id`;
    const ids = claimedIdsSchema.parse(raw).map((row) => row.id);
    if (ids.length === 0) return [];
    const rows = await this.prisma.webhookDelivery.findMany({
      where: { id: { in: ids } },
      orderBy: [{ createdAt: 'asc' }, { id: 'asc' }],
      select: {
        id: true,
        webhookId: true,
        eventId: true,
        eventType: true,
        data: true,
        occurredAt: true,
        attempts: true,
        webhook: { select: { url: true, secret: true } },
      },
    });
    return rows.map((row) => ({
      id: row.id,
      webhookId: row.webhookId,
      url: row.webhook.url,
      secret: this.cipher.open(secretField, row.webhook.secret),
      eventId: row.eventId,
      eventType: row.eventType,
      data: row.data,
      occurredAt: row.occurredAt,
      attempts: row.attempts,
    }));
  }

  async markDelivered(id: string, statusCode: number, at: Date) {
    await this.prisma.webhookDelivery.updateMany({
      where: { id, status: 'pending' },
      data: { status: 'delivered', deliveredAt: at, lastAttemptAt: at, lastStatusCode: statusCode, lastError: null },
    });
  }

  async markFailed(id: string, outcome: { statusCode: number | null; error: string; at: Date; retryAt: Date | null }) {
    const common = { lastAttemptAt: outcome.at, lastStatusCode: outcome.statusCode, lastError: outcome.error.slice(0, 500) };
    await this.prisma.webhookDelivery.updateMany({
      where: { id, status: 'pending' },
      data: outcome.retryAt ? { ...common, notBefore: outcome.retryAt } : { ...common, status: 'failed' },
    });
  }

  async listDeliveries(organisationId: string, webhookId: string, limit: number) {
    if (!(await this.find(organisationId, webhookId))) return null;
    const rows = await this.prisma.webhookDelivery.findMany({
      where: { webhookId },
      orderBy: [{ createdAt: 'desc' }, { id: 'desc' }],
      take: limit,
      select: deliverySelect,
    });
    return rows.map(deliveryOf);
  }

  async retry(organisationId: string, webhookId: string, deliveryId: string, at: Date) {
    if (!isUuid(deliveryId) || !(await this.find(organisationId, webhookId))) return null;
    const { count } = await this.prisma.webhookDelivery.updateMany({
      where: { id: deliveryId, webhookId, status: { in: ['delivered', 'failed'] } },
      data: { status: 'pending', attempts: 0, notBefore: at, deliveredAt: null },
    });
    const row = await this.prisma.webhookDelivery.findFirst({ where: { id: deliveryId, webhookId }, select: deliverySelect });
    // A pending delivery is already queued: "send again" leaves it as it is.
    return row && (count > 0 || row.status === 'pending') ? deliveryOf(row) : null;
  }
}

function webhookOf(row: { id: string; organisationId: string; url: string; events: string[]; createdAt: Date }): StoredWebhook {
  // Unknown names (an event type removed in a later version) are dropped rather than failing the list.
  const events = eventsSchema.safeParse(row.events);
  return {
    ...row,
    events: events.success ? events.data : row.events.filter((name): name is WebhookEventType => (WEBHOOK_EVENTS as readonly string[]).includes(name)),
  };
}

function deliveryOf(row: {
  id: string;
  eventId: string;
  eventType: string;
  orderKey: string;
  data: unknown;
  occurredAt: Date;
  status: WebhookDeliveryStatus;
  attempts: number;
  notBefore: Date;
  lastAttemptAt: Date | null;
  lastStatusCode: number | null;
  lastError: string | null;
  deliveredAt: Date | null;
  createdAt: Date;
}): ListedWebhookDelivery {
  const { notBefore, ...rest } = row;
  return { ...rest, nextAttemptAt: row.status === 'pending' ? notBefore : null };
}
