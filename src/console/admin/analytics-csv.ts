// The analytics report as one tidy CSV table (section, key, metric, value), so a spreadsheet can
// filter and pivot it. UTF-8 with a byte order mark (Excel otherwise guesses the encoding), CRLF.
import { funnelMetrics } from '../../store/repositories/analytics.js';
import type { AnalyticsReport, WaitFigures } from './analytics-report.js';

type Cell = string | number | null;

/**
 * One cell, quoted when needed (RFC 4180). Text starting with = + - @ or a control character is
 * prefixed with an apostrophe, so a spreadsheet shows it instead of running it as a formula.
 */
export function csvCell(value: Cell): string {
  if (value === null) return '';
  if (typeof value === 'number') return Number.isFinite(value) ? String(value) : '';
  const text = /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

export function analyticsCsv(report: AnalyticsReport): string {
  const rows: Cell[][] = [['section', 'key', 'metric', 'value']];
  const { period } = report;
  rows.push(
    ['period', '', 'from', period.from],
    ['period', '', 'to', period.to],
    ['period', '', 'days', period.days],
    ['period', '', 'timeZone', period.timeZone],
    ['period', '', 'channel', period.channel ?? 'all'],
    ['period', '', 'language', period.language ?? 'all'],
  );
  for (const metric of funnelMetrics) rows.push(['totals', '', metric, report.totals[metric]]);
  for (const day of report.daily) for (const metric of funnelMetrics) rows.push(['day', day.day, metric, day[metric]]);
  for (const channel of report.byChannel) for (const metric of funnelMetrics) rows.push(['channel', channel.channel, metric, channel[metric]]);
  for (const language of report.byLanguage) for (const metric of funnelMetrics) rows.push(['language', language.language, metric, language[metric]]);
  const wait = (section: string, key: string, figures: WaitFigures) =>
    rows.push([section, key, 'claimed', figures.claimed], [section, key, 'p50Seconds', figures.p50Seconds], [section, key, 'p90Seconds', figures.p90Seconds]);
  wait('wait', 'all', report.wait);
  for (const figures of report.wait.byChannel) wait('waitByChannel', figures.channel, figures);
  for (const figures of report.wait.byLanguage) wait('waitByLanguage', figures.language, figures);
  for (const programme of report.outcomes) for (const { outcome, count } of programme.outcomes) rows.push(['outcomes', programme.programme, outcome, count]);
  rows.push(['deleted', '', 'conversationsDeleted', report.deleted.conversationsDeleted], ['deleted', '', 'erasures', report.deleted.erasures]);
  return `\uFEFF${rows.map((row) => row.map(csvCell).join(',')).join('\r\n')}\r\n`;
}
