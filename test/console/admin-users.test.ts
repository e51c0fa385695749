// Admins manage their organisation's console users: create with a generated password shown once,
// change role, deactivate and reactivate, reset passwords; the organisation always keeps an active
// admin, even when two admins demote each other at the same moment (on PostgreSQL). Also: the
// retention job purges expired sessions and stale login throttles.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hashToken } from '../../src/console/auth/tokens.js';
import { LOGIN_THROTTLE_STALE_MS, RetentionJob } from '../../src/privacy/retention.js';
import { createPrivacyRepository } from '../../src/store/repositories/privacy.js';
import { useTestDatabase } from '../support/databases.js';
import { silentLogger } from '../support/turns.js';
import { PASSWORD, startPeopleHarness, type Caller, type PeopleHarness } from './admin-people-support.js';

const users = '/console/api/admin/users';

describe('admin users routes (PGlite)', () => {
  const database = useTestDatabase('pglite');
  let hx: PeopleHarness;

  beforeAll(async () => {
    hx = await startPeopleHarness(database());
  });
  afterAll(async () => {
    await hx?.close();
  });

  const patch = (caller: Caller, id: string, body: unknown) => hx.request('PATCH', `${users}/${id}`, caller, body);

  it('refuses counsellors on every users route with 403 admins_only', async () => {
    const { organisationId, admin } = await hx.orgWithAdmin();
    const counsellor = await hx.user(organisationId, 'counsellor');
    const caller = await hx.login(counsellor.email);
    const attempts = [
      await hx.request('GET', users, caller),
      await hx.request('POST', users, caller, { email: 'new@example.org', role: 'admin' }),
      await patch(caller, counsellor.id, { role: 'admin' }),
      await patch(caller, admin.id, { active: false }),
      await hx.request('POST', `${users}/${admin.id}/password`, caller, {}),
    ];
    for (const answer of attempts) {
      expect(answer.status).toBe(403);
      expect(answer.json).toMatchObject({ error: { reason: 'admins_only' } });
    }
    expect((await hx.repo.findUserById(counsellor.id))?.role).toBe('counsellor');
    expect((await hx.repo.findUserById(admin.id))?.active).toBe(true);
    expect(await hx.repo.findUserByEmail('new@example.org')).toBeNull();
  });

  it('refuses state changes without the CSRF token', async () => {
    const { caller } = await hx.orgWithAdmin();
    const answer = await hx.request('POST', users, { cookie: caller.cookie }, { email: 'csrf@example.org', role: 'counsellor' });
    expect(answer.status).toBe(403);
    expect(await hx.repo.findUserByEmail('csrf@example.org')).toBeNull();
  });

  it('creates a user with a generated password shown once, lists them without secrets, and audits without the password', async () => {
    const { organisationId, admin, caller } = await hx.orgWithAdmin();
    const email = `New.Person-${Date.now()}@Example.org`;
    const created = await hx.request('POST', users, caller, { email, displayName: 'New Person', role: 'counsellor' });
    expect(created.status).toBe(201);
    const { user, password } = created.json as { user: { id: string; email: string; role: string; active: boolean }; password: string };
    expect(user).toMatchObject({ email: email.toLowerCase(), role: 'counsellor', active: true });
    expect(password).toMatch(/^[a-z2-9]{5}(-[a-z2-9]{5}){3}$/);
    // The password works, and only its hash is stored.
    await hx.login(email, password);
    expect((await hx.repo.findUserById(user.id))?.passwordHash).not.toContain(password);

    const listed = await hx.request('GET', users, caller);
    expect(listed.status).toBe(200);
    const list = (listed.json as { users: { id: string; email: string }[] }).users;
    expect(list.map((item) => item.id).sort()).toEqual([admin.id, user.id].sort());
    expect(listed.text).not.toContain(password);
    expect(listed.text).not.toMatch(/passwordHash|scrypt\$/);

    const audit = await hx.repo.listAudit(organisationId);
    const entry = audit.find((item) => item.action === 'user_created' && item.targetId === user.id);
    expect(entry).toMatchObject({ actorUserId: admin.id, data: { role: 'counsellor' } });
    expect(JSON.stringify(audit)).not.toContain(password);
    expect(JSON.stringify(audit)).not.toContain(email.toLowerCase());
  });

  it('refuses a taken e-mail address (in any organisation) and invalid bodies', async () => {
    const { caller } = await hx.orgWithAdmin();
    const elsewhere = await hx.user(await hx.organisation(), 'counsellor');
    const taken = await hx.request('POST', users, caller, { email: elsewhere.email.toUpperCase(), role: 'counsellor' });
    expect(taken.status).toBe(409);
    expect(taken.json).toMatchObject({ error: { reason: 'email_taken' } });
    for (const body of [
      { email: 'x@example.org', role: 'root' },
      { email: 'not an address', role: 'admin' },
      { email: 'y@example.org', role: 'admin', password: 'chosen by me' },
    ]) {
      const answer = await hx.request('POST', users, caller, body);
      expect(answer.status).toBe(400);
      expect(answer.json).toMatchObject({ error: { reason: 'invalid_body' } });
    }
    expect(await hx.repo.findUserByEmail('y@example.org')).toBeNull();
    expect((await patch(caller, elsewhere.id, {})).status).toBe(400);
  });

  it("scopes everything to the caller organisation: another organisation's user is not found", async () => {
    const { caller } = await hx.orgWithAdmin();
    const other = await hx.orgWithAdmin();
    const stranger = await hx.user(other.organisationId, 'counsellor');
    expect((await patch(caller, stranger.id, { role: 'admin' })).status).toBe(404);
    expect((await patch(caller, other.admin.id, { active: false })).status).toBe(404);
    expect((await hx.request('POST', `${users}/${stranger.id}/password`, caller, {})).status).toBe(404);
    expect((await patch(caller, 'not-a-uuid', { role: 'admin' })).status).toBe(404);
    const list = (await hx.request('GET', users, caller)).json as { users: { id: string }[] };
    expect(list.users.map((item) => item.id)).not.toContain(stranger.id);
    expect((await hx.repo.findUserById(stranger.id))?.role).toBe('counsellor');
    expect((await hx.repo.findUserById(other.admin.id))?.active).toBe(true);
  });

  it('changes roles and display names, audited as user_updated', async () => {
    const { organisationId, caller } = await hx.orgWithAdmin();
    const counsellor = await hx.user(organisationId, 'counsellor');
    const promoted = await patch(caller, counsellor.id, { role: 'admin', displayName: 'Boss' });
    expect(promoted.status).toBe(200);
    expect(promoted.json).toMatchObject({ user: { id: counsellor.id, role: 'admin', displayName: 'Boss', active: true } });
    // The new admin can use the admin routes at once.
    expect((await hx.request('GET', users, await hx.login(counsellor.email))).status).toBe(200);
    const entry = (await hx.repo.listAudit(organisationId)).find((item) => item.action === 'user_updated' && item.targetId === counsellor.id);
    expect(entry?.data).toMatchObject({ role: 'admin', previousRole: 'counsellor', displayNameChanged: true });
  });

  describe('the last active admin', () => {
    it('cannot demote or deactivate themselves', async () => {
      const { admin, caller } = await hx.orgWithAdmin();
      for (const body of [{ role: 'counsellor' }, { active: false }, { role: 'counsellor', active: false }]) {
        const answer = await patch(caller, admin.id, body);
        expect(answer.status).toBe(409);
        expect(answer.json).toMatchObject({ error: { reason: 'last_admin' } });
      }
      // The id in another spelling is the same user, and the same refusal.
      expect((await patch(caller, admin.id.toUpperCase(), { role: 'counsellor' })).status).toBe(409);
      expect(await hx.repo.findUserById(admin.id)).toMatchObject({ role: 'admin', active: true });
      // Harmless changes to the last admin still pass.
      expect((await patch(caller, admin.id, { displayName: 'Still in charge' })).status).toBe(200);
    });

    it('can step down once another admin is active, and loses admin rights at once', async () => {
      const { organisationId, admin, caller } = await hx.orgWithAdmin();
      const second = await hx.user(organisationId, 'admin');
      const demoted = await patch(caller, admin.id, { role: 'counsellor' });
      expect(demoted.status).toBe(200);
      expect((await hx.request('GET', users, caller)).status).toBe(403);
      // Now the second admin is the last one: nobody may demote or deactivate them.
      const secondCaller = await hx.login(second.email);
      expect((await patch(secondCaller, second.id, { role: 'counsellor' })).status).toBe(409);
      expect((await patch(secondCaller, second.id, { active: false })).status).toBe(409);
    });

    it('may deactivate themselves when another admin is active; their session ends', async () => {
      const { organisationId, admin, caller } = await hx.orgWithAdmin();
      await hx.user(organisationId, 'admin');
      expect((await patch(caller, admin.id, { active: false })).status).toBe(200);
      expect((await hx.request('GET', '/console/api/me', caller)).status).toBe(401);
    });

    it('is not protected by an inactive admin: deactivated admins do not count', async () => {
      const { organisationId, admin, caller } = await hx.orgWithAdmin();
      const other = await hx.user(organisationId, 'admin');
      expect((await patch(caller, other.id, { active: false })).status).toBe(200);
      expect((await patch(caller, admin.id, { role: 'counsellor' })).status).toBe(409);
      // Reactivating the other admin makes stepping down possible again.
      expect((await patch(caller, other.id, { active: true })).status).toBe(200);
      expect((await patch(caller, admin.id, { role: 'counsellor' })).status).toBe(200);
    });
  });

  it("deactivation refuses the user's session and API keys at once; reactivation needs a new login", async () => {
    const { organisationId, caller } = await hx.orgWithAdmin();
    const counsellor = await hx.user(organisationId, 'counsellor');
    const session = await hx.login(counsellor.email);
    expect((await hx.request('GET', '/console/api/me', session)).status).toBe(200);
    const deactivated = await patch(caller, counsellor.id, { active: false });
    expect(deactivated.status).toBe(200);
    expect(deactivated.json).toMatchObject({ user: { active: false } });
    expect((await hx.request('GET', '/console/api/me', session)).status).toBe(401);
    const loginWhileInactive = await hx.request('POST', '/console/api/login', {}, { email: counsellor.email, password: PASSWORD });
    expect(loginWhileInactive.status).toBe(401);

    const entry = (await hx.repo.listAudit(organisationId)).find((item) => item.action === 'user_deactivated' && item.targetId === counsellor.id);
    expect(entry?.data).toMatchObject({ active: false });

    expect((await patch(caller, counsellor.id, { active: true })).status).toBe(200);
    // The old session was deleted, not merely suspended.
    expect((await hx.request('GET', '/console/api/me', session)).status).toBe(401);
    expect((await hx.request('GET', '/console/api/me', await hx.login(counsellor.email))).status).toBe(200);
  });

  it('resets a password: a new one shown once, the old one and every session of the user end', async () => {
    const { organisationId, admin, caller } = await hx.orgWithAdmin();
    const counsellor = await hx.user(organisationId, 'counsellor');
    const sessions = [await hx.login(counsellor.email), await hx.login(counsellor.email)];
    const reset = await hx.request('POST', `${users}/${counsellor.id}/password`, caller, {});
    expect(reset.status).toBe(200);
    const { password } = reset.json as { password: string };
    expect(password).toMatch(/^[a-z2-9]{5}(-[a-z2-9]{5}){3}$/);
    for (const session of sessions) expect((await hx.request('GET', '/console/api/me', session)).status).toBe(401);
    expect((await hx.request('POST', '/console/api/login', {}, { email: counsellor.email, password: PASSWORD })).status).toBe(401);
    await hx.login(counsellor.email, password);

    const audit = await hx.repo.listAudit(organisationId);
    expect(audit.find((item) => item.action === 'password_reset' && item.targetId === counsellor.id)).toMatchObject({ actorUserId: admin.id });
    expect(JSON.stringify(audit)).not.toContain(password);

    // Resetting one's own password keeps the session in use and ends the others.
    const elsewhere = await hx.login(admin.email);
    const own = await hx.request('POST', `${users}/${admin.id}/password`, caller, {});
    expect(own.status).toBe(200);
    expect((await hx.request('GET', '/console/api/me', caller)).status).toBe(200);
    expect((await hx.request('GET', '/console/api/me', elsewhere)).status).toBe(401);
  });
});

describe('concurrent demotions (PostgreSQL)', () => {
  const database = useTestDatabase('postgres');
  let hx: PeopleHarness;

  beforeAll(async () => {
    hx = await startPeopleHarness(database());
  });
  afterAll(async () => {
    await hx?.close();
  });

  it('two admins demoting or deactivating each other at once leave exactly one active admin', async () => {
    // Several rounds: without the row locks, both transactions would count two admins and both pass.
    for (let round = 0; round < 8; round++) {
      const organisationId = await hx.organisation();
      const [first, second] = [await hx.user(organisationId, 'admin'), await hx.user(organisationId, 'admin')];
      const changes =
        round % 2 === 0 ? [{ role: 'counsellor' as const }, { role: 'counsellor' as const }] : [{ active: false }, { role: 'counsellor' as const }];
      const results = await Promise.all([
        hx.repo.changeUser(organisationId, first.id, changes[0]!, new Date()),
        hx.repo.changeUser(organisationId, second.id, changes[1]!, new Date()),
      ]);
      expect(results.filter((result) => result.ok)).toHaveLength(1);
      expect(results.filter((result) => !result.ok && result.reason === 'last_admin')).toHaveLength(1);
      const remaining = (await hx.repo.listUsers(organisationId)).filter((user) => user.role === 'admin' && user.active);
      expect(remaining).toHaveLength(1);
    }
  });

  it('the same over HTTP: each admin demotes themselves at once', async () => {
    const organisationId = await hx.organisation();
    const admins = [await hx.user(organisationId, 'admin'), await hx.user(organisationId, 'admin')];
    const callers = [await hx.login(admins[0]!.email), await hx.login(admins[1]!.email)];
    const answers = await Promise.all(admins.map((admin, index) => hx.request('PATCH', `${users}/${admin.id}`, callers[index], { role: 'counsellor' })));
    expect(answers.map((answer) => answer.status).sort()).toEqual([200, 409]);
    expect((await hx.repo.listUsers(organisationId)).filter((user) => user.role === 'admin' && user.active)).toHaveLength(1);
  });
});

describe('purging expired console sessions and stale login throttles (retention job, fixed clock)', () => {
  const database = useTestDatabase('pglite');
  const now = new Date('2027-03-01T12:00:00Z');
  const minutes = (n: number) => new Date(now.getTime() + n * 60_000);

  it('deletes what no longer counts and keeps what does', async () => {
    const db = database();
    const hx = await startPeopleHarness(db);
    try {
      const user = await hx.user(await hx.organisation(), 'counsellor');
      const sessions = { expired: 'expired', justExpired: 'just-expired', live: 'live' };
      await hx.repo.createSession({ userId: user.id, tokenHash: hashToken(sessions.expired), csrfToken: 'c1', expiresAt: minutes(-60) });
      await hx.repo.createSession({ userId: user.id, tokenHash: hashToken(sessions.justExpired), csrfToken: 'c2', expiresAt: now });
      await hx.repo.createSession({ userId: user.id, tokenHash: hashToken(sessions.live), csrfToken: 'c3', expiresAt: minutes(1) });
      const staleStart = new Date(now.getTime() - LOGIN_THROTTLE_STALE_MS - 60_000);
      await db.prisma.loginThrottle.createMany({
        data: [
          { key: 'email:stale', failures: 3, windowStart: staleStart },
          { key: 'email:stale-lock-over', failures: 5, windowStart: staleStart, lockedUntil: minutes(-1) },
          { key: 'email:stale-but-locked', failures: 5, windowStart: staleStart, lockedUntil: minutes(10) },
          { key: 'email:recent', failures: 2, windowStart: minutes(-5) },
        ],
      });
      const job = new RetentionJob({ privacy: createPrivacyRepository(db.prisma), logins: hx.repo, logger: silentLogger, clock: () => now });
      await job.runOnce();

      const left = await db.prisma.consoleSession.findMany({ where: { userId: user.id }, select: { tokenHash: true } });
      expect(left.map((row) => row.tokenHash)).toEqual([hashToken(sessions.live)]);
      const throttles = await db.prisma.loginThrottle.findMany({ select: { key: true }, orderBy: { key: 'asc' } });
      expect(throttles.map((row) => row.key)).toEqual(['email:recent', 'email:stale-but-locked']);

      // Idempotent: a second pass at the same time deletes nothing more.
      expect(await hx.repo.purgeExpiredLogins(now, LOGIN_THROTTLE_STALE_MS)).toEqual({ sessions: 0, throttles: 0 });
    } finally {
      await hx.close();
    }
  });
});
