import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningApp } from '../../src/app.js';
import { hashPassword } from '../../src/console/auth/password.js';
import { createConsoleRepository } from '../../src/store/repositories/console.js';
import { startTestApp } from '../support/app.js';

const password = 'a long enough password';
let app: RunningApp;
const emails = { admin: `admin-${randomUUID()}@example.org`, counsellor: `c-${randomUUID()}@example.org` };

beforeAll(async () => {
  app = await startTestApp({ RETENTION_INTERVAL_MINUTES: '0' });
  const organisationId = (await app.organisations.create({ name: 'NGO', widgetKey: `ngo-${randomUUID().slice(0, 8)}` })).id;
  const repository = createConsoleRepository(app.db.prisma);
  const passwordHash = await hashPassword(password);
  await repository.createUser({ organisationId, email: emails.admin, passwordHash, role: 'admin' });
  await repository.createUser({ organisationId, email: emails.counsellor, passwordHash, role: 'counsellor' });
});

afterAll(async () => {
  await app?.close();
});

async function localesAs(email: string): Promise<Response> {
  const login = await fetch(`${app.url}/console/api/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email, password }),
  });
  expect(login.status).toBe(200);
  const cookie = login.headers
    .getSetCookie()
    .map((line) => line.split(';')[0])
    .join('; ');
  return fetch(`${app.url}/console/api/locales`, { headers: { cookie } });
}

describe('GET /console/api/locales', () => {
  it('shows an admin every client language with its review status', async () => {
    const response = await localesAs(emails.admin);
    expect(response.status).toBe(200);
    const { locales } = (await response.json()) as { locales: { code: string; nativeName: string; dir: string; status: string }[] };
    expect(locales).toHaveLength(app.localisation.locales.length);
    expect(locales).toContainEqual({ code: 'en', nativeName: 'English', dir: 'ltr', status: 'reviewed' });
    expect(locales).toContainEqual({ code: 'fa', nativeName: 'فارسی', dir: 'rtl', status: 'draft' });
  });

  it('is for admins only, and for signed-in people only', async () => {
    expect((await localesAs(emails.counsellor)).status).toBe(403);
    expect((await fetch(`${app.url}/console/api/locales`)).status).toBe(401);
  });
});
