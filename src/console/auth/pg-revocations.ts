import pg from 'pg';
import type { Logger } from 'pino';
import { createInProcessRevocations, revocationSchema, type ClosableRevocations, type Revocation } from './revocations.js';

const reconnectMs = 1_000;

export interface PostgresRevocationsOptions {
  databaseUrl: string;
  /** One per database schema, so test schemas on one server stay apart (`revocationChannelFor`). */
  channel: string;
  logger: Logger;
}

/** The NOTIFY channel of a schema's revocation notices (identifiers are at most 63 bytes). */
export function revocationChannelFor(pgSchema: string | undefined): string {
  return `homeward_revoked${pgSchema ? `_${pgSchema}` : ''}`.slice(0, 63);
}

/**
 * Revocation notices shared by every instance on one PostgreSQL: `publish` tells this process at
 * once and sends a NOTIFY; each instance LISTENs and tells its own streams. The payload is a
 * token's SHA-256 or an id, never a token. A notice sent while an instance's listening connection
 * is down is lost for it: its streams still re-check the credential before each event
 * (src/console/api/events.ts), so a lost notice costs at most one check interval.
 *
 * @example
 * const revocations = await createPostgresRevocations({ databaseUrl, channel: revocationChannelFor(schema), logger });
 */
export async function createPostgresRevocations(options: PostgresRevocationsOptions): Promise<ClosableRevocations> {
  const { logger, channel } = options;
  const local = createInProcessRevocations((error) => logger.error({ err: error }, 'a revocation listener failed'));
  let client: pg.Client | undefined;
  let closed = false;
  let retry: NodeJS.Timeout | undefined;

  const receive = (payload: string | undefined) => {
    let raw: unknown;
    try {
      raw = JSON.parse(payload ?? '');
    } catch {
      logger.warn({ channel }, 'revocations: a notification is not JSON; ignored');
      return;
    }
    const parsed = revocationSchema.safeParse(raw);
    if (!parsed.success) {
      logger.warn({ channel }, 'revocations: a notification does not match the schema; ignored');
      return;
    }
    // Our own notices come back too: telling local listeners twice is harmless (they end once).
    local.publish(parsed.data);
  };

  const schedule = () => {
    if (closed || retry) return;
    retry = setTimeout(() => {
      retry = undefined;
      connect().catch((error: unknown) => {
        logger.error({ err: error, channel }, 'revocations: could not listen; retrying');
        schedule();
      });
    }, reconnectMs);
  };

  const connect = async (): Promise<void> => {
    const next = new pg.Client({ connectionString: options.databaseUrl, connectionTimeoutMillis: 10_000 });
    next.on('notification', (message) => {
      if (message.channel === channel) receive(message.payload);
    });
    // A broken connection (or bytes the driver cannot read) is logged and replaced, never thrown.
    next.on('error', (error) => {
      logger.error({ err: error, channel }, 'revocations: the listening connection failed; reconnecting');
      if (client === next) client = undefined;
      void next.end().catch(() => undefined);
      schedule();
    });
    await next.connect();
    await next.query(`LISTEN "${channel.replace(/"/g, '""')}"`);
    if (closed) {
      await next.end();
      return;
    }
    client = next;
  };

  await connect();

  return {
    subscribe: (listener) => local.subscribe(listener),
    publish(notice: Revocation) {
      local.publish(notice);
      const current = client;
      if (!current) {
        logger.error({ channel, kind: notice.kind }, 'revocations: not listening; other instances rely on their re-checks');
        return;
      }
      current.query('SELECT pg_notify($1, $2)', [channel, JSON.stringify(notice)]).catch((error: unknown) => {
        logger.error({ err: error, channel, kind: notice.kind }, 'revocations: NOTIFY failed; other instances rely on their re-checks');
      });
    },
    async close() {
      closed = true;
      clearTimeout(retry);
      const current = client;
      client = undefined;
      await current?.end().catch(() => undefined);
      await local.close();
    },
  };
}
