// Turns the aggregate rows into the report the API answers with: totals, a series with every day
// of the period, breakdowns by channel and language, waits and outcomes. Pure: no database.
import { analyticsChannels, daysOf, periodDays, type AnalyticsPeriod } from './analytics-period.js';
import { funnelMetrics, type AnalyticsRows, type DeletionCounts, type FunnelMetric, type WaitRow } from '../../store/repositories/analytics.js';

export type FunnelCounts = Record<FunnelMetric, number>;

export interface WaitFigures {
  /** Handoffs claimed in the period: how many waits the percentiles are taken over. */
  claimed: number;
  p50Seconds: number | null;
  p90Seconds: number | null;
}

export interface AnalyticsReport {
  period: AnalyticsPeriod & { days: number };
  totals: FunnelCounts;
  daily: ({ day: string } & FunnelCounts)[];
  byChannel: ({ channel: string } & FunnelCounts)[];
  byLanguage: ({ language: string } & FunnelCounts)[];
  wait: WaitFigures & { byChannel: ({ channel: string } & WaitFigures)[]; byLanguage: ({ language: string } & WaitFigures)[] };
  outcomes: { programme: string; total: number; outcomes: { outcome: string; count: number }[] }[];
  /** Deleted by retention or on request on the period's (UTC) days; not in the figures above. */
  deleted: DeletionCounts;
}

/** What any code shown in a report (language, programme, outcome) must look like; anything else is `other`. */
const codePattern = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$/;
const uuidPattern = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * Codes come from the database (a conversation's locale, the keys of its eligibility outcomes);
 * only code-like values are passed through, so no stray free text or id can reach a report.
 */
export function safeCode(value: string | null | undefined): string {
  return value && codePattern.test(value) && !uuidPattern.test(value) ? value : 'other';
}

const zeros = (): FunnelCounts => Object.fromEntries(funnelMetrics.map((metric) => [metric, 0])) as FunnelCounts;

export function buildReport(period: AnalyticsPeriod, rows: AnalyticsRows): AnalyticsReport {
  const totals = zeros();
  const days = new Map(daysOf(period.from, period.to).map((day) => [day, zeros()]));
  const channels = new Map<string, FunnelCounts>((period.channel ? [period.channel] : analyticsChannels).map((channel) => [channel, zeros()]));
  const languages = new Map<string, FunnelCounts>();
  for (const row of rows.events) {
    totals[row.metric] += row.count;
    const day = days.get(row.day);
    if (day) day[row.metric] += row.count;
    const channel = channels.get(row.channel) ?? channels.set(row.channel, zeros()).get(row.channel)!;
    channel[row.metric] += row.count;
    const code = safeCode(row.language);
    const language = languages.get(code) ?? languages.set(code, zeros()).get(code)!;
    language[row.metric] += row.count;
  }

  return {
    period: { ...period, days: periodDays(period.from, period.to) },
    totals,
    daily: [...days].map(([day, counts]) => ({ day, ...counts })),
    byChannel: [...channels].map(([channel, counts]) => ({ channel, ...counts })),
    byLanguage: [...languages]
      .sort(([a, countsA], [b, countsB]) => countsB.conversationsStarted - countsA.conversationsStarted || a.localeCompare(b))
      .map(([language, counts]) => ({ language, ...counts })),
    wait: waitFigures(rows.waits),
    outcomes: outcomesByProgramme(rows.outcomes),
    deleted: rows.deleted,
  };
}

function waitFigures(rows: WaitRow[]): AnalyticsReport['wait'] {
  const figures = (row: WaitRow): WaitFigures => ({ claimed: row.claimed, p50Seconds: row.p50Seconds, p90Seconds: row.p90Seconds });
  const all = rows.find((row) => row.group === 'all');
  return {
    ...(all ? figures(all) : { claimed: 0, p50Seconds: null, p90Seconds: null }),
    byChannel: rows
      .filter((row) => row.group === 'channel')
      .map((row) => ({ channel: safeCode(row.value), ...figures(row) }))
      .sort((a, b) => a.channel.localeCompare(b.channel)),
    // Codes are made safe before they are compared, so two odd values both shown as `other` stay two rows.
    byLanguage: rows
      .filter((row) => row.group === 'language')
      .map((row) => ({ language: safeCode(row.value), ...figures(row) }))
      .sort((a, b) => b.claimed - a.claimed || a.language.localeCompare(b.language)),
  };
}

function outcomesByProgramme(rows: AnalyticsRows['outcomes']): AnalyticsReport['outcomes'] {
  const programmes = new Map<string, Map<string, number>>();
  for (const row of rows) {
    const programme = safeCode(row.programme);
    const outcomes = programmes.get(programme) ?? programmes.set(programme, new Map()).get(programme)!;
    const outcome = safeCode(row.outcome);
    outcomes.set(outcome, (outcomes.get(outcome) ?? 0) + row.count);
  }
  return [...programmes]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([programme, outcomes]) => ({
      programme,
      total: [...outcomes.values()].reduce((sum, count) => sum + count, 0),
      outcomes: [...outcomes].sort(([a], [b]) => a.localeCompare(b)).map(([outcome, count]) => ({ outcome, count })),
    }));
}
