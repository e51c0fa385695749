// A console's live event stream lives only as long as its credential: logout, an admin's password
// reset, deactivation, a revoked API key and expiry each close it within a second, on the instance
// that did it (embedded PGlite) and on another instance sharing one PostgreSQL (LISTEN/NOTIFY).
import { randomBytes, randomUUID } from 'node:crypto';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startApp, type RunningApp } from '../../src/app.js';
import { hashPassword } from '../../src/console/auth/password.js';
import { API_KEY_PREFIX, hashToken, newToken, SESSION_PREFIX } from '../../src/console/auth/tokens.js';
import { createConfig } from '../../src/config.js';
import { createConsoleRepository, type ConsoleRepository } from '../../src/store/repositories/console.js';
import { callConsole, loginToConsole, type ConsoleSession } from '../support/console.js';
import { testPostgresUrl } from '../support/databases.js';
import { projectRoot } from '../support/engine.js';
import { silentLogger } from '../support/turns.js';
import { openSse, type SseReader } from '../handoff/sse.js';

const PASSWORD = 'a long enough password';
const tokenSecret = 'a-token-secret-of-at-least-thirty-two-characters';

interface People {
  repo: ConsoleRepository;
  organisationId: string;
  admin: ConsoleSession;
}

/** A counsellor in the demo organisation, and their admin logged in on `adminOn`. */
async function people(app: RunningApp, adminOn: RunningApp): Promise<People> {
  const repo = createConsoleRepository(app.db.prisma);
  const demo = (await app.organisations.findByWidgetKey('demo'))!;
  const adminEmail = `admin-${randomUUID()}@example.org`;
  await repo.createUser({ organisationId: demo.id, email: adminEmail, passwordHash: await hashPassword(PASSWORD), role: 'admin' });
  return { repo, organisationId: demo.id, admin: await loginToConsole(adminOn.url, adminEmail, PASSWORD) };
}

async function counsellor(ctx: People): Promise<{ id: string; email: string }> {
  const email = `anna-${randomUUID()}@example.org`;
  const user = await ctx.repo.createUser({ organisationId: ctx.organisationId, email, passwordHash: await hashPassword(PASSWORD), role: 'counsellor' });
  return { id: user!.id, email };
}

async function apiKeyOf(ctx: People, userId: string): Promise<{ id: string; token: string }> {
  const token = newToken(API_KEY_PREFIX);
  const { id } = await ctx.repo.createApiKey({ userId, tokenHash: hashToken(token), prefix: token.slice(0, 10) });
  return { id, token };
}

/** Opens the stream, waits for `ready`; the returned function waits for the end and says how long after `since` it came. */
async function openStream(
  url: string,
  headers: Record<string, string>,
): Promise<{ stream: SseReader; endedWithin(since: number): Promise<{ ms: number; reason: unknown }> }> {
  const stream = await openSse(`${url}/console/api/events`, headers);
  await stream.next((event) => event.event === 'ready', 10_000);
  return {
    stream,
    async endedWithin(since) {
      const ended = await stream.next((event) => event.event === 'ended', 5_000);
      return { ms: Date.now() - since, reason: (ended.data as { reason?: unknown }).reason };
    },
  };
}

/** The revocations every case runs, with the instance the stream is on and the one the admin acts on. */
function revocationCases(instances: () => { streamOn: RunningApp; actOn: RunningApp; ctx: People }) {
  it('closes a session’s stream when that session logs out', async () => {
    const { streamOn, actOn, ctx } = instances();
    const anna = await counsellor(ctx);
    const session = await loginToConsole(actOn.url, anna.email, PASSWORD);
    const { endedWithin } = await openStream(streamOn.url, { cookie: session.cookie });
    const before = Date.now();
    expect((await callConsole(actOn.url, 'POST', '/console/api/logout', session)).status).toBe(204);
    const ended = await endedWithin(before);
    expect(ended.reason).toBe('revoked');
    expect(ended.ms).toBeLessThan(1_000);
  });

  it('closes every stream of a user whose password an admin resets', async () => {
    const { streamOn, actOn, ctx } = instances();
    const anna = await counsellor(ctx);
    const session = await loginToConsole(actOn.url, anna.email, PASSWORD);
    const { endedWithin } = await openStream(streamOn.url, { cookie: session.cookie });
    const before = Date.now();
    expect((await callConsole(actOn.url, 'POST', `/console/api/admin/users/${anna.id}/password`, ctx.admin, {})).status).toBe(200);
    expect((await endedWithin(before)).ms).toBeLessThan(1_000);
  });

  it('closes session and API-key streams of a user an admin deactivates', async () => {
    const { streamOn, actOn, ctx } = instances();
    const anna = await counsellor(ctx);
    const session = await loginToConsole(actOn.url, anna.email, PASSWORD);
    const key = await apiKeyOf(ctx, anna.id);
    const bySession = await openStream(streamOn.url, { cookie: session.cookie });
    const byKey = await openStream(streamOn.url, { authorization: `Bearer ${key.token}` });
    // The admin's own stream is not theirs: it stays open.
    const admins = await openStream(streamOn.url, { cookie: ctx.admin.cookie });
    const before = Date.now();
    expect((await callConsole(actOn.url, 'PATCH', `/console/api/admin/users/${anna.id}`, ctx.admin, { active: false })).status).toBe(200);
    for (const ended of await Promise.all([bySession.endedWithin(before), byKey.endedWithin(before)])) expect(ended.ms).toBeLessThan(1_000);
    expect(admins.stream.received.some((event) => event.event === 'ended')).toBe(false);
    admins.stream.close();
  });

  it('closes the stream of an API key when it is revoked, and only that key’s', async () => {
    const { streamOn, actOn, ctx } = instances();
    const anna = await counsellor(ctx);
    const [revoked, kept] = [await apiKeyOf(ctx, anna.id), await apiKeyOf(ctx, anna.id)];
    const byRevoked = await openStream(streamOn.url, { authorization: `Bearer ${revoked.token}` });
    const byKept = await openStream(streamOn.url, { authorization: `Bearer ${kept.token}` });
    const before = Date.now();
    expect((await callConsole(actOn.url, 'POST', `/console/api/admin/api-keys/${revoked.id}/revoke`, ctx.admin, {})).status).toBe(200);
    expect((await byRevoked.endedWithin(before)).ms).toBeLessThan(1_000);
    expect(byKept.stream.received.some((event) => event.event === 'ended')).toBe(false);
    byKept.stream.close();
  });
}

describe('one embedded instance', () => {
  let app: RunningApp;
  let ctx: People;
  beforeAll(async () => {
    app = await startApp(createConfig({ PORT: '0', DATA_DIR: 'memory://', TOKEN_SECRET: tokenSecret, RETENTION_INTERVAL_MINUTES: '0' }), {
      logger: silentLogger,
      root: projectRoot,
    });
    ctx = await people(app, app);
  }, 120_000);
  afterAll(async () => app?.close());

  revocationCases(() => ({ streamOn: app, actOn: app, ctx }));

  it('closes a session’s stream when the session expires, as "expired"', async () => {
    const anna = await counsellor(ctx);
    const token = newToken(SESSION_PREFIX);
    const expiresAt = new Date(Date.now() + 1_500);
    await ctx.repo.createSession({ userId: anna.id, tokenHash: hashToken(token), csrfToken: 'csrf', expiresAt });
    const { endedWithin } = await openStream(app.url, { cookie: `hw_session=${token}` });
    const ended = await endedWithin(expiresAt.getTime());
    expect(ended.reason).toBe('expired');
    expect(ended.ms).toBeLessThan(1_000);
  });

  it('writes no further event to a stream whose session was deleted behind its back (no notice)', async () => {
    const anna = await counsellor(ctx);
    const session = await loginToConsole(app.url, anna.email, PASSWORD);
    const { stream, endedWithin } = await openStream(app.url, { cookie: session.cookie });
    // Deleted straight in the database: no notice reaches the stream, only its re-check can tell.
    await app.db.prisma.consoleSession.deleteMany({ where: { userId: anna.id } });
    await new Promise((resolve) => setTimeout(resolve, 1_100));
    const before = Date.now();
    app.handoffEvents.publish({
      type: 'outbox_enqueued',
      organisationId: ctx.organisationId,
      conversationId: randomUUID(),
      outboxId: randomUUID(),
      channel: 'web',
    });
    expect((await endedWithin(before)).reason).toBe('revoked');
    expect(stream.received.filter((event) => event.event === 'handoff')).toEqual([]);
  });
});

describe('two instances on one PostgreSQL', () => {
  const pgSchema = `test_${randomBytes(6).toString('hex')}`;
  let a: RunningApp;
  let b: RunningApp;
  let ctx: People;
  beforeAll(async () => {
    const start = () =>
      startApp(createConfig({ PORT: '0', DATABASE_URL: testPostgresUrl, TOKEN_SECRET: tokenSecret, RETENTION_INTERVAL_MINUTES: '0' }), {
        logger: silentLogger,
        root: projectRoot,
        pgSchema,
      });
    // One after the other: the first applies the migrations.
    a = await start();
    b = await start();
    ctx = await people(a, a);
  }, 180_000);
  afterAll(async () => {
    await Promise.all([a?.close(), b?.close()]);
    const admin = new pg.Client({ connectionString: testPostgresUrl });
    await admin.connect();
    await admin.query(`DROP SCHEMA IF EXISTS "${pgSchema}" CASCADE`);
    await admin.end();
  }, 60_000);

  // The stream is on B; the logout, reset, deactivation and revocation happen on A.
  revocationCases(() => ({ streamOn: b, actOn: a, ctx }));
});
