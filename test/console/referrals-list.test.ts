import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import express from 'express';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConsoleAuth } from '../../src/console/auth/auth.js';
import { hashPassword } from '../../src/console/auth/password.js';
import { API_KEY_PREFIX, hashToken, newToken } from '../../src/console/auth/tokens.js';
import { encodeCursor } from '../../src/console/api/routes.js';
import { mountConsole } from '../../src/console/index.js';
import { errorHandler, notFound } from '../../src/http/errors.js';
import { pseudonymFor } from '../../src/referral/build.js';
import { createConsoleRepository, type ConsoleRepository } from '../../src/store/repositories/console.js';
import type { Priority } from '../../src/store/repositories/referrals.js';
import { callConsole } from '../support/console.js';
import { useTestDatabase } from '../support/databases.js';
import { silentLogger } from '../support/turns.js';
import { conversationWith, fullAnswers, handoffFixture, localesAndCatalogue, newOrganisation, type HandoffFixture } from '../handoff/support.js';

interface Summary {
  id: string;
  status: string;
  priority: Priority;
  pseudonym: string | null;
  createdAt: string;
  assignedUserId: string | null;
}
interface ListAnswer {
  referrals: Summary[];
  nextCursor: string | null;
}

let server: Server;
let base: string;
let fx: HandoffFixture;
let repo: ConsoleRepository;

const database = useTestDatabase('pglite');

beforeAll(async () => {
  const db = database();
  fx = await handoffFixture(db, new Date('2026-11-30T10:00:00Z'));
  repo = createConsoleRepository(db.prisma);
  const { localisation } = await localesAndCatalogue();
  const app = express();
  const auth = new ConsoleAuth({ repository: repo, secureCookies: false });
  mountConsole(app, { auth, handoff: fx.service, conversations: fx.conversations, console: repo, localisation });
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

/** A fresh organisation with counsellors, each with an API key. */
async function organisationWith(names: readonly string[]) {
  const organisationId = await newOrganisation(database(), `Org ${randomUUID().slice(0, 4)}`);
  const passwordHash = await hashPassword('a long enough password');
  const people: Record<string, { id: string; key: string }> = {};
  for (const name of names) {
    const user = await repo.createUser({ organisationId, email: `${name}-${randomUUID()}@example.org`, passwordHash, role: 'counsellor' });
    const key = newToken(API_KEY_PREFIX);
    await repo.createApiKey({ userId: user!.id, tokenHash: hashToken(key), prefix: key.slice(0, 10) });
    people[name] = { id: user!.id, key };
  }
  return { organisationId, people };
}

/** A referral created at `at` (the queue's clock), then given `priority`. */
async function newReferral(organisationId: string, at = new Date('2026-11-30T10:00:00Z'), priority?: Priority) {
  fx.clock.now = at;
  const conversation = await conversationWith(database(), organisationId, fullAnswers);
  const { referral } = await fx.service.handoffRequested(conversation, 'intake_completed');
  if (priority) await database().prisma.referral.update({ where: { id: referral.id }, data: { priority } });
  return { ...referral, priority: priority ?? referral.priority };
}

const list = async (key: string, query = '') => {
  const answer = await callConsole(base, 'GET', `/console/api/referrals${query}`, { key });
  return { status: answer.status, json: answer.json as ListAnswer & { error?: { code: number; reason: string; message: string } } };
};
const ids = (answer: { json: ListAnswer }) => answer.json.referrals.map((referral) => referral.id);

describe('GET /console/api/referrals: filters, search and paging', () => {
  it('filters by one status or a list, open ones by default, and by assignee me, none or a user', async () => {
    const { organisationId, people } = await organisationWith(['anna', 'bert']);
    const waiting = await newReferral(organisationId);
    const annas = await newReferral(organisationId);
    const berts = await newReferral(organisationId);
    const closed = await newReferral(organisationId);
    expect((await callConsole(base, 'POST', `/console/api/referrals/${annas.id}/claim`, { key: people.anna!.key }, {})).status).toBe(200);
    expect((await callConsole(base, 'POST', `/console/api/referrals/${berts.id}/claim`, { key: people.bert!.key }, {})).status).toBe(200);
    expect((await callConsole(base, 'POST', `/console/api/referrals/${closed.id}/claim`, { key: people.anna!.key }, {})).status).toBe(200);
    expect((await callConsole(base, 'POST', `/console/api/referrals/${closed.id}/close`, { key: people.anna!.key }, { reason: 'done' })).status).toBe(200);
    const anna = people.anna!.key;

    const open = await list(anna);
    expect(open.status).toBe(200);
    expect(new Set(ids(open))).toEqual(new Set([waiting.id, annas.id, berts.id]));
    expect(open.json.nextCursor).toBeNull();
    expect(ids(await list(anna, '?status=closed'))).toEqual([closed.id]);
    expect(new Set(ids(await list(anna, '?status=new,closed')))).toEqual(new Set([waiting.id, closed.id]));
    expect(new Set(ids(await list(anna, '?status=new, claimed')))).toEqual(new Set([waiting.id, annas.id, berts.id]));
    expect(new Set(ids(await list(anna, '?status=new,claimed,in_progress,referred,closed,cancelled')))).toEqual(
      new Set([waiting.id, annas.id, berts.id, closed.id]),
    );

    expect(ids(await list(anna, '?assignee=me'))).toEqual([annas.id]);
    expect(ids(await list(people.bert!.key, '?assignee=me'))).toEqual([berts.id]);
    expect(new Set(ids(await list(anna, '?assignee=me&status=claimed,closed')))).toEqual(new Set([annas.id, closed.id]));
    expect(ids(await list(anna, '?assignee=none'))).toEqual([waiting.id]);
    expect(ids(await list(anna, `?assignee=${people.bert!.id}`))).toEqual([berts.id]);
    expect(ids(await list(anna, `?assignee=${randomUUID()}`))).toEqual([]);
  });

  it('finds a referral by its reference (whole or first 8 characters) or by its pseudonym, in any status', async () => {
    const { organisationId, people } = await organisationWith(['anna']);
    const wanted = await newReferral(organisationId);
    const other = await newReferral(organisationId);
    await database().prisma.referral.update({ where: { id: wanted.id }, data: { status: 'closed', openConversationId: null } });
    const anna = people.anna!.key;
    const pseudonym = pseudonymFor(wanted.conversationId);
    // The clear column holds what the record shows.
    expect((await database().prisma.referral.findUniqueOrThrow({ where: { id: wanted.id } })).pseudonym).toBe(pseudonym);

    // The migration's backfill derives the same pseudonym in SQL for referrals made before the column.
    const backfill = readFileSync(new URL('../../prisma/migrations/20261203135827_referral_pseudonym/migration.sql', import.meta.url), 'utf8')
      .split('\n')
      .find((line) => line.startsWith('UPDATE "Referral"'));
    await database().prisma.referral.updateMany({ where: { organisationId }, data: { pseudonym: null } });
    await database().prisma.$executeRawUnsafe(backfill!);
    for (const referral of [wanted, other]) {
      const row = await database().prisma.referral.findUniqueOrThrow({ where: { id: referral.id } });
      expect(row.pseudonym).toBe(pseudonymFor(referral.conversationId));
    }

    const all = '&status=new,closed';
    expect(ids(await list(anna, `?q=${wanted.id.slice(0, 8)}${all}`))).toEqual([wanted.id]);
    expect(ids(await list(anna, `?q=${wanted.id.slice(0, 8).toUpperCase()}${all}`))).toEqual([wanted.id]);
    expect(ids(await list(anna, `?q=${wanted.id}${all}`))).toEqual([wanted.id]);
    expect(ids(await list(anna, `?q=${wanted.id.slice(0, 13)}${all}`))).toEqual([wanted.id]);
    const byPseudonym = await list(anna, `?q=${pseudonym}${all}`);
    expect(ids(byPseudonym)).toEqual([wanted.id]);
    expect(byPseudonym.json.referrals[0]?.pseudonym).toBe(pseudonym);
    expect(ids(await list(anna, `?q=${pseudonym.toLowerCase()}${all}`))).toEqual([wanted.id]);
    // Search respects the other filters: the closed one is not open.
    expect(ids(await list(anna, `?q=${pseudonym}`))).toEqual([]);
    expect(ids(await list(anna, `?q=${other.id.slice(0, 8)}`))).toEqual([other.id]);
    // Free text is not a reference or a pseudonym: said so, not silently empty.
    const text = await list(anna, '?q=Herat');
    expect(text.status).toBe(400);
    expect(text.json.error).toMatchObject({ code: 400, reason: 'invalid_query' });
  });

  it('pages through the queue in its order (priority, then oldest, then id): three pages, no duplicate, no gap', async () => {
    const { organisationId, people } = await organisationWith(['anna']);
    const t = (minutes: number) => new Date(Date.UTC(2026, 10, 30, 9, minutes));
    // Ties on priority and time, so the id decides between some.
    const created = [
      await newReferral(organisationId, t(5), 'normal'),
      await newReferral(organisationId, t(1), 'normal'),
      await newReferral(organisationId, t(1), 'normal'),
      await newReferral(organisationId, t(9), 'urgent'),
      await newReferral(organisationId, t(3), 'high'),
      await newReferral(organisationId, t(3), 'high'),
      await newReferral(organisationId, t(2), 'elevated'),
      await newReferral(organisationId, t(7), 'urgent'),
    ];
    const rank: Priority[] = ['urgent', 'high', 'elevated', 'normal'];
    const expected = [...created]
      .sort(
        (a, b) =>
          rank.indexOf(a.priority) - rank.indexOf(b.priority) || a.createdAt.getTime() - b.createdAt.getTime() || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0),
      )
      .map((referral) => referral.id);

    const anna = people.anna!.key;
    const seen: string[] = [];
    const sizes: number[] = [];
    let cursor: string | null = null;
    do {
      const page = await list(anna, `?limit=3${cursor ? `&cursor=${cursor}` : ''}`);
      expect(page.status).toBe(200);
      seen.push(...ids(page));
      sizes.push(page.json.referrals.length);
      cursor = page.json.nextCursor;
    } while (cursor && sizes.length < 10);
    expect(sizes).toEqual([3, 3, 2]);
    expect(seen).toEqual(expected);
    // One page holding everything ends at once.
    const whole = await list(anna, '?limit=8');
    expect(ids(whole)).toEqual(expected);
    expect(whole.json.nextCursor).toBeNull();
    // The default page is 50.
    expect(ids(await list(anna))).toEqual(expected);
    // An empty search box is no search.
    const first = await list(anna, '?limit=1&q=');
    expect(ids(first)).toEqual(expected.slice(0, 1));
  });

  it('refuses a bad limit, a forged cursor and unknown parameters with 400 and the error shape', async () => {
    const { people } = await organisationWith(['anna']);
    const anna = people.anna!.key;
    const forged = [
      'not-a-cursor!',
      'abc',
      Buffer.from('{"p":"urgent"}').toString('base64url'),
      Buffer.from(JSON.stringify(['urgent', 'yesterday', randomUUID()])).toString('base64url'),
      Buffer.from(JSON.stringify(['important', '2026-11-30T10:00:00.000Z', randomUUID()])).toString('base64url'),
      Buffer.from(JSON.stringify(['urgent', '2026-11-30T10:00:00.000Z', 'x'])).toString('base64url'),
      'A'.repeat(500),
    ];
    for (const query of [
      '?limit=0',
      '?limit=101',
      '?limit=-1',
      '?limit=ten',
      '?limit=2.5',
      '?status=open',
      '?status=',
      '?assignee=someone',
      '?sort=id',
      ...forged.map((cursor) => `?cursor=${encodeURIComponent(cursor)}`),
    ]) {
      const answer = await list(anna, query);
      expect(answer.status, query).toBe(400);
      expect(answer.json, query).toEqual({ error: { code: 400, reason: 'invalid_query', message: expect.any(String), issues: expect.any(Array) } });
    }
    expect((await list(anna, '?limit=100')).status).toBe(200);
    expect((await list(anna, '?limit=1')).status).toBe(200);
  });

  it("never shows another organisation's referrals, by filter, search or a cursor made from one of them", async () => {
    const a = await organisationWith(['anna']);
    const b = await organisationWith(['bert']);
    const mine = await newReferral(a.organisationId);
    const theirs = await newReferral(b.organisationId, new Date('2026-11-30T09:00:00Z'), 'urgent');
    const anna = a.people.anna!.key;
    const all = 'status=new,claimed,in_progress,referred,closed,cancelled';
    expect(ids(await list(anna, `?${all}`))).toEqual([mine.id]);
    expect(ids(await list(anna, `?${all}&assignee=none`))).toEqual([mine.id]);
    expect(ids(await list(anna, `?${all}&q=${theirs.id.slice(0, 8)}`))).toEqual([]);
    expect(ids(await list(anna, `?${all}&q=${theirs.id}`))).toEqual([]);
    expect(ids(await list(anna, `?${all}&q=${pseudonymFor(theirs.conversationId)}`))).toEqual([]);
    // A well-formed cursor at B's referral only positions A's own list.
    const cursor = encodeCursor({ priority: 'urgent', createdAt: theirs.createdAt, id: theirs.id });
    const page = await list(anna, `?${all}&cursor=${cursor}`);
    expect(page.status).toBe(200);
    expect(ids(page)).toEqual([mine.id]);
    for (const text of [JSON.stringify(page.json), JSON.stringify((await list(anna, `?${all}`)).json)]) {
      expect(text).not.toContain(theirs.id);
      expect(text).not.toContain(theirs.conversationId);
    }
    expect(ids(await list(b.people.bert!.key, `?${all}`))).toEqual([theirs.id]);
  });
});
