import { randomUUID } from 'node:crypto';
import type { Prisma, PrismaClient } from '../generated/client.js';
import { conversationDateKeys, isRawUniqueViolation, messageDateKeys, withDates } from './raw-rows.js';

/**
 * A turn's whole write as ONE SQL statement: the versioned update of the conversation, its
 * messages, the delivery receipt, the consent and the replies to send from the outbox, in
 * data-modifying CTEs that all hang off the update. One round trip instead of a transaction's six, and no query planning in Prisma's
 * compiler: the turn's write was most of a turn's CPU (measured: ~4 ms of ~12 ms per turn).
 *
 * Atomic because it is one statement: when the version moved, the update matches no row and every
 * insert that selects from it inserts nothing; a repeated delivery key violates the receipt's
 * primary key, which aborts the whole statement (nothing is stored) and is reported as such.
 * Timestamps are written from the application clock as UTC, like Prisma's own writes.
 */
const statement = `
WITH updated AS (
  UPDATE "Conversation" SET
    "version" = "version" + 1,
    "nextSeq" = "nextSeq" + $3,
    "locale" = $4,
    "flowState" = $5::jsonb,
    "status" = COALESCE($6::text::"ConversationStatus", "status"),
    "eligibilityOutcomes" = CASE WHEN $7::boolean THEN $8::jsonb ELSE "eligibilityOutcomes" END,
    "intakeCompletedAt" = CASE WHEN $9::boolean THEN COALESCE("intakeCompletedAt", $10::timestamp(3)) ELSE "intakeCompletedAt" END,
    "updatedAt" = $10::timestamp(3)
  WHERE "id" = $1::uuid AND "version" = $2
  RETURNING *
), receipt AS (
  INSERT INTO "InboundReceipt" ("channel", "key", "conversationId", "createdAt")
  SELECT "channel", $11, "id", $10::timestamp(3) FROM updated WHERE $11::text IS NOT NULL
  RETURNING 1
), inserted AS (
  INSERT INTO "Message" ("id", "conversationId", "seq", "author", "textKey", "textParams", "text", "locale", "payload", "createdAt")
  SELECT m."id", updated."id", updated."nextSeq" - $3 + m."index", m."author"::"MessageAuthor", m."textKey", m."textParams", m."text", m."locale", m."payload", $10::timestamp(3)
  FROM updated, jsonb_to_recordset($12::jsonb) AS m("id" uuid, "index" int, "author" text, "textKey" text, "textParams" jsonb, "text" text, "locale" text, "payload" jsonb)
  RETURNING *
), consent AS (
  INSERT INTO "Consent" ("id", "conversationId", "noticeVersion", "granted", "scopes", "channel", "createdAt")
  SELECT $13::uuid, "id", $14, $15::boolean, $16::text[], COALESCE($17::text::"Channel", "channel"), $10::timestamp(3) FROM updated WHERE $14::text IS NOT NULL
  RETURNING 1
), outbox AS (
  -- The reply as the channel will send it, in the same commit: a crash after it loses nothing.
  -- createdAt orders a chat's messages: one millisecond apart, as the outbox's own enqueue does.
  -- Due at once by the database's clock, the one the sender's claim compares with.
  INSERT INTO "OutboxMessage" ("id", "conversationId", "channel", "payload", "status", "attempts", "notBefore", "createdAt")
  SELECT o."id", updated."id", updated."channel", o."payload", 'pending'::"OutboxStatus", 0,
    (now() AT TIME ZONE 'UTC'), $10::timestamp(3) + o."index" * interval '1 millisecond'
  FROM updated, jsonb_to_recordset($18::jsonb) AS o("id" uuid, "index" int, "payload" jsonb)
  RETURNING "id"
)
SELECT
  (SELECT row_to_json(updated) FROM updated)::text AS "conversation",
  (SELECT json_agg(inserted ORDER BY "seq") FROM inserted)::text AS "messages",
  (SELECT count(*) FROM receipt)::int AS "receipts",
  (SELECT count(*) FROM consent)::int AS "consents",
  (SELECT count(*) FROM outbox)::int AS "outboxed"`;

export interface TurnWrite {
  conversationId: string;
  expectedVersion: number;
  locale: string;
  /** Already sealed. */
  flowState: unknown;
  status?: string;
  eligibilityOutcomes?: Record<string, string> | null;
  intakeCompleted?: boolean;
  deliveryKey?: string;
  /** Already sealed (text, textParams, payload). */
  messages: { author: string; text: string; textKey?: string | undefined; textParams?: unknown; locale?: string | undefined; payload?: unknown }[];
  consent?: { noticeVersion: string; granted: boolean; scopes: string[]; channel?: string | undefined };
  /** Outbox payloads for the conversation's own channel, already sealed, in sending order. */
  outbox?: unknown[];
}

/** Rows as Prisma would return them (dates as Date), for the repository's own mapping. */
export type TurnWriteResult =
  | { ok: true; conversation: Prisma.ConversationGetPayload<object>; messages: Prisma.MessageGetPayload<object>[] }
  | { ok: false; reason: 'conflict' | 'duplicate' };

export async function writeTurn(prisma: PrismaClient, write: TurnWrite, now: Date = new Date()): Promise<TurnWriteResult> {
  const messages = write.messages.map((message, index) => ({
    id: randomUUID(),
    index,
    author: message.author,
    textKey: message.textKey ?? null,
    textParams: message.textParams ?? null,
    text: message.text,
    locale: message.locale ?? null,
    payload: message.payload ?? null,
  }));
  const outbox = (write.outbox ?? []).map((payload, index) => ({ id: randomUUID(), index, payload }));
  const at = now.toISOString();
  let rows: { conversation: string | null; messages: string | null }[];
  try {
    rows = await prisma.$queryRawUnsafe(
      statement,
      write.conversationId,
      write.expectedVersion,
      messages.length,
      write.locale,
      JSON.stringify(write.flowState ?? null),
      write.status ?? null,
      write.eligibilityOutcomes !== undefined,
      write.eligibilityOutcomes == null ? null : JSON.stringify(write.eligibilityOutcomes),
      write.intakeCompleted === true,
      at,
      write.deliveryKey ?? null,
      JSON.stringify(messages),
      randomUUID(),
      write.consent?.noticeVersion ?? null,
      write.consent?.granted ?? null,
      write.consent?.scopes ?? null,
      write.consent?.channel ?? null,
      JSON.stringify(outbox),
    );
  } catch (error) {
    if (isRawUniqueViolation(error)) return { ok: false, reason: 'duplicate' };
    throw error;
  }
  const row = rows[0];
  if (!row?.conversation) return { ok: false, reason: 'conflict' };
  const conversation = withDates(JSON.parse(row.conversation) as Record<string, unknown>, conversationDateKeys);
  const stored = (JSON.parse(row.messages ?? '[]') as Record<string, unknown>[]).map((message) => withDates(message, messageDateKeys));
  return {
    ok: true,
    conversation: conversation as unknown as Prisma.ConversationGetPayload<object>,
    messages: stored as unknown as Prisma.MessageGetPayload<object>[],
  };
}
