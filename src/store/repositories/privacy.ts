import { z } from 'zod';
import type { FieldCipher } from '../../crypto/field-cipher.js';
import type { Prisma, PrismaClient } from '../generated/client.js';
import { conversationFields, openChannelRef } from './conversations.js';
import { isUuid, toOptionalJsonInput } from './records.js';
import { referralFields } from './referrals.js';
import { webhookFields } from './webhooks.js';
import { translationFields } from './translations.js';

export interface ErasedConversation {
  organisationId: string;
  conversationId: string;
  channel: 'web' | 'telegram';
  /** The referrals that were deleted with it, so open console views can close. */
  referralIds: string[];
  messages: number;
}

export interface RetentionPolicy {
  organisationId: string;
  /** Days to keep closed conversations and referrals. */
  closedDays: number;
  /** Days to keep conversations that never reached a counsellor, from their last activity. */
  idleDays: number;
}

export interface RetentionResult {
  organisationId: string;
  conversationsDeleted: number;
  referralsDeleted: number;
  messagesDeleted: number;
}

export interface RetentionStatRow {
  organisationId: string;
  day: string;
  conversationsDeleted: number;
  referralsDeleted: number;
  messagesDeleted: number;
  erasures: number;
}

export interface RotationProgress {
  /** `Table.column` */
  column: string;
  scanned: number;
  rewritten: number;
}

export interface PrivacyRepository {
  /**
   * Deletes a conversation and everything hanging off it (messages, consents, referrals and their
   * events and notes, outbox rows, delivery receipts) in one transaction, and records that an
   * erasure happened: an audit row and a daily count, neither naming the person. Earlier audit rows
   * about its referrals (viewed, exported) keep their action, actor and time, not the referral's id.
   */
  eraseConversation(conversationId: string, now: Date): Promise<ErasedConversation | null>;
  retentionPolicies(): Promise<RetentionPolicy[]>;
  setRetention(organisationId: string, days: { closedDays?: number; idleDays?: number }): Promise<boolean>;
  /** Deletes what the policy says is past its time at `now`; counts go to RetentionStat. */
  applyRetention(policy: RetentionPolicy, now: Date, batchSize?: number): Promise<RetentionResult>;
  retentionStats(organisationId: string): Promise<RetentionStatRow[]>;
  /** Re-seals every encrypted column under the cipher's current key (and seals values stored in clear). */
  rotateKeys(cipher: FieldCipher, options?: { batchSize?: number; onProgress?: (progress: RotationProgress) => void }): Promise<RotationProgress[]>;
}

const OPEN_REFERRAL = ['new', 'claimed', 'in_progress', 'referred'] as const;
const DAY_MS = 24 * 60 * 60 * 1000;
const rawRowsSchema = z.array(z.object({ id: z.string(), value: z.string() }));

/** Every sealed column: rotation walks them all. A new encrypted column must be listed here. */
export const sealedColumns = [
  { table: 'Conversation', column: 'flowState', kind: 'json', field: conversationFields.flowState },
  { table: 'Conversation', column: 'channelData', kind: 'json', field: conversationFields.channelData },
  { table: 'Message', column: 'text', kind: 'text', field: conversationFields.messageText },
  { table: 'Message', column: 'textParams', kind: 'json', field: conversationFields.messageParams },
  { table: 'Message', column: 'payload', kind: 'json', field: conversationFields.messagePayload },
  { table: 'Referral', column: 'record', kind: 'json', field: referralFields.record },
  { table: 'ReferralEvent', column: 'data', kind: 'json', field: referralFields.eventData },
  { table: 'OutboxMessage', column: 'payload', kind: 'json', field: referralFields.outboxPayload },
  { table: 'Webhook', column: 'secret', kind: 'text', field: webhookFields.secret },
  // Its blind-index key is not rewritten: after a rotation a lookup misses and the engine is asked again.
  { table: 'TranslationCache', column: 'text', kind: 'text', field: translationFields.text },
] as const;

/** Erasure, retention and key rotation: the privacy work that crosses every table. */
export function createPrivacyRepository(prisma: PrismaClient): PrivacyRepository {
  return {
    async eraseConversation(conversationId, now) {
      if (!isUuid(conversationId)) return null;
      return prisma.$transaction(async (tx) => {
        const conversation = await tx.conversation.findUnique({
          where: { id: conversationId },
          select: { organisationId: true, channel: true, referrals: { select: { id: true } }, _count: { select: { messages: true } } },
        });
        if (!conversation) return null;
        const referralIds = conversation.referrals.map((referral) => referral.id);
        // The foreign keys cascade from the conversation; deleting the dependants first keeps the
        // erasure complete even if a future table forgets its cascade (the delete would then fail).
        if (referralIds.length > 0) await tx.referralEvent.deleteMany({ where: { referralId: { in: referralIds } } });
        await tx.referral.deleteMany({ where: { conversationId } });
        await tx.outboxMessage.deleteMany({ where: { conversationId } });
        await tx.inboundReceipt.deleteMany({ where: { conversationId } });
        await tx.consent.deleteMany({ where: { conversationId } });
        await tx.translationCache.deleteMany({ where: { conversationId } });
        await tx.message.deleteMany({ where: { conversationId } });
        const { count } = await tx.conversation.deleteMany({ where: { id: conversationId } });
        if (count === 0) return null;
        // The audit keeps who did what and when (a counsellor viewed or exported a referral), but no
        // longer which referral or conversation: after erasure no row may point at the person.
        // Any case: a console URL may spell the id in capitals, and the audit keeps it as it came.
        const named = [...referralIds, conversationId].map((id) => ({ targetId: { equals: id, mode: 'insensitive' as const } }));
        // Within the organisation: its audit rows are indexed by it, and nobody else audits its referrals.
        await tx.auditEvent.updateMany({ where: { organisationId: conversation.organisationId, OR: named }, data: { targetId: null } });
        await addStats(tx, conversation.organisationId, now, {
          conversationsDeleted: 1,
          referralsDeleted: referralIds.length,
          messagesDeleted: conversation._count.messages,
          erasures: 1,
        });
        await tx.auditEvent.create({
          data: {
            organisationId: conversation.organisationId,
            actorUserId: null,
            action: 'person_erased',
            // Counts and the channel only: no ids that could be matched with a backup.
            data: toOptionalJsonInput({ channel: conversation.channel, referrals: referralIds.length, messages: conversation._count.messages, via: 'person' }),
          },
        });
        return {
          organisationId: conversation.organisationId,
          conversationId,
          channel: conversation.channel,
          referralIds,
          messages: conversation._count.messages,
        };
      });
    },

    retentionPolicies: async () =>
      (await prisma.organisation.findMany({ select: { id: true, retentionClosedDays: true, retentionIdleDays: true }, orderBy: { id: 'asc' } })).map((row) => ({
        organisationId: row.id,
        closedDays: row.retentionClosedDays,
        idleDays: row.retentionIdleDays,
      })),

    async setRetention(organisationId, days) {
      if (!isUuid(organisationId)) return false;
      const { count } = await prisma.organisation.updateMany({
        where: { id: organisationId },
        data: {
          ...(days.closedDays !== undefined ? { retentionClosedDays: days.closedDays } : {}),
          ...(days.idleDays !== undefined ? { retentionIdleDays: days.idleDays } : {}),
        },
      });
      return count > 0;
    },

    async applyRetention(policy, now, batchSize = 200) {
      const result: RetentionResult = { organisationId: policy.organisationId, conversationsDeleted: 0, referralsDeleted: 0, messagesDeleted: 0 };
      const closedBefore = new Date(now.getTime() - policy.closedDays * DAY_MS);
      const idleBefore = new Date(now.getTime() - policy.idleDays * DAY_MS);
      const noOpenReferral = { referrals: { none: { status: { in: [...OPEN_REFERRAL] } } } } satisfies Prisma.ConversationWhereInput;
      const expired: Prisma.ConversationWhereInput = {
        organisationId: policy.organisationId,
        OR: [
          // Closed: it reached a counsellor (or was closed) and nothing is open; kept from its last activity.
          { AND: [noOpenReferral, { OR: [{ status: 'closed' }, { referrals: { some: {} } }] }, { updatedAt: { lt: closedBefore } }] },
          // Unfinished: never reached a counsellor and nobody wrote for `idleDays`.
          { AND: [{ referrals: { none: {} } }, { status: { not: 'closed' } }, { updatedAt: { lt: idleBefore } }] },
        ],
      };
      for (;;) {
        const batch = await prisma.conversation.findMany({ where: expired, select: { id: true }, take: batchSize, orderBy: { id: 'asc' } });
        if (batch.length === 0) break;
        const ids = batch.map((row) => row.id);
        const deleted = await prisma.$transaction(async (tx) => {
          // Re-check inside the transaction: a person may have written again since the query above.
          const still = (await tx.conversation.findMany({ where: { AND: [expired, { id: { in: ids } }] }, select: { id: true } })).map((row) => row.id);
          if (still.length === 0) return { conversations: 0, referrals: 0, messages: 0 };
          const messages = await tx.message.count({ where: { conversationId: { in: still } } });
          const referrals = await tx.referral.count({ where: { conversationId: { in: still } } });
          const { count } = await tx.conversation.deleteMany({ where: { id: { in: still } } });
          await addStats(tx, policy.organisationId, now, { conversationsDeleted: count, referralsDeleted: referrals, messagesDeleted: messages });
          return { conversations: count, referrals, messages };
        });
        result.conversationsDeleted += deleted.conversations;
        result.referralsDeleted += deleted.referrals;
        result.messagesDeleted += deleted.messages;
        if (batch.length < batchSize || deleted.conversations === 0) break;
      }
      // Old closed referrals of a conversation that goes on (the person came back later).
      const { count: referrals } = await prisma.$transaction(async (tx) => {
        const deleted = await tx.referral.deleteMany({
          where: { organisationId: policy.organisationId, status: { in: ['closed', 'cancelled'] }, closedAt: { lt: closedBefore } },
        });
        if (deleted.count > 0) await addStats(tx, policy.organisationId, now, { referralsDeleted: deleted.count });
        return deleted;
      });
      result.referralsDeleted += referrals;
      if (result.conversationsDeleted + result.referralsDeleted > 0) {
        await prisma.auditEvent.create({
          data: {
            organisationId: policy.organisationId,
            actorUserId: null,
            action: 'retention_applied',
            data: toOptionalJsonInput({
              conversations: result.conversationsDeleted,
              referrals: result.referralsDeleted,
              messages: result.messagesDeleted,
              closedDays: policy.closedDays,
              idleDays: policy.idleDays,
            }),
          },
        });
      }
      return result;
    },

    async retentionStats(organisationId) {
      if (!isUuid(organisationId)) return [];
      const rows = await prisma.retentionStat.findMany({ where: { organisationId }, orderBy: { day: 'asc' } });
      return rows.map((row) => ({ ...row, day: row.day.toISOString().slice(0, 10) }));
    },

    async rotateKeys(cipher, options = {}) {
      if (!cipher.encrypts) throw new Error('key rotation needs a data encryption key');
      const batchSize = options.batchSize ?? 500;
      const refs = await rotateChannelRefs(prisma, cipher, batchSize);
      options.onProgress?.(refs);
      const report: RotationProgress[] = [refs];
      for (const spec of sealedColumns) {
        const progress: RotationProgress = { column: `${spec.table}.${spec.column}`, scanned: 0, rewritten: 0 };
        let after = '00000000-0000-0000-0000-000000000000';
        for (;;) {
          // Identifiers come from the constant list above; values are always parameters.
          const rows = rawRowsSchema.parse(
            await prisma.$queryRawUnsafe(
              `SELECT id::text AS id, "${spec.column}"::text AS value FROM "${spec.table}" WHERE id > $1::uuid AND "${spec.column}" IS NOT NULL ORDER BY id LIMIT ${batchSize}`,
              after,
            ),
          );
          if (rows.length === 0) break;
          for (const row of rows) {
            progress.scanned++;
            const stored: unknown = spec.kind === 'json' ? JSON.parse(row.value) : row.value;
            if (!cipher.needsRotation(stored)) continue;
            const fresh =
              spec.kind === 'json'
                ? JSON.stringify(cipher.sealJson(spec.field, cipher.openJson(spec.field, stored)))
                : cipher.seal(spec.field, cipher.open(spec.field, row.value));
            // Raw SQL: an ORM update would touch `updatedAt`, which retention reads as last activity.
            // The value must still be the one read, so a turn written meanwhile is never overwritten.
            const cast = spec.kind === 'json' ? '::jsonb' : '';
            const changed = await prisma.$executeRawUnsafe(
              `UPDATE "${spec.table}" SET "${spec.column}" = $1${cast} WHERE id = $2::uuid AND "${spec.column}"::text = $3`,
              fresh,
              row.id,
              row.value,
            );
            progress.rewritten += changed;
          }
          after = rows[rows.length - 1]?.id ?? after;
          if (rows.length < batchSize) break;
        }
        options.onProgress?.(progress);
        report.push(progress);
      }
      return report;
    },
  };
}

/** Chat ids: the blind index under the current key, and the id itself sealed under it (rows from before encryption get both). */
async function rotateChannelRefs(prisma: PrismaClient, cipher: FieldCipher, batchSize: number): Promise<RotationProgress> {
  const progress: RotationProgress = { column: 'Conversation.channelRef', scanned: 0, rewritten: 0 };
  let after = '00000000-0000-0000-0000-000000000000';
  for (;;) {
    const rows = await prisma.conversation.findMany({
      where: { id: { gt: after } },
      select: { id: true, channelRef: true, channelAddress: true },
      orderBy: { id: 'asc' },
      take: batchSize,
    });
    if (rows.length === 0) break;
    for (const row of rows) {
      progress.scanned++;
      const channelRef = openChannelRef(cipher, row);
      const index = cipher.blindIndex(conversationFields.channelRef, channelRef);
      if (row.channelRef === index && row.channelAddress !== null && !cipher.needsRotation(row.channelAddress)) continue;
      // Raw SQL keeps `updatedAt` (retention's last activity); the WHERE skips a row changed meanwhile.
      progress.rewritten += await prisma.$executeRaw`
        UPDATE "Conversation" SET "channelRef" = ${index}, "channelAddress" = ${cipher.seal(conversationFields.channelAddress, channelRef)}
        WHERE id = ${row.id}::uuid AND "channelRef" = ${row.channelRef}`;
    }
    after = rows[rows.length - 1]?.id ?? after;
    if (rows.length < batchSize) break;
  }
  return progress;
}

/** One upsert statement: erasure and retention on several instances may count the same day at once. */
async function addStats(
  tx: Prisma.TransactionClient,
  organisationId: string,
  now: Date,
  counts: Partial<Omit<RetentionStatRow, 'organisationId' | 'day'>>,
): Promise<void> {
  const day = now.toISOString().slice(0, 10);
  const c = { conversationsDeleted: 0, referralsDeleted: 0, messagesDeleted: 0, erasures: 0, ...counts };
  await tx.$executeRaw`
    INSERT INTO "RetentionStat" ("organisationId", day, "conversationsDeleted", "referralsDeleted", "messagesDeleted", erasures)
    VALUES (${organisationId}::uuid, ${day}::date, ${c.conversationsDeleted}::int, ${c.referralsDeleted}::int, ${c.messagesDeleted}::int, ${c.erasures}::int)
    ON CONFLICT ("organisationId", day) DO UPDATE SET
      "conversationsDeleted" = "RetentionStat"."conversationsDeleted" + EXCLUDED."conversationsDeleted",
      "referralsDeleted" = "RetentionStat"."referralsDeleted" + EXCLUDED."referralsDeleted",
      "messagesDeleted" = "RetentionStat"."messagesDeleted" + EXCLUDED."messagesDeleted",
      erasures = "RetentionStat".erasures + EXCLUDED.erasures`;
}
