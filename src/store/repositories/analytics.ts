// The analytics SQL. Only counts and durations leave the database: every query aggregates, none
// selects a message, an answer, a referral record or an id. Plain PostgreSQL that PGlite runs too.
import type { PrismaClient } from '../generated/client.js';

/** The funnel's steps, in order; each is counted on the day it happened. */
export const funnelMetrics = ['conversationsStarted', 'consentGiven', 'intakeCompleted', 'handoffsRequested', 'handoffsClaimed', 'handoffsClosed'] as const;
export type FunnelMetric = (typeof funnelMetrics)[number];

/** How many times `metric` happened on `day` (local date) in conversations of `channel` and `language`. */
export interface EventCountRow {
  metric: FunnelMetric;
  day: string;
  channel: string;
  language: string;
  count: number;
}

/** Wait from request to claim; `group` says which breakdown the row belongs to. */
export interface WaitRow {
  group: 'all' | 'channel' | 'language';
  /** The channel or language of the row; null for `all`. */
  value: string | null;
  claimed: number;
  p50Seconds: number | null;
  p90Seconds: number | null;
}

export interface OutcomeRow {
  programme: string;
  outcome: string;
  count: number;
}

export interface DeletionCounts {
  conversationsDeleted: number;
  erasures: number;
}

/** The days and filters of one report; days are local dates of `timeZone`. */
export interface AnalyticsWindow {
  from: string;
  to: string;
  timeZone: string;
  channel: string | null;
  language: string | null;
}

export interface AnalyticsRows {
  events: EventCountRow[];
  waits: WaitRow[];
  outcomes: OutcomeRow[];
  deleted: DeletionCounts;
}

export interface AnalyticsRepository {
  /** The organisation's time zone as stored, for the days of its reports; null for an unknown id. */
  timeZoneOf(organisationId: string): Promise<string | null>;
  rowsFor(organisationId: string, period: AnalyticsWindow): Promise<AnalyticsRows>;
}

/** Counts for the console's analytics, straight from SQL. */
export function createAnalyticsRepository(prisma: PrismaClient): AnalyticsRepository {
  return {
    async timeZoneOf(organisationId) {
      const organisation = await prisma.organisation.findUnique({ where: { id: organisationId }, select: { timeZone: true } });
      return organisation?.timeZone ?? null;
    },
    rowsFor: (organisationId, period) => queryAnalytics(prisma, organisationId, period),
  };
}

/**
 * Runs the four aggregate queries for one organisation and period. The period's bounds are the
 * first instant of `from` and of the day after `to` in `period.timeZone`, compared with the
 * stored UTC timestamps.
 */
async function queryAnalytics(prisma: PrismaClient, organisationId: string, period: AnalyticsWindow): Promise<AnalyticsRows> {
  const [events, waits, outcomes, deleted] = await Promise.all([
    eventCounts(prisma, organisationId, period),
    waitPercentiles(prisma, organisationId, period),
    outcomeCounts(prisma, organisationId, period),
    deletionCounts(prisma, organisationId, period),
  ]);
  return { events, waits, outcomes, deleted };
}

async function eventCounts(prisma: PrismaClient, organisationId: string, p: AnalyticsWindow): Promise<EventCountRow[]> {
  const rows = await prisma.$queryRaw<{ metric: FunnelMetric; day: string; channel: string; language: string; n: bigint }[]>`
    WITH bounds AS (
      SELECT (${p.from}::date::timestamp AT TIME ZONE ${p.timeZone}) AT TIME ZONE 'UTC' AS lo,
             ((${p.to}::date + 1)::timestamp AT TIME ZONE ${p.timeZone}) AT TIME ZONE 'UTC' AS hi
    ),
    scope AS (
      SELECT c.id, c.channel::text AS channel, c.locale AS language, c."createdAt", c."intakeCompletedAt"
      FROM "Conversation" c
      WHERE c."organisationId" = ${organisationId}::uuid
        AND (${p.channel}::text IS NULL OR c.channel::text = ${p.channel}::text)
        AND (${p.language}::text IS NULL OR c.locale = ${p.language}::text)
    ),
    events AS (
      SELECT 'conversationsStarted' AS metric, s.channel, s.language, s."createdAt" AS at FROM scope s
      UNION ALL
      -- A person may be asked again (a new notice version): only their first "yes" counts.
      SELECT 'consentGiven', s.channel, s.language, min(k."createdAt")
      FROM scope s JOIN "Consent" k ON k."conversationId" = s.id AND k.granted
      GROUP BY s.id, s.channel, s.language
      UNION ALL
      SELECT 'intakeCompleted', s.channel, s.language, s."intakeCompletedAt" FROM scope s WHERE s."intakeCompletedAt" IS NOT NULL
      UNION ALL
      SELECT 'handoffsRequested', s.channel, s.language, r."createdAt"
      FROM scope s JOIN "Referral" r ON r."conversationId" = s.id AND r."organisationId" = ${organisationId}::uuid
      UNION ALL
      SELECT 'handoffsClaimed', s.channel, s.language, r."claimedAt"
      FROM scope s JOIN "Referral" r ON r."conversationId" = s.id AND r."organisationId" = ${organisationId}::uuid
      WHERE r."claimedAt" IS NOT NULL
      UNION ALL
      -- Closed by a counsellor; cancelled requests are not "closed" handoffs.
      SELECT 'handoffsClosed', s.channel, s.language, r."closedAt"
      FROM scope s JOIN "Referral" r ON r."conversationId" = s.id AND r."organisationId" = ${organisationId}::uuid
      WHERE r.status::text = 'closed' AND r."closedAt" IS NOT NULL
    )
    SELECT e.metric, to_char((e.at AT TIME ZONE 'UTC') AT TIME ZONE ${p.timeZone}, 'YYYY-MM-DD') AS day, e.channel, e.language, count(*) AS n
    FROM events e CROSS JOIN bounds b
    WHERE e.at >= b.lo AND e.at < b.hi
    GROUP BY 1, 2, 3, 4`;
  return rows.map((row) => ({ metric: row.metric, day: row.day, channel: row.channel, language: row.language, count: Number(row.n) }));
}

async function waitPercentiles(prisma: PrismaClient, organisationId: string, p: AnalyticsWindow): Promise<WaitRow[]> {
  const rows = await prisma.$queryRaw<
    { channel: string | null; language: string | null; g_channel: number; g_language: number; n: bigint; p50: number | null; p90: number | null }[]
  >`
    WITH bounds AS (
      SELECT (${p.from}::date::timestamp AT TIME ZONE ${p.timeZone}) AT TIME ZONE 'UTC' AS lo,
             ((${p.to}::date + 1)::timestamp AT TIME ZONE ${p.timeZone}) AT TIME ZONE 'UTC' AS hi
    ),
    waits AS (
      SELECT c.channel::text AS channel, c.locale AS language,
             GREATEST(0, EXTRACT(EPOCH FROM (r."claimedAt" - r."createdAt")))::float8 AS seconds
      FROM "Referral" r JOIN "Conversation" c ON c.id = r."conversationId" CROSS JOIN bounds b
      WHERE r."organisationId" = ${organisationId}::uuid
        AND r."claimedAt" >= b.lo AND r."claimedAt" < b.hi
        AND (${p.channel}::text IS NULL OR c.channel::text = ${p.channel}::text)
        AND (${p.language}::text IS NULL OR c.locale = ${p.language}::text)
    )
    SELECT channel, language, GROUPING(channel) AS g_channel, GROUPING(language) AS g_language, count(*) AS n,
           percentile_cont(0.5) WITHIN GROUP (ORDER BY seconds) AS p50,
           percentile_cont(0.9) WITHIN GROUP (ORDER BY seconds) AS p90
    FROM waits
    GROUP BY GROUPING SETS ((), (channel), (language))`;
  return rows.map((row) => ({
    group: Number(row.g_channel) === 0 ? 'channel' : Number(row.g_language) === 0 ? 'language' : 'all',
    value: Number(row.g_channel) === 0 ? row.channel : Number(row.g_language) === 0 ? row.language : null,
    claimed: Number(row.n),
    p50Seconds: row.p50 === null ? null : Math.round(Number(row.p50)),
    p90Seconds: row.p90 === null ? null : Math.round(Number(row.p90)),
  }));
}

/** Outcome codes per programme of the conversations whose intake was completed in the period. */
async function outcomeCounts(prisma: PrismaClient, organisationId: string, p: AnalyticsWindow): Promise<OutcomeRow[]> {
  const rows = await prisma.$queryRaw<{ programme: string; outcome: string; n: bigint }[]>`
    WITH bounds AS (
      SELECT (${p.from}::date::timestamp AT TIME ZONE ${p.timeZone}) AT TIME ZONE 'UTC' AS lo,
             ((${p.to}::date + 1)::timestamp AT TIME ZONE ${p.timeZone}) AT TIME ZONE 'UTC' AS hi
    )
    SELECT o.key AS programme, o.value AS outcome, count(*) AS n
    FROM "Conversation" c
    CROSS JOIN bounds b
    CROSS JOIN LATERAL jsonb_each_text(CASE WHEN jsonb_typeof(c."eligibilityOutcomes") = 'object' THEN c."eligibilityOutcomes" ELSE '{}'::jsonb END) o
    WHERE c."organisationId" = ${organisationId}::uuid
      AND c."intakeCompletedAt" >= b.lo AND c."intakeCompletedAt" < b.hi
      AND (${p.channel}::text IS NULL OR c.channel::text = ${p.channel}::text)
      AND (${p.language}::text IS NULL OR c.locale = ${p.language}::text)
    GROUP BY 1, 2
    ORDER BY 1, 2`;
  return rows.map((row) => ({ programme: row.programme, outcome: row.outcome, count: Number(row.n) }));
}

/** What retention and erasure deleted on the period's days (UTC days: that is how they are kept). */
async function deletionCounts(prisma: PrismaClient, organisationId: string, p: AnalyticsWindow): Promise<DeletionCounts> {
  const rows = await prisma.$queryRaw<{ conversations: bigint | null; erasures: bigint | null }[]>`
    SELECT sum("conversationsDeleted")::bigint AS conversations, sum(erasures)::bigint AS erasures
    FROM "RetentionStat"
    WHERE "organisationId" = ${organisationId}::uuid AND day >= ${p.from}::date AND day <= ${p.to}::date`;
  return { conversationsDeleted: Number(rows[0]?.conversations ?? 0), erasures: Number(rows[0]?.erasures ?? 0) };
}
