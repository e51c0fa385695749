import { randomUUID } from 'node:crypto';
import pg from 'pg';
import type { Logger } from 'pino';
import { z } from 'zod';
import { createInProcessEvents, handoffEventSchema, type HandoffEvent, type HandoffEvents } from './events.js';

/** PostgreSQL refuses NOTIFY payloads of 8000 bytes or more; stay clear of it. */
const maxPayloadBytes = 7_500;
const reconnectMs = 1_000;

const envelopeSchema = z.strictObject({
  /** The publishing instance: it delivered the event to its own listeners already. */
  origin: z.string().min(1).max(64),
  event: handoffEventSchema,
  /** The person's words did not fit the payload: the receiver reads the stored message instead. */
  textOmitted: z.literal(true).optional(),
});

export interface PostgresEventsOptions {
  databaseUrl: string;
  /** The NOTIFY channel; one per database schema, so test schemas on one server stay apart. */
  channel: string;
  logger: Logger;
  /** The stored text of a client message, for events whose text did not fit the payload. */
  storedText(conversationId: string, seq: number): Promise<string | null>;
}

/** A further NOTIFY channel on the events' listening connection (src/channels/web/pg-feed.ts). */
export interface NotifyChannel {
  /** Sends to every instance listening, this one included; in order with every other NOTIFY sent here. */
  notify(payload: string): void;
}

export interface PostgresEvents extends HandoffEvents {
  /**
   * Listens on one more channel over the same connection (one LISTEN connection per instance,
   * whatever travels on it). `receive` gets every payload sent on it, this instance's own too:
   * the caller tells its own apart. Payloads stay under 7,500 bytes (PostgreSQL refuses 8,000).
   *
   * @example
   * const activities = events.openChannel('homeward_directline', (payload) => handle(payload));
   * activities.notify(JSON.stringify({ origin, ref, watermark: '12' }));
   */
  openChannel(name: string, receive: (payload: string) => void): NotifyChannel;
  close(): Promise<void>;
}

/** A NOTIFY channel name for a schema (identifiers are at most 63 bytes). */
export function notifyChannelFor(pgSchema: string | undefined): string {
  return `homeward_events${pgSchema ? `_${pgSchema}` : ''}`.slice(0, 63);
}

/**
 * Handoff events shared by every instance on one database. `publish` delivers to this process's
 * listeners at once and sends a NOTIFY; each instance LISTENs and delivers what others sent.
 * Payloads carry ids (and a person's short message), never records: receivers read the rest
 * from the database with their own authorisation.
 *
 * Delivery is at most once per instance: a notification sent while an instance's listening
 * connection is down is lost for it (consoles re-read the queue when their stream reconnects).
 */
export async function createPostgresEvents(options: PostgresEventsOptions): Promise<PostgresEvents> {
  const { logger, channel } = options;
  const origin = randomUUID();
  const local = createInProcessEvents((error) => logger.error({ err: error }, 'a handoff event listener failed'));
  let client: pg.Client | undefined;
  let closed = false;
  let retry: NodeJS.Timeout | undefined;
  // Sends one at a time, so other instances see events in the order they happened here.
  let tail: Promise<unknown> = Promise.resolve();
  /** Further channels on this connection (openChannel), by name. */
  const extra = new Map<string, (payload: string) => void>();
  const listen = (target: pg.Client, name: string) => target.query(`LISTEN "${name.replace(/"/g, '""')}"`);
  const send = (name: string, body: string, what: string) => {
    tail = tail
      .then(async () => {
        if (!client) throw new Error('not connected');
        await client.query('SELECT pg_notify($1, $2)', [name, body]);
      })
      .catch((error: unknown) => logger.error({ err: error, channel: name, type: what }, 'NOTIFY failed; other instances miss this event'));
  };

  const receive = (payload: string | undefined) => {
    let raw: unknown;
    try {
      raw = JSON.parse(payload ?? '');
    } catch {
      logger.warn({ channel }, 'handoff events: a notification is not JSON; ignored');
      return;
    }
    const parsed = envelopeSchema.safeParse(raw);
    if (!parsed.success) {
      logger.warn({ channel }, 'handoff events: a notification does not match the schema; ignored');
      return;
    }
    if (parsed.data.origin === origin) return;
    const { event, textOmitted } = parsed.data;
    if (event.type === 'client_message' && textOmitted) {
      options.storedText(event.conversationId, event.seq).then(
        (text) => local.publish({ ...event, text: text ?? '' }),
        (error: unknown) => logger.error({ err: error, conversationId: event.conversationId }, 'handoff events: reading a client message failed'),
      );
      return;
    }
    local.publish(event);
  };

  const connect = async (): Promise<void> => {
    // keepAlive: a connection a firewall dropped silently is noticed and replaced, not listened to forever.
    const next = new pg.Client({ connectionString: options.databaseUrl, connectionTimeoutMillis: 10_000, keepAlive: true });
    const lost = () => {
      if (client === next) client = undefined;
      schedule();
    };
    next.on('notification', (message) => {
      if (message.channel === channel) return receive(message.payload);
      const other = extra.get(message.channel);
      if (other && message.payload !== undefined) other(message.payload);
    });
    next.on('error', (error) => {
      logger.error({ err: error, channel }, 'handoff events: the listening connection failed; reconnecting');
      void next.end().catch(() => undefined);
      lost();
    });
    // Ended without an error (the server closed it cleanly, e.g. pg_terminate_backend): listen again.
    next.on('end', () => {
      if (closed || client !== next) return;
      logger.warn({ channel }, 'handoff events: the listening connection ended; reconnecting');
      lost();
    });
    try {
      await next.connect();
      await listen(next, channel);
      for (const name of extra.keys()) await listen(next, name);
    } catch (error) {
      // A half-open client (connected, LISTEN refused) would otherwise stay open beside its replacement.
      await next.end().catch(() => undefined);
      throw error;
    }
    if (closed) {
      await next.end();
      return;
    }
    client = next;
  };

  const schedule = () => {
    if (closed || retry) return;
    retry = setTimeout(() => {
      retry = undefined;
      connect().catch((error: unknown) => {
        logger.error({ err: error, channel }, 'handoff events: could not listen; retrying');
        schedule();
      });
    }, reconnectMs);
  };

  await connect();

  return {
    subscribe: (listener) => local.subscribe(listener),
    publish(event: HandoffEvent) {
      local.publish(event);
      let body = JSON.stringify({ origin, event });
      if (Buffer.byteLength(body) > maxPayloadBytes && event.type === 'client_message') {
        body = JSON.stringify({ origin, event: { ...event, text: '' }, textOmitted: true });
      }
      send(channel, body, event.type);
    },
    openChannel(name, onPayload) {
      if (name === channel || extra.has(name)) throw new Error(`the channel ${name} is already listened to`);
      extra.set(name, onPayload);
      // Connected already: listen now, in turn with the NOTIFYs (a reconnect listens to every channel).
      const current = client;
      if (current) {
        tail = tail
          .then(() => listen(current, name))
          .catch((error: unknown) => logger.error({ err: error, channel: name }, 'LISTEN failed; the channel is heard again after the next reconnect'));
      }
      return { notify: (payload) => send(name, payload, 'notification') };
    },
    async close() {
      closed = true;
      clearTimeout(retry);
      await tail;
      const current = client;
      client = undefined;
      await current?.end().catch(() => undefined);
    },
  };
}
