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

/** Departure deadlines are compared with this day, not the real clock (the engine tests' date). */
const today = '2026-12-02';

beforeAll(async () => {
  app = await startTestApp({ RETENTION_INTERVAL_MINUTES: '0' }, { clock: () => new Date(`${today}T12:00:00Z`) });
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

const allIds = [
  'at-return-assistance',
  'be-voluntary-return',
  'de-perspektive-heimat',
  'de-reag-garp',
  'de-starthilfeplus',
  'fr-return-aid',
  'nl-return-support',
];
const byId = (list: { id?: string; programme?: string }[], id: string): any => list.find((item) => (item.id ?? item.programme) === id);

const auditOf = (action: string) => app.db.prisma.auditEvent.findMany({ where: { organisationId, action }, orderBy: { createdAt: 'asc' } });

describe('GET /console/api/admin/programmes', () => {
  it('lists every programme with its rules, amounts, sources and checked dates as an admin reads them', async () => {
    const { status, json } = await api('GET', '/admin/programmes?lng=en', callers.admin);
    expect(status).toBe(200);
    expect(json.programmes.map((programme: { id: string }) => programme.id)).toEqual(allIds);
    // REAG/GARP 2.0 (flows/programmes/de-reag-garp.yaml), every source verified, so its figures are shown.
    const garp = byId(json.programmes, 'de-reag-garp');
    expect(garp).toMatchObject({
      active: true,
      name: 'REAG/GARP',
      hostCountry: 'DE',
      hostCountryName: 'Germany',
      operator: 'Bundesamt für Migration und Flüchtlinge (BAMF)',
      sampleData: false,
    });
    expect(garp.rules).toEqual([
      'This programme is only for people who live in Germany.',
      'Citizens of the European Union, the EEA and Switzerland cannot get help from this programme.',
      expect.stringContaining('victims of human trafficking'),
    ]);
    expect(garp.exclusions).toEqual([
      'You cannot apply for this programme while you are in detention or in prison.',
      'This programme does not pay for a journey to a country of the European Union, or to Iceland, Liechtenstein, Norway or Switzerland.',
    ]);
    expect(garp.notes).toContain(
      'If another EU country is responsible for your asylum claim (a "Dublin" case), you can still apply if you leave before the date of the transfer.',
    );
    expect(garp.travelOnly.countries).toContain('Ukraine');
    expect(garp.assistance).toEqual([
      // Conditional: visa-free European nationals get a reduced allowance no source gives, so no figure for them.
      expect.objectContaining({
        kind: 'travel',
        name: 'help with the journey',
        per: 'person',
        amount: { amount: 200, currency: 'EUR', text: '€200' },
        reductions: [{ ageUnder: 18, amount: { amount: 100, currency: 'EUR', text: '€100' } }],
        householdCap: null,
        conditional: true,
      }),
      expect.objectContaining({
        kind: 'medical',
        per: 'household',
        amount: expect.objectContaining({ text: '€2,000' }),
        detail: 'for up to three months after you arrive',
        conditional: true,
      }),
      expect.objectContaining({
        kind: 'reintegration_cash',
        amount: expect.objectContaining({ text: '€1,000' }),
        reductions: [{ ageUnder: 18, amount: { amount: 500, currency: 'EUR', text: '€500' } }],
        householdCap: { amount: 3500, currency: 'EUR', text: '€3,500' },
        detail: 'only for citizens of certain countries: a counsellor checks whether yours is one of them',
        conditional: false,
      }),
    ]);
    expect(
      garp.sources.map((source: { title: string; url: string; checked: string; verified: boolean }) => [
        source.title,
        source.url,
        source.checked,
        source.verified,
      ]),
    ).toEqual([
      ['Flüchtlingsrat NRW, Rückkehrprogramm REAG/GARP 2.0', 'https://frnrw.de/themen-a-z/abschiebung-ausreise/reag-garp-20.html', '2026-12-02', true],
      ['Returning from Germany, REAG/GARP 2.0', 'https://www.returningfromgermany.de/de/reaggarp/', '2026-12-02', true],
      [
        'Förderdatenbank des Bundes, Informationsblatt REAG/GARP 2023',
        'https://foerderdatenbank.info/FDB/Content/DE/Foerderprogramm/Bund/BMI/reag-garp-programm-2023.html',
        '2026-12-02',
        true,
      ],
      ['Returning from Germany, REAG/GARP programme page', 'https://www.returningfromgermany.de/de/programmes/reag-garp', '2026-12-02', true],
    ]);
    // The source that gives the amounts says so, cap included.
    expect(garp.sources[0].note).toEqual(expect.stringContaining('travel allowance 200 EUR per person (100 EUR under 18)'));
    expect(garp.sources[0].note).toEqual(expect.stringContaining('at most 3,500 EUR per family'));

    // Facts carry a source and a checked date; a figure is shown only where every source is verified.
    for (const programme of json.programmes) {
      expect(programme.sources.length, programme.id).toBeGreaterThan(0);
      for (const source of programme.sources) expect(source.checked, programme.id).toMatch(/^\d{4}-\d{2}-\d{2}$/);
      const figures = programme.assistance.filter((component: { amount: unknown }) => component.amount !== null);
      if (figures.length > 0)
        expect(
          programme.sources.every((source: { verified: boolean }) => source.verified),
          programme.id,
        ).toBe(true);
    }
    expect(
      byId(json.programmes, 'fr-return-aid').assistance.map((component: { kind: string; amount: { text: string } | null }) => [
        component.kind,
        component.amount?.text ?? null,
      ]),
    ).toEqual([
      ['pre_departure_cash', '€650'],
      ['reintegration_cash', null],
    ]);
    // StarthilfePlus, the Netherlands, Belgium and Austria have no figure a verified source gives: none is shown.
    for (const id of ['de-starthilfeplus', 'nl-return-support', 'be-voluntary-return', 'at-return-assistance']) {
      const programme = byId(json.programmes, id);
      expect(programme.assistance.length, id).toBeGreaterThan(0);
      expect(
        programme.assistance.map((component: { amount: unknown; reductions: unknown[]; householdCap: unknown }) => [
          component.amount,
          component.reductions,
          component.householdCap,
        ]),
        id,
      ).toEqual(programme.assistance.map(() => [null, [], null]));
      expect(programme.householdCap, id).toBeNull();
      expect(
        programme.sources.some((source: { verified: boolean }) => !source.verified),
        id,
      ).toBe(true);
    }
    expect(byId(json.programmes, 'de-starthilfeplus')).toMatchObject({
      sampleData: true,
      exclusions: expect.arrayContaining([
        'If the date by which you were told to leave has passed, this help is no longer possible: after a refusal, it is only for people who leave before that date.',
      ]),
    });
  });

  it('formats amounts and writes the texts in the console language (German and Dutch are client languages too now)', async () => {
    const english = await api('GET', '/admin/programmes?lng=en', callers.admin);
    const englishGarp = byId(english.json.programmes, 'de-reag-garp');
    expect(englishGarp.rules[1]).toBe('Citizens of the European Union, the EEA and Switzerland cannot get help from this programme.');
    const german = await api('GET', '/admin/programmes?lng=de', callers.admin);
    expect(german.json).toMatchObject({ lng: 'de', textLng: 'de' });
    const garp = byId(german.json.programmes, 'de-reag-garp');
    expect(garp.hostCountryName).toBe('Deutschland');
    expect(garp.assistance[2].amount.text).toMatch(/^1\.000\s€$/);
    expect(garp.rules[1]).not.toBe(englishGarp.rules[1]);

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
const refusedFamily = {
  hostCountry: 'DE',
  nationality: 'AF',
  legalStatus: 'asylum_rejected',
  detained: 'no',
  priorReturnAssistance: 'no',
  household: { adults: 2, minors: 2, minorAges: [4, 9] },
  vulnerabilities: [],
};

describe('POST /console/api/admin/programmes/try', () => {
  it("gives each programme's outcome with its reasons and amounts in words", async () => {
    const { status, json } = await api('POST', '/admin/programmes/try?lng=en', callers.admin, refusedFamily);
    expect(status).toBe(200);
    expect(json.results.map((result: { programme: string }) => result.programme)).toEqual(allIds);
    // REAG/GARP (flows/programmes/de-reag-garp.yaml): a refused applicant fits the status rule; travel
    // 2 x 200 + 2 x 100 = 600, start-up help 2 x 1,000 + 2 x 500 = 3,000 (under the 3,500 family cap); no medical needs.
    const garp = byId(json.results, 'de-reag-garp');
    expect(garp).toMatchObject({
      name: 'REAG/GARP',
      active: true,
      outcome: 'eligible',
      outcomeText: 'This programme seems to fit your situation.',
      missing: [],
    });
    expect(garp.reasons).toEqual([expect.stringContaining('people whose asylum application was refused')]);
    expect(garp.estimate.upTo.text).toBe('€3,600');
    expect(garp.estimate.components.map((component: { name: string; upTo: { text: string } }) => [component.name, component.upTo.text])).toEqual([
      ['help with the journey', '€600'],
      ['money to start again', '€3,000'],
    ]);
    // Three adults and two children: start-up help 3 x 1,000 + 2 x 500 = 4,000, capped at 3,500; travel 3 x 200 + 2 x 100 = 800.
    const larger = byId(
      (await api('POST', '/admin/programmes/try?lng=en', callers.admin, { ...refusedFamily, household: { adults: 3, minors: 2, minorAges: [4, 9] } })).json
        .results,
      'de-reag-garp',
    );
    expect(larger.estimate.components.map((component: { name: string; upTo: { text: string } }) => [component.name, component.upTo.text])).toEqual([
      ['help with the journey', '€800'],
      ['money to start again', '€3,500'],
    ]);
    expect(larger.estimate.upTo.text).toBe('€4,300');
    // StarthilfePlus: Afghanistan is on the list, but after a refusal it depends on the departure
    // deadline, which this case leaves out; it has no verified figure, so none is given (no "€0").
    const plus = byId(json.results, 'de-starthilfeplus');
    expect(plus).toMatchObject({ outcome: 'possibly_eligible', missing: ['the date by which you must leave'] });
    expect(plus.reasons).toContain('After a refusal, this support is only possible if you apply before the date by which you were told to leave.');
    expect(plus.estimate).toEqual({ upTo: null, components: [], unquantified: [{ kind: 'reintegration_cash', name: 'money to start again' }] });
    // The deadline compared with today (fixed at 2026-12-02): still ahead, it fits; passed, it ends.
    const ahead = byId(
      (await api('POST', '/admin/programmes/try?lng=en', callers.admin, { ...refusedFamily, departureDeadline: '2027-01-15' })).json.results,
      'de-starthilfeplus',
    );
    expect(ahead).toMatchObject({
      outcome: 'eligible',
      outcomeText: 'This programme seems to fit your situation.',
      missing: [],
      estimate: { upTo: null, components: [], unquantified: [{ kind: 'reintegration_cash', name: 'money to start again' }] },
    });
    expect(ahead.reasons).toContain('After a refusal, this support is only possible if you apply before the date by which you were told to leave.');
    const passed = byId(
      (await api('POST', '/admin/programmes/try?lng=en', callers.admin, { ...refusedFamily, departureDeadline: '2026-12-01' })).json.results,
      'de-starthilfeplus',
    );
    expect(passed).toMatchObject({
      outcome: 'not_eligible',
      reasons: [
        'If the date by which you were told to leave has passed, this help is no longer possible: after a refusal, it is only for people who leave before that date.',
      ],
      estimate: null,
    });
    // Programmes of other host countries do not apply, and say why.
    expect(byId(json.results, 'fr-return-aid')).toMatchObject({
      outcome: 'not_eligible',
      reasons: ['This programme is only for people who live in France.'],
      estimate: null,
    });
  });

  it('names what is missing when the case leaves answers out, and refuses EU citizens', async () => {
    const open = await api('POST', '/admin/programmes/try', callers.admin, { hostCountry: 'DE' });
    expect(byId(open.json.results, 'de-reag-garp')).toMatchObject({ outcome: 'possibly_eligible' });
    expect(byId(open.json.results, 'de-reag-garp').missing).toContain('your situation in this country, for example your asylum application');

    const eu = await api('POST', '/admin/programmes/try', callers.admin, { ...refusedFamily, nationality: 'FR' });
    expect(byId(eu.json.results, 'de-reag-garp')).toMatchObject({
      outcome: 'not_eligible',
      reasons: ['Citizens of the European Union, the EEA and Switzerland cannot get help from this programme.'],
    });
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
    // Intake order: 'are you safe now' ('no') right after age. The deadline is ahead of the app's fixed today.
    { type: 'start' },
    'English',
    'yes',
    '18 to 59',
    'no',
    'germany',
    'Berlin',
    'Afghanistan',
    'Afghanistan',
    'My asylum application was refused',
    'yes',
    '15.01.2027',
    '2',
    '2',
    '4, 9',
    choice('medical_needs'),
    choice('__done'),
    'no',
    'no',
    'no', // nobody is pressuring them
    choice('travel'),
    choice('__done'),
    'I prefer not to say', // in their own words: optional
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

  it("turns a programme off for the organisation's conversations, audited, and on again", async () => {
    const offered = await explanation();
    expect(offered.some((text) => text.includes('• StarthilfePlus, extra money from the German government'))).toBe(true);

    const { status, json } = await api('PATCH', '/admin/programmes?lng=en', callers.admin, { active: allIds.filter((id) => id !== 'de-starthilfeplus') });
    expect(status).toBe(200);
    expect(byId(json.programmes, 'de-starthilfeplus').active).toBe(false);
    expect(byId((await api('GET', '/admin/programmes', callers.admin)).json.programmes, 'de-starthilfeplus').active).toBe(false);
    expect((await auditOf('programmes_changed')).at(-1)?.data).toEqual({ disabled: 'de-starthilfeplus', active: 6, via: 'session' });
    expect(byId((await api('POST', '/admin/programmes/try', callers.admin, refusedFamily)).json.results, 'de-starthilfeplus').active).toBe(false);

    const withoutIt = await explanation();
    expect(withoutIt.some((text) => text.includes('• REAG/GARP, help from the German government'))).toBe(true);
    expect(withoutIt.some((text) => text.includes('StarthilfePlus'))).toBe(false);
    await api('PATCH', '/admin/programmes', callers.admin, { active: allIds });
    expect((await explanation()).some((text) => text.includes('• StarthilfePlus, extra money from the German government'))).toBe(true);
  });
});
