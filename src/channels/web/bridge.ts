// Bot Framework Activities <-> the engine's events and the stored transcript. The message table is
// the activity log: an activity's id is `<conversation>|<seq>` and the watermark is the last seq.
import { randomUUID } from 'node:crypto';
import type { Activity } from 'botbuilder';
import { z } from 'zod';
import { inboundEventSchema, maxInboundTextLength } from '../../conversation/inbound.js';
import type { RenderedMessage } from '../../conversation/render.js';
import type { InboundEvent } from '../../engine/types.js';
import type { StoredMessage } from '../../store/repositories/conversations.js';
import { issueLines } from '../../validation/zod-issues.js';

export const botAccount = { id: 'homeward', role: 'bot' } as const;

/** Event activities a client may send, and the engine event each becomes. */
export const clientEventNames = ['handoff.request', 'locale', 'erase.request', 'restart'] as const;
export type ClientEventName = (typeof clientEventNames)[number];

export type TextDirection = 'ltr' | 'rtl';

export interface MessageBackAction {
  type: 'messageBack';
  title: string;
  displayText: string;
  text: string;
  value: { choice: string; node?: string };
}

/** An activity as Direct Line clients receive it (JSON). */
export interface WireActivity {
  type: 'message' | 'event' | 'typing';
  id: string;
  timestamp: string;
  channelId: 'directline';
  conversation: { id: string };
  from: { id: string; role: 'bot' | 'user'; name?: string };
  text?: string;
  textFormat?: 'plain';
  locale?: string;
  name?: string;
  value?: unknown;
  channelData?: Record<string, unknown>;
  suggestedActions?: { actions: MessageBackAction[] };
  replyToId?: string;
}

/**
 * Ids and names a client sends are stored, hashed or compared, never shown as text: a control
 * character (NUL above all, which PostgreSQL refuses in text) is a 400 here, not a 500 later.
 */
export const clientIdSchema = (max: number) =>
  z
    .string()
    .max(max)
    .regex(/^[^\p{Cc}]*$/u, 'may not hold control characters');

const accountSchema = z.object({ id: clientIdSchema(128).trim().min(1), name: clientIdSchema(200).optional() });
const clientChannelDataSchema = z.object({ clientActivityID: clientIdSchema(100).min(1).optional() });
const commonFields = {
  from: accountSchema.optional(),
  locale: clientIdSchema(35).min(2).optional(),
  channelData: clientChannelDataSchema.optional(),
};

/**
 * An activity a client posts. Unknown fields that clients add (entities, textFormat, timestamps)
 * are dropped; anything we would act on is checked here.
 */
export const incomingActivitySchema = z.discriminatedUnion(
  'type',
  [
    z.object({
      type: z.literal('message'),
      text: z.string().max(maxInboundTextLength, `text is longer than ${maxInboundTextLength} characters`).optional(),
      value: z.unknown().optional(),
      attachments: z.array(z.unknown()).max(0, 'file uploads and attachments are not supported').optional(),
      ...commonFields,
    }),
    z.object({ type: z.literal('event'), name: z.enum(clientEventNames), value: z.unknown().optional(), ...commonFields }),
    z.object({ type: z.literal('typing'), ...commonFields }),
  ],
  { error: `type must be one of message, event, typing` },
);
export type IncomingActivity = z.infer<typeof incomingActivitySchema>;

const choiceValueSchema = z.object({ choice: clientIdSchema(200), node: clientIdSchema(200).optional() });

export type MappedActivity =
  | { status: 'event'; event: InboundEvent }
  /** Passed on to live subscribers only: never stored, never shown to the engine. */
  | { status: 'live' }
  | { status: 'fail'; reason: string };

/** One readable line per zod issue, for a 400 answer. */
export function describeIssues(error: z.ZodError): string {
  return issueLines(error).join('; ');
}

/** What the engine should make of a client's activity (already shaped by `incomingActivitySchema`). */
export function activityToEvent(activity: IncomingActivity): MappedActivity {
  let candidate: unknown;
  switch (activity.type) {
    case 'typing':
      return { status: 'live' };
    case 'message': {
      const choice = choiceValueSchema.safeParse(activity.value);
      if (choice.success) candidate = { type: 'choice', value: choice.data.choice, ...(choice.data.node !== undefined ? { node: choice.data.node } : {}) };
      else if (activity.text !== undefined) candidate = { type: 'text', text: activity.text };
      else return { status: 'fail', reason: 'a message needs text or value.choice' };
      break;
    }
    case 'event':
      candidate = eventFor(activity.name, activity.value);
      break;
    default:
      return assertNever(activity);
  }
  const parsed = inboundEventSchema.safeParse(candidate);
  return parsed.success ? { status: 'event', event: parsed.data } : { status: 'fail', reason: describeIssues(parsed.error) };
}

function eventFor(name: ClientEventName, value: unknown): unknown {
  switch (name) {
    case 'handoff.request':
      return { type: 'intent', intent: 'handoff' };
    case 'erase.request':
      return { type: 'intent', intent: 'erase' };
    case 'restart':
      return { type: 'intent', intent: 'restart' };
    case 'locale':
      return { type: 'locale', locale: value };
    default:
      return assertNever(name);
  }
}

function assertNever(value: never): never {
  throw new Error(`unhandled activity: ${JSON.stringify(value)}`);
}

/**
 * Kept with the client's stored message, so the transcript can be replayed as the activity the
 * client sent (its user id, event name, Web Chat's clientActivityID). Never any of its text.
 */
const clientPayloadSchema = z.object({
  event: z.string().optional(),
  userId: z.string().optional(),
  activityType: z.enum(['message', 'event']).optional(),
  eventName: z.enum(clientEventNames).optional(),
  clientActivityID: z.string().optional(),
  /** The label of the tapped button as we offered it (our words, never the client's). */
  label: z.string().optional(),
});
export type ClientPayload = z.infer<typeof clientPayloadSchema>;

export function clientPayloadFor(activity: IncomingActivity, userId: string): ClientPayload {
  return {
    userId,
    activityType: activity.type === 'event' ? 'event' : 'message',
    ...(activity.type === 'event' ? { eventName: activity.name } : {}),
    ...(activity.channelData?.clientActivityID ? { clientActivityID: activity.channelData.clientActivityID } : {}),
  };
}

const botPayloadSchema = z.object({
  choices: z.array(z.object({ value: z.string(), label: z.string() })).catch([]),
  node: z.string().optional(),
  /** A relayed counsellor's message: their display name (src/store/repositories/referrals.ts). */
  authorName: z.string().optional().catch(undefined),
});

/** Who wrote a message for the person, as the widget labels it (`channelData.author`). */
export interface MessageAuthor {
  role: 'counsellor';
  /** The counsellor's display name; absent when they set none. */
  name?: string;
}

/** The label of the button `value` (of question `node`) in the latest bot message that offered it. */
export function offeredLabel(messages: readonly StoredMessage[], value: string, node: string | undefined): string | undefined {
  for (const message of [...messages].reverse()) {
    if (message.author === 'client') continue;
    const payload = botPayloadSchema.safeParse(message.payload);
    if (!payload.success || (node !== undefined && payload.data.node !== node)) continue;
    const choice = payload.data.choices.find((candidate) => candidate.value === value);
    if (choice) return choice.label;
  }
  return undefined;
}

const seqDigits = 7;

export function activityId(conversationId: string, seq: number): string {
  return `${conversationId}|${String(seq).padStart(seqDigits, '0')}`;
}

/** An id for an activity that is not in the transcript (typing, an apology): it never moves the watermark. */
export function liveActivityId(conversationId: string): string {
  return `${conversationId}|live-${randomUUID()}`;
}

/** The transcript position of one of our activity ids, or null for live-only activities and foreign ids. */
export function seqOfActivityId(id: string): number | null {
  const match = /\|(\d+)$/.exec(id);
  return match?.[1] ? Number(match[1]) : null;
}

/** Parses a watermark from a client: absent means "from the start". */
export const watermarkSchema = z
  .string()
  .regex(/^(-1|\d{1,9})$/, 'watermark must be a number returned by this server')
  .transform(Number)
  .optional();

export interface ActivityContext {
  /** The Direct Line conversation id (the conversation's channelRef). */
  conversationId: string;
  directionOf(locale: string): TextDirection;
}

/**
 * A stored message as an activity. Client messages come back as the client sent them (events as
 * events); the start of a conversation is no message of the person's and is left out (null).
 */
export function storedToActivity(message: StoredMessage, context: ActivityContext): WireActivity | null {
  const base = {
    id: activityId(context.conversationId, message.seq),
    timestamp: message.createdAt.toISOString(),
    channelId: 'directline' as const,
    conversation: { id: context.conversationId },
  };
  if (message.author === 'client') {
    const payload = clientPayloadSchema.catch({}).parse(message.payload);
    if (payload.event === 'start') return null;
    const from = { id: payload.userId ?? 'user', role: 'user' as const };
    const channelData = payload.clientActivityID ? { clientActivityID: payload.clientActivityID } : undefined;
    if (payload.activityType === 'event' && payload.eventName) {
      return {
        ...base,
        type: 'event',
        from,
        name: payload.eventName,
        ...(payload.eventName === 'locale' ? { value: message.text } : {}),
        ...(channelData ? { channelData } : {}),
      };
    }
    return { ...base, type: 'message', from, text: payload.label ?? message.text, textFormat: 'plain', ...(channelData ? { channelData } : {}) };
  }
  const payload = botPayloadSchema.catch({ choices: [] }).parse(message.payload);
  return botActivity(base, {
    text: message.text,
    key: message.textKey,
    locale: message.locale,
    choices: payload.choices,
    node: payload.node,
    directionOf: context.directionOf,
    ...(message.author === 'counsellor' ? { author: { role: 'counsellor', ...(payload.authorName ? { name: payload.authorName } : {}) } } : {}),
  });
}

/** A bot message that was not stored (the apology after a failed turn, the goodbye after erasure). */
export function renderedToActivity(message: RenderedMessage, locale: string, context: ActivityContext, now = new Date()): WireActivity {
  const base = {
    id: liveActivityId(context.conversationId),
    timestamp: now.toISOString(),
    channelId: 'directline' as const,
    conversation: { id: context.conversationId },
  };
  return botActivity(base, { text: message.text, key: message.key, locale, choices: message.choices, node: message.node, directionOf: context.directionOf });
}

function botActivity(
  base: Pick<WireActivity, 'id' | 'timestamp' | 'channelId' | 'conversation'>,
  message: {
    text: string;
    key: string | null;
    locale: string | null;
    choices: readonly { value: string; label: string }[];
    node: string | undefined;
    directionOf(locale: string): TextDirection;
    /** A counsellor's words: the widget labels them, so the person can tell a person from the bot. */
    author?: MessageAuthor;
  },
): WireActivity {
  const actions = message.choices.map(
    (choice): MessageBackAction => ({
      type: 'messageBack',
      title: choice.label,
      displayText: choice.label,
      text: choice.label,
      value: { choice: choice.value, ...(message.node !== undefined ? { node: message.node } : {}) },
    }),
  );
  return {
    ...base,
    type: 'message',
    // Same sender as the bot's (Web Chat and the widget group by it); channelData tells them apart.
    from: { ...botAccount, ...(message.author?.name ? { name: message.author.name } : {}) },
    text: message.text,
    textFormat: 'plain',
    ...(message.locale ? { locale: message.locale } : {}),
    channelData: {
      ...(message.key ? { key: message.key } : {}),
      dir: message.directionOf(message.locale ?? ''),
      ...(message.author ? { author: message.author } : {}),
    },
    ...(actions.length > 0 ? { suggestedActions: { actions } } : {}),
  };
}

/** The highest transcript position among activities, as a watermark; undefined when none is stored. */
export function watermarkOf(activities: readonly WireActivity[]): string | undefined {
  const seqs = activities.map((activity) => seqOfActivityId(activity.id)).filter((seq): seq is number => seq !== null);
  return seqs.length > 0 ? String(Math.max(...seqs)) : undefined;
}

/**
 * botbuilder's TurnContext drops `id` from outgoing activities (adapters assign ids); ours are
 * transcript positions, so they travel in channelData and `fromOutgoing` puts them back.
 */
export function toOutgoing(activity: WireActivity): Partial<Activity> {
  // The context fills in conversation, channel and sender from its conversation reference.
  const { id, timestamp, from: _from, conversation: _conversation, channelId: _channelId, suggestedActions, ...rest } = activity;
  return {
    ...rest,
    timestamp: new Date(timestamp),
    channelData: { ...activity.channelData, [carriedId]: id },
    ...(suggestedActions ? { suggestedActions: { actions: suggestedActions.actions, to: [] } } : {}),
  };
}

const carriedId = 'homewardActivityId';

const outgoingSchema = z.object({
  type: z.enum(['message', 'event', 'typing']),
  conversation: z.object({ id: z.string() }),
  from: z.object({ id: z.string(), name: z.string().optional() }).optional(),
  text: z.string().optional(),
  locale: z.string().optional(),
  name: z.string().optional(),
  value: z.unknown().optional(),
  timestamp: z.date().optional(),
  channelData: z.record(z.string(), z.unknown()).optional(),
  suggestedActions: z.object({ actions: z.array(z.custom<MessageBackAction>((value) => typeof value === 'object' && value !== null)) }).optional(),
  replyToId: z.string().optional(),
});

/** An outgoing botbuilder activity as it goes on the wire; null for kinds Direct Line does not carry. */
export function fromOutgoing(activity: Partial<Activity>, now = new Date()): WireActivity | null {
  const parsed = outgoingSchema.safeParse(activity);
  if (!parsed.success) return null;
  const { channelData: rawChannelData, from, timestamp, conversation, suggestedActions, ...rest } = parsed.data;
  const { [carriedId]: carried, ...channelData } = rawChannelData ?? {};
  return {
    ...rest,
    id: typeof carried === 'string' ? carried : liveActivityId(conversation.id),
    timestamp: (timestamp ?? now).toISOString(),
    channelId: 'directline',
    conversation: { id: conversation.id },
    from: { id: from?.id ?? botAccount.id, role: 'bot', ...(from?.name ? { name: from.name } : {}) },
    ...(rest.type === 'message' ? { textFormat: 'plain' as const } : {}),
    ...(Object.keys(channelData).length > 0 ? { channelData } : {}),
    ...(suggestedActions ? { suggestedActions } : {}),
  };
}
