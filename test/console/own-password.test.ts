// A console user changes their own password over HTTP: the current one must be right (and guesses
// meet the login throttle), the new one passes the password policy, the old one stops working,
// every other session of the user ends with a revocation notice while the one in use stays, API
// keys cannot do it, and the audit names the change without a password.
import { randomUUID } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import express from 'express';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConsoleAuth } from '../../src/console/auth/auth.js';
import { ownPasswordRouter } from '../../src/console/auth/own-password-routes.js';
import { hashPassword } from '../../src/console/auth/password.js';
import { withRevocationNotices } from '../../src/console/auth/revocation-notices.js';
import { createInProcessRevocations, type Revocation } from '../../src/console/auth/revocations.js';
import { API_KEY_PREFIX, hashToken, newToken } from '../../src/console/auth/tokens.js';
import { errorHandler, notFound } from '../../src/http/errors.js';
import { createConsoleRepository, type ConsoleRepository } from '../../src/store/repositories/console.js';
import { createOrganisationRepository } from '../../src/store/repositories/organisations.js';
import { callConsole, loginToConsole, type ConsoleCaller } from '../support/console.js';
import { useTestDatabase } from '../support/databases.js';
import { silentLogger } from '../support/turns.js';

const OLD = 'a long enough password';
const NEW = 'lantern orchard pebble sixty';
const ENDPOINT = '/console/api/me/password';

describe('POST /console/api/me/password (PGlite)', () => {
  const database = useTestDatabase('pglite');
  let server: Server;
  let base: string;
  let repo: ConsoleRepository;
  const notices: Revocation[] = [];

  beforeAll(async () => {
    const revocations = createInProcessRevocations();
    revocations.subscribe((notice) => notices.push(notice));
    repo = withRevocationNotices(createConsoleRepository(database().prisma), revocations);
    // The pair gate (one account from one address) as at login; the address gate out of the way.
    const auth = new ConsoleAuth({
      repository: repo,
      revocations,
      secureCookies: false,
      throttle: {
        address: { free: 10_000, windowMs: 60_000, firstDelayMs: 1_000, maxDelayMs: 60_000 },
        pair: { free: 3, windowMs: 60_000, firstDelayMs: 60_000, maxDelayMs: 60_000 },
      },
    });
    const app = express();
    app.use('/console/api', auth.routes());
    app.use('/console/api', ownPasswordRouter({ auth, console: repo }));
    app.use(notFound);
    app.use(errorHandler(silentLogger));
    server = createServer(app);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
  });

  async function counsellor(): Promise<{ id: string; email: string; organisationId: string }> {
    const organisationId = (await createOrganisationRepository(database().prisma).create({ name: 'Own password', widgetKey: `k-${randomUUID()}` })).id;
    const email = `anna-${randomUUID()}@example.org`;
    const user = await repo.createUser({ organisationId, email, passwordHash: await hashPassword(OLD), role: 'counsellor', displayName: 'Anna Berg' });
    if (!user) throw new Error('e-mail address taken');
    return { id: user.id, email, organisationId };
  }
  const change = (caller: ConsoleCaller, body: unknown) => callConsole(base, 'POST', ENDPOINT, caller, body);
  const me = (caller: ConsoleCaller) => callConsole(base, 'GET', '/console/api/me', caller);
  const loginStatus = async (email: string, password: string) => (await callConsole(base, 'POST', '/console/api/login', {}, { email, password })).status;

  it('changes the password: the old one no longer logs in, the new one does; other sessions end, this one stays', async () => {
    const anna = await counsellor();
    const here = await loginToConsole(base, anna.email, OLD);
    const elsewhere = await loginToConsole(base, anna.email, OLD);
    notices.length = 0;

    const answer = await change(here, { currentPassword: OLD, newPassword: NEW });
    expect(answer.status).toBe(204);
    expect(answer.headers.get('cache-control')).toBe('no-store');

    expect((await me(here)).status).toBe(200);
    expect((await me(elsewhere)).status).toBe(401);
    const hereHash = hashToken(decodeURIComponent(/hw_session=([^;]+)/.exec(here.cookie)?.[1] ?? ''));
    expect(notices).toEqual([{ kind: 'user_sessions', userId: anna.id, keepTokenHash: hereHash }]);

    expect(await loginStatus(anna.email, OLD)).toBe(401);
    expect(await loginStatus(anna.email, NEW)).toBe(200);
    expect((await repo.findUserById(anna.id))?.passwordHash).not.toContain(NEW);

    const audit = await repo.listAudit(anna.organisationId);
    expect(audit.find((item) => item.action === 'password_changed')).toMatchObject({
      actorUserId: anna.id,
      targetType: 'user',
      targetId: anna.id,
      data: { via: 'session' },
    });
    expect(JSON.stringify(audit)).not.toContain(NEW);
    expect(JSON.stringify(audit)).not.toContain(OLD);
  });

  it('refuses a wrong current password with 403 wrong_password and keeps everything as it was', async () => {
    const anna = await counsellor();
    const here = await loginToConsole(base, anna.email, OLD);
    const elsewhere = await loginToConsole(base, anna.email, OLD);
    const before = (await repo.findUserById(anna.id))?.passwordHash;

    const answer = await change(here, { currentPassword: 'not my password at all', newPassword: NEW });
    expect(answer.status).toBe(403);
    expect(answer.json).toMatchObject({ error: { reason: 'wrong_password' } });
    expect((await repo.findUserById(anna.id))?.passwordHash).toBe(before);
    expect((await me(elsewhere)).status).toBe(200);
    expect(await loginStatus(anna.email, NEW)).toBe(401);
    expect((await repo.listAudit(anna.organisationId)).find((item) => item.action === 'password_change_refused')).toMatchObject({
      data: { reason: 'wrong_password' },
    });
  });

  it('throttles guesses of the current password like logins: 429 with Retry-After, even for the right one', async () => {
    const anna = await counsellor();
    const here = await loginToConsole(base, anna.email, OLD);
    const before = (await repo.findUserById(anna.id))?.passwordHash;
    // The login counted one attempt and gave it back; three free ones on the pair.
    for (let attempt = 0; attempt < 3; attempt += 1)
      expect((await change(here, { currentPassword: `guess ${attempt} of many`, newPassword: NEW })).status).toBe(403);
    const throttled = await change(here, { currentPassword: OLD, newPassword: NEW });
    expect(throttled.status).toBe(429);
    expect(throttled.json).toMatchObject({ error: { reason: 'too_many_attempts' } });
    expect(Number(throttled.headers.get('retry-after'))).toBeGreaterThan(0);
    expect((await repo.findUserById(anna.id))?.passwordHash).toBe(before);
    // The same gate as the login's: a login from this address on this account waits too.
    expect(await loginStatus(anna.email, OLD)).toBe(429);
  });

  it('refuses a weak new password with the policy reason, and keeps the old one', async () => {
    const anna = await counsellor();
    const here = await loginToConsole(base, anna.email, OLD);
    const cases: [string, string][] = [
      ['short one', 'too_short'],
      ['password1234', 'common'],
      ['aaaaaaaaaaaaaaaa', 'repeated'],
      ['x'.repeat(1025), 'too_long'],
    ];
    for (const [newPassword, problem] of cases) {
      const answer = await change(here, { currentPassword: OLD, newPassword });
      expect(answer.status, newPassword.slice(0, 20)).toBe(400);
      expect(answer.json).toMatchObject({ error: { reason: 'weak_password', problem } });
    }
    expect(await loginStatus(anna.email, OLD)).toBe(200);
  });

  it('refuses API keys, requests without the CSRF token, no caller, and bodies that are not the schema', async () => {
    const anna = await counsellor();
    const here = await loginToConsole(base, anna.email, OLD);
    const token = newToken(API_KEY_PREFIX);
    await repo.createApiKey({ userId: anna.id, tokenHash: hashToken(token), prefix: token.slice(0, 12) });

    const byKey = await change({ key: token }, { currentPassword: OLD, newPassword: NEW });
    expect(byKey.status).toBe(403);
    expect(byKey.json).toMatchObject({ error: { reason: 'session_required' } });
    const noCsrf = await change({ cookie: here.cookie }, { currentPassword: OLD, newPassword: NEW });
    expect(noCsrf.status).toBe(403);
    expect(noCsrf.json).toMatchObject({ error: { reason: 'csrf' } });
    expect((await change({}, { currentPassword: OLD, newPassword: NEW })).status).toBe(401);
    for (const body of [{ currentPassword: OLD }, { currentPassword: OLD, newPassword: NEW, extra: 1 }, { currentPassword: '', newPassword: NEW }]) {
      const answer = await change(here, body);
      expect(answer.status).toBe(400);
      expect(answer.json).toMatchObject({ error: { reason: 'invalid_body' } });
    }
    expect(await loginStatus(anna.email, OLD)).toBe(200);
  });
});
