import type { Logger } from 'pino';
import type { PostgresEvents } from '../../handoff/pg-events.js';
import { createInProcessRevocations, revocationSchema, type ClosableRevocations, type Revocation } from './revocations.js';

export interface PostgresRevocationsOptions {
  /** The instance's one LISTEN connection (src/handoff/pg-events.ts), which carries this channel too. */
  events: Pick<PostgresEvents, 'openChannel'>;
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
 * once and sends a NOTIFY; each instance hears the channel on its events connection and tells its
 * own streams. The payload is a token's SHA-256 or an id, never a token. A notice sent while an
 * instance's listening connection is down is lost for it: its streams still re-check the credential
 * before each event (src/console/api/events.ts), so a lost notice costs at most one check interval.
 *
 * @example
 * const revocations = createPostgresRevocations({ events: pgEvents, channel: revocationChannelFor(schema), logger });
 */
export function createPostgresRevocations(options: PostgresRevocationsOptions): ClosableRevocations {
  const { logger, channel } = options;
  const local = createInProcessRevocations((error) => logger.error({ err: error }, 'a revocation listener failed'));

  const receive = (payload: string) => {
    let raw: unknown;
    try {
      raw = JSON.parse(payload);
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
  const notices = options.events.openChannel(channel, receive);

  return {
    subscribe: (listener) => local.subscribe(listener),
    publish(notice: Revocation) {
      local.publish(notice);
      notices.notify(JSON.stringify(notice));
    },
    // The connection belongs to the events; closing them ends the listening.
    close: () => local.close(),
  };
}
