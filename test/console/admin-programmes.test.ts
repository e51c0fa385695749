// The programme catalogue for admins: rules and amounts in words, sources, which programmes the
// organisation offers (and that conversations then explain only those), and "try a case".
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningApp } from '../../src/app.js';
import { hashPassword } from '../../src/console/auth/password.js';
import type { InboundEvent } from '../../src/engine/types.js';
import { createConsoleRepository } from '../../src/store/repositories/console.js';
import { loginToConsole } from '../support/console.js';
import { webTurn } from '../support/turns.js';
import { startTestApp } from '../support/app.js';

const password = 'a long enough password';
let app: RunningApp;
let organisationId: string;
const emails = { admin: `admin-${randomUUID()}@example.org`, counsellor: `c-${randomUUID()}@example.org` };

interface Caller {
  cookie: string;
  csrf: string;
}
const callers: Record<'admin' | 'counsellor', Caller> = {} as never;

beforeAll(async () => {
  app = await startTestApp({ RETENTION_INTERVAL_MINUTES: '0' });
  organisationId = (await app.organisations.create({ name: 'NGO', widgetKey: `ngo-${randomUUID().slice(0, 8)}` })).id;
  const repository = createConsoleRepository(app.db.prisma);
  const passwordHash = await hashPassword(password);
  await repository.createUser({ organisationId, email: emails.admin, passwordHash, role: 'admin' });
  await repository.createUser({ organisationId, email: emails.counsellor, passwordHash, role: 'counsellor' });
  for (const role of ['admin', 'counsellor'] as const) {
    const { cookie, csrf } = await loginToConsole(app.url, emails[role], password);
    callers[role] = { cookie, csrf };
  }
}, 120_000);

afterAll(async () => {
  await app?.close();
});

async function api(method: string, path: string, caller?: Caller, body?: unknown): Promise<{ status: number; json: any }> {
  const response = await fetch(`${app.url}/console/api${path}`, {
    method,
    headers: {
      ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
      ...(caller ? { cookie: caller.cookie, 'x-csrf-token': caller.csrf } : {}),
    },
    ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
  });
  return { status: response.status, json: await response.json().catch(() => null) };
}

const allIds = ['at-return-assistance', 'be-voluntary-return', 'de-reag-garp', 'de-starthilfeplus', 'fr-return-aid', 'nl-return-support'];
const byId = (list: { id?: string; programme?: string }[], id: string): any => list.find((item) => (item.id ?? item.programme) === id);

const auditOf = (action: string) => app.db.prisma.auditEvent.findMany({ where: { organisationId, action }, orderBy: { createdAt: 'asc' } });

describe('GET /console/api/admin/programmes', () => {
  it('lists every programme with its rules, amounts, sources and checked dates as an admin reads them', async () => {
    const { status, json } = await api('GET', '/admin/programmes?lng=en', callers.admin);
    expect(status).toBe(200);
    expect(json.programmes.map((programme: { id: string }) => programme.id)).toEqual(allIds);
    const garp = byId(json.programmes, 'de-reag-garp');
    expect(garp).toMatchObject({ active: true, name: 'REAG/GARP', hostCountry: 'DE', hostCountryName: 'Germany', operator: 'Bundesamt für Migration und Flüchtlinge (BAMF)', sampleData: true });
    expect(garp.rules).toEqual([
      'This programme is only for people who live in Germany.',
      'Citizens of the European Union, the EEA and Switzerland cannot get help from this programme.',
      expect.stringContaining('victims of human trafficking'),
    ]);
    expect(garp.exclusions).toEqual(['You cannot apply for this programme while you are in detention or in prison.']);
    expect(garp.travelOnly.countries).toContain('Ukraine');
    expect(garp.assistance).toEqual([
      expect.objectContaining({ kind: 'travel', name: 'help with the journey', per: 'person', amount: { amount: 200, currency: 'EUR', text: '€200' }, reductions: [{ ageUnder: 18, amount: { amount: 100, currency: 'EUR', text: '€100' } }], conditional: false }),
      expect.objectContaining({ kind: 'medical', per: 'household', amount: expect.objectContaining({ text: '€2,000' }), detail: 'for up to three months after you arrive', conditional: true }),
      expect.objectContaining({ kind: 'reintegration_cash', amount: expect.objectContaining({ text: '€1,000' }), householdCap: { amount: 4000, currency: 'EUR', text: '€4,000' } }),
    ]);
    expect(garp.sources[0]).toEqual({ title: 'Returning from Germany, REAG/GARP programme page', url: 'https://www.returningfromgermany.de/en/programmes/reag-garp', checked: '2026-11-28', verified: true, note: expect.stringContaining('200/100 EUR') });
    // A per-person amount reduced by a factor: StarthilfePlus pays children under 12 half.
    expect(byId(json.programmes, 'de-starthilfeplus').assistance[0].reductions).toEqual([{ ageUnder: 12, amount: { amount: 600, currency: 'EUR', text: '€600' } }]);
  });

  it('formats amounts in the console language, and the texts in it where they are translated, else in English', async () => {
    const german = await api('GET', '/admin/programmes?lng=de', callers.admin);
    expect(german.json).toMatchObject({ lng: 'de', textLng: 'en' });
    const garp = byId(german.json.programmes, 'de-reag-garp');
    expect(garp.hostCountryName).toBe('Deutschland');
    expect(garp.assistance[2].amount.text).toMatch(/^1\.000\s€$/);
    expect(garp.rules[1]).toBe('Citizens of the European Union, the EEA and Switzerland cannot get help from this programme.');

    const french = await api('GET', '/admin/programmes?lng=fr', callers.admin);
    expect(french.json).toMatchObject({ lng: 'fr', textLng: 'fr' });
    const frenchGarp = byId(french.json.programmes, 'de-reag-garp');
    expect(frenchGarp.rules[0]).toMatch(/Allemagne/);
    expect(frenchGarp.rules[1]).not.toBe(garp.rules[1]);
  });

  it('refuses counsellors (403) and callers who are not signed in (401), and a query it does not know', async () => {
    expect((await api('GET', '/admin/programmes', callers.counsellor)).json.error.reason).toBe('admins_only');
    expect((await api('GET', '/admin/programmes', callers.counsellor)).status).toBe(403);
    expect((await api('PATCH', '/admin/programmes', callers.counsellor, { active: allIds })).status).toBe(403);
    expect((await api('POST', '/admin/programmes/try', callers.counsellor, { hostCountry: 'DE' })).status).toBe(403);
    expect((await api('GET', '/admin/programmes')).status).toBe(401);
    expect((await api('GET', '/admin/programmes?lng=de&x=1', callers.admin)).status).toBe(400);
  });
});

/** An Afghan family of four in Germany whose asylum application was refused (children 4 and 9). */
const refusedFamily = { hostCountry: 'DE', nationality: 'AF', legalStatus: 'asylum_rejected', detained: 'no', priorReturnAssistance: 'no', household: { adults: 2, minors: 2, minorAges: [4, 9] }, vulnerabilities: [] };

describe('POST /console/api/admin/programmes/try', () => {
  it('gives each programme\'s outcome with its reasons and amounts in words', async () => {
    const { status, json } = await api('POST', '/admin/programmes/try?lng=en', callers.admin, refusedFamily);
    expect(status).toBe(200);
    expect(json.results.map((result: { programme: string }) => result.programme)).toEqual(allIds);
    // REAG/GARP (flows/programmes/de-reag-garp.yaml): a refused applicant fits the status rule; travel
    // 2 x 200 + 2 x 100 = 600, start-up help 2 x 1,000 + 2 x 500 = 3,000 (under the 4,000 cap); no medical needs.
    const garp = byId(json.results, 'de-reag-garp');
    expect(garp).toMatchObject({ name: 'REAG/GARP', active: true, outcome: 'eligible', outcomeText: 'This programme seems to fit your situation.', missing: [] });
    expect(garp.reasons).toEqual([expect.stringContaining('people whose asylum application was refused')]);
    expect(garp.estimate.upTo.text).toBe('€3,600');
    expect(garp.estimate.components.map((component: { name: string; upTo: { text: string } }) => [component.name, component.upTo.text])).toEqual([
      ['help with the journey', '€600'],
      ['money to start again', '€3,000'],
    ]);
    // StarthilfePlus: Afghanistan is on the list; after a refusal 800 per person, children under 12 half: 2 x 800 + 2 x 400.
    const plus = byId(json.results, 'de-starthilfeplus');
    expect(plus).toMatchObject({ outcome: 'eligible' });
    expect(plus.estimate.upTo.text).toBe('€2,400');
    expect(plus.reasons).toContain('After a refusal, this support is only possible if you apply before the date by which you were told to leave.');
    // Programmes of other host countries do not apply, and say why.
    expect(byId(json.results, 'fr-return-aid')).toMatchObject({ outcome: 'not_eligible', reasons: ['This programme is only for people who live in France.'], estimate: null });
  });

  it('names what is missing when the case leaves answers out, and refuses EU citizens', async () => {
    const open = await api('POST', '/admin/programmes/try', callers.admin, { hostCountry: 'DE' });
    expect(byId(open.json.results, 'de-reag-garp')).toMatchObject({ outcome: 'possibly_eligible' });
    expect(byId(open.json.results, 'de-reag-garp').missing).toContain('your situation in this country, for example your asylum application');

    const eu = await api('POST', '/admin/programmes/try', callers.admin, { ...refusedFamily, nationality: 'FR' });
    expect(byId(eu.json.results, 'de-reag-garp')).toMatchObject({ outcome: 'not_eligible', reasons: ['Citizens of the European Union, the EEA and Switzerland cannot get help from this programme.'] });
  });

  it('validates the case with the case schema, needs the CSRF token, and audits only that a case was tried', async () => {
    const before = (await auditOf('programme_case_tried')).length;
    const typo = await api('POST', '/admin/programmes/try', callers.admin, { hostcountry: 'DE' });
    expect(typo.status).toBe(400);
    expect(typo.json.error).toMatchObject({ reason: 'invalid_body', issues: [{ path: 'hostcountry', message: 'unknown field' }] });
    expect((await api('POST', '/admin/programmes/try', callers.admin, { hostCountry: 'Germany' })).status).toBe(400);
    expect((await api('POST', '/admin/programmes/try', { ...callers.admin, csrf: 'wrong' }, { hostCountry: 'DE' })).status).toBe(403);

    expect((await api('POST', '/admin/programmes/try', callers.admin, refusedFamily)).status).toBe(200);
    const entries = await auditOf('programme_case_tried');
    expect(entries).toHaveLength(before + 1);
    expect(entries.at(-1)?.data).toEqual({ via: 'session' });
  });
});

describe('PATCH /console/api/admin/programmes', () => {
  const choice = (value: string): InboundEvent => ({ type: 'choice', value });
  const toExplanation: (InboundEvent | string)[] = [
    { type: 'start' }, 'English', 'yes', '18 to 59', 'germany', 'Berlin', 'Afghanistan', 'Afghanistan', 'My asylum application was refused', 'yes', '15.01.2027',
    '2', '2', '4, 9', 'no', choice('medical_needs'), choice('__done'), 'no', 'no', choice('travel'), choice('__done'),
  ];
  async function explanation(): Promise<string[]> {
    const ref = randomUUID();
    let texts: string[] = [];
    for (const said of toExplanation) texts = (await app.turns.process(webTurn(organisationId, ref, said))).messages.map((message) => message.text);
    return texts;
  }

  it('refuses an unknown programme id and changes nothing', async () => {
    const { status, json } = await api('PATCH', '/admin/programmes', callers.admin, { active: ['de-reag-garp', 'xx-made-up'] });
    expect(status).toBe(400);
    expect(json.error).toMatchObject({ reason: 'unknown_programme', unknown: ['xx-made-up'] });
    expect((await api('GET', '/admin/programmes', callers.admin)).json.programmes.every((programme: { active: boolean }) => programme.active)).toBe(true);
    expect((await api('PATCH', '/admin/programmes', callers.admin, { active: 'de-reag-garp' })).status).toBe(400);
  });

  it('turns a programme off for the organisation\'s conversations, audited, and on again', async () => {
    const offered = await explanation();
    expect(offered.some((text) => text.startsWith('StarthilfePlus: this programme seems to fit'))).toBe(true);

    const { status, json } = await api('PATCH', '/admin/programmes?lng=en', callers.admin, { active: allIds.filter((id) => id !== 'de-starthilfeplus') });
    expect(status).toBe(200);
    expect(byId(json.programmes, 'de-starthilfeplus').active).toBe(false);
    expect(byId((await api('GET', '/admin/programmes', callers.admin)).json.programmes, 'de-starthilfeplus').active).toBe(false);
    expect((await auditOf('programmes_changed')).at(-1)?.data).toEqual({ disabled: 'de-starthilfeplus', active: 5, via: 'session' });
    expect(byId((await api('POST', '/admin/programmes/try', callers.admin, refusedFamily)).json.results, 'de-starthilfeplus').active).toBe(false);

    const withoutIt = await explanation();
    expect(withoutIt.some((text) => text.startsWith('REAG/GARP: this programme seems to fit'))).toBe(true);
    expect(withoutIt.some((text) => text.includes('StarthilfePlus'))).toBe(false);
    await api('PATCH', '/admin/programmes', callers.admin, { active: allIds });
    expect((await explanation()).some((text) => text.startsWith('StarthilfePlus: this programme seems to fit'))).toBe(true);
  });
});
