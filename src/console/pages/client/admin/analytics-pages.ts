// The admin's analytics page: a period and filters, then the server's charts (SVG images, each with
// its numbers as alt text) and under each a table of the same numbers, and a CSV download.
// Everything shown is a count or a code; all words come from console.json.
import { z } from 'zod';
import { h } from '../../../../channels/web/widget/client/dom.js';
import { formatDuration } from '../../../admin/analytics-format.js';
import type { AdminPage, AdminView } from './page.js';

const metrics = ['conversationsStarted', 'consentGiven', 'intakeCompleted', 'handoffsRequested', 'handoffsClaimed', 'handoffsClosed'] as const;
type Metric = (typeof metrics)[number];

const countsSchema = z.object(Object.fromEntries(metrics.map((metric) => [metric, z.number()])) as Record<Metric, z.ZodNumber>);
const waitSchema = z.object({ claimed: z.number(), p50Seconds: z.number().nullable(), p90Seconds: z.number().nullable() });
const chartSchema = z.object({ svg: z.string(), label: z.string() });

export const analyticsReportSchema = z.object({
  period: z.object({
    from: z.string(),
    to: z.string(),
    days: z.number(),
    timeZone: z.string(),
    channel: z.string().nullable(),
    language: z.string().nullable(),
  }),
  totals: countsSchema,
  daily: z.array(countsSchema.extend({ day: z.string() })),
  byChannel: z.array(countsSchema.extend({ channel: z.string() })),
  byLanguage: z.array(countsSchema.extend({ language: z.string() })),
  wait: waitSchema.extend({ byChannel: z.array(waitSchema.extend({ channel: z.string() })), byLanguage: z.array(waitSchema.extend({ language: z.string() })) }),
  outcomes: z.array(z.object({ programme: z.string(), total: z.number(), outcomes: z.array(z.object({ outcome: z.string(), count: z.number() })) })),
  deleted: z.object({ conversationsDeleted: z.number(), erasures: z.number() }),
  charts: z.object({ funnel: chartSchema, daily: chartSchema, wait: chartSchema }),
});
type Report = z.infer<typeof analyticsReportSchema>;

const localesSchema = z.object({ locales: z.array(z.object({ code: z.string(), nativeName: z.string(), status: z.string().optional() })) });

/** The outcome codes the evaluator gives, in the order a reader expects; others follow as they come. */
const knownOutcomes = ['eligible', 'possibly_eligible', 'not_eligible'];
const MAX_DAYS = 366;

interface Filters {
  from: string;
  to: string;
  channel: string;
  language: string;
}

/** Kept while the console is open, so coming back to the page shows the same period. */
let filters: Filters | undefined;

function localDay(date: Date): string {
  const pad = (value: number) => String(value).padStart(2, '0');
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}`;
}

/** The last 30 days, today included. */
function defaultFilters(): Filters {
  const today = new Date();
  const start = new Date(today.getFullYear(), today.getMonth(), today.getDate() - 29);
  return { from: localDay(start), to: localDay(today), channel: '', language: '' };
}

function daysBetween(from: string, to: string): number {
  return (Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / 86_400_000 + 1;
}

function validPeriod(value: Filters): boolean {
  const pattern = /^\d{4}-\d{2}-\d{2}$/;
  if (!pattern.test(value.from) || !pattern.test(value.to)) return false;
  const days = daysBetween(value.from, value.to);
  return Number.isFinite(days) && days >= 1 && days <= MAX_DAYS;
}

function queryOf(value: Filters, lng: string): string {
  const params = new URLSearchParams({ from: value.from, to: value.to });
  if (value.channel) params.set('channel', value.channel);
  if (value.language) params.set('language', value.language);
  params.set('lng', lng);
  return params.toString();
}

async function render(view: AdminView): Promise<void> {
  const k = (key: string, params?: Record<string, string | number>) => view.t(`admin.analytics.${key}`, params);
  const current = (filters ??= defaultFilters());
  const languages = await view.call(localesSchema, 'GET', '/locales').then(
    (answer) => answer.locales,
    () => [],
  );

  const field = (id: string, label: string, control: HTMLElement) => h('div', {}, h('label', { for: id }, label), control);
  const from = h('input', { id: 'analytics-from', type: 'date', name: 'from', required: true, value: current.from });
  const to = h('input', { id: 'analytics-to', type: 'date', name: 'to', required: true, value: current.to });
  const option = (value: string, label: string, selected: string) => h('option', { value, ...(value === selected ? { selected: true } : {}) }, label);
  const channel = h(
    'select',
    { id: 'analytics-channel', name: 'channel' },
    option('', k('form.all'), current.channel),
    ...['web', 'telegram'].map((code) => option(code, view.t(`channel.${code}`), current.channel)),
  );
  const language = h(
    'select',
    { id: 'analytics-language', name: 'language' },
    option('', k('form.all'), current.language),
    // A draft translation says so, as in Settings: figures in it come from a text nobody reviewed.
    ...languages.map((locale) =>
      option(
        locale.code,
        locale.status === 'draft' ? view.t('admin.language_draft', { name: `${locale.nativeName} (${locale.code})` }) : `${locale.nativeName} (${locale.code})`,
        current.language,
      ),
    ),
  );
  const problem = h('p', { class: 'error', role: 'alert', id: 'analytics-problem' });
  const apply = h('button', { type: 'submit', class: 'primary' }, k('form.apply'));
  const form = h(
    'form',
    { novalidate: true, 'aria-describedby': 'analytics-problem' },
    h(
      'fieldset',
      { style: 'border:1px solid #d5d8dd;border-radius:10px;background:#fff;padding:8px 16px 16px' },
      h('legend', {}, k('form.legend')),
      h(
        'div',
        { class: 'inline' },
        field('analytics-from', k('form.from'), from),
        field('analytics-to', k('form.to'), to),
        field('analytics-channel', k('form.channel'), channel),
        field('analytics-language', k('form.language'), language),
        h('div', { style: 'flex:0 0 auto' }, apply),
      ),
      problem,
    ),
  );
  const results = h('div', { id: 'analytics-results' });

  const languageName = (code: string): string => {
    if (code === 'other') return k('outcomes.other');
    const known = languages.find((locale) => locale.code === code);
    if (known) return `${known.nativeName} (${code})`;
    try {
      const name = new Intl.DisplayNames([view.lng], { type: 'language' }).of(code);
      return name && name !== code ? `${name} (${code})` : code;
    } catch {
      return code;
    }
  };

  // The button stays enabled while loading (disabling it would drop a keyboard user's focus);
  // only the latest request's answer is shown.
  let latest = 0;
  async function load(announce: boolean): Promise<void> {
    const mine = ++latest;
    results.setAttribute('aria-busy', 'true');
    results.replaceChildren(h('p', {}, k('loading')));
    try {
      const report = await view.call(analyticsReportSchema, 'GET', `/admin/analytics?${queryOf(current, view.lng)}`);
      if (mine !== latest) return;
      results.replaceChildren(...sections(view, report, current, languageName));
      if (announce) view.notify(k('updated'));
    } catch (error) {
      if (mine === latest) results.replaceChildren(h('p', { class: 'error', role: 'alert' }, view.errorText(error)));
    } finally {
      if (mine === latest) results.removeAttribute('aria-busy');
    }
  }

  form.addEventListener('submit', (event) => {
    event.preventDefault();
    const next = { from: from.value, to: to.value, channel: channel.value, language: language.value };
    if (!validPeriod(next)) {
      problem.textContent = k('form.invalid');
      from.setAttribute('aria-invalid', 'true');
      to.setAttribute('aria-invalid', 'true');
      from.focus();
      return;
    }
    problem.textContent = '';
    from.removeAttribute('aria-invalid');
    to.removeAttribute('aria-invalid');
    Object.assign(current, next);
    void load(true);
  });

  view.show(k('title'), h('p', {}, k('intro')), form, results);
  await load(false);
}

function sections(view: AdminView, report: Report, current: Filters, languageName: (code: string) => string): Node[] {
  const k = (key: string, params?: Record<string, string | number>) => view.t(`admin.analytics.${key}`, params);
  const numbers = new Intl.NumberFormat(view.lng);
  const n = (value: number) => numbers.format(value);
  const dayFormat = new Intl.DateTimeFormat(view.lng, { dateStyle: 'medium', timeZone: 'UTC' });
  const day = (value: string) => dayFormat.format(new Date(`${value}T00:00:00Z`));
  const duration = (seconds: number | null) => formatDuration(seconds, (key, params) => k(`duration.${key}`, params));
  const channelName = (code: string) => view.t(`channel.${code}`);
  const metricHeads = metrics.map((metric) => k(`metric.${metric}`));

  const section = (id: string, heading: string, ...content: Node[]) =>
    h('section', { 'aria-labelledby': id, class: 'panel', style: 'margin:16px 0' }, h('h2', { id }, heading), ...content);
  const image = (chart: Report['charts']['funnel']) =>
    h('img', { src: `data:image/svg+xml;charset=utf-8,${encodeURIComponent(chart.svg)}`, alt: chart.label, style: 'display:block;max-width:100%;height:auto' });
  /** A table named by its own caption, or (`#id`) by the heading of its section. */
  const table = (name: string, head: string[], rows: (string | number)[][]) =>
    h(
      'div',
      { style: 'overflow-x:auto' },
      h(
        'table',
        name.startsWith('#') ? { 'aria-labelledby': name.slice(1) } : {},
        ...(name.startsWith('#') ? [] : [h('caption', { style: 'text-align:start;font-weight:600;padding:8px 0' }, name)]),
        h('thead', {}, h('tr', {}, ...head.map((text) => h('th', { scope: 'col' }, text)))),
        h(
          'tbody',
          {},
          ...rows.map(([first, ...rest]) =>
            h('tr', {}, h('th', { scope: 'row' }, String(first)), ...rest.map((cell) => h('td', {}, typeof cell === 'number' ? n(cell) : cell))),
          ),
        ),
      ),
    );
  const countsRow = (label: string, counts: Record<Metric, number>) => [label, ...metrics.map((metric) => counts[metric])];
  const anything = metrics.some((metric) => report.totals[metric] > 0);

  const csv = h('p', {}, h('a', { href: `/console/api/admin/analytics.csv?${queryOf(current, view.lng)}`, download: '' }, k('csv')));
  const outcomeCodes = [...new Set([...knownOutcomes, ...report.outcomes.flatMap((programme) => programme.outcomes.map((item) => item.outcome))])];
  const outcomeName = (code: string) => (knownOutcomes.includes(code) ? k(`outcomes.code.${code}`) : code === 'other' ? k('outcomes.other') : code);
  const waitRow = (label: string, figures: z.infer<typeof waitSchema>) => [label, figures.claimed, duration(figures.p50Seconds), duration(figures.p90Seconds)];

  return [
    h('p', {}, k('timezone', { zone: report.period.timeZone })),
    csv,
    section(
      'analytics-funnel',
      k('funnel.heading'),
      image(report.charts.funnel),
      table(
        k('funnel.chart_title'),
        [k('table.step'), k('table.count')],
        metrics.map((metric) => [k(`metric.${metric}`), report.totals[metric]]),
      ),
    ),
    section(
      'analytics-daily',
      k('daily.heading'),
      image(report.charts.daily),
      h(
        'details',
        {},
        h('summary', {}, k('daily.show_table')),
        table(
          k('daily.chart_title'),
          [k('table.day'), ...metricHeads],
          report.daily.map((row) => countsRow(day(row.day), row)),
        ),
      ),
    ),
    section(
      'analytics-wait',
      k('wait.heading'),
      image(report.charts.wait),
      table(
        k('wait.chart_title'),
        [k('table.group'), k('table.claimed'), k('wait.median'), k('wait.p90')],
        [
          waitRow(k('wait.all'), report.wait),
          ...report.wait.byChannel.map((row) => waitRow(channelName(row.channel), row)),
          ...report.wait.byLanguage.map((row) => waitRow(languageName(row.language), row)),
        ],
      ),
    ),
    section(
      'analytics-channels',
      k('breakdown.channel'),
      table(
        '#analytics-channels',
        [k('table.channel'), ...metricHeads],
        report.byChannel.map((row) => countsRow(channelName(row.channel), row)),
      ),
    ),
    section(
      'analytics-languages',
      k('breakdown.language'),
      anything
        ? table(
            '#analytics-languages',
            [k('table.language'), ...metricHeads],
            report.byLanguage.map((row) => countsRow(languageName(row.language), row)),
          )
        : h('p', {}, k('breakdown.none')),
    ),
    section(
      'analytics-outcomes',
      k('outcomes.heading'),
      h('p', {}, k('outcomes.note')),
      report.outcomes.length > 0
        ? table(
            '#analytics-outcomes',
            [k('outcomes.programme'), ...outcomeCodes.map(outcomeName), k('outcomes.total')],
            report.outcomes.map((programme) => [
              programme.programme,
              ...outcomeCodes.map((code) => programme.outcomes.find((item) => item.outcome === code)?.count ?? 0),
              programme.total,
            ]),
          )
        : h('p', {}, k('outcomes.none')),
    ),
    h('p', {}, k('deleted', { conversations: n(report.deleted.conversationsDeleted), erasures: n(report.deleted.erasures) })),
  ];
}

export const analyticsPages: AdminPage[] = [{ path: 'analytics', navKey: 'admin.analytics.title', render }];
