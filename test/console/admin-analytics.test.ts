// Analytics over a known set of conversations, consents and referrals written straight into the
// database, on PGlite and on PostgreSQL. Every expected figure below was worked out by hand from
// the seed (the comments say how), not read from a run of the code.
import { randomUUID } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import express from 'express';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConsoleAuth } from '../../src/console/auth/auth.js';
import { hashPassword } from '../../src/console/auth/password.js';
import { analyticsConsoleRouter } from '../../src/console/admin/analytics-router.js';
import { csvCell } from '../../src/console/admin/analytics-csv.js';
import { formatDuration } from '../../src/console/admin/analytics-format.js';
import { errorHandler, notFound } from '../../src/http/errors.js';
import type { Database } from '../../src/store/client.js';
import { createAnalyticsRepository } from '../../src/store/repositories/analytics.js';
import { createConsoleRepository, type ConsoleRepository } from '../../src/store/repositories/console.js';
import { loginToConsole } from '../support/console.js';
import { databaseKinds, useTestDatabase } from '../support/databases.js';
import { silentLogger } from '../support/turns.js';
import { localesAndCatalogue, newOrganisation } from '../handoff/support.js';

const PASSWORD = 'a long enough password';
const PERIOD = 'from=2025-03-01&to=2025-03-07';

// Personal data the seed stores; none of it may ever appear in an analytics answer.
const PERSONAL = {
  message: 'My name is Ahmad Karimi, born 1990-04-12',
  pseudonym: 'Blue Falcon 17',
  phone: '+49 170 1234567',
  answer: 'Herat, near the old bazaar',
};
const uuidLike = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/i;

interface Seeded {
  orgA: string;
  ids: string[];
}

const minutes = (value: number) => value * 60_000;

/**
 * Organisation A (time zone Europe/Berlin, UTC+1 in early March 2025). Local days in brackets.
 *
 * c1 web/en   started 02-28 23:30Z [03-01], consent [03-01], intake [03-01], outcomes garp=eligible starthilfe=possibly_eligible,
 *             referral [03-01] claimed after 2 min, closed [03-01]
 * c2 web/de   started 03-02 [03-02], consent refused then granted twice (counts once) [03-02], intake [03-02],
 *             outcomes garp=not_eligible starthilfe=eligible, referral claimed after 4 min, in progress
 * c3 tg/fa    started 03-03 [03-03], consent, intake, outcomes garp=eligible, referral claimed after 6 min, closed [03-03]
 * c4 tg/de    started 03-03 [03-03], consent, no intake, referral claimed after 8 min, still claimed
 * c5 web/en   started 03-05 [03-05], consent refused only, nothing else
 * c6 web/en   started 03-06 [03-06], consent, intake, outcomes garp=possibly_eligible starthilfe=not_eligible,
 *             referral claimed after 10 min, then cancelled (not "closed")
 * c7 tg/en    started 03-07 23:30Z [03-08: after the period], everything on 03-08
 * c8 web/de   started, consented and intake 02-20 (before), outcomes garp=not_eligible, but its referral was
 *             requested 03-04 and claimed after 20 min [03-04]
 * Organisation B has a conversation with a claimed referral in the period: never counted for A.
 * RetentionStat A: 02-27 5 deleted (outside), 03-04 3 deleted (1 erasure), 03-07 2 deleted; B: 03-04 7.
 */
async function seed(db: Database): Promise<Seeded> {
  const prisma = db.prisma;
  const orgA = await newOrganisation(db, 'A');
  const orgB = await newOrganisation(db, 'B');
  await prisma.organisation.update({ where: { id: orgA }, data: { timeZone: 'Europe/Berlin' } });
  const ids: string[] = [orgA, orgB];

  async function conversation(
    org: string,
    channel: 'web' | 'telegram',
    locale: string,
    startedAt: string,
    options: {
      consents?: [boolean, string][];
      intakeAt?: string;
      outcomes?: Record<string, string>;
      referral?: { at: string; waitMinutes: number; status: 'claimed' | 'in_progress' | 'closed' | 'cancelled'; endedAt?: string };
    } = {},
  ): Promise<void> {
    const created = await prisma.conversation.create({
      data: {
        organisationId: org,
        channel,
        channelRef: randomUUID(),
        locale,
        flowState: { v: 1, flow: 'intake', answers: { returnRegion: PERSONAL.answer, pseudonym: PERSONAL.pseudonym } },
        createdAt: new Date(startedAt),
        ...(options.intakeAt ? { intakeCompletedAt: new Date(options.intakeAt) } : {}),
        ...(options.outcomes ? { eligibilityOutcomes: options.outcomes } : {}),
      },
    });
    ids.push(created.id);
    await prisma.message.create({ data: { conversationId: created.id, seq: 0, author: 'client', text: PERSONAL.message, createdAt: new Date(startedAt) } });
    for (const [granted, at] of options.consents ?? []) {
      const consent = await prisma.consent.create({
        data: { conversationId: created.id, noticeVersion: '2025-01-v1', granted, scopes: granted ? ['store_answers'] : [], channel, createdAt: new Date(at) },
      });
      ids.push(consent.id);
    }
    if (options.referral) {
      const at = new Date(options.referral.at);
      const referral = await prisma.referral.create({
        data: {
          organisationId: org,
          conversationId: created.id,
          status: options.referral.status,
          record: { pseudonym: PERSONAL.pseudonym, phone: PERSONAL.phone },
          createdAt: at,
          claimedAt: new Date(at.getTime() + minutes(options.referral.waitMinutes)),
          ...(options.referral.endedAt ? { closedAt: new Date(options.referral.endedAt) } : {}),
        },
      });
      ids.push(referral.id);
    }
  }

  await conversation(orgA, 'web', 'en', '2025-02-28T23:30:00Z', {
    consents: [[true, '2025-02-28T23:31:00Z']],
    intakeAt: '2025-03-01T00:10:00Z',
    outcomes: { 'de-reag-garp': 'eligible', 'de-starthilfe': 'possibly_eligible' },
    referral: { at: '2025-03-01T00:20:00Z', waitMinutes: 2, status: 'closed', endedAt: '2025-03-01T02:00:00Z' },
  });
  await conversation(orgA, 'web', 'de', '2025-03-02T10:00:00Z', {
    consents: [
      [false, '2025-03-02T10:01:00Z'],
      [true, '2025-03-02T10:05:00Z'],
      [true, '2025-03-02T10:30:00Z'],
    ],
    intakeAt: '2025-03-02T10:30:00Z',
    outcomes: { 'de-reag-garp': 'not_eligible', 'de-starthilfe': 'eligible' },
    referral: { at: '2025-03-02T11:00:00Z', waitMinutes: 4, status: 'in_progress' },
  });
  await conversation(orgA, 'telegram', 'fa', '2025-03-03T09:00:00Z', {
    consents: [[true, '2025-03-03T09:01:00Z']],
    intakeAt: '2025-03-03T09:20:00Z',
    outcomes: { 'de-reag-garp': 'eligible' },
    referral: { at: '2025-03-03T09:30:00Z', waitMinutes: 6, status: 'closed', endedAt: '2025-03-03T12:00:00Z' },
  });
  await conversation(orgA, 'telegram', 'de', '2025-03-03T15:00:00Z', {
    consents: [[true, '2025-03-03T15:01:00Z']],
    referral: { at: '2025-03-03T15:10:00Z', waitMinutes: 8, status: 'claimed' },
  });
  await conversation(orgA, 'web', 'en', '2025-03-05T08:00:00Z', { consents: [[false, '2025-03-05T08:01:00Z']] });
  await conversation(orgA, 'web', 'en', '2025-03-06T12:00:00Z', {
    consents: [[true, '2025-03-06T12:01:00Z']],
    intakeAt: '2025-03-06T12:30:00Z',
    outcomes: { 'de-reag-garp': 'possibly_eligible', 'de-starthilfe': 'not_eligible' },
    referral: { at: '2025-03-06T13:00:00Z', waitMinutes: 10, status: 'cancelled', endedAt: '2025-03-06T14:00:00Z' },
  });
  await conversation(orgA, 'telegram', 'en', '2025-03-07T23:30:00Z', {
    consents: [[true, '2025-03-07T23:31:00Z']],
    intakeAt: '2025-03-07T23:40:00Z',
    outcomes: { 'de-reag-garp': 'eligible' },
    referral: { at: '2025-03-07T23:45:00Z', waitMinutes: 100, status: 'closed', endedAt: '2025-03-08T03:00:00Z' },
  });
  await conversation(orgA, 'web', 'de', '2025-02-20T10:00:00Z', {
    consents: [[true, '2025-02-20T10:01:00Z']],
    intakeAt: '2025-02-20T10:30:00Z',
    outcomes: { 'de-reag-garp': 'not_eligible' },
    referral: { at: '2025-03-04T10:00:00Z', waitMinutes: 20, status: 'claimed' },
  });
  await conversation(orgB, 'web', 'en', '2025-03-02T10:00:00Z', {
    consents: [[true, '2025-03-02T10:01:00Z']],
    intakeAt: '2025-03-02T10:30:00Z',
    outcomes: { 'de-reag-garp': 'eligible' },
    referral: { at: '2025-03-02T11:00:00Z', waitMinutes: 1, status: 'closed', endedAt: '2025-03-02T12:00:00Z' },
  });
  await prisma.retentionStat.createMany({
    data: [
      { organisationId: orgA, day: new Date('2025-02-27T00:00:00Z'), conversationsDeleted: 5, erasures: 0 },
      { organisationId: orgA, day: new Date('2025-03-04T00:00:00Z'), conversationsDeleted: 3, erasures: 1 },
      { organisationId: orgA, day: new Date('2025-03-07T00:00:00Z'), conversationsDeleted: 2, erasures: 0 },
      { organisationId: orgB, day: new Date('2025-03-04T00:00:00Z'), conversationsDeleted: 7, erasures: 7 },
    ],
  });
  return { orgA, ids };
}

/** conversationsStarted, consentGiven, intakeCompleted, handoffsRequested, handoffsClaimed, handoffsClosed. */
const counts = (...values: [number, number, number, number, number, number]) => ({
  conversationsStarted: values[0],
  consentGiven: values[1],
  intakeCompleted: values[2],
  handoffsRequested: values[3],
  handoffsClaimed: values[4],
  handoffsClosed: values[5],
});

interface AnalyticsAnswer {
  period: Record<string, unknown>;
  totals: Record<string, number>;
  daily: Record<string, unknown>[];
  byChannel: Record<string, unknown>[];
  byLanguage: Record<string, unknown>[];
  wait: Record<string, unknown>;
  outcomes: unknown[];
  deleted: Record<string, number>;
  charts: Record<'funnel' | 'daily' | 'wait', { svg: string; label: string }>;
}

describe('csv cells and durations', () => {
  it('keeps spreadsheets from running cell text as a formula, and quotes what needs quoting', () => {
    expect(csvCell('=HYPERLINK("http://x")')).toBe(`"'=HYPERLINK(""http://x"")"`);
    expect(csvCell('+1')).toBe("'+1");
    expect(csvCell('-2')).toBe("'-2");
    expect(csvCell('@SUM(A1)')).toBe("'@SUM(A1)");
    expect(csvCell('\tcmd')).toBe("'\tcmd");
    expect(csvCell('a,b')).toBe('"a,b"');
    expect(csvCell('de-reag-garp')).toBe('de-reag-garp');
    expect(csvCell(-3)).toBe('-3');
    expect(csvCell(null)).toBe('');
  });

  it('says a wait in seconds, minutes or hours', () => {
    const text = (key: string, params: Record<string, string | number> = {}) => `${key}:${Object.values(params).join('/')}`;
    expect(formatDuration(null, text)).toBe('none:');
    expect(formatDuration(45, text)).toBe('seconds:45');
    expect(formatDuration(420, text)).toBe('minutes:7');
    expect(formatDuration(552, text)).toBe('minutes_seconds:9/12');
    expect(formatDuration(7_500, text)).toBe('hours_minutes:2/5');
  });
});

describe.each(databaseKinds)('GET /console/api/admin/analytics on %s', (kind) => {
  const database = useTestDatabase(kind);
  let server: Server;
  let base: string;
  let repo: ConsoleRepository;
  let seeded: Seeded;
  const cookies: Record<'admin' | 'counsellor', string> = { admin: '', counsellor: '' };

  async function get(path: string, as: 'admin' | 'counsellor' | 'nobody' = 'admin') {
    const response = await fetch(`${base}/console/api${path}`, { headers: as === 'nobody' ? {} : { cookie: cookies[as] } });
    return { status: response.status, text: await response.text(), type: response.headers.get('content-type') ?? '', headers: response.headers };
  }
  async function analytics(query: string): Promise<AnalyticsAnswer> {
    const response = await get(`/admin/analytics?${query}`);
    expect(response.status, response.text).toBe(200);
    return JSON.parse(response.text) as AnalyticsAnswer;
  }

  beforeAll(async () => {
    const db = database();
    seeded = await seed(db);
    repo = createConsoleRepository(db.prisma);
    const passwordHash = await hashPassword(PASSWORD);
    const { localisation } = await localesAndCatalogue();
    const auth = new ConsoleAuth({ repository: repo, secureCookies: false });
    const app = express();
    app.use('/console/api', auth.routes());
    app.use('/console/api', analyticsConsoleRouter({ auth, console: repo, analytics: createAnalyticsRepository(db.prisma), localisation }));
    app.use(notFound);
    app.use(errorHandler(silentLogger));
    server = createServer(app);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    for (const role of ['admin', 'counsellor'] as const) {
      const email = `${role}-${randomUUID()}@example.org`;
      const user = await repo.createUser({ organisationId: seeded.orgA, email, passwordHash, role });
      seeded.ids.push(user!.id);
      cookies[role] = (await loginToConsole(base, email, PASSWORD)).cookie;
    }
  }, 60_000);

  afterAll(async () => {
    server?.closeAllConnections();
    await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
  });

  it('counts the funnel, every day, each channel and language in the organisation’s days', async () => {
    const answer = await analytics(PERIOD);
    expect(answer.period).toEqual({ from: '2025-03-01', to: '2025-03-07', days: 7, timeZone: 'Europe/Berlin', channel: null, language: null });
    // Started: c1..c6 (c7 is 03-08 in Berlin, c8 began in February). Consent: c1 c2 c3 c4 c6 (c5 refused;
    // c2's two "yes" count once). Intake: c1 c2 c3 c6. Requested and claimed: c1 c2 c3 c4 c6 c8.
    // Closed: c1 c3 (c6 was cancelled).
    expect(answer.totals).toEqual(counts(6, 5, 4, 6, 6, 2));
    expect(answer.daily).toEqual([
      { day: '2025-03-01', ...counts(1, 1, 1, 1, 1, 1) }, // c1, all of it after midnight in Berlin
      { day: '2025-03-02', ...counts(1, 1, 1, 1, 1, 0) }, // c2
      { day: '2025-03-03', ...counts(2, 2, 1, 2, 2, 1) }, // c3 and c4; only c3 finished the intake and was closed
      { day: '2025-03-04', ...counts(0, 0, 0, 1, 1, 0) }, // c8's request and claim
      { day: '2025-03-05', ...counts(1, 0, 0, 0, 0, 0) }, // c5 refused consent
      { day: '2025-03-06', ...counts(1, 1, 1, 1, 1, 0) }, // c6 (cancelled, not closed)
      { day: '2025-03-07', ...counts(0, 0, 0, 0, 0, 0) }, // c7 is already 03-08 in Berlin
    ]);
    expect(answer.byChannel).toEqual([
      { channel: 'web', ...counts(4, 3, 3, 4, 4, 1) }, // c1 c2 c5 c6 (+ c8's request); consent and intake c1 c2 c6; closed c1
      { channel: 'telegram', ...counts(2, 2, 1, 2, 2, 1) }, // c3 c4; intake and closed c3
    ]);
    expect(answer.byLanguage).toEqual([
      { language: 'en', ...counts(3, 2, 2, 2, 2, 1) }, // c1 c5 c6
      { language: 'de', ...counts(2, 2, 1, 3, 3, 0) }, // c2 c4, and c8's request
      { language: 'fa', ...counts(1, 1, 1, 1, 1, 1) }, // c3
    ]);
    expect(answer.deleted).toEqual({ conversationsDeleted: 5, erasures: 1 }); // 3 on 03-04 + 2 on 03-07
  });

  it('gives the median and 90th percentile wait from request to claim', async () => {
    const answer = await analytics(PERIOD);
    // Waits claimed in the period: 2 4 6 8 10 20 minutes = 120 240 360 480 600 1200 s. percentile_cont:
    // p50 at position 0.5*5 = 2.5: 360 + 0.5*120 = 420; p90 at 0.9*5 = 4.5: 600 + 0.5*600 = 900.
    expect(answer.wait).toMatchObject({ claimed: 6, p50Seconds: 420, p90Seconds: 900 });
    expect(answer.wait.byChannel).toEqual([
      // Telegram 360 480: p50 420, p90 360 + 0.9*120 = 468.
      { channel: 'telegram', claimed: 2, p50Seconds: 420, p90Seconds: 468 },
      // Web 120 240 600 1200: p50 at 1.5: 240 + 0.5*360 = 420; p90 at 2.7: 600 + 0.7*600 = 1020.
      { channel: 'web', claimed: 4, p50Seconds: 420, p90Seconds: 1020 },
    ]);
    expect(answer.wait.byLanguage).toEqual([
      // de 240 480 1200: p50 480, p90 at 1.8: 480 + 0.8*720 = 1056. en 120 600: 360, 120 + 0.9*480 = 552. fa 360.
      { language: 'de', claimed: 3, p50Seconds: 480, p90Seconds: 1056 },
      { language: 'en', claimed: 2, p50Seconds: 360, p90Seconds: 552 },
      { language: 'fa', claimed: 1, p50Seconds: 360, p90Seconds: 360 },
    ]);
  });

  it('counts eligibility outcomes per programme for intakes completed in the period', async () => {
    const answer = await analytics(PERIOD);
    // Intakes c1 c2 c3 c6. garp: eligible c1 c3, not_eligible c2, possibly c6. starthilfe: possibly c1, eligible c2,
    // not_eligible c6. c7 (03-08) and c8 (February) are outside.
    expect(answer.outcomes).toEqual([
      {
        programme: 'de-reag-garp',
        total: 4,
        outcomes: [
          { outcome: 'eligible', count: 2 },
          { outcome: 'not_eligible', count: 1 },
          { outcome: 'possibly_eligible', count: 1 },
        ],
      },
      {
        programme: 'de-starthilfe',
        total: 3,
        outcomes: [
          { outcome: 'eligible', count: 1 },
          { outcome: 'not_eligible', count: 1 },
          { outcome: 'possibly_eligible', count: 1 },
        ],
      },
    ]);
  });

  it('filters by channel and by language', async () => {
    const telegram = await analytics(`${PERIOD}&channel=telegram`);
    expect(telegram.totals).toEqual(counts(2, 2, 1, 2, 2, 1)); // c3 c4
    expect(telegram.byChannel).toEqual([{ channel: 'telegram', ...counts(2, 2, 1, 2, 2, 1) }]);
    expect(telegram.wait).toMatchObject({ claimed: 2, p50Seconds: 420, p90Seconds: 468 });
    expect(telegram.outcomes).toEqual([{ programme: 'de-reag-garp', total: 1, outcomes: [{ outcome: 'eligible', count: 1 }] }]); // c3

    const german = await analytics(`${PERIOD}&language=de&channel=`);
    expect(german.period).toMatchObject({ channel: null, language: 'de' });
    expect(german.totals).toEqual(counts(2, 2, 1, 3, 3, 0)); // c2 c4, c8's request
    expect(german.wait).toMatchObject({ claimed: 3, p50Seconds: 480, p90Seconds: 1056 });
    expect(german.outcomes).toEqual([
      { programme: 'de-reag-garp', total: 1, outcomes: [{ outcome: 'not_eligible', count: 1 }] }, // c2
      { programme: 'de-starthilfe', total: 1, outcomes: [{ outcome: 'eligible', count: 1 }] },
    ]);
  });

  it('draws its days in the organisation’s time zone', async () => {
    // c1 began 02-28 23:30 UTC, which is 03-01 in Berlin; c7 began 03-07 23:30 UTC, 03-08 in Berlin.
    expect((await analytics('from=2025-02-28&to=2025-02-28')).totals.conversationsStarted).toBe(0);
    const eighth = await analytics('from=2025-03-08&to=2025-03-08');
    // c7: everything between 00:30 and 04:00 on 03-08 in Berlin; its claim came after 100 min = 6000 s.
    expect(eighth.totals).toEqual(counts(1, 1, 1, 1, 1, 1));
    expect(eighth.wait).toMatchObject({ claimed: 1, p50Seconds: 6000, p90Seconds: 6000 });
    // No claim at all: no percentiles rather than zeros.
    expect((await analytics('from=2025-03-05&to=2025-03-05')).wait).toMatchObject({ claimed: 0, p50Seconds: null, p90Seconds: null });
  });

  it('gives the same numbers as CSV, ready for a spreadsheet', async () => {
    const response = await get(`/admin/analytics.csv?${PERIOD}`);
    expect(response.status).toBe(200);
    expect(response.type).toBe('text/csv; charset=utf-8');
    expect(response.headers.get('content-disposition')).toBe('attachment; filename="homeward-analytics-2025-03-01-to-2025-03-07.csv"');
    expect(response.text.startsWith('section,key,metric,value\r\n')).toBe(true);
    const cells = new Map(
      response.text
        .trim()
        .split('\r\n')
        .slice(1)
        .map((line) => {
          const [section, key, metric, value] = line.split(',');
          return [`${section}|${key}|${metric}`, value] as const;
        }),
    );
    expect(cells.get('totals||conversationsStarted')).toBe('6');
    expect(cells.get('totals||handoffsClosed')).toBe('2');
    expect(cells.get('day|2025-03-03|conversationsStarted')).toBe('2');
    expect(cells.get('day|2025-03-07|conversationsStarted')).toBe('0');
    expect(cells.get('channel|web|handoffsRequested')).toBe('4');
    expect(cells.get('language|de|handoffsClaimed')).toBe('3');
    expect(cells.get('wait|all|p50Seconds')).toBe('420');
    expect(cells.get('wait|all|p90Seconds')).toBe('900');
    expect(cells.get('waitByChannel|web|p90Seconds')).toBe('1020');
    expect(cells.get('outcomes|de-reag-garp|eligible')).toBe('2');
    expect(cells.get('outcomes|de-starthilfe|not_eligible')).toBe('1');
    expect(cells.get('deleted||conversationsDeleted')).toBe('5');
    expect(cells.get('period||timeZone')).toBe('Europe/Berlin');
  });

  it('draws accessible SVG charts with the numbers, in the console language asked for', async () => {
    const answer = await analytics(`${PERIOD}&lng=de`);
    expect(answer.charts.funnel.label).toContain('Begonnene Gespräche: 6');
    expect(answer.charts.funnel.label).toContain('Übergaben abgeschlossen: 2');
    const funnel = await get(`/admin/analytics/charts/funnel.svg?${PERIOD}`);
    expect(funnel.status).toBe(200);
    expect(funnel.type).toBe('image/svg+xml; charset=utf-8');
    expect(funnel.text).toMatch(
      /^<svg xmlns="http:\/\/www\.w3\.org\/2000\/svg"[^>]* role="img" aria-label="[^"]*Conversations started: 6; Consent given: 5; Intake completed: 4; Handoffs requested: 6; Handoffs claimed: 6; Handoffs closed: 2\./,
    );
    expect(funnel.text).toContain('<title>From conversation to closed handoff</title>');
    const wait = await get(`/admin/analytics/charts/wait.svg?${PERIOD}`);
    expect(wait.text).toContain('All channels (claimed: 6): Median 7 min, 90th percentile 15 min');
    expect(wait.text).toContain('Website chat (claimed: 4): Median 7 min, 90th percentile 17 min');
    const daily = await get(`/admin/analytics/charts/daily.svg?${PERIOD}&lng=fr`);
    expect(daily.text).toContain('Conversations commencées : 6, au plus 2 en un jour. Transferts demandés : 6.');
    expect((await get(`/admin/analytics/charts/secret.svg?${PERIOD}`)).status).toBe(404);
  });

  it('lets no personal data, text or id out', async () => {
    const outputs = [
      (await get(`/admin/analytics?${PERIOD}`)).text,
      (await get(`/admin/analytics.csv?${PERIOD}`)).text,
      ...(await Promise.all(['funnel', 'daily', 'wait'].map(async (name) => (await get(`/admin/analytics/charts/${name}.svg?${PERIOD}`)).text))),
    ];
    for (const output of outputs) {
      for (const secret of Object.values(PERSONAL)) expect(output).not.toContain(secret);
      for (const id of seeded.ids) expect(output).not.toContain(id);
      expect(output).not.toMatch(uuidLike);
    }
  });

  it('audits every read as analytics_viewed', async () => {
    await get(`/admin/analytics.csv?${PERIOD}&channel=web`);
    const entries = await repo.listAudit(seeded.orgA, 500);
    const viewed = entries.filter((entry) => entry.action === 'analytics_viewed');
    expect(viewed.length).toBeGreaterThan(0);
    expect(viewed[0]!.data).toEqual({ via: 'session', format: 'csv', days: 7, channel: 'web', language: null });
  });

  it('is for the organisation’s admins only', async () => {
    for (const path of [`/admin/analytics?${PERIOD}`, `/admin/analytics.csv?${PERIOD}`, `/admin/analytics/charts/funnel.svg?${PERIOD}`]) {
      const refused = await get(path, 'counsellor');
      expect(refused.status).toBe(403);
      expect(JSON.parse(refused.text)).toMatchObject({ error: { reason: 'admins_only' } });
      expect((await get(path, 'nobody')).status).toBe(401);
    }
  });

  it('refuses a period that is missing, backwards, too long or not a date, and unknown filters', async () => {
    for (const query of [
      '',
      'from=2025-03-01',
      'from=2025-03-07&to=2025-03-01',
      'from=2024-01-01&to=2025-01-01', // 367 days
      'from=2025-02-30&to=2025-03-01',
      'from=01.03.2025&to=2025-03-07',
      `${PERIOD}&channel=sms`,
      `${PERIOD}&language=%3DHYPERLINK(1)`,
      `${PERIOD}&from=2025-03-02`,
      `${PERIOD}&organisationId=${randomUUID()}`,
    ]) {
      const response = await get(`/admin/analytics?${query}`);
      expect(response.status, query).toBe(400);
      expect(JSON.parse(response.text)).toMatchObject({ error: { reason: 'invalid_query' } });
      expect((await get(`/admin/analytics.csv?${query}`)).status, query).toBe(400);
    }
    // A whole leap year is allowed: 366 days.
    expect((await get('/admin/analytics?from=2024-01-01&to=2024-12-31')).status).toBe(200);
  });
});
