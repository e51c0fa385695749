import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import { noEncryption, type FieldCipher } from '../../crypto/field-cipher.js';
import type { PrismaClient } from '../generated/client.js';
import { openChannelRef, type ChannelName, type RepositoryOptions } from './conversations.js';
import { outboxPayloadField, outboxPayloadSchema, sealOutboxPayload, type OutboxPayload } from './outbox-payload.js';
import { isRawUniqueViolation } from './raw-rows.js';
import { isUuid, toJsonInput } from './records.js';

export interface NewOutboxMessage {
  conversationId: string;
  channel: ChannelName;
  payload: OutboxPayload;
}

/** A message claimed for sending, with what the sender needs to address it. */
export interface ClaimedOutboxMessage {
  id: string;
  conversationId: string;
  channelRef: string;
  locale: string;
  /** `undefined` when the stored payload does not parse: the sender fails it without sending. */
  payload: z.output<typeof outboxPayloadSchema> | undefined;
  /** Attempts including this one. */
  attempts: number;
}

export interface OutboxRepository {
  /** Accepts messages for delivery, in order; once this resolves they survive a crash. */
  enqueue(messages: NewOutboxMessage | NewOutboxMessage[]): Promise<string[]>;
  /**
   * Claims up to `limit` due messages for `leaseMs`: claimed rows are invisible to every other
   * claimer until the lease ends, so a sender that dies mid-send leaves them to be claimed again.
   * Only the oldest pending message of each conversation is due (order within a chat), and none
   * of a conversation marked unreachable.
   */
  claimDue(channel: ChannelName, options: ClaimOptions): Promise<ClaimedOutboxMessage[]>;
  /**
   * Accepts the answer to a delivery that is not a turn (a photo gets "I can read text only")
   * together with the delivery's receipt, in one statement: a redelivered update finds the receipt
   * and nothing is enqueued again. False when the delivery was already recorded.
   *
   * @example
   * if (await outbox.enqueueForDelivery({ conversationId, channel: 'telegram', deliveryKey: `tg:${botId}:${updateId}`, payloads })) await sender.flush(conversationId);
   */
  enqueueForDelivery(input: { conversationId: string; channel: ChannelName; deliveryKey: string; payloads: OutboxPayload[] }): Promise<boolean>;
  markSent(id: string): Promise<void>;
  /** Failed once: retried at `retryAt`, or given up for good when `retryAt` is null. */
  markFailed(id: string, error: string, retryAt: Date | null): Promise<void>;
  /** When the channel refuses delivery for good (blocked bot), or null when the person wrote again. */
  setUnreachable(conversationId: string, at: Date | null): Promise<void>;
  /** Counts by status for one conversation (tests, console). */
  countByStatus(conversationId: string): Promise<Record<'pending' | 'sent' | 'failed', number>>;
  /** One row as stored (the web relay reads what an `outbox_enqueued` event points at). */
  find(id: string): Promise<{ id: string; conversationId: string; channel: ChannelName; status: 'pending' | 'sent' | 'failed'; payload: unknown } | null>;
}

export interface ClaimOptions {
  limit: number;
  leaseMs: number;
  /** Only this conversation's messages (the sender right after a turn stored its reply). */
  conversationId?: string;
}

const claimedIdsSchema = z.array(z.object({ id: z.string() }));

/** The outbox; payloads (a counsellor's words) are sealed like message texts. */
export function createOutboxRepository(prisma: PrismaClient, options: RepositoryOptions = {}): OutboxRepository {
  return new PrismaOutboxRepository(prisma, options.cipher ?? noEncryption);
}

class PrismaOutboxRepository implements OutboxRepository {
  constructor(
    private readonly prisma: PrismaClient,
    private readonly cipher: FieldCipher,
  ) {}

  async enqueue(input: NewOutboxMessage | NewOutboxMessage[]): Promise<string[]> {
    const messages = Array.isArray(input) ? input : [input];
    if (messages.length === 0) return [];
    const base = Date.now();
    // One millisecond apart: createdAt orders a chat's messages, and one batch must keep its order.
    const rows = await this.prisma.outboxMessage.createManyAndReturn({
      data: messages.map((message, index) => ({
        conversationId: message.conversationId,
        channel: message.channel,
        payload: toJsonInput(sealOutboxPayload(this.cipher, message.payload)),
        createdAt: new Date(base + index),
        notBefore: new Date(base + index),
      })),
      select: { id: true, createdAt: true },
    });
    return rows.sort((a, b) => a.createdAt.getTime() - b.createdAt.getTime()).map((row) => row.id);
  }

  async enqueueForDelivery(input: { conversationId: string; channel: ChannelName; deliveryKey: string; payloads: OutboxPayload[] }): Promise<boolean> {
    if (!isUuid(input.conversationId)) return false;
    const rows = input.payloads.map((payload, index) => ({ id: randomUUID(), index, payload: sealOutboxPayload(this.cipher, payload) }));
    const at = new Date().toISOString();
    // The receipt is the same one a turn writes (src/store/repositories/turn-commit.ts): one key per delivery, whatever it caused.
    try {
      await this.prisma.$executeRaw`
        WITH receipt AS (
          INSERT INTO "InboundReceipt" ("channel", "key", "conversationId", "createdAt")
          VALUES (${input.channel}::text::"Channel", ${input.deliveryKey}, ${input.conversationId}::uuid, ${at}::timestamp(3))
          RETURNING "conversationId", "channel"
        )
        INSERT INTO "OutboxMessage" ("id", "conversationId", "channel", "payload", "status", "attempts", "notBefore", "createdAt")
        SELECT o."id", receipt."conversationId", receipt."channel", o."payload", 'pending'::"OutboxStatus", 0,
          (now() AT TIME ZONE 'UTC'), ${at}::timestamp(3) + o."index" * interval '1 millisecond'
        FROM receipt, jsonb_to_recordset(${JSON.stringify(rows)}::jsonb) AS o("id" uuid, "index" int, "payload" jsonb)`;
      return true;
    } catch (error) {
      if (isRawUniqueViolation(error)) return false;
      throw error;
    }
  }

  async claimDue(channel: ChannelName, options: ClaimOptions): Promise<ClaimedOutboxMessage[]> {
    if (options.conversationId !== undefined && !isUuid(options.conversationId)) return [];
    // Timestamps are stored as UTC without a zone (Prisma's convention), hence `now() AT TIME ZONE 'UTC'`.
    // FOR UPDATE SKIP LOCKED lets concurrent claimers (several instances) pass each other without
    // waiting or claiming the same row; PGlite runs one connection, where it is simply a lock.
    const raw = await this.prisma.$queryRaw`
      UPDATE "OutboxMessage" AS o
      SET "notBefore" = (now() AT TIME ZONE 'UTC') + ${options.leaseMs}::int * interval '1 millisecond',
          attempts = o.attempts + 1
      FROM (
        SELECT m.id FROM "OutboxMessage" m
        JOIN "Conversation" c ON c.id = m."conversationId"
        WHERE m.status = 'pending' AND m.channel = ${channel}::"Channel"
          AND (${options.conversationId ?? null}::uuid IS NULL OR m."conversationId" = ${options.conversationId ?? null}::uuid)
          AND m."notBefore" <= (now() AT TIME ZONE 'UTC')
          AND c."unreachableAt" IS NULL
          AND NOT EXISTS (
            SELECT 1 FROM "OutboxMessage" e
            WHERE e."conversationId" = m."conversationId" AND e.status = 'pending'
              AND (e."createdAt" < m."createdAt" OR (e."createdAt" = m."createdAt" AND e.id < m.id))
          )
        ORDER BY m."createdAt", m.id
        LIMIT ${options.limit}::int
        FOR UPDATE OF m SKIP LOCKED
      ) AS due
      WHERE o.id = due.id
      RETURNING o.id`;
    const ids = claimedIdsSchema.parse(raw).map((row) => row.id);
    if (ids.length === 0) return [];
    const rows = await this.prisma.outboxMessage.findMany({
      where: { id: { in: ids } },
      orderBy: [{ createdAt: 'asc' }, { id: 'asc' }],
      select: {
        id: true,
        conversationId: true,
        payload: true,
        attempts: true,
        conversation: { select: { channelRef: true, channelAddress: true, locale: true } },
      },
    });
    return rows.map((row) => {
      const payload = outboxPayloadSchema.safeParse(this.cipher.openJson(outboxPayloadField, row.payload));
      return {
        id: row.id,
        conversationId: row.conversationId,
        channelRef: openChannelRef(this.cipher, row.conversation),
        locale: row.conversation.locale,
        payload: payload.success ? payload.data : undefined,
        attempts: row.attempts,
      };
    });
  }

  async markSent(id: string): Promise<void> {
    await this.prisma.outboxMessage.updateMany({ where: { id, status: 'pending' }, data: { status: 'sent', sentAt: new Date(), lastError: null } });
  }

  async markFailed(id: string, error: string, retryAt: Date | null): Promise<void> {
    await this.prisma.outboxMessage.updateMany({
      where: { id, status: 'pending' },
      data: retryAt ? { notBefore: retryAt, lastError: error.slice(0, 500) } : { status: 'failed', lastError: error.slice(0, 500) },
    });
  }

  async setUnreachable(conversationId: string, at: Date | null): Promise<void> {
    if (!isUuid(conversationId)) return;
    await this.prisma.conversation.updateMany({
      where: { id: conversationId, unreachableAt: at ? null : { not: null } },
      data: { unreachableAt: at },
    });
  }

  async find(
    id: string,
  ): Promise<{ id: string; conversationId: string; channel: ChannelName; status: 'pending' | 'sent' | 'failed'; payload: unknown } | null> {
    if (!isUuid(id)) return null;
    const row = await this.prisma.outboxMessage.findUnique({
      where: { id },
      select: { id: true, conversationId: true, channel: true, status: true, payload: true },
    });
    return row && { ...row, payload: this.cipher.openJson(outboxPayloadField, row.payload) };
  }

  async countByStatus(conversationId: string): Promise<Record<'pending' | 'sent' | 'failed', number>> {
    const counts = { pending: 0, sent: 0, failed: 0 };
    if (!isUuid(conversationId)) return counts;
    const groups = await this.prisma.outboxMessage.groupBy({ by: ['status'], where: { conversationId }, _count: { _all: true } });
    for (const group of groups) counts[group.status] = group._count._all;
    return counts;
  }
}
