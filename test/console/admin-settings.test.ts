// Organisation settings and the embedding data through the whole app: validation, who may,
// the audit trail, and that a change is in effect at once (allowed origins, widget look).
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningApp } from '../../src/app.js';
import { hashPassword } from '../../src/console/auth/password.js';
import { createConsoleRepository, type ConsoleRepository } from '../../src/store/repositories/console.js';
import { loginToConsole, parseJson } from '../support/console.js';
import { startTestApp } from '../support/app.js';

const password = 'a long enough password';
const widgetKey = `ngo-${randomUUID().slice(0, 8)}`;
const emails = { admin: `admin-${randomUUID()}@example.org`, counsellor: `c-${randomUUID()}@example.org` };

let app: RunningApp;
let repository: ConsoleRepository;
let organisationId: string;

interface Session {
  cookie: string;
  csrf: string;
}
const sessions: Partial<Record<keyof typeof emails, Session>> = {};

beforeAll(async () => {
  app = await startTestApp({ RETENTION_INTERVAL_MINUTES: '0' });
  organisationId = (await app.organisations.create({ name: 'NGO', widgetKey, allowedOrigins: ['https://ngo.example'] })).id;
  repository = createConsoleRepository(app.db.prisma);
  const passwordHash = await hashPassword(password);
  await repository.createUser({ organisationId, email: emails.admin, passwordHash, role: 'admin' });
  await repository.createUser({ organisationId, email: emails.counsellor, passwordHash, role: 'counsellor' });
}, 120_000);

afterAll(async () => {
  await app?.close();
});

async function session(who: keyof typeof emails): Promise<Session> {
  const existing = sessions[who];
  if (existing) return existing;
  const { cookie, csrf } = await loginToConsole(app.url, emails[who], password);
  return (sessions[who] = { cookie, csrf });
}

async function asUser(who: keyof typeof emails, method: string, path: string, body?: unknown): Promise<{ status: number; json: any; headers: Headers }> {
  const { cookie, csrf } = await session(who);
  const response = await fetch(`${app.url}${path}`, {
    method,
    headers: { cookie, 'x-csrf-token': csrf, ...(body !== undefined ? { 'content-type': 'application/json' } : {}) },
    ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
  });
  const text = await response.text();
  return { status: response.status, json: parseJson(text, text), headers: response.headers };
}

const stored = () => app.organisations.settingsOf(organisationId);
const settingsAudits = async () => (await repository.listAudit(organisationId, 500)).filter((entry) => entry.action === 'organisation_settings_changed');

/** What a browser on `origin` does before and when it asks for a Direct Line token with the widget key. */
async function tokenFrom(origin: string): Promise<{ preflight: number; allowOrigin: string | null; token: number }> {
  const preflight = await fetch(`${app.url}/v3/directline/tokens/generate`, {
    method: 'OPTIONS',
    headers: { origin, 'access-control-request-method': 'POST', 'access-control-request-headers': 'authorization,content-type' },
  });
  const token = await fetch(`${app.url}/v3/directline/tokens/generate`, {
    method: 'POST',
    headers: { origin, authorization: `Bearer ${widgetKey}`, 'content-type': 'application/json' },
    body: '{}',
  });
  await token.text();
  return { preflight: preflight.status, allowOrigin: token.headers.get('access-control-allow-origin'), token: token.status };
}

describe('organisation settings: who may', () => {
  it('refuses counsellors with 403 and changes nothing', async () => {
    const before = await stored();
    expect((await asUser('counsellor', 'GET', '/console/api/admin/organisation')).status).toBe(403);
    const patch = await asUser('counsellor', 'PATCH', '/console/api/admin/organisation', { name: 'Taken over' });
    expect(patch.status).toBe(403);
    expect(patch.json.error.reason).toBe('admins_only');
    expect((await asUser('counsellor', 'GET', '/console/api/admin/embedding')).status).toBe(403);
    expect((await asUser('counsellor', 'GET', '/console/admin/widget-preview')).status).toBe(403);
    expect(await stored()).toEqual(before);
  });

  it('refuses callers without a session with 401, and a PATCH without the CSRF token with 403', async () => {
    expect((await fetch(`${app.url}/console/api/admin/organisation`)).status).toBe(401);
    const { cookie } = await session('admin');
    const noCsrf = await fetch(`${app.url}/console/api/admin/organisation`, {
      method: 'PATCH',
      headers: { cookie, 'content-type': 'application/json' },
      body: JSON.stringify({ name: 'X' }),
    });
    expect(noCsrf.status).toBe(403);
    expect((await stored())?.name).toBe('NGO');
  });
});

describe('organisation settings: validation', () => {
  const invalid: [string, Record<string, unknown>, string][] = [
    ['a colour that is no colour', { widgetLook: { colour: 'blue' } }, 'widgetLook.colour'],
    ['a colour too light for white text', { widgetLook: { colour: '#ffd700' } }, 'widgetLook.colour'],
    ['an unknown default language', { defaultLanguage: 'xx' }, 'defaultLanguage'],
    ['a title in an unknown language', { widgetLook: { title: { xx: 'Hallo' } } }, 'widgetLook.title.xx'],
    ['an invalid time zone', { timeZone: 'Mars/Olympus_Mons' }, 'timeZone'],
    ['an origin with a path', { allowedOrigins: ['https://ngo.example/help'] }, 'allowedOrigins.0'],
    ['an origin that is a wildcard', { allowedOrigins: ['https://ngo.example', '*'] }, 'allowedOrigins.1'],
    ['a Telegram username with spaces', { telegramBotUsername: 'my help bot' }, 'telegramBotUsername'],
    ['a Telegram username not ending in bot', { telegramBotUsername: 'homeward_help' }, 'telegramBotUsername'],
    [
      'office hours ending before they start',
      { officeHours: { week: { mon: [{ from: '17:00', to: '09:00' }], tue: [], wed: [], thu: [], fri: [], sat: [], sun: [] }, closedDates: [] } },
      'officeHours.week.mon.0',
    ],
    ['an emergency number with letters', { emergencyContacts: { DE: [{ label: 'Help', number: 'call us' }] } }, 'emergencyContacts.DE.0'],
    ['a retention period of zero days', { retentionClosedDays: 0 }, 'retentionClosedDays'],
    ['an unknown field', { colour: '#000000' }, ''],
    ['a launcher in the middle', { widgetLook: { position: 'centre' } }, 'widgetLook.position'],
    ['a red wait that comes before amber', { queueWait: { amberMinutes: 10, redMinutes: 10 } }, 'queueWait.redMinutes'],
    ['a wait of zero minutes', { queueWait: { amberMinutes: 0, redMinutes: 15 } }, 'queueWait.amberMinutes'],
  ];

  it.each(invalid)('refuses %s with 400 and its issue, storing nothing', async (_case, body, path) => {
    const before = await stored();
    const auditsBefore = (await settingsAudits()).length;
    const response = await asUser('admin', 'PATCH', '/console/api/admin/organisation', body);
    expect(response.status).toBe(400);
    expect(response.json.error.reason).toBe('invalid_body');
    const paths = (response.json.error.issues as { path: string }[]).map((issue) => issue.path);
    expect(paths.some((issuePath) => issuePath.startsWith(path))).toBe(true);
    expect(await stored()).toEqual(before);
    expect(await settingsAudits()).toHaveLength(auditsBefore);
  });

  it('names the contrast problem so the console can explain it', async () => {
    const response = await asUser('admin', 'PATCH', '/console/api/admin/organisation', { widgetLook: { colour: '#ffd700' } });
    expect(response.json.error.issues).toContainEqual(expect.objectContaining({ path: 'widgetLook.colour', reason: 'low_contrast' }));
  });
});

describe('organisation settings: changes', () => {
  it('stores a valid change, answers with it and audits the names of the changed fields only', async () => {
    const auditsBefore = (await settingsAudits()).length;
    const hours = { week: { mon: [{ from: '10:00', to: '16:00' }], tue: [], wed: [], thu: [], fri: [], sat: [], sun: [] }, closedDates: ['2030-12-25'] };
    const response = await asUser('admin', 'PATCH', '/console/api/admin/organisation', {
      name: 'Rückkehrberatung Nord',
      defaultLanguage: 'fr',
      timeZone: 'Europe/Amsterdam',
      officeHours: hours,
      retentionClosedDays: 60,
      emergencyContacts: { NL: [{ label: '113 Zelfmoordpreventie', number: '113' }] },
      telegramBotUsername: '@nord_return_bot',
      // Unchanged: not in the audit.
      retentionIdleDays: (await stored())?.retentionIdleDays,
    });
    expect(response.status).toBe(200);
    expect(response.json.settings).toMatchObject({
      name: 'Rückkehrberatung Nord',
      defaultLanguage: 'fr',
      timeZone: 'Europe/Amsterdam',
      officeHours: hours,
      telegramBotUsername: 'nord_return_bot',
    });
    const row = await stored();
    expect(row).toMatchObject({
      name: 'Rückkehrberatung Nord',
      defaultLocale: 'fr',
      timeZone: 'Europe/Amsterdam',
      retentionClosedDays: 60,
      telegramBotUsername: 'nord_return_bot',
    });

    const audits = await settingsAudits();
    expect(audits).toHaveLength(auditsBefore + 1);
    const fields = String(audits[0]?.data?.fields).split(',');
    expect(fields.sort()).toEqual(['defaultLanguage', 'emergencyContacts', 'name', 'officeHours', 'retentionClosedDays', 'telegramBotUsername', 'timeZone']);
    expect(JSON.stringify(audits[0])).not.toMatch(/Rückkehrberatung|Zelfmoordpreventie|nord_return_bot|Amsterdam/);

    const read = await asUser('admin', 'GET', '/console/api/admin/organisation');
    expect(read.status).toBe(200);
    expect(read.json.settings.retentionClosedDays).toBe(60);
    expect(read.json.languages.map((language: { code: string }) => language.code)).toEqual(app.localisation.locales.map((locale) => locale.code));
  });

  it('writes no audit row when nothing really changed', async () => {
    const auditsBefore = (await settingsAudits()).length;
    const response = await asUser('admin', 'PATCH', '/console/api/admin/organisation', { name: (await stored())?.name });
    expect(response.status).toBe(200);
    expect(response.json.changed).toEqual([]);
    expect(await settingsAudits()).toHaveLength(auditsBefore);
  });

  it('lets a newly allowed origin use the widget key at once and refuses a removed one at once', async () => {
    // Both answers are looked at (and so cached) before the change.
    expect(await tokenFrom('https://ngo.example')).toEqual({ preflight: 204, allowOrigin: 'https://ngo.example', token: 200 });
    expect(await tokenFrom('https://new.example')).toEqual({ preflight: 403, allowOrigin: null, token: 403 });

    const response = await asUser('admin', 'PATCH', '/console/api/admin/organisation', { allowedOrigins: ['https://NEW.example/'] });
    expect(response.status).toBe(200);
    expect(response.json.settings.allowedOrigins).toEqual(['https://new.example']);

    expect(await tokenFrom('https://new.example')).toEqual({ preflight: 204, allowOrigin: 'https://new.example', token: 200 });
    expect(await tokenFrom('https://ngo.example')).toEqual({ preflight: 403, allowOrigin: null, token: 403 });
    expect(String((await settingsAudits())[0]?.data?.fields)).toBe('allowedOrigins');
  });

  it('shows the new look in the widget config at once, and the defaults where nothing is set', async () => {
    const config = async () =>
      (await (await fetch(`${app.url}/v3/widget/config?key=${widgetKey}`)).json()) as {
        look: { colour: string; position: string; title: Record<string, string>; greeting: Record<string, string> };
        defaultLanguage: string;
      };
    const before = await config();
    const standardTitle = app.localisation.translatorFor('en')('widget:title');
    expect(before.look.title.en).toBe(standardTitle);

    const response = await asUser('admin', 'PATCH', '/console/api/admin/organisation', {
      widgetLook: {
        colour: '#7A1F5C',
        position: 'left',
        title: { es: 'Asesoramiento sobre el retorno' },
        greeting: { fr: 'Bonjour, comment pouvons-nous aider ?' },
      },
    });
    expect(response.status).toBe(200);
    const after = await config();
    expect(after.look.colour).toBe('#7a1f5c');
    expect(after.look.position).toBe('left');
    expect(after.look.title.es).toBe('Asesoramiento sobre el retorno');
    expect(after.look.greeting.fr).toBe('Bonjour, comment pouvons-nous aider ?');
    // Languages the organisation left alone keep the standard texts.
    expect(after.look.title.en).toBe(standardTitle);
    expect(after.defaultLanguage).toBe('fr');
  });
});

describe('embedding', () => {
  it('gives an admin the script tag, the Telegram deep link and its QR code as SVG', async () => {
    await asUser('admin', 'PATCH', '/console/api/admin/organisation', { telegramBotUsername: 'nord_return_bot' });
    const response = await asUser('admin', 'GET', '/console/api/admin/embedding');
    expect(response.status).toBe(200);
    expect(response.json.snippet).toBe(`<script src="${app.url}/widget.js" data-key="${widgetKey}" async></script>`);
    expect(response.json.telegram.link).toBe(`https://t.me/nord_return_bot?start=${widgetKey}`);
    expect(response.json.telegram.qrSvg).toMatch(/^<svg [^>]*xmlns="http:\/\/www.w3.org\/2000\/svg"[\s\S]*<path[\s\S]*<\/svg>\s*$/);
    expect(response.json.telegram.qrSvg).not.toMatch(/<script|on\w+=/i);
  });

  it('has no Telegram part when no bot is set', async () => {
    await asUser('admin', 'PATCH', '/console/api/admin/organisation', { telegramBotUsername: null });
    expect((await asUser('admin', 'GET', '/console/api/admin/embedding')).json.telegram).toBeNull();
  });

  it('serves the preview page with the widget, framable by the console only', async () => {
    const response = await asUser('admin', 'GET', '/console/admin/widget-preview?lng=de');
    expect(response.status).toBe(200);
    expect(response.json).toContain(`<script src="/widget.js" data-key="${widgetKey}" async></script>`);
    expect(response.json).toContain('<html lang="de">');
    expect(response.headers.get('x-frame-options')).toBe('SAMEORIGIN');
    expect(response.headers.get('content-security-policy')).toContain("frame-ancestors 'self'");
    // Everything else stays unframable.
    expect((await fetch(`${app.url}/console`)).headers.get('x-frame-options')).toBe('DENY');
  });
});

describe('organisation settings: the queue’s waiting marks', () => {
  it('are 5 and 15 minutes until an admin changes them; every console user reads them, only admins set them', async () => {
    const before = await asUser('counsellor', 'GET', '/console/api/queue-settings');
    expect(before.status).toBe(200);
    expect(before.json).toEqual({ queueWait: { amberMinutes: 5, redMinutes: 15 } });
    expect((await asUser('counsellor', 'PATCH', '/console/api/admin/organisation', { queueWait: { amberMinutes: 1, redMinutes: 2 } })).status).toBe(403);

    const changed = await asUser('admin', 'PATCH', '/console/api/admin/organisation', { queueWait: { amberMinutes: 10, redMinutes: 30 } });
    expect(changed.status).toBe(200);
    expect(changed.json).toMatchObject({ settings: { queueWait: { amberMinutes: 10, redMinutes: 30 } }, changed: ['queueWait'] });
    expect(await stored()).toMatchObject({ waitAmberMinutes: 10, waitRedMinutes: 30 });
    expect((await asUser('counsellor', 'GET', '/console/api/queue-settings')).json).toEqual({ queueWait: { amberMinutes: 10, redMinutes: 30 } });
    expect((await fetch(`${app.url}/console/api/queue-settings`)).status).toBe(401);
  });
});
