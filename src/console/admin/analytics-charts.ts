// The analytics page's three figures, drawn from a report with the console's texts in one
// language: the funnel, the per-day series and the wait until a counsellor claimed.
import type { Translate } from '../../engine/types.js';
import { formatDuration } from './analytics-format.js';
import { funnelMetrics } from '../../store/repositories/analytics.js';
import type { AnalyticsReport, WaitFigures } from './analytics-report.js';
import { barRowsChart, type BarGroup } from './charts/bar-rows.js';
import { dailyChart } from './charts/daily-chart.js';
import { palette, type Chart } from './charts/svg.js';

export const analyticsChartNames = ['funnel', 'daily', 'wait'] as const;
export type AnalyticsChartName = (typeof analyticsChartNames)[number];

/** `t` translates console keys (`console:…`) in `lng`. */
export function analyticsCharts(report: AnalyticsReport, t: Translate, lng: string): Record<AnalyticsChartName, Chart> {
  const k = (key: string, params?: Record<string, unknown>) => t(`console:admin.analytics.${key}`, params);
  const numbers = new Intl.NumberFormat(lng);
  const n = (value: number) => numbers.format(value);
  const dayFormat = new Intl.DateTimeFormat(lng, { day: 'numeric', month: 'short', timeZone: 'UTC' });
  const longDay = new Intl.DateTimeFormat(lng, { day: 'numeric', month: 'short', year: 'numeric', timeZone: 'UTC' });
  const dayOf = (day: string, format = dayFormat) => format.format(new Date(`${day}T00:00:00Z`));
  const period = k('chart.period', { from: dayOf(report.period.from, longDay), to: dayOf(report.period.to, longDay) });
  const duration = (seconds: number | null) => formatDuration(seconds, (key, params) => k(`duration.${key}`, params));

  const funnelRows = funnelMetrics.map((metric) => ({ label: k(`metric.${metric}`), value: report.totals[metric], shown: n(report.totals[metric]) }));
  const funnel = barRowsChart({
    title: k('funnel.chart_title'),
    description: `${period}. ${funnelRows.map((row) => `${row.label}: ${row.shown}`).join('; ')}.`,
    lang: lng,
    groups: [{ rows: funnelRows }],
  });

  const started = report.daily.map((day) => day.conversationsStarted);
  const requested = report.daily.map((day) => day.handoffsRequested);
  const busiest = Math.max(0, ...started);
  const daily = dailyChart({
    title: k('daily.chart_title'),
    description: k('daily.summary', {
      period,
      conversations: n(report.totals.conversationsStarted),
      busiest: n(busiest),
      handoffs: n(report.totals.handoffsRequested),
    }),
    details: report.daily
      .map((day) => k('daily.day_item', { day: dayOf(day.day), conversations: n(day.conversationsStarted), handoffs: n(day.handoffsRequested) }))
      .join('; '),
    lang: lng,
    days: report.daily.map((day) => dayOf(day.day)),
    bars: { label: k('metric.conversationsStarted'), values: started },
    line: { label: k('metric.handoffsRequested'), values: requested },
    formatNumber: n,
  });

  const waitGroup = (name: string, figures: WaitFigures): BarGroup => ({
    heading: k('wait.group', { name, count: n(figures.claimed) }),
    rows: [
      { label: k('wait.median'), value: figures.p50Seconds ?? 0, shown: duration(figures.p50Seconds) },
      { label: k('wait.p90'), value: figures.p90Seconds ?? 0, shown: duration(figures.p90Seconds), colour: palette.accent },
    ],
  });
  const groups = [
    waitGroup(k('wait.all'), report.wait),
    ...report.wait.byChannel.filter((row) => row.claimed > 0).map((row) => waitGroup(t(`console:channel.${row.channel}`), row)),
  ];
  const wait = barRowsChart({
    title: k('wait.chart_title'),
    description:
      report.wait.claimed === 0
        ? `${period}. ${k('wait.none')}`
        : `${period}. ${groups.map((group) => `${group.heading ?? ''}: ${group.rows.map((row) => `${row.label} ${row.shown}`).join(', ')}`).join('; ')}.`,
    lang: lng,
    groups,
    ...(report.wait.claimed === 0 ? { empty: k('wait.none') } : {}),
  });

  return { funnel, daily, wait };
}
