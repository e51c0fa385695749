// /healthz asks the database a real question with a deadline: 503 while another connection holds
// a lock on what it reads, 200 again once the lock is gone; every pooled query has PostgreSQL's
// statement_timeout, so a query stuck behind a lock fails instead of hanging the request.
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startApp, type RunningApp } from '../../src/app.js';
import { createConfig } from '../../src/config.js';
import { testPostgresUrl } from '../support/databases.js';
import { projectRoot } from '../support/engine.js';
import { silentLogger } from '../support/turns.js';

const pgSchema = `test_${randomBytes(6).toString('hex')}`;
let app: RunningApp;
let locker: pg.Client;

beforeAll(async () => {
  app = await startApp(
    createConfig({
      PORT: '0',
      DATABASE_URL: testPostgresUrl,
      TOKEN_SECRET: 'a-token-secret-of-at-least-thirty-two-characters',
      RETENTION_INTERVAL_MINUTES: '0',
      HEALTH_TIMEOUT_MS: '500',
      DATABASE_STATEMENT_TIMEOUT_MS: '1500',
    }),
    { logger: silentLogger, root: projectRoot, pgSchema },
  );
  locker = new pg.Client({ connectionString: testPostgresUrl, options: `-c search_path="${pgSchema}"` });
  await locker.connect();
}, 120_000);

afterAll(async () => {
  await locker?.query('ROLLBACK').catch(() => undefined);
  await locker?.end();
  await app?.close();
  const admin = new pg.Client({ connectionString: testPostgresUrl });
  await admin.connect();
  await admin.query(`DROP SCHEMA IF EXISTS "${pgSchema}" CASCADE`);
  await admin.end();
}, 60_000);

const health = async () => {
  const started = Date.now();
  const response = await fetch(`${app.url}/healthz`);
  return {
    status: response.status,
    json: (await response.json()) as { status: string; database: { status: string; migrations?: number } },
    ms: Date.now() - started,
  };
};

describe('/healthz on PostgreSQL', () => {
  it('answers 200 with the applied migrations when the database answers', async () => {
    const answer = await health();
    expect(answer.status).toBe(200);
    expect(answer.json.database).toMatchObject({ status: 'ok', migrations: expect.any(Number) });
    expect(answer.json.database.migrations).toBeGreaterThan(0);
  });

  it('answers 503 within its deadline while another connection holds a lock, and 200 once it is released', async () => {
    await locker.query('BEGIN');
    await locker.query('LOCK TABLE "_prisma_migrations" IN ACCESS EXCLUSIVE MODE');
    try {
      const locked = await health();
      expect(locked.status).toBe(503);
      expect(locked.json).toMatchObject({ status: 'degraded', database: { status: 'unavailable' } });
      // 500 ms deadline; the rest is this busy machine.
      expect(locked.ms).toBeLessThan(3_000);
    } finally {
      await locker.query('ROLLBACK');
    }
    expect((await health()).status).toBe(200);
  });

  it('gives every pooled query the configured statement_timeout', async () => {
    const rows = await app.db.prisma.$queryRawUnsafe<{ statement_timeout: string }[]>('SHOW statement_timeout');
    expect(rows[0]?.statement_timeout).toBe('1500ms');
    await locker.query('BEGIN');
    await locker.query('LOCK TABLE "Organisation" IN ACCESS EXCLUSIVE MODE');
    try {
      const started = Date.now();
      await expect(app.db.prisma.organisation.count()).rejects.toThrow(/statement timeout|canceling statement/i);
      expect(Date.now() - started).toBeLessThan(5_000);
    } finally {
      await locker.query('ROLLBACK');
    }
  });
});
