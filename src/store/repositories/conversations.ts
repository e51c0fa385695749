import { randomUUID } from 'node:crypto';
import { noEncryption, type FieldCipher } from '../../crypto/field-cipher.js';
import type { Prisma, PrismaClient } from '../generated/client.js';
import { asRecord, isUuid, toJsonInput, toOptionalJsonInput } from './records.js';
import { conversationDateKeys, messageDateKeys, rawRows } from './raw-rows.js';
import { sealOutboxPayload, type OutboxPayload } from './outbox-payload.js';
import { writeTurn } from './turn-commit.js';

export type ChannelName = 'web' | 'telegram';
export type ConversationStatus = 'bot' | 'queued' | 'human' | 'closed';
export type MessageAuthor = 'client' | 'bot' | 'counsellor' | 'system';

export interface StoredConversation {
  id: string;
  organisationId: string;
  channel: ChannelName;
  /** The channel's own id for the chat (Direct Line conversation id, Telegram chat id). */
  channelRef: string;
  locale: string;
  /** The engine's state as stored; the engine validates it before use. */
  flowState: unknown;
  status: ConversationStatus;
  version: number;
  nextSeq: number;
  /** Channel-specific delivery data (the web channel's ConversationReference); the channel validates it. */
  channelData: unknown;
  createdAt: Date;
  updatedAt: Date;
}

export interface NewConversation {
  organisationId: string;
  channel: ChannelName;
  channelRef: string;
  locale: string;
  flowState: unknown;
}

export interface NewMessage {
  author: MessageAuthor;
  /** The text as the reader saw it (rendered, for bot messages). */
  text: string;
  /** i18n key and parameters of a bot message, so the transcript can be shown in any language. */
  textKey?: string;
  textParams?: Record<string, unknown>;
  locale?: string;
  /** Channel-neutral extras (offered choices, the channel's activity id); stored as JSON. */
  payload?: unknown;
}

export interface StoredMessage {
  id: string;
  conversationId: string;
  seq: number;
  author: MessageAuthor;
  text: string;
  textKey: string | null;
  textParams: Record<string, unknown> | null;
  locale: string | null;
  payload: unknown;
  createdAt: Date;
}

export interface NewConsent {
  noticeVersion: string;
  granted: boolean;
  /** What was agreed to, e.g. ["store_answers", "share_with_counsellor"]. */
  scopes: string[];
  channel: ChannelName;
}

export interface StoredConsent extends NewConsent {
  id: string;
  conversationId: string;
  createdAt: Date;
}

export interface TurnCommit {
  conversationId: string;
  /** The version the turn was computed from; the commit fails if the conversation moved since. */
  expectedVersion: number;
  locale: string;
  flowState: unknown;
  status?: ConversationStatus;
  /** Appended in this order, numbered from the conversation's `nextSeq`. */
  messages: NewMessage[];
  /** Recorded in the same transaction as the turn; `channel` defaults to the conversation's. */
  consent?: Omit<NewConsent, 'channel'> & { channel?: ChannelName };
  /**
   * The channel's id of the delivery that caused this turn (a Telegram update id, a client
   * activity id). A second commit with the same key stores nothing and reports `duplicate`.
   */
  deliveryKey?: string;
  /**
   * Funnel milestones (read by analytics), written only after consent: the person finished the
   * intake (sets `intakeCompletedAt` the first time only), and the outcome code per programme of
   * the latest explanation (replaces the earlier ones; null removes them when consent is withdrawn).
   */
  intakeCompleted?: boolean;
  eligibilityOutcomes?: Record<string, string> | null;
  /**
   * The turn's replies as the conversation's channel sends them (src/store/repositories/outbox.ts),
   * stored in the same statement: a crash after the commit still delivers them.
   */
  outbox?: OutboxPayload[];
}

export type TurnCommitResult =
  | { ok: true; version: number; conversation: StoredConversation; messages: StoredMessage[] }
  /** Another turn committed first (or the conversation no longer exists): nothing was stored. */
  | { ok: false; reason: 'conflict' }
  /** This delivery was already processed: nothing was stored. */
  | { ok: false; reason: 'duplicate' };

/** Conversations, their messages and consents; the only code that writes them. */
export interface ConversationRepository {
  findById(id: string): Promise<StoredConversation | null>;
  findByChannelRef(channel: ChannelName, channelRef: string): Promise<StoredConversation | null>;
  /** Creates the conversation, or returns the existing one for the same (channel, channelRef). */
  create(input: NewConversation): Promise<StoredConversation>;
  /**
   * Stores one turn atomically: the new state (version + 1) and its messages, only if the
   * conversation is still at `expectedVersion`.
   *
   * @example
   * const result = await conversations.commitTurn({ conversationId, expectedVersion: conv.version,
   *   locale, flowState, messages: [{ author: 'client', text: 'hello' }] });
   * if (!result.ok) { reload the conversation and run the turn again }
   */
  commitTurn(input: TurnCommit): Promise<TurnCommitResult>;
  listMessages(conversationId: string, options?: { afterSeq?: number; limit?: number }): Promise<StoredMessage[]>;
  /** Replaces the channel's delivery data of a conversation; false if the conversation is gone. */
  saveChannelData(conversationId: string, channelData: unknown): Promise<boolean>;
  /** Whether a delivery (see `TurnCommit.deliveryKey`) was already processed. */
  wasDelivered(channel: ChannelName, deliveryKey: string): Promise<boolean>;
  /** Records a consent decision outside a turn; prefer `commitTurn({ consent })`. */
  recordConsent(input: NewConsent & { conversationId: string }): Promise<StoredConsent>;
  listConsents(conversationId: string): Promise<StoredConsent[]>;
  /** Deletes the conversation with its messages, consents and referrals; false if there was none. */
  erase(conversationId: string): Promise<boolean>;
}

type ConversationRow = Prisma.ConversationGetPayload<object>;
type MessageRow = Prisma.MessageGetPayload<object>;
type ConsentRow = Prisma.ConsentGetPayload<object>;

export interface RepositoryOptions {
  /**
   * Seals message texts, flow states and channel data at rest (src/crypto/field-cipher.ts).
   * The app and the admin commands always pass one; without it values are stored as they are.
   */
  cipher?: FieldCipher;
}

export function createConversationRepository(prisma: PrismaClient, options: RepositoryOptions = {}): ConversationRepository {
  return new PrismaConversationRepository(prisma, options.cipher ?? noEncryption);
}

/** The encrypted columns of conversations and messages, shared with the repositories that append messages. */
export const conversationFields = {
  /** Blind index: findable, not readable. */
  channelRef: 'conversation.channelRef',
  channelAddress: 'conversation.channelAddress',
  flowState: 'conversation.flowState',
  channelData: 'conversation.channelData',
  messageText: 'message.text',
  messageParams: 'message.textParams',
  // A tapped button's label says what the person answered ("Afghanistan"), so payloads are sealed too.
  messagePayload: 'message.payload',
} as const;

/** The stored form of a channel's chat id: a blind index to find it, the id itself sealed to send to it. */
export function sealChannelRef(cipher: FieldCipher, channelRef: string): { channelRef: string; channelAddress: string | null } {
  return cipher.encrypts
    ? { channelRef: cipher.blindIndex(conversationFields.channelRef, channelRef), channelAddress: cipher.seal(conversationFields.channelAddress, channelRef) }
    : { channelRef, channelAddress: null };
}

/** The chat id of a stored conversation row. */
export function openChannelRef(cipher: FieldCipher, row: { channelRef: string; channelAddress: string | null }): string {
  return row.channelAddress === null ? row.channelRef : cipher.open(conversationFields.channelAddress, row.channelAddress);
}

/** A message row's columns as written, with text and parameters sealed. */
export function sealMessage(
  cipher: FieldCipher,
  message: { text: string; textParams?: Record<string, unknown> | undefined; payload?: unknown },
): { text: string; textParams: Prisma.InputJsonValue | undefined; payload: Prisma.InputJsonValue | undefined } {
  return {
    text: cipher.seal(conversationFields.messageText, message.text),
    textParams: message.textParams === undefined ? undefined : toOptionalJsonInput(cipher.sealJson(conversationFields.messageParams, message.textParams)),
    payload:
      message.payload === undefined || message.payload === null
        ? undefined
        : toOptionalJsonInput(cipher.sealJson(conversationFields.messagePayload, message.payload)),
  };
}

export function toMessage(cipher: FieldCipher, row: MessageRow): StoredMessage {
  return {
    id: row.id,
    conversationId: row.conversationId,
    seq: row.seq,
    author: row.author,
    text: cipher.open(conversationFields.messageText, row.text),
    textKey: row.textKey,
    textParams: asRecord(row.textParams === null ? null : cipher.openJson(conversationFields.messageParams, row.textParams)),
    locale: row.locale,
    payload: row.payload === null ? null : cipher.openJson(conversationFields.messagePayload, row.payload),
    createdAt: row.createdAt,
  };
}

class PrismaConversationRepository implements ConversationRepository {
  constructor(
    private readonly prisma: PrismaClient,
    private readonly cipher: FieldCipher,
  ) {}

  private toConversation(row: ConversationRow): StoredConversation {
    return toConversation(this.cipher, row);
  }

  async findById(id: string): Promise<StoredConversation | null> {
    if (!isUuid(id)) return null;
    const [row] = await rawRows<ConversationRow>(
      this.prisma,
      `SELECT row_to_json(c)::text AS "row" FROM "Conversation" c WHERE c."id" = $1::uuid`,
      [id],
      conversationDateKeys,
    );
    return row ? this.toConversation(row) : null;
  }

  async findByChannelRef(channel: ChannelName, channelRef: string): Promise<StoredConversation | null> {
    // The index under every configured key, and the id itself for rows written before encryption.
    const candidates = [...this.cipher.blindIndexes(conversationFields.channelRef, channelRef), channelRef];
    const [row] = await rawRows<ConversationRow>(
      this.prisma,
      `SELECT row_to_json(c)::text AS "row" FROM "Conversation" c WHERE c."channel" = $1::text::"Channel" AND c."channelRef" = ANY($2::text[]) ORDER BY c."createdAt", c."id" LIMIT 1`,
      [channel, candidates],
      conversationDateKeys,
    );
    return row ? this.toConversation(row) : null;
  }

  async create(input: NewConversation): Promise<StoredConversation> {
    // Every new chat starts here: plain SQL (raw-rows.ts says why). A chat created at the same
    // moment by another request wins; this one then returns it.
    const sealed = sealChannelRef(this.cipher, input.channelRef);
    const now = new Date().toISOString();
    const [row] = await rawRows<ConversationRow>(
      this.prisma,
      `INSERT INTO "Conversation" ("id", "organisationId", "channel", "channelRef", "channelAddress", "locale", "flowState", "createdAt", "updatedAt")
       VALUES ($1::uuid, $2::uuid, $3::text::"Channel", $4, $5, $6, $7::jsonb, $8::timestamp(3), $8::timestamp(3))
       ON CONFLICT ("channel", "channelRef") DO NOTHING
       RETURNING row_to_json("Conversation")::text AS "row"`,
      [
        randomUUID(),
        input.organisationId,
        input.channel,
        sealed.channelRef,
        sealed.channelAddress,
        input.locale,
        JSON.stringify(this.cipher.sealJson(conversationFields.flowState, input.flowState) ?? null),
        now,
      ],
      conversationDateKeys,
    );
    if (row) return this.toConversation(row);
    const existing = await this.findByChannelRef(input.channel, input.channelRef);
    if (!existing) throw new Error('a conversation with this channel id exists but could not be read');
    return existing;
  }

  async saveChannelData(conversationId: string, channelData: unknown): Promise<boolean> {
    if (!isUuid(conversationId)) return false;
    // Not a turn: the version stays, so a concurrent turn is not made to retry.
    const { count } = await this.prisma.conversation.updateMany({
      where: { id: conversationId },
      data: {
        channelData: toJsonInput(channelData === null || channelData === undefined ? null : this.cipher.sealJson(conversationFields.channelData, channelData)),
      },
    });
    return count > 0;
  }

  async wasDelivered(channel: ChannelName, deliveryKey: string): Promise<boolean> {
    return (await this.prisma.inboundReceipt.count({ where: { channel, key: deliveryKey } })) > 0;
  }

  async commitTurn(input: TurnCommit): Promise<TurnCommitResult> {
    const written = await writeTurn(this.prisma, {
      conversationId: input.conversationId,
      expectedVersion: input.expectedVersion,
      locale: input.locale,
      flowState: this.cipher.sealJson(conversationFields.flowState, input.flowState),
      ...(input.status ? { status: input.status } : {}),
      ...(input.eligibilityOutcomes !== undefined ? { eligibilityOutcomes: input.eligibilityOutcomes } : {}),
      ...(input.intakeCompleted ? { intakeCompleted: true } : {}),
      ...(input.deliveryKey !== undefined ? { deliveryKey: input.deliveryKey } : {}),
      messages: input.messages.map((message) => ({
        author: message.author,
        textKey: message.textKey,
        locale: message.locale,
        ...sealMessage(this.cipher, message),
      })),
      ...(input.consent ? { consent: input.consent } : {}),
      ...(input.outbox ? { outbox: input.outbox.map((payload) => sealOutboxPayload(this.cipher, payload)) } : {}),
    });
    if (!written.ok) return written;
    return {
      ok: true,
      version: written.conversation.version,
      conversation: this.toConversation(written.conversation),
      messages: written.messages.map((row) => toMessage(this.cipher, row)),
    };
  }

  async listMessages(conversationId: string, options: { afterSeq?: number; limit?: number } = {}): Promise<StoredMessage[]> {
    if (!isUuid(conversationId)) return [];
    const rows = await rawRows<MessageRow>(
      this.prisma,
      `SELECT row_to_json(m)::text AS "row" FROM "Message" m WHERE m."conversationId" = $1::uuid AND m."seq" > $2 ORDER BY m."seq" LIMIT $3`,
      [conversationId, options.afterSeq ?? -1, options.limit ?? null],
      messageDateKeys,
    );
    return rows.map((row) => toMessage(this.cipher, row));
  }

  async recordConsent(input: NewConsent & { conversationId: string }): Promise<StoredConsent> {
    return toConsent(await this.prisma.consent.create({ data: input }));
  }

  async listConsents(conversationId: string): Promise<StoredConsent[]> {
    if (!isUuid(conversationId)) return [];
    const rows = await rawRows<ConsentRow>(
      this.prisma,
      `SELECT row_to_json(c)::text AS "row" FROM "Consent" c WHERE c."conversationId" = $1::uuid ORDER BY c."createdAt"`,
      [conversationId],
      ['createdAt'],
    );
    return rows.map(toConsent);
  }

  async erase(conversationId: string): Promise<boolean> {
    if (!isUuid(conversationId)) return false;
    const { count } = await this.prisma.conversation.deleteMany({ where: { id: conversationId } });
    return count > 0;
  }
}

function toConversation(cipher: FieldCipher, row: ConversationRow): StoredConversation {
  return {
    id: row.id,
    organisationId: row.organisationId,
    channel: row.channel,
    channelRef: openChannelRef(cipher, row),
    locale: row.locale,
    flowState: cipher.openJson(conversationFields.flowState, row.flowState),
    status: row.status,
    version: row.version,
    nextSeq: row.nextSeq,
    channelData: row.channelData === null ? null : cipher.openJson(conversationFields.channelData, row.channelData),
    createdAt: row.createdAt,
    updatedAt: row.updatedAt,
  };
}

function toConsent(row: ConsentRow): StoredConsent {
  return {
    id: row.id,
    conversationId: row.conversationId,
    noticeVersion: row.noticeVersion,
    granted: row.granted,
    scopes: row.scopes,
    channel: row.channel,
    createdAt: row.createdAt,
  };
}
