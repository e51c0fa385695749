import { TurnContext, type ConversationReference } from 'botbuilder';
import type { Logger } from 'pino';
import { z } from 'zod';
import type { TurnProcessor } from '../../conversation/turn-processor.js';
import type { InboundEvent } from '../../engine/types.js';
import type { FieldCipher } from '../../crypto/field-cipher.js';
import type { ConversationRepository, StoredConversation } from '../../store/repositories/conversations.js';
import {
  activityId,
  activityToEvent,
  clientPayloadFor,
  describeIssues,
  incomingActivitySchema,
  liveActivityId,
  offeredLabel,
  renderedToActivity,
  storedToActivity,
  toOutgoing,
  watermarkOf,
  type ActivityContext,
  type ClientPayload,
  type TextDirection,
  type WireActivity,
} from './bridge.js';
import type { ConversationFeed } from './feed.js';

/** How far back a tapped button's question is looked for: the last few messages first (nearly always the prompt), then further. */
const latestMessages = 3;
const recentMessages = 20;

/** Where a turn belongs, decided by the transport that received it (token, Azure configuration). */
export interface WebTurnScope {
  organisationId: string;
  /** The conversation's channelRef: the Direct Line conversation id, or `<channelId>:<id>` for Azure channels. */
  channelRef: string;
  /** Languages the starting request named (Accept-Language, Direct Line's `locale`). */
  preferredLocales: readonly string[];
  /** Direct Line clients expect their own activities back on the stream; Azure channels do not. */
  echo: boolean;
  /** The conversation as the caller just loaded it (to authorise the request), so the turn need not load it again; null: the caller found none. */
  known?: StoredConversation | null;
}

export type WebTurnResult =
  /** `id`: the client's activity as the stream shows it. */
  { status: 'done'; id: string } | { status: 'rejected'; reason: string } | { status: 'ignored' };

export interface WebBotDeps {
  turns: TurnProcessor;
  conversations: ConversationRepository;
  feed: ConversationFeed;
  directionOf(locale: string): TextDirection;
  logger: Logger;
  /**
   * What `InboundReceipt.key` stores for a client's retried post: a keyed hash of conversation and
   * clientActivityID (see `createDeliveryKeys`), so the receipts table names no conversation.
   */
  deliveryKeyOf(channelRef: string, clientActivityID: string): string;
}

/**
 * Delivery keys from the data cipher's blind index (a key derived from the data key, as
 * `Conversation.channelRef` is stored): equal posts give equal keys, and a key reveals nothing.
 *
 * @example
 * const deliveryKeyOf = createDeliveryKeys(cipher);
 * deliveryKeyOf(conversationId, 'web-chat-activity-1'); // 'hwi1.<keyId>.<hmac>'
 */
export function createDeliveryKeys(cipher: Pick<FieldCipher, 'blindIndex'>): WebBotDeps['deliveryKeyOf'] {
  return (channelRef, clientActivityID) => cipher.blindIndex('inboundReceipt.key', `web\0${channelRef}\0${clientActivityID}`);
}

/** Saved in `Conversation.channelData`: enough to send later without a client message to answer. */
const accountSchema = z.object({ id: z.string(), name: z.string().optional(), role: z.string().optional(), aadObjectId: z.string().optional() });
export const savedReferenceSchema = z.object({
  conversationReference: z.object({
    channelId: z.string(),
    serviceUrl: z.string(),
    conversation: z.object({
      id: z.string(),
      isGroup: z.boolean().optional(),
      conversationType: z.string().optional(),
      tenantId: z.string().optional(),
      name: z.string().optional(),
    }),
    bot: accountSchema,
    user: accountSchema.optional(),
    locale: z.string().optional(),
  }),
});

/** A saved reference as botbuilder takes it back. */
export function toConversationReference(saved: z.infer<typeof savedReferenceSchema>['conversationReference']): Partial<ConversationReference> {
  const { conversation, bot, user, ...rest } = saved;
  return {
    ...rest,
    conversation: {
      ...conversation,
      isGroup: conversation.isGroup ?? false,
      conversationType: conversation.conversationType ?? '',
      name: conversation.name ?? '',
    },
    bot: { ...bot, name: bot.name ?? '' },
    ...(user ? { user: { ...user, name: user.name ?? '' } } : {}),
  };
}

/**
 * The web channel's bot logic, the same behind our Direct Line endpoints and behind Azure Bot
 * Service: activity -> engine event -> turn -> activities sent through the context.
 */
export class WebBot {
  constructor(private readonly deps: WebBotDeps) {}

  async handle(context: TurnContext, scope: WebTurnScope): Promise<WebTurnResult> {
    const { activity } = context;
    if (activity.type === 'conversationUpdate') {
      const joined = (activity.membersAdded ?? []).some((member) => member.id !== activity.recipient?.id);
      const existing = scope.known !== undefined ? scope.known : await this.deps.conversations.findByChannelRef('web', scope.channelRef);
      if (!joined || existing) return { status: 'ignored' };
      return this.turn(context, scope, { type: 'start' }, { userId: activity.from?.id ?? 'user' });
    }
    const parsed = incomingActivitySchema.safeParse(activity);
    if (!parsed.success) return { status: 'rejected', reason: describeIssues(parsed.error) };
    const mapped = activityToEvent(parsed.data);
    const userId = parsed.data.from?.id ?? 'user';
    switch (mapped.status) {
      case 'fail':
        return { status: 'rejected', reason: mapped.reason };
      case 'live':
        return this.live(context, scope, userId);
      case 'event': {
        const label = mapped.event.type === 'choice' ? await this.labelOf(scope, mapped.event.value, mapped.event.node) : undefined;
        return this.turn(context, scope, mapped.event, { ...clientPayloadFor(parsed.data, userId), ...(label !== undefined ? { label } : {}) });
      }
    }
  }

  /** A tapped button is stored as its value; the stream shows it with the label the person saw. */
  private async labelOf(scope: WebTurnScope, value: string, node: string | undefined): Promise<string | undefined> {
    const conversation = scope.known ?? (await this.deps.conversations.findByChannelRef('web', scope.channelRef));
    if (!conversation) return undefined;
    // Every stored message is decrypted to be read: reading the newest few first saves most of that work.
    const latest = await this.deps.conversations.listMessages(conversation.id, { afterSeq: conversation.nextSeq - 1 - latestMessages });
    const label = offeredLabel(latest, value, node);
    if (label !== undefined || conversation.nextSeq <= latestMessages) return label;
    const recent = await this.deps.conversations.listMessages(conversation.id, { afterSeq: conversation.nextSeq - 1 - recentMessages });
    return offeredLabel(recent, value, node);
  }

  private async live(context: TurnContext, scope: WebTurnScope, userId: string): Promise<WebTurnResult> {
    const conversationId = context.activity.conversation.id;
    const id = liveActivityId(conversationId);
    if (scope.echo) {
      const typing: WireActivity = {
        type: 'typing',
        id,
        timestamp: new Date().toISOString(),
        channelId: 'directline',
        conversation: { id: conversationId },
        from: { id: userId, role: 'user' },
      };
      await this.deps.feed.publish(conversationId, { activities: [typing] });
    }
    return { status: 'done', id };
  }

  private async turn(context: TurnContext, scope: WebTurnScope, event: InboundEvent, clientPayload: ClientPayload): Promise<WebTurnResult> {
    const { activity } = context;
    const conversationId = activity.conversation.id;
    const outcome = await this.deps.turns.process({
      organisationId: scope.organisationId,
      channel: 'web',
      channelRef: scope.channelRef,
      preferredLocales: [...(activity.locale ? [activity.locale] : []), ...scope.preferredLocales],
      event,
      clientPayload,
      // A client retrying a post it saw time out sends the same clientActivityID: it counts once.
      ...(clientPayload.clientActivityID ? { deliveryKey: this.deps.deliveryKeyOf(scope.channelRef, clientPayload.clientActivityID) } : {}),
      ...(scope.known !== undefined ? { known: scope.known } : {}),
    });
    if (outcome.duplicate) return { status: 'done', id: liveActivityId(conversationId) };

    const view: ActivityContext = { conversationId, directionOf: this.deps.directionOf };
    const stored = outcome.stored.map((message) => storedToActivity(message, view)).filter((item): item is WireActivity => item !== null);
    const own = stored.filter((item) => item.from.role === 'user');
    const replies = stored.filter((item) => item.from.role === 'bot');
    // Turns that stored nothing (a failure's apology, the goodbye after erasure) are still said, live.
    const unstored = outcome.stored.length === 0 ? outcome.messages.map((message) => renderedToActivity(message, outcome.conversation.locale, view)) : [];

    if (scope.echo && own.length > 0) {
      const watermark = watermarkOf(own);
      await this.deps.feed.publish(conversationId, { activities: own, ...(watermark !== undefined ? { watermark } : {}) });
    }
    const outgoing = [...replies, ...unstored];
    if (outgoing.length > 0) await context.sendActivities(outgoing.map(toOutgoing));

    const erased = outcome.events.some((domainEvent) => domainEvent.type === 'erasure_requested');
    if (outcome.ok && !erased) await this.saveReference(activity, outcome.conversation);

    const clientMessage = outcome.stored.find((message) => message.author === 'client');
    return { status: 'done', id: clientMessage ? activityId(conversationId, clientMessage.seq) : liveActivityId(conversationId) };
  }

  /** Keeps the conversation reference current, writing only when it changed (not every turn). */
  private async saveReference(activity: TurnContext['activity'], conversation: StoredConversation): Promise<void> {
    const { activityId: _replyTo, ...reference } = TurnContext.getConversationReference(activity);
    const saved = savedReferenceSchema.safeParse(conversation.channelData);
    if (saved.success && sameReference(saved.data.conversationReference, reference)) return;
    try {
      await this.deps.conversations.saveChannelData(conversation.id, { conversationReference: JSON.parse(JSON.stringify(reference)) as unknown });
    } catch (error) {
      // The turn itself is stored; only later proactive sends depend on this.
      this.deps.logger.error({ err: error, conversationId: conversation.id }, 'could not save the conversation reference');
    }
  }
}

function sameReference(saved: z.infer<typeof savedReferenceSchema>['conversationReference'], current: Partial<ConversationReference>): boolean {
  return (
    saved.channelId === current.channelId &&
    saved.serviceUrl === current.serviceUrl &&
    saved.conversation.id === current.conversation?.id &&
    saved.bot.id === current.bot?.id &&
    saved.user?.id === current.user?.id &&
    saved.locale === current.locale
  );
}
