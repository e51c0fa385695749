// A new organisation's widget key works only from PUBLIC_URL's origin (and localhost outside
// production) until an admin adds sites; the widget's config says so to a refused page, and the
// admin's settings list the refused sites, at most 20, latest first.
import { randomUUID } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import { OriginPolicy, refusedOriginsKept } from '../../src/channels/web/origins.js';
import { hashPassword } from '../../src/console/auth/password.js';
import { createConsoleRepository } from '../../src/store/repositories/console.js';
import { callConsole, loginToConsole } from '../support/console.js';
import { useApp } from './support.js';

const PUBLIC_URL = 'https://chat.homeward.example';

describe.each([
  ['production', { NODE_ENV: 'production', DATA_ENCRYPTION_KEY: Buffer.alloc(32, 7).toString('base64'), HOST: '127.0.0.1' }],
  ['development', {}],
] as const)('a new organisation in %s', (mode, env) => {
  const app = useApp({ PUBLIC_URL, RETENTION_INTERVAL_MINUTES: '0', ...env });
  let widgetKey: string;
  let organisationId: string;
  beforeAll(async () => {
    const created = await app().organisations.create({ name: `New NGO ${mode}`, widgetKey: `new-${randomUUID()}` });
    widgetKey = created.widgetKey;
    organisationId = created.id;
  });
  const open = (origin: string) =>
    fetch(`${app().url}/v3/directline/conversations`, { method: 'POST', headers: { authorization: `Bearer ${widgetKey}`, origin } });
  const widgetConfig = async (origin?: string) => {
    const response = await fetch(`${app().url}/v3/widget/config?key=${encodeURIComponent(widgetKey)}`, { headers: origin ? { origin } : {} });
    return { response, json: (await response.json()) as { enabled?: boolean } };
  };

  it('refuses any other site (fail closed), and stores no conversation', async () => {
    const before = await app().db.prisma.conversation.count();
    expect((await open('https://ngo.example')).status).toBe(403);
    expect((await open('https://anything.example')).status).toBe(403);
    expect(await app().db.prisma.conversation.count()).toBe(before);
  });

  it('accepts PUBLIC_URL’s own origin', async () => {
    expect((await open(PUBLIC_URL)).status).toBe(201);
  });

  it(`${mode === 'production' ? 'refuses' : 'accepts'} localhost`, async () => {
    expect((await open('http://localhost:5173')).status).toBe(mode === 'production' ? 403 : 201);
  });

  it('tells a refused page that the chat is not enabled there, and an allowed one that it is', async () => {
    const refused = await widgetConfig('https://ngo.example');
    expect(refused.response.status).toBe(200);
    expect(refused.json.enabled).toBe(false);
    expect(refused.response.headers.get('vary')).toMatch(/Origin/i);
    expect((await widgetConfig(PUBLIC_URL)).json.enabled).toBe(true);
    expect((await widgetConfig()).json.enabled).toBe(true);
  });

  it('lets the site in once an admin adds it, and lists the refused sites in the settings until then', async () => {
    const repo = createConsoleRepository(app().db.prisma);
    const email = `admin-${randomUUID()}@example.org`;
    await repo.createUser({ organisationId, email, passwordHash: await hashPassword('a long enough password'), role: 'admin' });
    expect((await open('https://www.ngo-site.example')).status).toBe(403);
    const admin = await loginToConsole(app().url, email, 'a long enough password');
    const settings = await callConsole(app().url, 'GET', '/console/api/admin/organisation', admin);
    const refused = (settings.json as { refusedOrigins: { origin: string; count: number; lastSeen: string }[] }).refusedOrigins;
    expect(refused[0]).toMatchObject({ origin: 'https://www.ngo-site.example', count: 1 });
    expect(refused.map((entry) => entry.origin)).toContain('https://ngo.example');

    const patched = await callConsole(app().url, 'PATCH', '/console/api/admin/organisation', admin, { allowedOrigins: ['https://www.ngo-site.example'] });
    expect(patched.status).toBe(200);
    expect((await open('https://www.ngo-site.example')).status).toBe(201);
    // With a site of its own the organisation no longer gets the fallback.
    expect((await open(PUBLIC_URL)).status).toBe(403);
  });
});

describe('the refused-origin memory', () => {
  it('keeps the last 20 distinct origins per organisation, latest first, with a count', () => {
    const policy = new OriginPolicy([]);
    const organisation = { id: randomUUID(), allowedOrigins: ['https://ngo.example'] };
    const other = { id: randomUUID(), allowedOrigins: [] };
    for (let index = 0; index < 30; index++) expect(policy.allows(`https://site-${index}.example`, organisation)).toBe(false);
    expect(policy.allows('https://site-29.example', organisation)).toBe(false);
    expect(policy.allows('https://ngo.example', organisation)).toBe(true);
    policy.allows('https://elsewhere.example', other);
    const listed = policy.refused(organisation.id);
    expect(listed).toHaveLength(refusedOriginsKept);
    expect(listed[0]).toMatchObject({ origin: 'https://site-29.example', count: 2 });
    expect(listed.map((entry) => entry.origin)).not.toContain('https://site-9.example');
    expect(listed.map((entry) => entry.origin)).toContain('https://site-10.example');
    expect(listed.map((entry) => entry.origin)).not.toContain('https://ngo.example');
    expect(policy.refused(other.id).map((entry) => entry.origin)).toEqual(['https://elsewhere.example']);
  });
});
