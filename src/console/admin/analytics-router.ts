import { Router, type Response } from 'express';
import { z } from 'zod';
import type { Localisation } from '../../i18n/index.js';
import type { AnalyticsRepository } from '../../store/repositories/analytics.js';
import type { ConsoleRepository } from '../../store/repositories/console.js';
import { principalFrom, refuse, type ConsoleAuth } from '../auth/auth.js';
import { fieldIssues } from '../../validation/zod-issues.js';
import { adminOnly } from '../auth/route-helpers.js';
import { analyticsCharts, analyticsChartNames } from './analytics-charts.js';
import { analyticsCsv } from './analytics-csv.js';
import { analyticsQuerySchema, usableTimeZone, type AnalyticsPeriod, type AnalyticsQuery } from './analytics-period.js';
import { buildReport, type AnalyticsReport } from './analytics-report.js';

export interface AnalyticsRoutesDeps {
  auth: ConsoleAuth;
  console: ConsoleRepository;
  analytics: AnalyticsRepository;
  localisation: Pick<Localisation, 'resources' | 'translatorFor' | 'baseLocale'>;
}

export const chartFileSchema = z.strictObject({ file: z.enum(analyticsChartNames.map((name) => `${name}.svg` as const)) });

/**
 * Admin-only analytics of the caller's organisation (mount at /console/api), counts only:
 * - `GET /admin/analytics?from=YYYY-MM-DD&to=YYYY-MM-DD[&channel=web|telegram][&language=de][&lng=en]`:
 *   JSON with the funnel totals, every day, breakdowns, waits, outcomes and the charts as SVG;
 * - `GET /admin/analytics.csv?…`: the same numbers as one CSV table;
 * - `GET /admin/analytics/charts/{funnel,daily,wait}.svg?…`: one chart.
 * Days are the organisation's (its time zone). Every answer is audited as `analytics_viewed`.
 */
export function analyticsConsoleRouter(deps: AnalyticsRoutesDeps): Router {
  const router = Router();
  const consoleLanguages = Object.keys(deps.localisation.resources).filter((lng) => deps.localisation.resources[lng]?.console !== undefined);
  const chartLanguage = (query: AnalyticsQuery) => (query.lng && consoleLanguages.includes(query.lng) ? query.lng : deps.localisation.baseLocale);

  /** Validates, computes and audits; null when it has already answered with a refusal. */
  async function reportFor(query: unknown, res: Response, format: 'json' | 'csv' | 'svg'): Promise<{ report: AnalyticsReport; query: AnalyticsQuery } | null> {
    const parsed = analyticsQuerySchema.safeParse(query);
    if (!parsed.success) {
      refuse(res, 400, 'invalid_query', 'the query is not valid', { issues: fieldIssues(parsed.error) });
      return null;
    }
    const principal = principalFrom(res);
    const period: AnalyticsPeriod = {
      from: parsed.data.from,
      to: parsed.data.to,
      timeZone: usableTimeZone(await deps.analytics.timeZoneOf(principal.organisationId)),
      channel: parsed.data.channel ?? null,
      language: parsed.data.language ?? null,
    };
    const report = buildReport(period, await deps.analytics.rowsFor(principal.organisationId, period));
    await deps.console.audit({
      organisationId: principal.organisationId,
      actorUserId: principal.userId,
      action: 'analytics_viewed',
      data: { via: principal.via, format, days: report.period.days, channel: period.channel, language: period.language },
    });
    res.setHeader('Cache-Control', 'no-store');
    return { report, query: parsed.data };
  }

  router.get('/admin/analytics', deps.auth.authenticate(), adminOnly, async (req, res) => {
    const result = await reportFor(req.query, res, 'json');
    if (!result) return;
    const lng = chartLanguage(result.query);
    const charts = analyticsCharts(result.report, deps.localisation.translatorFor(lng), lng);
    res.json({ ...result.report, charts });
  });

  router.get('/admin/analytics.csv', deps.auth.authenticate(), adminOnly, async (req, res) => {
    const result = await reportFor(req.query, res, 'csv');
    if (!result) return;
    const { from, to } = result.report.period;
    res.type('text/csv; charset=utf-8').setHeader('Content-Disposition', `attachment; filename="homeward-analytics-${from}-to-${to}.csv"`);
    res.send(analyticsCsv(result.report));
  });

  router.get('/admin/analytics/charts/:file', deps.auth.authenticate(), adminOnly, async (req, res) => {
    const params = chartFileSchema.safeParse(req.params);
    if (!params.success) return refuse(res, 404, 'not_found', 'no such chart');
    const result = await reportFor(req.query, res, 'svg');
    if (!result) return;
    const lng = chartLanguage(result.query);
    const name = analyticsChartNames.find((candidate) => `${candidate}.svg` === params.data.file) ?? 'funnel';
    res.type('image/svg+xml; charset=utf-8').send(analyticsCharts(result.report, deps.localisation.translatorFor(lng), lng)[name].svg);
  });
  return router;
}
