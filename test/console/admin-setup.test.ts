// The first-run setup: while no console user exists the server logs a one-time link; its token
// creates the organisation (or adopts the demo one) and the first admin, once. Wrong, missing or
// expired tokens are refused, so are weak passwords and invalid bodies, and from the first user on
// there is no setup at all (410), whether that user came from the setup or from elsewhere.
import { Writable } from 'node:stream';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startApp, type RunningApp } from '../../src/app.js';
import { SetupGate, widgetKeyFrom } from '../../src/console/admin/setup-routes.js';
import { hashPassword } from '../../src/console/auth/password.js';
import { createConfig } from '../../src/config.js';
import { createConsoleRepository } from '../../src/store/repositories/console.js';
import { readAnswer } from '../support/console.js';
import { projectRoot } from '../support/engine.js';
import { openTestDatabase, testPostgresUrl, useTestDatabase } from '../support/databases.js';
import { silentLogger } from '../support/turns.js';
import { startTestApp } from '../support/app.js';

const PASSWORD = 'four words in a row';

interface Answer {
  status: number;
  json: unknown;
  text: string;
}

async function request(app: RunningApp, method: string, path: string, body?: unknown, headers: Record<string, string> = {}): Promise<Answer> {
  return readAnswer(
    await fetch(`${app.url}${path}`, {
      method,
      headers: { ...(body !== undefined ? { 'content-type': 'application/json' } : {}), ...headers },
      ...(body !== undefined ? { body: typeof body === 'string' ? body : JSON.stringify(body) } : {}),
    }),
  );
}

/** A logger whose lines the test reads, as an operator reads the server's log. */
function capturingLogger(): { logger: pino.Logger; lines: Record<string, unknown>[] } {
  const lines: Record<string, unknown>[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _encoding, done) {
      for (const line of chunk.toString('utf8').split('\n')) if (line.trim()) lines.push(JSON.parse(line) as Record<string, unknown>);
      done();
    },
  });
  return { logger: pino({ level: 'info' }, stream), lines };
}

function tokenOf(app: RunningApp): string {
  const match = /#\/setup\/([A-Za-z0-9_-]+)$/.exec(app.setupUrl ?? '');
  if (!match?.[1]) throw new Error(`no setup link: ${String(app.setupUrl)}`);
  return match[1];
}

const newOrganisation = { kind: 'new', name: 'Rückkehrberatung Nord', defaultLanguage: 'fr', timeZone: 'europe/berlin' } as const;
const firstAdmin = { email: 'Ada.Admin@Example.org', displayName: 'Ada', password: PASSWORD };

describe('first-run setup on a fresh embedded database', () => {
  let app: RunningApp;
  let lines: Record<string, unknown>[];

  beforeAll(async () => {
    const capture = capturingLogger();
    lines = capture.lines;
    app = await startTestApp({ RETENTION_INTERVAL_MINUTES: '0' }, { logger: capture.logger });
  }, 120_000);
  afterAll(async () => {
    await app?.close();
  });

  const users = () => createConsoleRepository(app.db.prisma).countUsers();

  it('logs the one-time link at info level, as a URL fragment of the console', () => {
    expect(app.setupUrl).toMatch(new RegExp(`^${app.url.replace(/[.[\]]/g, '\\$&')}/console#/setup/[A-Za-z0-9_-]{43}$`));
    const logged = lines.filter((line) => line.setupUrl !== undefined);
    expect(logged).toHaveLength(1);
    expect(logged[0]).toMatchObject({ level: 30, setupUrl: app.setupUrl });
  });

  it('says setup is open, naming the client languages and the demo organisation', async () => {
    const answer = await request(app, 'GET', '/console/api/setup');
    expect(answer.status).toBe(200);
    const json = answer.json as { languages: { code: string }[]; demoOrganisation: { name: string } | null };
    expect(json.languages.map((language) => language.code)).toEqual(expect.arrayContaining(['en', 'fr', 'ar']));
    expect(json.demoOrganisation).toEqual({ name: 'Demo organisation' });
    // The token never travels in a GET: nothing here reveals or takes it.
    expect(answer.text).not.toContain(tokenOf(app));
  });

  it('refuses a missing or wrong token with 403 and creates nothing', async () => {
    const body = { organisation: newOrganisation, admin: firstAdmin };
    const missing = await request(app, 'POST', '/console/api/setup', body);
    expect(missing.status).toBe(403);
    expect(missing.json).toMatchObject({ error: { reason: 'invalid_setup_token' } });
    const token = tokenOf(app);
    const wrongToken = `${token.slice(0, -1)}${token.endsWith('A') ? 'B' : 'A'}`;
    const wrong = await request(app, 'POST', '/console/api/setup', { ...body, token: wrongToken });
    expect(wrong.status).toBe(403);
    expect(wrong.json).toMatchObject({ error: { reason: 'invalid_setup_token' } });
    // A wrong token learns nothing about the body either: it is not even validated.
    const wrongAndInvalid = await request(app, 'POST', '/console/api/setup', { token: wrongToken, nonsense: true });
    expect(wrongAndInvalid.status).toBe(403);
    expect(await users()).toBe(0);
  });

  it('refuses invalid bodies and weak passwords with 400, and anything but JSON with 415', async () => {
    const token = tokenOf(app);
    const invalid = [
      { token, organisation: { ...newOrganisation, defaultLanguage: 'xx' }, admin: firstAdmin },
      { token, organisation: { ...newOrganisation, timeZone: 'Mars/Olympus' }, admin: firstAdmin },
      { token, organisation: { ...newOrganisation, name: '  ' }, admin: firstAdmin },
      { token, organisation: newOrganisation, admin: { ...firstAdmin, email: 'not an address' } },
      { token, organisation: newOrganisation, admin: { ...firstAdmin, role: 'counsellor' } },
      { token, organisation: { kind: 'other' }, admin: firstAdmin },
      { token, organisation: newOrganisation },
    ];
    for (const body of invalid) {
      const answer = await request(app, 'POST', '/console/api/setup', body);
      expect(answer.status, JSON.stringify(body)).toBe(400);
      expect(answer.json).toMatchObject({ error: { reason: 'invalid_body' } });
    }
    for (const password of ['short pass', 'aaaaaaaaaaaaaaaa', 'abababababababab']) {
      const answer = await request(app, 'POST', '/console/api/setup', { token, organisation: newOrganisation, admin: { ...firstAdmin, password } });
      expect(answer.status, password).toBe(400);
      expect(answer.json).toMatchObject({ error: { reason: 'weak_password' } });
      expect(answer.text).not.toContain(password);
    }
    const form = await request(app, 'POST', '/console/api/setup', `token=${token}`, { 'content-type': 'application/x-www-form-urlencoded' });
    expect(form.status).toBe(415);
    expect(await users()).toBe(0);
  });

  it('creates the organisation and its first admin once, audited without personal data; then 410 for ever', async () => {
    const token = tokenOf(app);
    const created = await request(app, 'POST', '/console/api/setup', { token, organisation: newOrganisation, admin: firstAdmin });
    expect(created.status).toBe(201);
    const { organisation, user } = created.json as { organisation: { id: string; name: string; widgetKey: string }; user: { id: string; email: string } };
    expect(organisation).toMatchObject({ name: 'Rückkehrberatung Nord', widgetKey: 'ruckkehrberatung-nord' });
    expect(created.text).not.toContain(PASSWORD);

    const settings = await app.organisations.settingsOf(organisation.id);
    expect(settings).toMatchObject({ name: 'Rückkehrberatung Nord', defaultLocale: 'fr', timeZone: 'Europe/Berlin', allowedOrigins: [] });
    const stored = await createConsoleRepository(app.db.prisma).findUserById(user.id);
    expect(stored).toMatchObject({ organisationId: organisation.id, email: 'ada.admin@example.org', displayName: 'Ada', role: 'admin', active: true });
    expect(stored?.passwordHash).not.toContain(PASSWORD);

    // The chosen password logs in through the ordinary login, as the setup page does next.
    const login = await request(app, 'POST', '/console/api/login', { email: firstAdmin.email, password: PASSWORD });
    expect(login.status).toBe(200);
    expect(login.json).toMatchObject({ user: { role: 'admin', organisationId: organisation.id } });

    const audit = await createConsoleRepository(app.db.prisma).listAudit(organisation.id);
    const completed = audit.find((entry) => entry.action === 'setup_completed');
    expect(completed).toMatchObject({
      actorUserId: user.id,
      targetType: 'organisation',
      targetId: organisation.id,
      data: { organisation: 'new', via: 'setup' },
    });
    expect(audit.find((entry) => entry.action === 'user_created')).toMatchObject({ targetId: user.id, data: { role: 'admin', via: 'setup' } });
    expect(JSON.stringify(audit)).not.toMatch(/ada|example\.org|Rückkehr|four words/i);

    // The same token again, a wrong one, none: the setup is gone.
    for (const body of [{ token, organisation: newOrganisation, admin: { ...firstAdmin, email: 'second@example.org' } }, { token: 'x' }, {}]) {
      const again = await request(app, 'POST', '/console/api/setup', body);
      expect(again.status).toBe(410);
      expect(again.json).toMatchObject({ error: { reason: 'setup_done' } });
    }
    expect((await request(app, 'GET', '/console/api/setup')).status).toBe(410);
    expect(await users()).toBe(1);
  });
});

describe('first-run setup on PostgreSQL', () => {
  const database = useTestDatabase('postgres');
  const start = (pgSchema: string) =>
    startApp(createConfig({ PORT: '0', DATABASE_URL: testPostgresUrl, RETENTION_INTERVAL_MINUTES: '0' }), {
      logger: silentLogger,
      root: projectRoot,
      pgSchema,
    });

  it('adopts the demo organisation; a restart after it offers no setup link', { timeout: 120_000 }, async () => {
    const first = await start(database().pgSchema ?? '');
    try {
      const demo = await first.organisations.findByWidgetKey('demo');
      const answer = await request(first, 'POST', '/console/api/setup', {
        token: tokenOf(first),
        organisation: { kind: 'demo' },
        admin: { ...firstAdmin, email: 'demo-admin@example.org' },
      });
      expect(answer.status).toBe(201);
      expect(answer.json).toMatchObject({ organisation: { id: demo?.id, widgetKey: 'demo' } });
      expect((await createConsoleRepository(first.db.prisma).findUserByEmail('demo-admin@example.org'))?.organisationId).toBe(demo?.id);
    } finally {
      await first.close();
    }
    const second = await start(database().pgSchema ?? '');
    try {
      expect(second.setupUrl).toBeUndefined();
      expect((await request(second, 'GET', '/console/api/setup')).status).toBe(410);
      expect((await request(second, 'POST', '/console/api/setup', { token: 'anything', organisation: { kind: 'demo' }, admin: firstAdmin })).status).toBe(410);
    } finally {
      await second.close();
    }
  });

  it('closes the setup, valid token or not, once a user came from elsewhere (the CLI) while the server ran', { timeout: 120_000 }, async () => {
    const db = await openTestDatabase('postgres');
    try {
      const app = await start(db.pgSchema ?? '');
      try {
        const token = tokenOf(app);
        const demo = await app.organisations.findByWidgetKey('demo');
        if (!demo) throw new Error('no demo organisation');
        await createConsoleRepository(db.prisma).createUser({
          organisationId: demo.id,
          email: 'cli-admin@example.org',
          passwordHash: await hashPassword(PASSWORD),
          role: 'admin',
        });
        const answer = await request(app, 'POST', '/console/api/setup', { token, organisation: newOrganisation, admin: firstAdmin });
        expect(answer.status).toBe(410);
        expect(await createConsoleRepository(db.prisma).findUserByEmail(firstAdmin.email)).toBeNull();
        expect((await request(app, 'GET', '/console/api/setup')).status).toBe(410);
      } finally {
        await app.close();
      }
    } finally {
      await db.close();
    }
  });
});

describe('the setup gate', () => {
  const noUsers = { countUsers: async () => 0 };

  it('opens only without users, keeps only the hash, and expires', async () => {
    const now = new Date('2025-03-01T10:00:00Z');
    expect(await SetupGate.open({ countUsers: async () => 1 }, now)).toMatchObject({ token: null });
    const { gate, token } = await SetupGate.open(noUsers, now, 60_000);
    if (!token) throw new Error('no token');
    expect(JSON.stringify(gate)).not.toContain(token);
    expect(gate.check(token, new Date(now.getTime() + 59_000))).toBe('ok');
    expect(gate.check(token, new Date(now.getTime() + 60_000))).toBe('expired');
    expect(gate.check(`${token}x`, now)).toBe('wrong');
    gate.close();
    expect(gate.check(token, now)).toBe('closed');
  });

  it('lets one setup through at a time', async () => {
    const { gate } = await SetupGate.open(noUsers, new Date());
    expect(gate.begin()).toBe(true);
    expect(gate.begin()).toBe(false);
    gate.end();
    expect(gate.begin()).toBe(true);
  });

  it('makes widget keys from names as org:create accepts them', () => {
    for (const [name, key] of [
      ['Rückkehr Berlin', 'ruckkehr-berlin'],
      ['  Aide au Retour – Lyon!  ', 'aide-au-retour-lyon'],
      ['مساعدة', 'organisation'],
      ['x'.repeat(80), 'x'.repeat(48)],
    ] as const) {
      expect(widgetKeyFrom(name)).toBe(key);
      expect(widgetKeyFrom(name)).toMatch(/^[a-z0-9][a-z0-9-]{1,62}$/);
    }
  });
});
