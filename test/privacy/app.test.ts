// The privacy work wired into the running app: encryption through real turns, erasure from the
// chat, the admin audit API, and hostile input at the console API.
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningApp } from '../../src/app.js';
import { hashPassword } from '../../src/console/auth/password.js';
import type { HandoffEvent } from '../../src/handoff/events.js';
import { createConsoleRepository } from '../../src/store/repositories/console.js';
import { allModels, rawRows } from './support.js';
import { startTestApp } from '../support/app.js';

const PASSWORD = 'a long enough password';
let app: RunningApp;
let org: string;
let otherOrg: string;
const emails = { admin: `admin-${randomUUID()}@example.org`, counsellor: `c-${randomUUID()}@example.org`, otherAdmin: `o-${randomUUID()}@example.org` };
const events: HandoffEvent[] = [];

beforeAll(async () => {
  app = await startTestApp({ RETENTION_INTERVAL_MINUTES: '0' });
  org = (await app.organisations.create({ name: 'NGO', widgetKey: `ngo-${randomUUID().slice(0, 8)}` })).id;
  otherOrg = (await app.organisations.create({ name: 'Other', widgetKey: `other-${randomUUID().slice(0, 8)}` })).id;
  const repo = createConsoleRepository(app.db.prisma);
  const passwordHash = await hashPassword(PASSWORD);
  await repo.createUser({ organisationId: org, email: emails.admin, passwordHash, role: 'admin' });
  await repo.createUser({ organisationId: org, email: emails.counsellor, passwordHash, role: 'counsellor' });
  await repo.createUser({ organisationId: otherOrg, email: emails.otherAdmin, passwordHash, role: 'admin' });
  app.handoffEvents.subscribe((event) => events.push(event));
}, 120_000);

afterAll(async () => {
  await app?.close();
});

async function login(email: string) {
  const response = await fetch(`${app.url}/console/api/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email, password: PASSWORD }),
  });
  expect(response.status).toBe(200);
  const cookie = response.headers
    .getSetCookie()
    .map((line) => line.split(';')[0])
    .join('; ');
  const { csrfToken } = (await response.json()) as { csrfToken: string };
  return { cookie, csrf: csrfToken };
}

async function call(method: string, path: string, caller: { cookie: string; csrf: string }, body?: string) {
  const response = await fetch(`${app.url}/console/api${path}`, {
    method,
    headers: { cookie: caller.cookie, 'x-csrf-token': caller.csrf, ...(body !== undefined ? { 'content-type': 'application/json' } : {}) },
    ...(body !== undefined ? { body } : {}),
  });
  const text = await response.text();
  return { status: response.status, text, headers: response.headers };
}

/** A person on the web channel who consents and asks for a person, typing `words`. */
async function personThroughTurns(words: string) {
  const channelRef = `web-${randomUUID()}`;
  const turn = (event: Parameters<RunningApp['turns']['process']>[0]['event']) =>
    app.turns.process({ organisationId: org, channel: 'web', channelRef, preferredLocales: ['en'], event });
  await turn({ type: 'start' });
  const conversation = await app.conversations.findByChannelRef('web', channelRef);
  if (!conversation) throw new Error('no conversation');
  // Consent is a flow answer; the state is set directly so the test does not depend on the flow's wording.
  const state = { ...(conversation.flowState as Record<string, unknown>), consent: 'given' };
  const committed = await app.conversations.commitTurn({
    conversationId: conversation.id,
    expectedVersion: conversation.version,
    locale: 'en',
    flowState: state,
    messages: [],
  });
  expect(committed.ok).toBe(true);
  await turn({ type: 'text', text: words });
  await turn({ type: 'intent', intent: 'handoff' });
  const referral = (await app.handoff.list(org)).find((item) => item.conversationId === conversation.id);
  if (!referral) throw new Error('no referral');
  return { conversationId: conversation.id, channelRef, referralId: referral.id, turn };
}

describe('privacy in the running app', () => {
  it('encrypts what a person types on its way through a real turn, and the console still reads it', { timeout: 60_000 }, async () => {
    const words = `My name is Dilnoza${randomUUID().slice(0, 6)} and my brother is in detention`;
    const person = await personThroughTurns(words);
    for (const model of allModels) for (const row of await rawRows(app.db, model)) expect(row, model).not.toContain(words.slice(11, 25));
    const admin = await login(emails.admin);
    const transcript = await call('GET', `/referrals/${person.referralId}/transcript`, admin);
    expect(transcript.status).toBe(200);
    expect(transcript.text).toContain(words);
  });

  it("a person's HTML stays text: the console API returns it verbatim as JSON, never as markup", { timeout: 60_000 }, async () => {
    const html = '<script>alert(1)</script><img src=x onerror="alert(2)">';
    const person = await personThroughTurns(html);
    const admin = await login(emails.admin);
    const transcript = await call('GET', `/referrals/${person.referralId}/transcript`, admin);
    expect(transcript.headers.get('content-type')).toMatch(/^application\/json/);
    expect(transcript.headers.get('x-content-type-options')).toBe('nosniff');
    expect(transcript.headers.get('content-security-policy')).toMatch(/script-src 'self'/);
    const body = JSON.parse(transcript.text) as { messages: { author: string; text: string }[] };
    expect(body.messages.filter((m) => m.author === 'client').map((m) => m.text)).toContain(html);
  });

  it('refuses oversized bodies, deep JSON and prototype-pollution keys at the console API, and stores nothing', { timeout: 60_000 }, async () => {
    const person = await personThroughTurns('hello');
    const counsellor = await login(emails.counsellor);
    expect((await call('POST', `/referrals/${person.referralId}/claim`, counsellor, '{}')).status).toBe(200);
    const eventsBefore = await app.db.prisma.referralEvent.count({ where: { referralId: person.referralId } });

    const oversized = await call('POST', `/referrals/${person.referralId}/notes`, counsellor, JSON.stringify({ text: 'x'.repeat(64_000) }));
    expect(oversized.status).toBe(413);
    const deep = await call('POST', `/referrals/${person.referralId}/notes`, counsellor, `${'{"a":'.repeat(2_000)}1${'}'.repeat(2_000)}`);
    expect(deep.status).toBe(400);
    const tooLong = await call('POST', `/referrals/${person.referralId}/notes`, counsellor, JSON.stringify({ text: 'y'.repeat(4_001) }));
    expect(tooLong.status).toBe(400);
    for (const hostile of [
      '{"text":"x","__proto__":{"polluted":true}}',
      '{"text":"x","constructor":{"prototype":{"polluted":true}}}',
      '{"__proto__":{"text":"x"}}',
    ]) {
      const response = await call('POST', `/referrals/${person.referralId}/notes`, counsellor, hostile);
      expect(response.status, hostile).toBe(400);
    }
    const malformed = await call('POST', `/referrals/${person.referralId}/notes`, counsellor, '{"text": "unterminated');
    expect(malformed.status).toBe(400);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(await app.db.prisma.referralEvent.count({ where: { referralId: person.referralId } })).toBe(eventsBefore);
  });

  it("admins read their own organisation's audit; counsellors and other organisations cannot", { timeout: 60_000 }, async () => {
    const person = await personThroughTurns('audit me');
    const counsellor = await login(emails.counsellor);
    await call('GET', `/referrals/${person.referralId}`, counsellor);
    await call('GET', `/referrals/${person.referralId}/export?format=csv`, counsellor);
    await fetch(`${app.url}/console/api/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email: emails.counsellor, password: 'wrong password!' }),
    });

    expect((await call('GET', '/audit', counsellor)).status).toBe(403);
    const admin = await login(emails.admin);
    const audit = await call('GET', '/audit?limit=200', admin);
    expect(audit.status).toBe(200);
    expect(audit.headers.get('cache-control')).toBe('no-store');
    const { entries } = JSON.parse(audit.text) as { entries: { action: string; targetId: string | null; data: Record<string, unknown> | null }[] };
    const actions = entries.map((entry) => entry.action);
    for (const action of ['login_success', 'login_failure', 'referral_viewed', 'referral_exported']) expect(actions).toContain(action);
    expect(entries.find((entry) => entry.action === 'referral_exported')).toMatchObject({ targetId: person.referralId, data: { format: 'csv' } });
    expect((await call('GET', '/audit?limit=0', admin)).status).toBe(400);

    const stranger = await login(emails.otherAdmin);
    const theirs = JSON.parse((await call('GET', '/audit', stranger)).text) as { entries: { targetId: string | null }[] };
    expect(theirs.entries.some((entry) => entry.targetId === person.referralId)).toBe(false);
  });

  it('admins set the retention periods; the change is audited', { timeout: 60_000 }, async () => {
    const admin = await login(emails.admin);
    expect(JSON.parse((await call('GET', '/privacy/retention', admin)).text)).toMatchObject({ closedDays: 90, idleDays: 30, deleted: [] });
    const changed = await call('PUT', '/privacy/retention', admin, JSON.stringify({ closedDays: 60 }));
    expect(changed.status).toBe(200);
    expect(JSON.parse(changed.text)).toEqual({ closedDays: 60, idleDays: 30 });
    expect((await call('PUT', '/privacy/retention', admin, JSON.stringify({ closedDays: 0 }))).status).toBe(400);
    expect((await call('PUT', '/privacy/retention', await login(emails.counsellor), JSON.stringify({ closedDays: 5 }))).status).toBe(403);
    // Without the CSRF token a cookie session changes nothing.
    expect((await call('PUT', '/privacy/retention', { cookie: admin.cookie, csrf: 'wrong' }, JSON.stringify({ closedDays: 5 }))).status).toBe(403);
    expect((await app.db.prisma.organisation.findUnique({ where: { id: org } }))?.retentionClosedDays).toBe(60);
    const audit = await createConsoleRepository(app.db.prisma).listAudit(org, 500);
    expect(audit.filter((entry) => entry.action === 'retention_changed').map((entry) => entry.data)).toEqual([
      { closedDays: 60, idleDays: null, via: 'session' },
    ]);
  });

  it('"delete my data" in the chat erases the person from every table, audits it without personal data, and tells the consoles', {
    timeout: 60_000,
  }, async () => {
    const person = await personThroughTurns('please forget me');
    await person.turn({ type: 'intent', intent: 'erase' });
    const outcome = await person.turn({ type: 'choice', value: 'yes' });
    expect(outcome.ok).toBe(true);
    expect(await app.conversations.findById(person.conversationId)).toBeNull();
    for (const model of allModels) {
      for (const row of await rawRows(app.db, model)) {
        expect(row, model).not.toContain(person.conversationId);
        expect(row, model).not.toContain(person.channelRef);
        expect(row, model).not.toContain(person.referralId);
      }
    }
    expect(events).toContainEqual({
      type: 'conversation_erased',
      organisationId: org,
      conversationId: person.conversationId,
      referralIds: [person.referralId],
    });
    const audit = await createConsoleRepository(app.db.prisma).listAudit(org, 500);
    expect(audit.some((entry) => entry.action === 'person_erased' && entry.data?.channel === 'web')).toBe(true);
  });
});
