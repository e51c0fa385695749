import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import { noEncryption, type FieldCipher } from '../../crypto/field-cipher.js';
import { pseudonymFor } from '../../crypto/pseudonym.js';
import type { Prisma, PrismaClient } from '../generated/client.js';
import { sealMessage, toMessage, type ChannelName, type ConversationStatus, type RepositoryOptions, type StoredMessage } from './conversations.js';
import { outboxPayloadField } from './outbox-payload.js';
import { isRawUniqueViolation, messageDateKeys, rawRows, referralDateKeys, withDates } from './raw-rows.js';
import { asRecord, isUuid, toJsonInput, toOptionalJsonInput } from './records.js';

export type ReferralStatus = 'new' | 'claimed' | 'in_progress' | 'referred' | 'closed' | 'cancelled';
export type Priority = 'urgent' | 'high' | 'elevated' | 'normal';

export interface StoredReferral {
  id: string;
  organisationId: string;
  conversationId: string;
  status: ReferralStatus;
  priority: Priority;
  /** The built snapshot (src/referral/record.ts validates it). */
  record: unknown;
  assignedUserId: string | null;
  createdAt: Date;
  updatedAt: Date;
  closedAt: Date | null;
  claimedAt: Date | null;
}

/** A place in the queue's order (priority, createdAt, id): a page starts after it. */
export interface QueueKey {
  priority: Priority;
  createdAt: Date;
  id: string;
}

/** What the console's list asks for: every condition must hold; the organisation always does. */
export interface ReferralQuery {
  statuses: readonly ReferralStatus[];
  /** A user's referrals, or `null` for unassigned ones; any when absent. */
  assignee?: string | null;
  /** The reference (the whole id or its first characters) or the pseudonym ("P-1A2B3C"). */
  search?: { id: string } | { idPrefix: string } | { pseudonym: string };
  limit: number;
  after?: QueueKey;
}

export interface ReferralPage {
  referrals: StoredReferral[];
  /** The last referral's key when more follow; null at the end. */
  next: QueueKey | null;
}

export interface StoredReferralEvent {
  id: string;
  referralId: string;
  type: string;
  actorUserId: string | null;
  data: Record<string, unknown> | null;
  createdAt: Date;
}

export interface NewReferralEvent {
  type: string;
  actorUserId: string | null;
  data?: Record<string, unknown>;
}

/** A message for the person, stored in the conversation and queued in the outbox in one transaction. */
export interface OutboundForPerson {
  author: 'counsellor' | 'system';
  text: string;
  textKey?: string;
  textParams?: Record<string, unknown>;
  locale: string;
  /** Written to the outbox as the payload; `messageId` and `seq` are added here. */
  payload: Record<string, unknown>;
  /**
   * The counsellor's display name as the person saw it when it was sent: kept with the stored
   * message, so a transcript read again later labels the message as it was labelled then.
   */
  authorName?: string;
  /**
   * A counsellor's message sent through machine translation: `text` is what the person read,
   * `original` what the counsellor wrote; `failed` when it went as written. Kept with the stored message.
   */
  translation?: { status: 'machine'; original: string } | { status: 'failed' };
}

export interface QueuedOutbound {
  message: StoredMessage;
  /** Null when the message was only stored (see `queueForPerson`). */
  outboxId: string | null;
  channel: ChannelName;
}

export interface TransitionInput {
  organisationId: string;
  referralId: string;
  /** The change applies only from these statuses. */
  from: readonly ReferralStatus[];
  /** When set, only this user (the assignee) may make the change. */
  assignee?: string;
  to?: ReferralStatus;
  /** Closes the referral for good: frees the conversation for a new referral. */
  finish?: boolean;
  conversationStatus?: ConversationStatus;
  /** Only change the conversation's status when it is one of these. */
  conversationStatusFrom?: readonly ConversationStatus[];
  event: NewReferralEvent;
  notice?: OutboundForPerson;
  now: Date;
}

export type TransitionResult =
  | { ok: true; referral: StoredReferral; queued: QueuedOutbound | null }
  | { ok: false; reason: 'not_found' }
  | { ok: false; reason: 'wrong_status'; status: ReferralStatus }
  | { ok: false; reason: 'not_assignee'; assignedUserId: string | null };

/** Who a referral goes to: a colleague of the organisation, or nobody (back to the queue). */
export interface ReassignInput {
  organisationId: string;
  referralId: string;
  /** When set, only this user (the current assignee) may hand the referral on. */
  assignee?: string;
  /** An active user of the same organisation, or null to unassign. */
  toUserId: string | null;
  actorUserId: string;
  /** What the person is told, by the change made (`assigned`, `transferred`, `unassigned`). */
  notice?: (change: ReassignChange) => OutboundForPerson | undefined;
  now: Date;
}

/** `assigned`: a waiting referral given to someone; `transferred`: from one counsellor to another; `unassigned`: back to the queue. */
export type ReassignChange = 'assigned' | 'transferred' | 'unassigned';

export type ReassignResult =
  | { ok: true; referral: StoredReferral; queued: QueuedOutbound | null; change: ReassignChange; previousUserId: string | null }
  | { ok: false; reason: 'not_found' }
  /** The user is unknown, inactive or of another organisation (indistinguishable). */
  | { ok: false; reason: 'no_such_user' }
  | { ok: false; reason: 'wrong_status'; status: ReferralStatus }
  | { ok: false; reason: 'not_assignee'; assignedUserId: string | null }
  /** The referral is already that user's (or already nobody's). */
  | { ok: false; reason: 'unchanged'; status: ReferralStatus; assignedUserId: string | null };

export type ClaimResult =
  | { ok: true; referral: StoredReferral; queued: QueuedOutbound | null; retaken: boolean }
  | { ok: false; reason: 'not_found' }
  | { ok: false; reason: 'taken'; assignedUserId: string | null; status: ReferralStatus };

export interface ReferralRepository {
  findOpenByConversation(conversationId: string): Promise<StoredReferral | null>;
  /** Null for an unknown id or one of another organisation: callers cannot tell the two apart. */
  findInOrganisation(organisationId: string, referralId: string): Promise<StoredReferral | null>;
  /** Creates the conversation's open referral; null when it already has one (another instance was first). */
  createOpen(input: {
    organisationId: string;
    conversationId: string;
    priority: Priority;
    record: unknown;
    event: NewReferralEvent;
    now: Date;
  }): Promise<StoredReferral | null>;
  updateSnapshot(referralId: string, input: { priority: Priority; record: unknown; event: NewReferralEvent }): Promise<StoredReferral>;
  /** The organisation's referrals, highest priority first, oldest first within a priority. */
  list(organisationId: string, options?: { statuses?: readonly ReferralStatus[]; limit?: number }): Promise<StoredReferral[]>;
  /** One page of the organisation's referrals in the queue's order (keyset paging over priority, createdAt, id). */
  page(organisationId: string, query: ReferralQuery): Promise<ReferralPage>;
  /** How many `new` referrals of the organisation come before this one in the queue. */
  countAhead(referral: StoredReferral): Promise<number>;
  /** Milliseconds from creation to first claim of the organisation's latest claims since `since`. */
  recentWaits(organisationId: string, since: Date, limit: number): Promise<number[]>;
  listEvents(referralId: string): Promise<StoredReferralEvent[]>;
  addEvent(referralId: string, event: NewReferralEvent): Promise<StoredReferralEvent>;
  /**
   * Atomic: of two simultaneous claims of a `new` referral exactly one wins. The assignee may
   * claim again (to take the chat back after another handoff request).
   */
  claim(input: { organisationId: string; referralId: string; userId: string; now: Date; notice?: OutboundForPerson }): Promise<ClaimResult>;
  transition(input: TransitionInput): Promise<TransitionResult>;
  /**
   * Gives an open referral to another user of its organisation, or back to the queue, in one
   * transaction that locks the referral row first: a claim, a transition or a second transfer at
   * the same time waits, then sees this one's outcome.
   */
  reassign(input: ReassignInput): Promise<ReassignResult>;
  /** Open referrals per assignee of the organisation (users without any are absent). */
  openCountsByAssignee(organisationId: string): Promise<Map<string, number>>;
  /**
   * Stores a message for the person and queues it in the outbox (their channel delivers it);
   * `outbox: false` only stores it (it goes out with the reply of the current turn).
   */
  queueForPerson(conversationId: string, message: OutboundForPerson, options?: { outbox?: boolean }): Promise<QueuedOutbound | null>;
  /** The organisation's time zone and stored office hours (src/handoff/office-hours.ts parses them). */
  officeOf(organisationId: string): Promise<{ timeZone: string; officeHours: unknown } | null>;
  displayNames(userIds: readonly string[]): Promise<Map<string, string | null>>;
}

type ReferralRow = Prisma.ReferralGetPayload<object>;
type MessageRow = Prisma.MessageGetPayload<object>;
type EventRow = Prisma.ReferralEventGetPayload<object>;
type Tx = Prisma.TransactionClient;

const OPEN: ReferralStatus[] = ['new', 'claimed', 'in_progress', 'referred'];
const REFERRAL_STATUS_VALUES = ['new', 'claimed', 'in_progress', 'referred', 'closed', 'cancelled'] as const satisfies readonly ReferralStatus[];
const lockedReferralSchema = z.array(z.object({ status: z.enum(REFERRAL_STATUS_VALUES), assignedUserId: z.string().nullable() }));
const PRIORITY_ORDER: Priority[] = ['urgent', 'high', 'elevated', 'normal'];

/** The encrypted columns of referrals, their events and the outbox. */
export const referralFields = {
  record: 'referral.record',
  eventData: 'referralEvent.data',
  outboxPayload: outboxPayloadField,
} as const;

/**
 * Referrals, their events and what the handoff sends the person. The record (who the person is,
 * their answers) and event data (notes, reasons) are sealed; status, priority, organisation and
 * times stay in clear columns for the queue's queries.
 */
export function createReferralRepository(prisma: PrismaClient, options: RepositoryOptions = {}): ReferralRepository {
  return new PrismaReferralRepository(prisma, options.cipher ?? noEncryption);
}

class PrismaReferralRepository implements ReferralRepository {
  private readonly toReferral: (row: ReferralRow) => StoredReferral;
  private readonly toEvent: (row: EventRow) => StoredReferralEvent;

  constructor(
    private readonly prisma: PrismaClient,
    private readonly cipher: FieldCipher,
  ) {
    this.toReferral = (row) => toReferral(cipher, row);
    this.toEvent = (row) => toEvent(cipher, row);
  }

  async findOpenByConversation(conversationId: string): Promise<StoredReferral | null> {
    if (!isUuid(conversationId)) return null;
    // Every handoff asks this, and the next three: plain SQL (raw-rows.ts says why).
    const [row] = await rawRows<ReferralRow>(
      this.prisma,
      `SELECT row_to_json(r)::text AS "row" FROM "Referral" r WHERE r."openConversationId" = $1::uuid`,
      [conversationId],
      referralDateKeys,
    );
    return row ? this.toReferral(row) : null;
  }

  async findInOrganisation(organisationId: string, referralId: string): Promise<StoredReferral | null> {
    if (!isUuid(referralId) || !isUuid(organisationId)) return null;
    const row = await this.prisma.referral.findFirst({ where: { id: referralId, organisationId } });
    return row && this.toReferral(row);
  }

  async createOpen(input: {
    organisationId: string;
    conversationId: string;
    priority: Priority;
    record: unknown;
    event: NewReferralEvent;
    now: Date;
  }): Promise<StoredReferral | null> {
    // The referral and its first event in one statement (raw-rows.ts says why plain SQL). A second
    // open referral of the conversation violates the unique openConversationId: nothing is stored.
    // The service's clock orders the queue (first come, first served), so tests can fix it.
    const at = input.now.toISOString();
    try {
      const [row] = await rawRows<ReferralRow>(
        this.prisma,
        `WITH created AS (
           INSERT INTO "Referral" ("id", "organisationId", "conversationId", "openConversationId", "priority", "record", "createdAt", "updatedAt", "pseudonym")
           VALUES ($1::uuid, $2::uuid, $3::uuid, $3::uuid, $4::text::"Priority", $5::jsonb, $6::timestamp(3), $11::timestamp(3), $12)
           RETURNING *
         ), event AS (
           INSERT INTO "ReferralEvent" ("id", "referralId", "type", "actorUserId", "data", "createdAt")
           SELECT $7::uuid, "id", $8, $9::uuid, $10::jsonb, $11::timestamp(3) FROM created
         )
         SELECT row_to_json(created)::text AS "row" FROM created`,
        [
          randomUUID(),
          input.organisationId,
          input.conversationId,
          input.priority,
          JSON.stringify(this.cipher.sealJson(referralFields.record, input.record) ?? null),
          at,
          randomUUID(),
          input.event.type,
          input.event.actorUserId,
          input.event.data ? JSON.stringify(this.cipher.sealJson(referralFields.eventData, input.event.data)) : null,
          // The queue orders by the service's clock (tests fix it); the event history by the real one.
          new Date().toISOString(),
          // In clear for the console's search: derived from the conversation id, nothing personal.
          pseudonymFor(input.conversationId),
        ],
        referralDateKeys,
      );
      if (!row) throw new Error('the referral insert returned nothing');
      return this.toReferral(row);
    } catch (error) {
      if (isRawUniqueViolation(error)) return null;
      throw error;
    }
  }

  async updateSnapshot(referralId: string, input: { priority: Priority; record: unknown; event: NewReferralEvent }): Promise<StoredReferral> {
    return this.prisma.$transaction(async (tx) => {
      const row = await tx.referral.update({
        where: { id: referralId },
        data: { priority: input.priority, record: toJsonInput(this.cipher.sealJson(referralFields.record, input.record)) },
      });
      await insertEvent(tx, this.cipher, referralId, input.event);
      return this.toReferral(row);
    });
  }

  async list(organisationId: string, options: { statuses?: readonly ReferralStatus[]; limit?: number } = {}): Promise<StoredReferral[]> {
    if (!isUuid(organisationId)) return [];
    const rows = await this.prisma.referral.findMany({
      where: { organisationId, ...(options.statuses ? { status: { in: [...options.statuses] } } : {}) },
      // The enum's declaration order (urgent first) is PostgreSQL's sort order for it.
      orderBy: [{ priority: 'asc' }, { createdAt: 'asc' }, { id: 'asc' }],
      take: options.limit ?? 200,
    });
    return rows.map(this.toReferral);
  }

  async page(organisationId: string, query: ReferralQuery): Promise<ReferralPage> {
    if (!isUuid(organisationId)) return { referrals: [], next: null };
    const params: unknown[] = [organisationId, [...query.statuses]];
    const where = [`r."organisationId" = $1::uuid`, `r."status"::text = ANY($2::text[])`];
    const param = (value: unknown) => `$${params.push(value)}`;
    if (query.assignee === null) where.push(`r."assignedUserId" IS NULL`);
    else if (query.assignee !== undefined) {
      if (!isUuid(query.assignee)) return { referrals: [], next: null };
      where.push(`r."assignedUserId" = ${param(query.assignee)}::uuid`);
    }
    const search = query.search;
    if (search && 'id' in search) {
      if (!isUuid(search.id)) return { referrals: [], next: null };
      where.push(`r."id" = ${param(search.id)}::uuid`);
    } else if (search && 'idPrefix' in search) {
      // The uuid's text is lower-case hex with hyphens; the prefix is matched literally.
      where.push(`left(r."id"::text, ${param(search.idPrefix.length)}::int) = ${param(search.idPrefix.toLowerCase())}`);
    } else if (search && 'pseudonym' in search) where.push(`r."pseudonym" = ${param(search.pseudonym.toUpperCase())}`);
    if (query.after) {
      // Row comparison in the ORDER BY's order: the enum sorts in its declaration order (urgent first).
      where.push(
        `(r."priority", r."createdAt", r."id") > (${param(query.after.priority)}::text::"Priority", ${param(query.after.createdAt.toISOString())}::timestamp(3), ${param(query.after.id)}::uuid)`,
      );
    }
    const limit = Math.max(1, Math.min(query.limit, 1000));
    const rows = await rawRows<ReferralRow>(
      this.prisma,
      `SELECT row_to_json(r)::text AS "row" FROM "Referral" r WHERE ${where.join(' AND ')}
       ORDER BY r."priority", r."createdAt", r."id" LIMIT ${param(limit + 1)}::int`,
      params,
      referralDateKeys,
    );
    const referrals = rows.slice(0, limit).map(this.toReferral);
    const last = referrals.at(-1);
    return { referrals, next: rows.length > limit && last ? { priority: last.priority, createdAt: last.createdAt, id: last.id } : null };
  }

  async countAhead(referral: StoredReferral): Promise<number> {
    // Ahead: a higher priority, or the same priority and older (the id breaks ties), as the queue orders.
    const higher = PRIORITY_ORDER.slice(0, PRIORITY_ORDER.indexOf(referral.priority));
    const [row] = await rawRows<{ ahead: number }>(
      this.prisma,
      `SELECT json_build_object('ahead', count(*))::text AS "row" FROM "Referral"
       WHERE "organisationId" = $1::uuid AND "status" = 'new' AND "id" <> $2::uuid
         AND ("priority"::text = ANY($3::text[])
           OR ("priority"::text = $4 AND ("createdAt" < $5::timestamp(3) OR ("createdAt" = $5::timestamp(3) AND "id" < $2::uuid))))`,
      [referral.organisationId, referral.id, higher, referral.priority, referral.createdAt.toISOString()],
      [],
    );
    return row?.ahead ?? 0;
  }

  async recentWaits(organisationId: string, since: Date, limit: number): Promise<number[]> {
    const rows = await rawRows<{ createdAt: Date; claimedAt: Date | null }>(
      this.prisma,
      `SELECT row_to_json(r)::text AS "row" FROM (
         SELECT "createdAt", "claimedAt" FROM "Referral" WHERE "organisationId" = $1::uuid AND "claimedAt" >= $2::timestamp(3) ORDER BY "claimedAt" DESC LIMIT $3
       ) r`,
      [organisationId, since.toISOString(), limit],
      ['createdAt', 'claimedAt'],
    );
    return rows.flatMap((row) => (row.claimedAt ? [Math.max(0, row.claimedAt.getTime() - row.createdAt.getTime())] : []));
  }

  async listEvents(referralId: string): Promise<StoredReferralEvent[]> {
    if (!isUuid(referralId)) return [];
    const rows = await this.prisma.referralEvent.findMany({ where: { referralId }, orderBy: [{ createdAt: 'asc' }, { id: 'asc' }] });
    return rows.map(this.toEvent);
  }

  async addEvent(referralId: string, event: NewReferralEvent): Promise<StoredReferralEvent> {
    return this.toEvent(await insertEvent(this.prisma, this.cipher, referralId, event));
  }

  async claim(input: { organisationId: string; referralId: string; userId: string; now: Date; notice?: OutboundForPerson }): Promise<ClaimResult> {
    if (!isUuid(input.referralId) || !isUuid(input.organisationId)) return { ok: false, reason: 'not_found' };
    return this.prisma.$transaction(async (tx): Promise<ClaimResult> => {
      // Under READ COMMITTED the second claimer blocks on the row, then re-checks `status = 'new'`
      // against the committed row and matches nothing: exactly one claim wins.
      let [row] = await tx.referral.updateManyAndReturn({
        where: { id: input.referralId, organisationId: input.organisationId, status: 'new' },
        data: { status: 'claimed', assignedUserId: input.userId, claimedAt: input.now },
      });
      let retaken = false;
      if (!row) {
        [row] = await tx.referral.updateManyAndReturn({
          where: { id: input.referralId, organisationId: input.organisationId, status: { in: OPEN }, assignedUserId: input.userId },
          data: { assignedUserId: input.userId },
        });
        retaken = row !== undefined;
      }
      if (!row) {
        const current = await tx.referral.findFirst({
          where: { id: input.referralId, organisationId: input.organisationId },
          select: { status: true, assignedUserId: true },
        });
        return current ? { ok: false, reason: 'taken', assignedUserId: current.assignedUserId, status: current.status } : { ok: false, reason: 'not_found' };
      }
      await insertEvent(tx, this.cipher, row.id, { type: 'claimed', actorUserId: input.userId, ...(retaken ? { data: { again: true } } : {}) });
      await setConversationStatus(tx, row.conversationId, 'human', ['queued', 'bot', 'human']);
      const queued = input.notice ? await appendForPerson(tx, this.cipher, row.conversationId, input.notice) : null;
      return { ok: true, referral: this.toReferral(row), queued, retaken };
    });
  }

  async transition(input: TransitionInput): Promise<TransitionResult> {
    if (!isUuid(input.referralId) || !isUuid(input.organisationId)) return { ok: false, reason: 'not_found' };
    return this.prisma.$transaction(async (tx): Promise<TransitionResult> => {
      const [row] = await tx.referral.updateManyAndReturn({
        where: {
          id: input.referralId,
          organisationId: input.organisationId,
          status: { in: [...input.from] },
          ...(input.assignee !== undefined ? { assignedUserId: input.assignee } : {}),
        },
        data: {
          ...(input.to ? { status: input.to } : {}),
          ...(input.finish ? { openConversationId: null, closedAt: input.now } : {}),
        },
      });
      if (!row) {
        const current = await tx.referral.findFirst({
          where: { id: input.referralId, organisationId: input.organisationId },
          select: { status: true, assignedUserId: true },
        });
        if (!current) return { ok: false, reason: 'not_found' };
        if (!input.from.includes(current.status)) return { ok: false, reason: 'wrong_status', status: current.status };
        return { ok: false, reason: 'not_assignee', assignedUserId: current.assignedUserId };
      }
      await insertEvent(tx, this.cipher, row.id, input.event);
      if (input.conversationStatus) await setConversationStatus(tx, row.conversationId, input.conversationStatus, input.conversationStatusFrom);
      const queued = input.notice ? await appendForPerson(tx, this.cipher, row.conversationId, input.notice) : null;
      return { ok: true, referral: this.toReferral(row), queued };
    });
  }

  async reassign(input: ReassignInput): Promise<ReassignResult> {
    if (!isUuid(input.referralId) || !isUuid(input.organisationId)) return { ok: false, reason: 'not_found' };
    if (input.toUserId !== null && !isUuid(input.toUserId)) return { ok: false, reason: 'no_such_user' };
    const toUserId = input.toUserId;
    return this.prisma.$transaction(async (tx): Promise<ReassignResult> => {
      const [current] = lockedReferralSchema.parse(
        await tx.$queryRaw`SELECT status::text AS status, "assignedUserId"::text AS "assignedUserId" FROM "Referral"
          WHERE id = ${input.referralId}::uuid AND "organisationId" = ${input.organisationId}::uuid FOR UPDATE`,
      );
      if (!current) return { ok: false, reason: 'not_found' };
      if (!OPEN.includes(current.status)) return { ok: false, reason: 'wrong_status', status: current.status };
      if (input.assignee !== undefined && current.assignedUserId !== input.assignee) {
        return { ok: false, reason: 'not_assignee', assignedUserId: current.assignedUserId };
      }
      if (current.assignedUserId === toUserId) return { ok: false, reason: 'unchanged', status: current.status, assignedUserId: current.assignedUserId };
      if (toUserId !== null) {
        const colleague = await tx.user.findFirst({ where: { id: toUserId, organisationId: input.organisationId, active: true }, select: { id: true } });
        if (!colleague) return { ok: false, reason: 'no_such_user' };
      }
      const change: ReassignChange = toUserId === null ? 'unassigned' : current.status === 'new' ? 'assigned' : 'transferred';
      const row = await tx.referral.update({
        where: { id: input.referralId },
        data:
          change === 'unassigned'
            ? { status: 'new', assignedUserId: null }
            : change === 'assigned'
              ? { status: 'claimed', assignedUserId: toUserId, claimedAt: input.now }
              : { assignedUserId: toUserId },
      });
      await insertEvent(tx, this.cipher, row.id, { type: change, actorUserId: input.actorUserId, data: { from: current.assignedUserId, to: toUserId } });
      // Back in the queue the person waits for someone again; given to someone, a person answers.
      if (change === 'unassigned') await setConversationStatus(tx, row.conversationId, 'queued', ['human']);
      if (change === 'assigned') await setConversationStatus(tx, row.conversationId, 'human', ['queued', 'bot', 'human']);
      const notice = input.notice?.(change);
      const queued = notice ? await appendForPerson(tx, this.cipher, row.conversationId, notice) : null;
      return { ok: true, referral: this.toReferral(row), queued, change, previousUserId: current.assignedUserId };
    });
  }

  async openCountsByAssignee(organisationId: string): Promise<Map<string, number>> {
    if (!isUuid(organisationId)) return new Map();
    const rows = await this.prisma.referral.groupBy({
      by: ['assignedUserId'],
      where: { organisationId, status: { in: OPEN }, assignedUserId: { not: null } },
      _count: { _all: true },
    });
    return new Map(rows.flatMap((row) => (row.assignedUserId ? [[row.assignedUserId, row._count._all] as const] : [])));
  }

  async queueForPerson(conversationId: string, message: OutboundForPerson, options: { outbox?: boolean } = {}): Promise<QueuedOutbound | null> {
    if (!isUuid(conversationId)) return null;
    if (options.outbox ?? true) return this.prisma.$transaction((tx) => appendForPerson(tx, this.cipher, conversationId, message, true));
    // Stored only (the turn itself delivers it): one statement takes the sequence number and
    // inserts, without touching the version, like appendForPerson.
    const sealed = sealMessage(this.cipher, { ...message, payload: relayedPayload(message) });
    const [row] = await rawRows<{ message: Record<string, unknown>; channel: ChannelName }>(
      this.prisma,
      `WITH updated AS (
         UPDATE "Conversation" SET "nextSeq" = "nextSeq" + 1 WHERE "id" = $1::uuid RETURNING "id", "nextSeq", "channel"
       ), inserted AS (
         INSERT INTO "Message" ("id", "conversationId", "seq", "author", "textKey", "textParams", "text", "locale", "payload", "createdAt")
         SELECT $2::uuid, "id", "nextSeq" - 1, $3::text::"MessageAuthor", $4, $5::jsonb, $6, $7, $8::jsonb, $9::timestamp(3) FROM updated
         RETURNING *
       )
       SELECT json_build_object('message', (SELECT row_to_json(inserted) FROM inserted), 'channel', (SELECT "channel" FROM updated))::text AS "row"
       WHERE EXISTS (SELECT 1 FROM updated)`,
      [
        conversationId,
        randomUUID(),
        message.author,
        message.textKey ?? null,
        sealed.textParams === undefined ? null : JSON.stringify(sealed.textParams),
        sealed.text,
        message.locale ?? null,
        sealed.payload === undefined ? null : JSON.stringify(sealed.payload),
        new Date().toISOString(),
      ],
      [],
    );
    if (!row) return null;
    return { message: toMessage(this.cipher, withDates(row.message, messageDateKeys) as unknown as MessageRow), outboxId: null, channel: row.channel };
  }

  async officeOf(organisationId: string): Promise<{ timeZone: string; officeHours: unknown } | null> {
    if (!isUuid(organisationId)) return null;
    const [row] = await rawRows<{ timeZone: string; officeHours: unknown }>(
      this.prisma,
      `SELECT row_to_json(o)::text AS "row" FROM (SELECT "timeZone", "officeHours" FROM "Organisation" WHERE "id" = $1::uuid) o`,
      [organisationId],
      [],
    );
    return row ?? null;
  }

  async displayNames(userIds: readonly string[]): Promise<Map<string, string | null>> {
    const ids = [...new Set(userIds)].filter(isUuid);
    const rows = ids.length === 0 ? [] : await this.prisma.user.findMany({ where: { id: { in: ids } }, select: { id: true, displayName: true } });
    return new Map(rows.map((row) => [row.id, row.displayName]));
  }
}

async function insertEvent(tx: Tx | PrismaClient, cipher: FieldCipher, referralId: string, event: NewReferralEvent) {
  return tx.referralEvent.create({
    data: {
      referralId,
      type: event.type,
      actorUserId: event.actorUserId,
      ...(event.data ? { data: toOptionalJsonInput(cipher.sealJson(referralFields.eventData, event.data)) } : {}),
    },
  });
}

/**
 * A status change from outside a turn bumps the conversation's version, so a turn computed from
 * the old status conflicts and runs again instead of writing the old status back.
 */
async function setConversationStatus(tx: Tx, conversationId: string, status: ConversationStatus, from?: readonly ConversationStatus[]): Promise<void> {
  await tx.conversation.updateMany({
    where: { id: conversationId, ...(from ? { status: { in: [...from] } } : {}) },
    data: { status, version: { increment: 1 } },
  });
}

/** The stored message's payload: it was relayed, and by whom (the channels label a counsellor's words with it). */
function relayedPayload(message: OutboundForPerson): Record<string, unknown> {
  return {
    relayed: true,
    ...(message.authorName ? { authorName: message.authorName } : {}),
    ...(message.translation ? { translation: message.translation } : {}),
  };
}

/** Takes the next sequence number without touching the version: turns and relayed messages interleave safely. */
async function appendForPerson(tx: Tx, cipher: FieldCipher, conversationId: string, message: OutboundForPerson, outbox = true): Promise<QueuedOutbound | null> {
  const [conversation] = await tx.conversation.updateManyAndReturn({ where: { id: conversationId }, data: { nextSeq: { increment: 1 } } });
  if (!conversation) return null;
  const seq = conversation.nextSeq - 1;
  const row = await tx.message.create({
    data: {
      conversationId,
      seq,
      author: message.author,
      ...sealMessage(cipher, { ...message, payload: relayedPayload(message) }),
      textKey: message.textKey ?? null,
      locale: message.locale,
    },
  });
  const queued = outbox
    ? await tx.outboxMessage.create({
        data: {
          conversationId,
          channel: conversation.channel,
          payload: toJsonInput(cipher.sealJson(referralFields.outboxPayload, { ...message.payload, messageId: row.id, seq })),
        },
      })
    : null;
  return {
    message: toMessage(cipher, row),
    outboxId: queued?.id ?? null,
    channel: conversation.channel,
  };
}

function toReferral(cipher: FieldCipher, row: ReferralRow): StoredReferral {
  return {
    id: row.id,
    organisationId: row.organisationId,
    conversationId: row.conversationId,
    status: row.status,
    priority: row.priority,
    record: cipher.openJson(referralFields.record, row.record),
    assignedUserId: row.assignedUserId,
    createdAt: row.createdAt,
    updatedAt: row.updatedAt,
    closedAt: row.closedAt,
    claimedAt: row.claimedAt,
  };
}

function toEvent(cipher: FieldCipher, row: EventRow): StoredReferralEvent {
  return {
    id: row.id,
    referralId: row.referralId,
    type: row.type,
    actorUserId: row.actorUserId,
    data: asRecord(row.data === null ? null : cipher.openJson(referralFields.eventData, row.data)),
    createdAt: row.createdAt,
  };
}
