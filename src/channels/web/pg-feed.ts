import { createHash, randomUUID } from 'node:crypto';
import type { Logger } from 'pino';
import { z } from 'zod';
import type { NotifyChannel, PostgresEvents } from '../../handoff/pg-events.js';
import { seqOfActivityId, type WireActivity } from './bridge.js';
import { InProcessConversationFeed, type ActivitySet, type ConversationFeed, type FeedListener } from './feed.js';

/** PostgreSQL refuses NOTIFY payloads of 8000 bytes or more; stay clear of it. */
const maxPayloadBytes = 7_500;

/** The NOTIFY channel for Direct Line activities of one database schema (identifiers are at most 63 bytes). */
export function directLineChannelFor(pgSchema: string | undefined): string {
  return `homeward_directline${pgSchema ? `_${pgSchema}` : ''}`.slice(0, 63);
}

const messageBackSchema = z.strictObject({
  type: z.literal('messageBack'),
  title: z.string(),
  displayText: z.string(),
  text: z.string(),
  value: z.strictObject({ choice: z.string(), node: z.string().optional() }),
});

/** An activity that is not in the transcript (typing, the widget's status event, an apology), as another instance sent it. */
const liveActivitySchema = z.strictObject({
  type: z.enum(['message', 'event', 'typing']),
  id: z.string().min(1).max(200),
  timestamp: z.string().max(40),
  channelId: z.literal('directline'),
  conversation: z.strictObject({ id: z.string().max(64) }),
  from: z.strictObject({ id: z.string().max(128), role: z.enum(['bot', 'user']), name: z.string().max(200).optional() }),
  text: z.string().max(maxPayloadBytes).optional(),
  textFormat: z.literal('plain').optional(),
  locale: z.string().max(35).optional(),
  name: z.string().max(100).optional(),
  value: z.unknown().optional(),
  channelData: z.record(z.string(), z.unknown()).optional(),
  suggestedActions: z.strictObject({ actions: z.array(messageBackSchema) }).optional(),
  replyToId: z.string().max(200).optional(),
}) satisfies z.ZodType<WireActivity>;

/**
 * What one instance tells the others about a conversation's stream. Stored activities travel as
 * their watermark only: the receiving stream reads them from the transcript (the record, with its
 * own authorisation), so a notification never carries a person's words and never hits the size
 * limit. Activities that are not stored travel whole, when they fit.
 */
const notificationSchema = z.strictObject({
  origin: z.string().min(1).max(64),
  /** A hash of the Direct Line conversation id: which streams it is for, without naming it. */
  ref: z.string().min(1).max(64),
  watermark: z
    .string()
    .regex(/^\d{1,9}$/)
    .optional(),
  live: z.array(liveActivitySchema).max(20).optional(),
});
type Notification = z.infer<typeof notificationSchema>;

export interface PostgresFeedOptions {
  events: Pick<PostgresEvents, 'openChannel'>;
  /** `directLineChannelFor(pgSchema)`. */
  channel: string;
  logger: Logger;
}

/**
 * The conversation feed across instances: a person's WebSocket on instance B sees what a turn on
 * instance A stored. `publish` delivers to this instance's streams at once and NOTIFYs the others,
 * who hand their streams the watermark; each stream then reads what it has not sent yet from the
 * store, in transcript order (src/channels/web/directline/stream.ts), so notifications that cross
 * each other lose nothing and double nothing.
 *
 * @example
 * const feed = createPostgresFeed({ events: pgEvents, channel: directLineChannelFor(pgSchema), logger });
 * createWebChannel({ ...deps, feed });
 */
export function createPostgresFeed(options: PostgresFeedOptions): ConversationFeed {
  const { logger } = options;
  const origin = randomUUID();
  const local = new InProcessConversationFeed(logger);
  /** Conversations watched here, by the hash other instances name them with. */
  const watched = new Map<string, { ref: string; listeners: number }>();

  const receive = (payload: string) => {
    let raw: unknown;
    try {
      raw = JSON.parse(payload);
    } catch {
      logger.warn({ channel: options.channel }, 'Direct Line feed: a notification is not JSON; ignored');
      return;
    }
    const parsed = notificationSchema.safeParse(raw);
    if (!parsed.success) {
      logger.warn({ channel: options.channel }, 'Direct Line feed: a notification does not match the schema; ignored');
      return;
    }
    const { origin: from, ref, watermark, live } = parsed.data;
    if (from === origin) return;
    const target = watched.get(ref);
    if (!target) return;
    void local.publish(target.ref, { activities: live ?? [], ...(watermark !== undefined ? { watermark } : {}) });
  };
  const channel: NotifyChannel = options.events.openChannel(options.channel, receive);

  return {
    subscribe(conversationRef: string, listener: FeedListener) {
      const key = hashOf(conversationRef);
      const entry = watched.get(key) ?? { ref: conversationRef, listeners: 0 };
      entry.listeners++;
      watched.set(key, entry);
      const unsubscribe = local.subscribe(conversationRef, listener);
      let done = false;
      return () => {
        if (done) return;
        done = true;
        unsubscribe();
        if (--entry.listeners === 0 && watched.get(key) === entry) watched.delete(key);
      };
    },
    async publish(conversationRef: string, set: ActivitySet) {
      await local.publish(conversationRef, set);
      const notification = notificationFor(origin, conversationRef, set, logger);
      if (notification !== undefined) channel.notify(notification);
    },
    async close() {
      watched.clear();
      await local.close();
    },
  };
}

function hashOf(conversationRef: string): string {
  return createHash('sha256').update(conversationRef, 'utf8').digest('base64url').slice(0, 32);
}

/** The notification for a published set; undefined when it tells nothing (an empty set). */
function notificationFor(origin: string, conversationRef: string, set: ActivitySet, logger: Logger): string | undefined {
  const seqs = set.activities.map((activity) => seqOfActivityId(activity.id)).filter((seq): seq is number => seq !== null);
  const reaches = Math.max(set.watermark !== undefined ? Number(set.watermark) : -1, ...seqs);
  const base: Notification = { origin, ref: hashOf(conversationRef), ...(reaches >= 0 ? { watermark: String(reaches) } : {}) };
  const live = set.activities.filter((activity) => seqOfActivityId(activity.id) === null);
  if (live.length === 0) return reaches >= 0 ? JSON.stringify(base) : undefined;
  const whole = JSON.stringify({ ...base, live });
  if (Buffer.byteLength(whole) <= maxPayloadBytes) return whole;
  // Too big to carry (a very long apology text): streams elsewhere miss this live activity only.
  logger.warn({ activities: live.length }, 'Direct Line feed: live activities too large for other instances; sent here only');
  return JSON.stringify(base);
}
