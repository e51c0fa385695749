// POST /console/api/referrals/{id}/assign and GET /console/api/counsellors (issue 19, item 5): a
// counsellor hands their referral to a colleague of the same organisation, an admin assigns or
// puts back in the queue; never across organisations; the person is told in their language; every
// console hears of it; the audit trail says who gave it to whom.
import { randomUUID } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import express from 'express';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConsoleAuth } from '../../src/console/auth/auth.js';
import { consoleEventsRouter } from '../../src/console/api/events.js';
import { mountConsole } from '../../src/console/index.js';
import { hashPassword } from '../../src/console/auth/password.js';
import { API_KEY_PREFIX, hashToken, newToken } from '../../src/console/auth/tokens.js';
import { errorHandler, notFound } from '../../src/http/errors.js';
import { createConsoleRepository, type ConsoleRepository, type UserRole } from '../../src/store/repositories/console.js';
import { callConsole, type ConsoleCaller } from '../support/console.js';
import { useTestDatabase } from '../support/databases.js';
import { silentLogger } from '../support/turns.js';
import { openSse } from '../handoff/sse.js';
import { conversationWith, fullAnswers, handoffFixture, localesAndCatalogue, newOrganisation, type HandoffFixture } from '../handoff/support.js';

type Name = 'anna' | 'carl' | 'adminA' | 'gone' | 'bert';
interface User {
  id: string;
  email: string;
  key: ConsoleCaller;
}

let server: Server;
let base: string;
let fx: HandoffFixture;
let repo: ConsoleRepository;
let orgA: string;
let orgB: string;
const users = {} as Record<Name, User>;
const database = useTestDatabase('pglite');

const assign = (id: string, caller: Name, body?: unknown) => callConsole(base, 'POST', `/console/api/referrals/${id}/assign`, users[caller].key, body);

async function newReferral(org: string, locale = 'en') {
  const conversation = await conversationWith(database(), org, fullAnswers, { locale });
  return (await fx.service.handoffRequested(conversation, 'intake_completed')).referral;
}

async function claimedBy(name: Name, locale = 'en') {
  const referral = await newReferral(orgA, locale);
  const claimed = await fx.service.claim({ userId: users[name].id, organisationId: orgA, role: 'counsellor' }, referral.id);
  expect(claimed.ok).toBe(true);
  return referral;
}

const stored = (id: string) => database().prisma.referral.findUniqueOrThrow({ where: { id } });
const conversationStatus = async (conversationId: string) => (await database().prisma.conversation.findUniqueOrThrow({ where: { id: conversationId } })).status;
const lastNotice = async (conversationId: string) =>
  database().prisma.message.findFirst({ where: { conversationId, author: 'system' }, orderBy: { seq: 'desc' } });
const updates = (referralId: string) =>
  fx.events.filter((event) => event.type === 'referral_updated' && event.referralId === referralId).map((event) => event.type === 'referral_updated' && event);

beforeAll(async () => {
  const db = database();
  fx = await handoffFixture(db, new Date());
  repo = createConsoleRepository(db.prisma);
  orgA = await newOrganisation(db, 'A');
  orgB = await newOrganisation(db, 'B');
  const passwordHash = await hashPassword('a long enough password');
  const people: [Name, string, UserRole][] = [
    ['anna', orgA, 'counsellor'],
    ['carl', orgA, 'counsellor'],
    ['adminA', orgA, 'admin'],
    ['gone', orgA, 'counsellor'],
    ['bert', orgB, 'counsellor'],
  ];
  for (const [name, organisationId, role] of people) {
    const email = `${name}-${randomUUID()}@example.org`;
    const user = await repo.createUser({ organisationId, email, passwordHash, role, displayName: name });
    const token = newToken(API_KEY_PREFIX);
    await repo.createApiKey({ userId: user!.id, tokenHash: hashToken(token), prefix: token.slice(0, 10) });
    users[name] = { id: user!.id, email, key: { key: token } };
  }
  // Deactivated after its key was made: no longer a colleague to hand anything to.
  await repo.changeUser(orgA, users.gone.id, { active: false }, new Date());
  const { localisation } = await localesAndCatalogue();
  const app = express();
  const auth = new ConsoleAuth({ repository: repo, secureCookies: false });
  mountConsole(app, { auth, handoff: fx.service, conversations: fx.conversations, console: repo, localisation });
  app.use('/console/api', consoleEventsRouter({ auth, events: fx.bus }));
  app.use(notFound);
  app.use(errorHandler(silentLogger));
  server = createServer(app);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  server?.closeAllConnections();
  await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
});

describe('transferring a referral', () => {
  it('lets its counsellor hand it to a colleague: the person is told in their language, every console hears it, the audit says to whom', async () => {
    const referral = await claimedBy('anna', 'fr');
    // Carl's console is open: it hears of the transfer without asking.
    const stream = await openSse(`${base}/console/api/events`, { authorization: `Bearer ${users.carl.key.key}` });
    await stream.next((event) => event.event === 'ready', 5_000);
    const answer = await assign(referral.id, 'anna', { userId: users.carl.id });
    expect(answer.status, answer.text).toBe(200);
    expect(answer.json).toMatchObject({ referral: { id: referral.id, status: 'claimed', assignedUserId: users.carl.id } });
    expect(await stored(referral.id)).toMatchObject({ status: 'claimed', assignedUserId: users.carl.id });
    // The person keeps talking to a person.
    expect(await conversationStatus(referral.conversationId)).toBe('human');

    const { localisation } = await localesAndCatalogue();
    const notice = await lastNotice(referral.conversationId);
    // Named: the person learns who has the chat now (Carl's display name is 'carl').
    expect(notice?.textKey).toBe('handoff:counsellor_transferred_named');
    expect(notice?.text).toBe(localisation.translatorFor('fr')('handoff:counsellor_transferred_named', { name: 'carl' }));
    expect(notice?.text).not.toBe(localisation.translatorFor('en')('handoff:counsellor_transferred_named', { name: 'carl' }));
    expect(await database().prisma.outboxMessage.count({ where: { conversationId: referral.conversationId } })).toBeGreaterThanOrEqual(2);

    expect(updates(referral.id).at(-1)).toMatchObject({ change: 'transferred', status: 'claimed', assignedUserId: users.carl.id, organisationId: orgA });
    try {
      const heard = await stream.next((event) => event.event === 'handoff' && (event.data as { change?: string }).change === 'transferred', 5_000);
      expect(heard.data).toMatchObject({ type: 'referral_updated', referralId: referral.id, assignedUserId: users.carl.id });
    } finally {
      stream.close();
    }
    const history = await fx.referrals.listEvents(referral.id);
    expect(history.at(-1)).toMatchObject({ type: 'transferred', actorUserId: users.anna.id, data: { from: users.anna.id, to: users.carl.id } });
    const audit = (await repo.listAudit(orgA, 50)).find((entry) => entry.action === 'referral_assigned' && entry.targetId === referral.id);
    expect(audit).toMatchObject({ actorUserId: users.anna.id, targetType: 'referral', data: { via: 'api_key', to: users.carl.id } });

    // The new owner works it; the old one no longer may.
    expect((await callConsole(base, 'PATCH', `/console/api/referrals/${referral.id}`, users.carl.key, { status: 'in_progress' })).status).toBe(200);
    expect((await callConsole(base, 'PATCH', `/console/api/referrals/${referral.id}`, users.anna.key, { status: 'referred', provider: 'x' })).status).toBe(403);
  });

  it('refuses a counsellor who does not own the referral (403), whether taking it or giving it away', async () => {
    const referral = await claimedBy('anna');
    const before = fx.events.length;
    for (const userId of [users.carl.id, null, users.anna.id]) {
      const answer = await assign(referral.id, 'carl', { userId });
      expect(answer.status, String(userId)).toBe(403);
      expect(answer.json).toMatchObject({ error: { reason: 'not_assignee' } });
    }
    // Nor a waiting referral: a counsellor claims those.
    const waiting = await newReferral(orgA);
    expect((await assign(waiting.id, 'carl', { userId: users.carl.id })).status).toBe(403);
    expect(await stored(referral.id)).toMatchObject({ status: 'claimed', assignedUserId: users.anna.id });
    expect(fx.events.slice(before).filter((event) => event.type === 'referral_updated' && event.referralId === referral.id)).toEqual([]);
  });

  it('puts a referral back in the queue with userId null: new, unassigned, the person waits for someone again', async () => {
    const referral = await claimedBy('anna');
    const answer = await assign(referral.id, 'anna', { userId: null });
    expect(answer.status, answer.text).toBe(200);
    expect(answer.json).toMatchObject({ referral: { status: 'new', assignedUserId: null } });
    expect(await stored(referral.id)).toMatchObject({ status: 'new', assignedUserId: null });
    expect(await conversationStatus(referral.conversationId)).toBe('queued');
    expect((await lastNotice(referral.conversationId))?.textKey).toBe('handoff:counsellor_transferred');
    expect(updates(referral.id).at(-1)).toMatchObject({ change: 'unassigned', status: 'new', assignedUserId: null });
    // Waiting again: anyone may claim it.
    expect((await callConsole(base, 'POST', `/console/api/referrals/${referral.id}/claim`, users.carl.key, {})).status).toBe(200);
    // Already nobody's: nothing to change.
    const again = await newReferral(orgA);
    expect((await assign(again.id, 'adminA', { userId: null })).json).toMatchObject({ error: { reason: 'unchanged' } });
  });

  it('lets an admin assign a waiting referral, take anyone’s away, and refuses a closed one or a no-op (409)', async () => {
    const waiting = await newReferral(orgA);
    const given = await assign(waiting.id, 'adminA', { userId: users.anna.id });
    expect(given.status, given.text).toBe(200);
    expect(await stored(waiting.id)).toMatchObject({ status: 'claimed', assignedUserId: users.anna.id, claimedAt: expect.any(Date) });
    expect(await conversationStatus(waiting.conversationId)).toBe('human');
    expect((await lastNotice(waiting.conversationId))?.textKey).toBe('handoff:counsellor_joined_named');
    expect(updates(waiting.id).at(-1)).toMatchObject({ change: 'assigned', assignedUserId: users.anna.id });

    expect((await assign(waiting.id, 'adminA', { userId: users.carl.id })).status).toBe(200);
    const same = await assign(waiting.id, 'adminA', { userId: users.carl.id });
    expect(same.status).toBe(409);
    expect(same.json).toMatchObject({ error: { reason: 'unchanged' } });

    const closed = await claimedBy('anna');
    expect((await fx.service.close({ userId: users.anna.id, organisationId: orgA, role: 'counsellor' }, closed.id, 'done')).ok).toBe(true);
    const refused = await assign(closed.id, 'adminA', { userId: users.carl.id });
    expect(refused.status).toBe(409);
    expect(refused.json).toMatchObject({ error: { reason: 'wrong_status' } });
  });

  it('never crosses organisations: another organisation’s referral or colleague is 404, like an unknown one', async () => {
    const referral = await claimedBy('anna');
    // Bert of B on A's referral, even naming himself.
    for (const userId of [users.bert.id, users.anna.id, null]) {
      const answer = await assign(referral.id, 'bert', { userId });
      expect(answer.status).toBe(404);
      expect(answer.json).toEqual({ error: { code: 404, reason: 'not_found', message: 'no such referral' } });
    }
    // A's people handing A's referral to B's counsellor, to a deactivated colleague or to nobody known.
    for (const [caller, userId] of [
      ['anna', users.bert.id],
      ['adminA', users.bert.id],
      ['anna', users.gone.id],
      ['anna', randomUUID()],
    ] as const) {
      const answer = await assign(referral.id, caller, { userId });
      expect(answer.status, `${caller} -> ${userId}`).toBe(404);
      expect(answer.json).toMatchObject({ error: { reason: 'no_such_user' } });
      expect(answer.text).not.toContain(users.bert.email);
    }
    expect((await assign(randomUUID(), 'adminA', { userId: users.carl.id })).status).toBe(404);
    expect(await stored(referral.id)).toMatchObject({ status: 'claimed', assignedUserId: users.anna.id });
  });

  it('refuses a body that is not { userId: uuid | null } (400 invalid_body)', async () => {
    const referral = await claimedBy('anna');
    for (const body of [undefined, {}, { userId: 'carl' }, { userId: users.carl.id, note: 'x' }, { user: users.carl.id }, []]) {
      const answer = await assign(referral.id, 'anna', body);
      expect(answer.status, JSON.stringify(body)).toBe(400);
      expect(answer.json).toMatchObject({ error: { reason: 'invalid_body' } });
    }
    expect(await stored(referral.id)).toMatchObject({ assignedUserId: users.anna.id });
  });
});

describe('GET /console/api/counsellors', () => {
  it("lists the caller's organisation's active users with their open referrals, nobody else's", async () => {
    const answer = await callConsole(base, 'GET', '/console/api/counsellors', users.carl.key);
    expect(answer.status).toBe(200);
    const { counsellors } = answer.json as { counsellors: { id: string; email: string; displayName: string | null; role: string; openReferrals: number }[] };
    expect(counsellors.map((item) => item.id).sort()).toEqual([users.anna.id, users.carl.id, users.adminA.id].sort());
    const open = await database().prisma.referral.count({
      where: { organisationId: orgA, assignedUserId: users.anna.id, status: { in: ['claimed', 'in_progress', 'referred'] } },
    });
    expect(counsellors.find((item) => item.id === users.anna.id)).toEqual({
      id: users.anna.id,
      email: users.anna.email,
      displayName: 'anna',
      role: 'counsellor',
      openReferrals: open,
    });
    expect(answer.text).not.toContain(users.bert.email);
    expect((await callConsole(base, 'GET', '/console/api/counsellors')).status).toBe(401);
  });
});
