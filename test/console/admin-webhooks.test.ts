// Signed webhooks end to end: an admin registers a local receiver (express, port 0) that checks
// the signature as the README tells receivers to, fails twice with 500 and then accepts. The
// referral's events arrive signed, each accepted once, in order, across an app restart on an
// on-disk database; a tampered body is refused; counsellors and other organisations are kept out.
import { createHmac, timingSafeEqual } from 'node:crypto';
import { mkdtempSync, readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import express from 'express';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningApp } from '../../src/app.js';
import { createWebhookBodySchema } from '../../src/console/admin/webhooks-routes.js';
import { hashPassword } from '../../src/console/auth/password.js';
import { signWebhookBody, verifyWebhook } from '../../src/crypto/webhook-signature.js';
import { webhookBackoffMs } from '../../src/handoff/webhooks.js';
import { Erasure } from '../../src/privacy/erasure.js';
import { createConsoleRepository, type UserRole } from '../../src/store/repositories/console.js';
import { createPrivacyRepository } from '../../src/store/repositories/privacy.js';
import { startTestApp } from '../support/app.js';
import { callConsole, loginToConsole, type ConsoleCaller } from '../support/console.js';
import { projectRoot } from '../support/engine.js';
import { silentLogger } from '../support/turns.js';
import { waitFor } from '../support/wait.js';
import { conversationWith, fullAnswers, newOrganisation } from '../handoff/support.js';

const PASSWORD = 'a long enough password';
const hooks = '/console/api/admin/webhooks';
// Short backoff and polling so retries take milliseconds, not minutes.
const env = { WEBHOOK_RETRY_BASE_MS: '40', WEBHOOK_RETRY_MAX_MS: '200', WEBHOOK_POLL_MS: '40', WEBHOOK_TIMEOUT_MS: '1000', RETENTION_INTERVAL_MINUTES: '0' };

interface Received {
  status: number;
  body: string;
  signature: string | undefined;
  timestamp: string | undefined;
  event: { id: string; type: string; timestamp: number; data: Record<string, unknown> };
}

/** A case-management system's receiver: verifies, answers `failFirst` requests with 500, then 200. */
async function startReceiver(secret: () => string, failFirst = 2) {
  const received: Received[] = [];
  let failuresLeft = failFirst;
  const app = express();
  app.post('/hook', express.raw({ type: 'application/json' }), (req, res) => {
    const rawBody = req.body as Buffer;
    const signature = req.get('x-homeward-signature');
    const check = verifyWebhook({ secret: secret(), rawBody, signature });
    const event = JSON.parse(rawBody.toString()) as Received['event'];
    let status = 200;
    if (!check.ok || String(event.timestamp) !== req.get('x-homeward-timestamp')) status = 401;
    else if (failuresLeft > 0) {
      failuresLeft -= 1;
      status = 500;
    }
    received.push({ status, body: rawBody.toString(), signature, timestamp: req.get('x-homeward-timestamp'), event });
    res.status(status).end();
  });
  const server: Server = createServer(app);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`,
    received,
    accepted: () => received.filter((item) => item.status === 200),
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

async function addUser(app: RunningApp, organisationId: string, role: UserRole): Promise<{ id: string; caller: ConsoleCaller }> {
  const email = `${role}-${crypto.randomUUID()}@example.org`;
  const user = await createConsoleRepository(app.db.prisma).createUser({ organisationId, email, passwordHash: await hashPassword(PASSWORD), role });
  if (!user) throw new Error('e-mail address taken');
  const { cookie, csrf } = await loginToConsole(app.url, email, PASSWORD);
  return { id: user.id, caller: { cookie, csrf } };
}

describe('the webhook signature a receiver checks', () => {
  const secret = 'whsec_test';
  const now = new Date('2026-12-06T12:00:00Z');
  const body = JSON.stringify({ id: 'e1', type: 'referral.created', timestamp: Math.floor(now.getTime() / 1000), data: { referralId: 'r1' } });

  it('accepts the signed body and refuses a tampered body, another secret, a missing signature and an old timestamp', () => {
    const signature = signWebhookBody(secret, body);
    expect(signature).toMatch(/^sha256=[0-9a-f]{64}$/);
    expect(verifyWebhook({ secret, rawBody: body, signature, now })).toEqual({ ok: true });
    expect(verifyWebhook({ secret, rawBody: body.replace('r1', 'r2'), signature, now })).toEqual({ ok: false, reason: 'bad_signature' });
    expect(verifyWebhook({ secret: 'whsec_other', rawBody: body, signature, now })).toEqual({ ok: false, reason: 'bad_signature' });
    expect(verifyWebhook({ secret, rawBody: body, signature: undefined, now })).toEqual({ ok: false, reason: 'bad_signature' });
    const later = new Date(now.getTime() + 301_000);
    expect(verifyWebhook({ secret, rawBody: body, signature, now: later })).toEqual({ ok: false, reason: 'stale' });
  });

  it('backs off exponentially up to the maximum, and production refuses http:// endpoints', () => {
    expect([1, 2, 3, 4, 5].map((attempts) => webhookBackoffMs({ retryBaseMs: 100, retryMaxMs: 1000 }, attempts))).toEqual([100, 200, 400, 800, 1000]);
    const body = { url: 'http://127.0.0.1:9999/hook', events: ['referral.created'] };
    expect(createWebhookBodySchema(true).safeParse(body).success).toBe(false);
    expect(createWebhookBodySchema(true).safeParse({ ...body, url: 'https://cms.example.org/hook' }).success).toBe(true);
    expect(createWebhookBodySchema(false).safeParse(body).success).toBe(true);
    expect(createWebhookBodySchema(false).safeParse({ ...body, url: 'http://user:pw@127.0.0.1/hook' }).success).toBe(false);
  });
});

describe('webhook deliveries', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'homeward-webhooks-'));
  let app: RunningApp | undefined;
  let secret = '';
  let receiver: Awaited<ReturnType<typeof startReceiver>>;

  beforeAll(async () => {
    receiver = await startReceiver(() => secret);
  });
  afterAll(async () => {
    await app?.close();
    await receiver?.close();
  });

  it('are signed, retried after two 500s, accepted once each and in order per referral, across a restart; "send again" repeats the event', async () => {
    app = await startTestApp({ ...env, DATA_DIR: dataDir });
    const organisationId = await newOrganisation(app.db, 'Webhooks');
    const admin = await addUser(app, organisationId, 'admin');

    const created = await callConsole(app.url, 'POST', hooks, admin.caller, {
      url: receiver.url,
      events: ['referral.created', 'referral.claimed', 'referral.status_changed', 'referral.closed', 'person.erased'],
    });
    expect(created.status).toBe(201);
    const { webhook, secret: shown } = created.json as { webhook: { id: string; url: string }; secret: string };
    secret = shown;
    expect(secret).toMatch(/^whsec_[A-Za-z0-9_-]{43}$/);
    const listed = await callConsole(app.url, 'GET', hooks, admin.caller);
    expect(listed.json).toEqual({ webhooks: [{ id: webhook.id, url: receiver.url, events: expect.any(Array), createdAt: expect.any(String) }] });
    expect(listed.text).not.toContain(secret);
    // Sealed at rest like message texts (it must be read back to sign, so it cannot be a hash).
    expect(JSON.stringify(await app.db.prisma.webhook.findMany())).not.toContain(secret);

    const actor = { userId: admin.id, organisationId, role: 'admin' as const };
    const conversation = await conversationWith(app.db, organisationId, fullAnswers);
    const referralId = (await app.handoff.handoffRequested(conversation, 'intake_completed')).referral.id;
    expect((await app.handoff.claim(actor, referralId)).ok).toBe(true);
    // The first attempt failed: stop the app with the events still queued.
    await waitFor(() => receiver.received.length >= 1 || undefined, 'a first attempt');
    await app.close();
    app = undefined;
    expect(receiver.accepted()).toHaveLength(0);

    app = await startTestApp({ ...env, DATA_DIR: dataDir });
    const again = await loginToConsole(app.url, (await app.db.prisma.user.findUniqueOrThrow({ where: { id: admin.id } })).email, PASSWORD);
    const caller = { cookie: again.cookie, csrf: again.csrf };
    expect((await app.handoff.setStatus(actor, referralId, { status: 'in_progress' })).ok).toBe(true);
    expect((await app.handoff.close(actor, referralId, 'done')).ok).toBe(true);
    await new Erasure({ privacy: createPrivacyRepository(app.db.prisma), events: app.handoffEvents, logger: silentLogger }).erase(conversation.id);
    await waitFor(() => receiver.accepted().length >= 5 || undefined, 'five accepted events', 15_000);

    const accepted = receiver.accepted();
    expect(accepted.map((item) => item.event.type)).toEqual([
      'referral.created',
      'referral.claimed',
      'referral.status_changed',
      'referral.closed',
      'person.erased',
    ]);
    expect(new Set(accepted.map((item) => item.event.id)).size).toBe(5);
    expect(receiver.received.filter((item) => item.status === 500).map((item) => item.event.type)).toEqual(['referral.created', 'referral.created']);
    expect(receiver.received.every((item) => item.status !== 401)).toBe(true);
    expect(accepted[0]?.event.data).toEqual({ referralId, reference: referralId.slice(0, 8), status: 'new', priority: 'elevated' });
    expect(accepted[2]?.event.data).toMatchObject({ referralId, status: 'in_progress', change: 'status_changed' });
    expect(accepted[4]?.event.data).toEqual({ referralIds: [referralId], references: [referralId.slice(0, 8)] });
    // Ids and statuses only: nothing the person said or answered.
    for (const item of accepted) expect(item.body).not.toMatch(/Berlin|AF|hostCity/);

    // A tampered body with the real signature is refused by the receiver's check.
    const real = accepted[0];
    const tampered = await fetch(receiver.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-homeward-signature': real?.signature ?? '', 'x-homeward-timestamp': real?.timestamp ?? '' },
      body: real?.body.replace('"status":"new"', '"status":"closed"'),
    });
    expect(tampered.status).toBe(401);

    const log = await callConsole(app.url, 'GET', `${hooks}/${webhook.id}/deliveries`, caller);
    expect(log.status).toBe(200);
    const deliveries = (log.json as { deliveries: { id: string; eventType: string; status: string; attempts: number; lastStatusCode: number }[] }).deliveries;
    expect(deliveries.map((item) => [item.eventType, item.status])).toEqual([
      ['person.erased', 'delivered'],
      ['referral.closed', 'delivered'],
      ['referral.status_changed', 'delivered'],
      ['referral.claimed', 'delivered'],
      ['referral.created', 'delivered'],
    ]);
    expect(deliveries.at(-1)).toMatchObject({ attempts: 3, lastStatusCode: 200 });

    const first = deliveries.at(-1);
    const resent = await callConsole(app.url, 'POST', `${hooks}/${webhook.id}/deliveries/${first?.id}/retry`, caller, {});
    expect(resent.status).toBe(202);
    await waitFor(() => receiver.accepted().length >= 6 || undefined, 'the event sent again');
    expect(receiver.accepted()[5]?.event).toMatchObject({ id: accepted[0]?.event.id, type: 'referral.created' });

    expect((await callConsole(app.url, 'DELETE', `${hooks}/${webhook.id}`, caller)).status).toBe(204);
    expect((await callConsole(app.url, 'GET', hooks, caller)).json).toEqual({ webhooks: [] });
    expect((await callConsole(app.url, 'GET', `${hooks}/${webhook.id}/deliveries`, caller)).status).toBe(404);
  }, 60_000);
});

describe('webhook routes', () => {
  let app: RunningApp;
  let receiver: Awaited<ReturnType<typeof startReceiver>>;
  let secret = '';

  beforeAll(async () => {
    app = await startTestApp(env);
    receiver = await startReceiver(() => secret, 0);
  });
  afterAll(async () => {
    await app?.close();
    await receiver?.close();
  });

  it("are for admins only, answer only for their own organisation, and send only their organisation's events", async () => {
    const own = await newOrganisation(app.db, 'Own');
    const other = await newOrganisation(app.db, 'Other');
    const admin = await addUser(app, own, 'admin');
    const counsellor = await addUser(app, own, 'counsellor');
    const otherAdmin = await addUser(app, other, 'admin');

    const created = await callConsole(app.url, 'POST', hooks, admin.caller, { url: receiver.url, events: ['referral.created'] });
    expect(created.status).toBe(201);
    const id = (created.json as { webhook: { id: string } }).webhook.id;
    secret = (created.json as { secret: string }).secret;
    const someDelivery = crypto.randomUUID();

    for (const answer of [
      await callConsole(app.url, 'GET', hooks, counsellor.caller),
      await callConsole(app.url, 'POST', hooks, counsellor.caller, { url: receiver.url, events: ['referral.created'] }),
      await callConsole(app.url, 'DELETE', `${hooks}/${id}`, counsellor.caller),
      await callConsole(app.url, 'GET', `${hooks}/${id}/deliveries`, counsellor.caller),
      await callConsole(app.url, 'POST', `${hooks}/${id}/deliveries/${someDelivery}/retry`, counsellor.caller, {}),
    ]) {
      expect(answer.status).toBe(403);
      expect(answer.json).toMatchObject({ error: { reason: 'admins_only' } });
    }
    expect((await callConsole(app.url, 'GET', hooks)).status).toBe(401);

    expect((await callConsole(app.url, 'GET', hooks, otherAdmin.caller)).json).toEqual({ webhooks: [] });
    expect((await callConsole(app.url, 'GET', `${hooks}/${id}/deliveries`, otherAdmin.caller)).status).toBe(404);
    expect((await callConsole(app.url, 'DELETE', `${hooks}/${id}`, otherAdmin.caller)).status).toBe(404);

    const invalid = await callConsole(app.url, 'POST', hooks, admin.caller, { url: 'ftp://example.org/hook', events: ['referral.deleted'] });
    expect(invalid.status).toBe(400);
    expect(invalid.json).toMatchObject({ error: { reason: 'invalid_body' } });

    // Another organisation's referral reaches no endpoint of ours; our own does.
    await app.handoff.handoffRequested(await conversationWith(app.db, other, fullAnswers), 'intake_completed');
    const ours = (await app.handoff.handoffRequested(await conversationWith(app.db, own, fullAnswers), 'intake_completed')).referral.id;
    await waitFor(() => receiver.received.length >= 1 || undefined, 'a first attempt');
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(receiver.received.map((item) => [item.status, item.event.data.referralId])).toEqual([[200, ours]]);

    const deliveries = (await callConsole(app.url, 'GET', `${hooks}/${id}/deliveries`, admin.caller)).json as { deliveries: { id: string }[] };
    const retried = await callConsole(app.url, 'POST', `${hooks}/${id}/deliveries/${deliveries.deliveries[0]?.id}/retry`, otherAdmin.caller, {});
    expect(retried.status).toBe(404);
    expect((await callConsole(app.url, 'DELETE', `${hooks}/${id}`, admin.caller)).status).toBe(204);
  });
});

describe("the README's receiver", () => {
  let app: RunningApp;
  let server: Server;
  const handled: { type: string; data: Record<string, unknown> }[] = [];
  let secret = '';

  /** The README's Node example, as written there, mounted on an express app of its own. */
  async function startReadmeReceiver(): Promise<string> {
    const readme = readFileSync(join(projectRoot, 'README.md'), 'utf8');
    const snippet = /```js\n(app\.post\('\/homeward'[\s\S]*?)```/.exec(readme)?.[1];
    if (!snippet) throw new Error('the README has no receiver example');
    const receiver = express();
    new Function('app', 'express', 'crypto', 'SECRET', 'handle', snippet)(receiver, express, { createHmac, timingSafeEqual }, secret, (event: never) =>
      handled.push(event),
    );
    server = createServer(receiver);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    return `http://127.0.0.1:${(server.address() as AddressInfo).port}/homeward`;
  }

  beforeAll(async () => {
    app = await startTestApp(env);
  });
  afterAll(async () => {
    await app?.close();
    await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
  });

  it('accepts a real delivery and refuses the same body tampered with', async () => {
    const organisationId = await newOrganisation(app.db, 'Readme');
    const admin = await addUser(app, organisationId, 'admin');
    // The receiver needs the secret before it starts; register first, then point the endpoint at it.
    const created = await callConsole(app.url, 'POST', hooks, admin.caller, { url: 'http://127.0.0.1:9/placeholder', events: ['referral.created'] });
    const { webhook, secret: shown } = created.json as { webhook: { id: string }; secret: string };
    secret = shown;
    const url = await startReadmeReceiver();
    await app.db.prisma.webhook.update({ where: { id: webhook.id }, data: { url } });

    const referralId = (await app.handoff.handoffRequested(await conversationWith(app.db, organisationId, fullAnswers), 'intake_completed')).referral.id;
    await waitFor(() => handled[0], 'the event handled by the README receiver');
    expect(handled).toEqual([expect.objectContaining({ type: 'referral.created', data: expect.objectContaining({ referralId }) })]);

    const body = JSON.stringify({ id: crypto.randomUUID(), type: 'referral.created', timestamp: Math.floor(Date.now() / 1000), data: { referralId } });
    const signature = signWebhookBody(secret, body);
    const post = (text: string, sig: string) =>
      fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', 'x-homeward-signature': sig }, body: text });
    expect((await post(body, signature)).status).toBe(204);
    expect((await post(body.replace(referralId, crypto.randomUUID()), signature)).status).toBe(401);
    expect((await post(body, signWebhookBody('whsec_wrong', body))).status).toBe(401);
    const old = JSON.stringify({ id: crypto.randomUUID(), type: 'referral.created', timestamp: Math.floor(Date.now() / 1000) - 600, data: {} });
    expect((await post(old, signWebhookBody(secret, old))).status).toBe(401);
  });
});

describe('a webhook endpoint that does not answer in time', () => {
  let app: RunningApp;
  let server: Server;

  beforeAll(async () => {
    app = await startTestApp({ ...env, WEBHOOK_TIMEOUT_MS: '300' });
  });
  afterAll(async () => {
    await app?.close();
    await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
  });

  it('counts as a failed attempt after WEBHOOK_TIMEOUT_MS and is tried again', async () => {
    const requests: { id: string; at: number }[] = [];
    const receiver = express();
    receiver.post('/slow', express.json(), (req, res) => {
      requests.push({ id: (req.body as { id: string }).id, at: Date.now() });
      // The first request is answered only after the sender gave up on it.
      setTimeout(() => res.status(200).end(), requests.length === 1 ? 1_500 : 0);
    });
    server = createServer(receiver);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const organisationId = await newOrganisation(app.db, 'Slow');
    const admin = await addUser(app, organisationId, 'admin');
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/slow`;
    const created = await callConsole(app.url, 'POST', hooks, admin.caller, { url, events: ['referral.created'] });
    const id = (created.json as { webhook: { id: string } }).webhook.id;

    await app.handoff.handoffRequested(await conversationWith(app.db, organisationId, fullAnswers), 'intake_completed');
    const log = async () =>
      ((await callConsole(app.url, 'GET', `${hooks}/${id}/deliveries`, admin.caller)).json as { deliveries: { status: string; attempts: number }[] })
        .deliveries;
    const [delivered] = await waitFor(async () => {
      const deliveries = await log();
      return deliveries[0]?.status === 'delivered' ? deliveries : undefined;
    }, 'the delivery after a timeout');
    expect(delivered).toMatchObject({ status: 'delivered', attempts: 2 });
    expect(requests).toHaveLength(2);
    expect(requests[1]?.id).toBe(requests[0]?.id);
    // Retried before the first request was answered: the sender stopped waiting at the timeout.
    expect((requests[1]?.at ?? 0) - (requests[0]?.at ?? 0)).toBeLessThan(1_500);
  });
});
