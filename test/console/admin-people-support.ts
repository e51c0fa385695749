// The console API with the admin people routers on a real database, and callers logged in through
// the real login route: what admin-users.test.ts and admin-api-keys.test.ts share.
import { randomUUID } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import express from 'express';
import { apiKeysAdminRouter } from '../../src/console/admin/api-keys-routes.js';
import { usersAdminRouter } from '../../src/console/admin/users-routes.js';
import { ConsoleAuth } from '../../src/console/auth/auth.js';
import { hashPassword } from '../../src/console/auth/password.js';
import { errorHandler, notFound } from '../../src/http/errors.js';
import type { Database } from '../../src/store/client.js';
import { createConsoleRepository, type ConsoleRepository, type UserRole } from '../../src/store/repositories/console.js';
import { createOrganisationRepository } from '../../src/store/repositories/organisations.js';
import { callConsole, loginToConsole } from '../support/console.js';
import { silentLogger } from '../support/turns.js';

export const PASSWORD = 'a long enough password';

export interface Caller {
  cookie?: string;
  csrf?: string;
  key?: string;
}

export interface Answer {
  status: number;
  text: string;
  json: unknown;
}

export interface PeopleHarness {
  repo: ConsoleRepository;
  request(method: string, path: string, caller?: Caller, body?: unknown): Promise<Answer>;
  login(email: string, password?: string): Promise<Caller>;
  /** A fresh organisation; its users get unique e-mail addresses. */
  organisation(): Promise<string>;
  user(organisationId: string, role: UserRole, name?: string): Promise<{ id: string; email: string }>;
  /** A fresh organisation with one admin, logged in. */
  orgWithAdmin(): Promise<{ organisationId: string; admin: { id: string; email: string }; caller: Caller }>;
  close(): Promise<void>;
}

export async function startPeopleHarness(db: Database): Promise<PeopleHarness> {
  const repo = createConsoleRepository(db.prisma);
  // Many logins from one address in these tests: the per-IP limit is not what they are about.
  const auth = new ConsoleAuth({
    repository: repo,
    secureCookies: false,
    throttle: { address: { free: 10_000, windowMs: 60_000, firstDelayMs: 1_000, maxDelayMs: 60_000 } },
  });
  const app = express();
  app.use('/console/api', auth.routes());
  app.use('/console/api', usersAdminRouter({ auth, console: repo }));
  app.use('/console/api', apiKeysAdminRouter({ auth, console: repo }));
  app.use(notFound);
  app.use(errorHandler(silentLogger));
  const server: Server = createServer(app);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const hash = await hashPassword(PASSWORD);

  const request = (method: string, path: string, caller: Caller = {}, body?: unknown): Promise<Answer> => callConsole(base, method, path, caller, body);

  const harness: PeopleHarness = {
    repo,
    request,
    async login(email, password = PASSWORD) {
      const { cookie, csrf } = await loginToConsole(base, email, password);
      return { cookie, csrf };
    },
    async organisation() {
      return (await createOrganisationRepository(db.prisma).create({ name: 'People test', widgetKey: `k-${randomUUID()}` })).id;
    },
    async user(organisationId, role, name = role) {
      const email = `${name}-${randomUUID()}@example.org`;
      const user = await repo.createUser({ organisationId, email, passwordHash: hash, role });
      if (!user) throw new Error('e-mail address taken');
      return { id: user.id, email };
    },
    async orgWithAdmin() {
      const organisationId = await harness.organisation();
      const admin = await harness.user(organisationId, 'admin');
      return { organisationId, admin, caller: await harness.login(admin.email) };
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
  return harness;
}
