// A console user sets their own display name (the name the person in the chat sees above their
// messages): a session may, an API key may not, the body is one trimmed line or null, GET /me
// shows it at once, and the audit says it changed without saying the name.
import { randomUUID } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import express from 'express';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConsoleAuth } from '../../src/console/auth/auth.js';
import { ownProfileRouter } from '../../src/console/auth/own-profile-routes.js';
import { hashPassword } from '../../src/console/auth/password.js';
import { createInProcessRevocations } from '../../src/console/auth/revocations.js';
import { API_KEY_PREFIX, hashToken, newToken } from '../../src/console/auth/tokens.js';
import { errorHandler, notFound } from '../../src/http/errors.js';
import { createConsoleRepository, type ConsoleRepository } from '../../src/store/repositories/console.js';
import { createOrganisationRepository } from '../../src/store/repositories/organisations.js';
import { callConsole, loginToConsole, type ConsoleCaller } from '../support/console.js';
import { useTestDatabase } from '../support/databases.js';
import { silentLogger } from '../support/turns.js';

const PASSWORD = 'a long enough password';

describe('PATCH /console/api/me (PGlite)', () => {
  const database = useTestDatabase('pglite');
  let server: Server;
  let base: string;
  let repo: ConsoleRepository;

  beforeAll(async () => {
    repo = createConsoleRepository(database().prisma);
    const auth = new ConsoleAuth({ repository: repo, revocations: createInProcessRevocations(), secureCookies: false });
    const app = express();
    app.use('/console/api', auth.routes());
    app.use('/console/api', ownProfileRouter({ auth, console: repo }));
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
    const organisationId = (await createOrganisationRepository(database().prisma).create({ name: 'Own profile', widgetKey: `k-${randomUUID()}` })).id;
    const email = `amira-${randomUUID()}@example.org`;
    const user = await repo.createUser({ organisationId, email, passwordHash: await hashPassword(PASSWORD), role: 'counsellor' });
    if (!user) throw new Error('e-mail address taken');
    return { id: user.id, email, organisationId };
  }
  const patch = (caller: ConsoleCaller, body: unknown) => callConsole(base, 'PATCH', '/console/api/me', caller, body);
  const me = async (caller: ConsoleCaller) => (await callConsole(base, 'GET', '/console/api/me', caller)).json;

  it('sets, trims and clears the display name; GET /me shows it; the audit says so without the name', async () => {
    const amira = await counsellor();
    const session = await loginToConsole(base, amira.email, PASSWORD);

    const set = await patch(session, { displayName: '  Amira  ' });
    expect(set.status).toBe(200);
    expect(set.headers.get('cache-control')).toBe('no-store');
    expect(set.json).toEqual({ user: { id: amira.id, email: amira.email, displayName: 'Amira', role: 'counsellor', organisationId: amira.organisationId } });
    expect(await me(session)).toMatchObject({ user: { displayName: 'Amira' } });

    const cleared = await patch(session, { displayName: null });
    expect(cleared.status).toBe(200);
    expect(await me(session)).toMatchObject({ user: { displayName: null } });

    const audit = (await repo.listAudit(amira.organisationId)).filter((entry) => entry.action === 'display_name_changed');
    expect(audit.map((entry) => entry.data)).toEqual([
      { via: 'session', cleared: true },
      { via: 'session', cleared: false },
    ]);
    expect(JSON.stringify(audit)).not.toContain('Amira');
  });

  it('refuses API keys, a missing CSRF token, no caller, and names that are not one line of 1 to 200 characters', async () => {
    const amira = await counsellor();
    const session = await loginToConsole(base, amira.email, PASSWORD);
    const token = newToken(API_KEY_PREFIX);
    await repo.createApiKey({ userId: amira.id, tokenHash: hashToken(token), prefix: token.slice(0, 12) });

    const byKey = await patch({ key: token }, { displayName: 'Amira' });
    expect(byKey.status).toBe(403);
    expect(byKey.json).toMatchObject({ error: { reason: 'session_required' } });
    const noCsrf = await patch({ cookie: session.cookie }, { displayName: 'Amira' });
    expect(noCsrf.status).toBe(403);
    expect(noCsrf.json).toMatchObject({ error: { reason: 'csrf' } });
    expect((await patch({}, { displayName: 'Amira' })).status).toBe(401);
    for (const body of [{}, { displayName: '   ' }, { displayName: 'x'.repeat(201) }, { displayName: 'Amira\nBot' }, { displayName: 'Amira', role: 'admin' }]) {
      const answer = await patch(session, body);
      expect(answer.status, JSON.stringify(body)).toBe(400);
      expect(answer.json).toMatchObject({ error: { reason: 'invalid_body' } });
    }
    // Nothing changed, and the role above all stayed.
    expect(await me(session)).toMatchObject({ user: { displayName: null, role: 'counsellor' } });
  });
});
