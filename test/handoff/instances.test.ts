// Two instances on one PostgreSQL schema: the person talks to instance A (Direct Line over a
// WebSocket), the counsellor works on instance B (console API and its event stream). Events
// cross over LISTEN/NOTIFY; nothing may be lost and nothing doubled.
import { randomBytes } from 'node:crypto';
import type { DirectLine } from 'botframework-directlinejs';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startApp, type RunningApp } from '../../src/app.js';
import { hashPassword } from '../../src/console/auth/password.js';
import { createConfig } from '../../src/config.js';
import { createConsoleRepository } from '../../src/store/repositories/console.js';
import { testPostgresUrl } from '../support/databases.js';
import { projectRoot } from '../support/engine.js';
import { silentLogger } from '../support/turns.js';
import { Collector, loadDirectLine, tokenSecret, type ReceivedActivity } from '../web/support.js';
import { openSse, type SseReader } from './sse.js';

const pgSchema = `test_${randomBytes(6).toString('hex')}`;
const password = 'a long enough password';
const apps: RunningApp[] = [];
let a: RunningApp;
let b: RunningApp;
let client: DirectLine | undefined;
let stopClient = () => {};
let events: SseReader | undefined;

const start = async () => {
  const app = await startApp(createConfig({ PORT: '0', DATABASE_URL: testPostgresUrl, TOKEN_SECRET: tokenSecret }), {
    logger: silentLogger,
    root: projectRoot,
    pgSchema,
  });
  apps.push(app);
  return app;
};

beforeAll(async () => {
  // One after the other: the first applies the migrations.
  a = await start();
  b = await start();
}, 180_000);

afterAll(async () => {
  events?.close();
  stopClient();
  client?.end();
  await Promise.all(apps.map((app) => app.close()));
  const admin = new pg.Client({ connectionString: testPostgresUrl });
  await admin.connect();
  await admin.query(`DROP SCHEMA IF EXISTS "${pgSchema}" CASCADE`);
  await admin.end();
}, 60_000);

interface HandoffData {
  type: string;
  referralId?: string | null;
  text?: string;
  seq?: number;
  change?: string;
}

const data = (event: { data: unknown }) => event.data as HandoffData;

describe('two instances on one database', () => {
  it('relays the person on A and the counsellor on B both ways, each message exactly once', { timeout: 240_000 }, async () => {
    const demo = (await a.organisations.findByWidgetKey('demo'))!;
    await createConsoleRepository(a.db.prisma).createUser({
      organisationId: demo.id,
      email: 'anna@example.org',
      passwordHash: await hashPassword(password),
      role: 'counsellor',
    });

    // The counsellor logs in on B and listens there.
    const login = await fetch(`${b.url}/console/api/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email: 'anna@example.org', password }),
    });
    expect(login.status).toBe(200);
    const cookie = login.headers
      .getSetCookie()
      .map((line) => line.split(';')[0])
      .join('; ');
    const { csrfToken } = (await login.json()) as { csrfToken: string };
    const api = async (method: string, path: string, body?: unknown) => {
      const response = await fetch(`${b.url}/console/api${path}`, {
        method,
        headers: { cookie, 'x-csrf-token': csrfToken, ...(body !== undefined ? { 'content-type': 'application/json' } : {}) },
        ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
      });
      return { status: response.status, json: (await response.json()) as unknown };
    };
    events = await openSse(`${b.url}/console/api/events`, { cookie });
    await events.next((event) => event.event === 'ready');

    // The person, on A, asks for a person.
    const directLine = await loadDirectLine();
    const grant = (await (
      await fetch(`${a.url}/v3/directline/tokens/generate`, {
        method: 'POST',
        headers: { authorization: 'Bearer demo', 'content-type': 'application/json' },
        body: JSON.stringify({ user: { id: 'person-1' } }),
      })
    ).json()) as { token: string; conversationId: string };
    client = new directLine.DirectLine({ domain: `${a.url}/v3/directline`, token: grant.token, webSocket: true, pollingInterval: 200 });
    const seen = new Collector();
    const subscription = client.activity$.subscribe(
      (activity) => seen.push(activity as ReceivedActivity),
      (error: unknown) => seen.fail(error),
    );
    stopClient = () => subscription.unsubscribe();
    const post = (activity: Record<string, unknown>) =>
      new Promise<void>((resolve, reject) => {
        client!
          .postActivity({ from: { id: 'person-1' }, ...activity } as Parameters<DirectLine['postActivity']>[0])
          .subscribe((id: unknown) => (id === 'retry' ? reject(new Error('post failed')) : resolve()), reject);
      });
    await seen.key('bot:intake.welcome');
    await post({ type: 'event', name: 'handoff.request' });
    await seen.next((activity) => /^handoff:queued/.test(activity.channelData?.key ?? ''), 0, 30_000);

    const created = await events.next((event) => data(event).type === 'referral_created');
    const referralId = data(created).referralId!;

    // B claims: A's person is told, and their widget gets the status event.
    expect((await api('POST', `/referrals/${referralId}/claim`, {})).status).toBe(200);
    await seen.next((activity) => activity.channelData?.key === 'handoff:counsellor_joined', 0, 30_000);
    await seen.next((activity) => activity.type === 'event' && (activity as ReceivedActivity & { name?: string }).name === 'conversation.status', 0, 30_000);

    // Counsellor -> person.
    expect((await api('POST', `/referrals/${referralId}/messages`, { text: 'Hello from instance B' })).status).toBe(201);
    await seen.next((activity) => activity.text === 'Hello from instance B', 0, 30_000);
    // A canned reply arrives in the person's language (English here).
    expect((await api('POST', `/referrals/${referralId}/messages`, { canned: 'one_moment' })).status).toBe(201);
    await seen.next((activity) => activity.text === a.localisation.translatorFor('en')('handoff:canned.one_moment'), 0, 30_000);

    // Person -> counsellor, live on B; the bot stays silent.
    // Before consent the console is told that the person wrote, never what: it gets the stored placeholder.
    const withheld = a.localisation.translatorFor('en')('system:not_kept_before_consent');
    await post({ type: 'message', text: 'A question for the counsellor' });
    const question = await events.next((event) => data(event).type === 'client_message' && data(event).text === withheld);

    // Hand back: the person is told and the bot answers again.
    expect((await api('POST', `/referrals/${referralId}/handback`, {})).status).toBe(200);
    const handedBack = await seen.next((activity) => activity.channelData?.key === 'handoff:handed_back', 0, 30_000);
    const after = seen.received.indexOf(handedBack) + 1;
    await post({ type: 'message', text: 'help' });
    await seen.next(
      (activity) =>
        activity.from.role === 'bot' &&
        activity.type === 'message' &&
        activity.channelData?.key !== undefined &&
        !activity.channelData.key.startsWith('handoff:'),
      after,
      30_000,
    );

    // Nothing doubled: each relayed message reached the person once, the person's message the console once.
    const count = (text: string) => seen.received.filter((activity) => activity.text === text).length;
    expect(count('Hello from instance B')).toBe(1);
    expect(seen.received.filter((activity) => activity.channelData?.key === 'handoff:counsellor_joined')).toHaveLength(1);
    expect(events.received.filter((event) => data(event).type === 'client_message' && data(event).seq === data(question).seq)).toHaveLength(1);
    expect(events.received.filter((event) => JSON.stringify(data(event)).includes('A question for the counsellor'))).toEqual([]);
    expect(events.received.filter((event) => data(event).type === 'referral_updated' && data(event).change === 'claimed')).toHaveLength(1);
    // Nothing lost: every queued message is marked sent, and the transcript holds each once.
    const channelRef = (seen.received[0]?.id ?? '').split('|')[0] ?? '';
    const conversation = (await a.conversations.findByChannelRef('web', channelRef))!;
    await expect.poll(() => a.outbox.countByStatus(conversation.id), { timeout: 30_000, interval: 200 }).toEqual({ pending: 0, sent: 4, failed: 0 });
    const messages = await b.conversations.listMessages(conversation.id);
    expect(messages.filter((message) => message.text === 'Hello from instance B')).toHaveLength(1);
    // Before consent the person's words are neither relayed nor stored: one placeholder row all the same.
    expect(messages.filter((message) => message.author === 'client' && message.seq === data(question).seq)).toHaveLength(1);
  });
});
