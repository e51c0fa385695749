// The PostgreSQL LISTEN connection behind cross-instance handoff events: when the server kills it,
// the process survives and listens again (issue 15, Critical 1), so later events still arrive.
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { afterEach, describe, expect, it } from 'vitest';
import type { HandoffEvent } from '../../src/handoff/events.js';
import { createPostgresEvents, type PostgresEvents } from '../../src/handoff/pg-events.js';
import { testPostgresUrl } from '../support/databases.js';
import { silentLogger } from '../support/turns.js';

const open: PostgresEvents[] = [];
afterEach(async () => {
  for (const events of open.splice(0)) await events.close();
});

async function events(channel: string): Promise<PostgresEvents> {
  const created = await createPostgresEvents({ databaseUrl: testPostgresUrl, channel, logger: silentLogger, storedText: () => Promise.resolve(null) });
  open.push(created);
  return created;
}

/** Ends, from the server's side, every backend listening on `channel`. */
async function terminateListeners(channel: string): Promise<number> {
  const admin = new pg.Client({ connectionString: testPostgresUrl });
  await admin.connect();
  try {
    const result = await admin.query<{ pid: number }>(`SELECT pid FROM pg_stat_activity WHERE query = $1 AND pid <> pg_backend_pid()`, [`LISTEN "${channel}"`]);
    for (const { pid } of result.rows) await admin.query('SELECT pg_terminate_backend($1)', [pid]);
    return result.rowCount ?? 0;
  } finally {
    await admin.end();
  }
}

const event = (n: number): HandoffEvent => ({
  type: 'outbox_enqueued',
  organisationId: '00000000-0000-4000-8000-000000000001',
  conversationId: '00000000-0000-4000-8000-000000000002',
  outboxId: `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`,
  channel: 'web',
});

describe('the LISTEN connection is killed by the server', () => {
  it('reconnects, and events published afterwards on another instance still arrive', async () => {
    const channel = `homeward_test_${randomBytes(6).toString('hex')}`;
    const receiver = await events(channel);
    const sender = await events(channel);
    const received: string[] = [];
    receiver.subscribe((got) => {
      if (got.type === 'outbox_enqueued') received.push(got.outboxId);
    });

    expect(await terminateListeners(channel)).toBeGreaterThanOrEqual(2);
    // Events keep being published while the connections come back; those after it arrive.
    const deadline = Date.now() + 20_000;
    let n = 0;
    while (received.length === 0) {
      if (Date.now() > deadline) throw new Error('no event arrived after the listening connections were killed');
      sender.publish(event((n += 1)));
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
    expect(received.every((id) => id.startsWith('00000000-0000-4000-8000-'))).toBe(true);
  });
});
