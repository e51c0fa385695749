// The organisation's settings and the embedding page (#/admin/settings, #/admin/embedding).
// Everything is validated on the server (src/console/admin/organisation-settings.ts); the form only
// turns its text fields into the API's shapes and shows the server's issues next to the fields.
import { z } from 'zod';
import { h } from '../../../../channels/web/widget/client/dom.js';
import { safetyCategories as safetyCategoryCodes } from '../../../../safety/types.js';
import { ApiError } from '../api.js';
import { FieldProblems, formField, type FormField } from '../form-fields.js';
import type { AdminPage, AdminView } from './page.js';

const WEEKDAYS = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'] as const;
const emergencyLabelPrefix = 'handoff:emergency_label.';

const intervalSchema = z.object({ from: z.string(), to: z.string() });
const officeHoursSchema = z.object({ week: z.record(z.string(), z.array(intervalSchema)), closedDates: z.array(z.string()) });
// `for`: the dangers a line is for (src/safety/emergency-numbers.ts); kept through a save, or the
// category lines the disclosure path gives would silently become lines for every danger.
const contactFor = z.array(z.string()).optional();
const contactSchema = z.union([
  z.object({ labelKey: z.string(), number: z.string(), for: contactFor }),
  z.object({ label: z.string(), number: z.string(), for: contactFor }),
]);
const settingsSchema = z.object({
  name: z.string(),
  defaultLanguage: z.string(),
  timeZone: z.string(),
  officeHours: officeHoursSchema.nullable(),
  emergencyContacts: z.record(z.string(), z.array(contactSchema)),
  retentionClosedDays: z.number(),
  retentionIdleDays: z.number(),
  allowedOrigins: z.array(z.string()),
  widgetLook: z.object({
    colour: z.string().optional(),
    position: z.enum(['left', 'right']).optional(),
    title: z.record(z.string(), z.string()).optional(),
    greeting: z.record(z.string(), z.string()).optional(),
  }),
  telegramBotUsername: z.string().nullable(),
  queueWait: z.object({ amberMinutes: z.number(), redMinutes: z.number() }),
  hideDraftLanguages: z.boolean(),
});
type Settings = z.infer<typeof settingsSchema>;
const languageSchema = z.object({ code: z.string(), nativeName: z.string(), dir: z.enum(['ltr', 'rtl']), draft: z.boolean().default(false) });
const refusedOriginSchema = z.object({ origin: z.string(), count: z.number(), lastSeen: z.string() });
const settingsAnswerSchema = z.object({
  settings: settingsSchema,
  languages: z.array(languageSchema),
  refusedOrigins: z.array(refusedOriginSchema).default([]),
});
const issuesSchema = z.object({
  error: z.object({ reason: z.string(), issues: z.array(z.object({ path: z.string(), reason: z.string().optional() })).optional() }),
});
const embeddingSchema = z.object({
  widgetKey: z.string(),
  snippet: z.string(),
  previewPath: z.string(),
  telegram: z.object({ username: z.string(), link: z.string(), qrSvg: z.string() }).nullable(),
});

/** The default week the server uses when none is set (src/handoff/office-hours.ts), shown as text. */
const defaultWeekText: Record<(typeof WEEKDAYS)[number], string> = {
  mon: '09:00-17:00',
  tue: '09:00-17:00',
  wed: '09:00-17:00',
  thu: '09:00-17:00',
  fri: '09:00-17:00',
  sat: '',
  sun: '',
};

/** Same formula as the server's check (src/channels/web/widget/look.ts), for a hint while typing. */
function whiteTextContrast(colour: string): number | null {
  if (!/^#[0-9a-fA-F]{6}$/.test(colour)) return null;
  const channel = (offset: number): number => {
    const value = Number.parseInt(colour.slice(offset, offset + 2), 16) / 255;
    return value <= 0.03928 ? value / 12.92 : ((value + 0.055) / 1.055) ** 2.4;
  };
  return 1.05 / (0.2126 * channel(1) + 0.7152 * channel(3) + 0.0722 * channel(5) + 0.05);
}

type Field = FormField;
const field = (id: string, label: string, control: Field['control'], hint?: string): Field => formField(id, label, control, hint, { class: 'field' });

const lines = (text: string): string[] =>
  text
    .split('\n')
    .map((line) => line.trim())
    .filter(Boolean);

/** "09:00-12:00, 13:00-17:00" -> intervals; null when a part is not "HH:MM-HH:MM". */
function parseDay(text: string): { from: string; to: string }[] | null {
  const parts = text
    .split(',')
    .map((part) => part.trim())
    .filter(Boolean);
  const intervals = parts.map((part) => /^(\d{1,2}:\d{2})\s*[-–]\s*(\d{1,2}:\d{2})$/.exec(part));
  if (intervals.some((match) => !match)) return null;
  return intervals.map((match) => ({ from: (match?.[1] ?? '').padStart(5, '0'), to: (match?.[2] ?? '').padStart(5, '0') }));
}

/**
 * "DE | 112 | Name" lines, with an optional fourth part naming the dangers the line is for
 * ("DE | 0800 111 0 111 | TelefonSeelsorge | suicide"), -> contacts per country; null when a line
 * has not three or four parts, or names a danger that does not exist.
 */
function parseContacts(text: string): Settings['emergencyContacts'] | null {
  const byCountry: Settings['emergencyContacts'] = {};
  for (const line of lines(text)) {
    const [country, number, label, dangers, ...rest] = line.split('|').map((part) => part.trim());
    if (!country || !number || !label || rest.length > 0) return null;
    const categories = dangers ? dangers.split(/[\s,]+/).filter(Boolean) : [];
    if (categories.some((category) => !(safetyCategoryCodes as readonly string[]).includes(category))) return null;
    const forDangers = categories.length > 0 ? { for: categories } : {};
    const contact = label.startsWith(emergencyLabelPrefix) ? { labelKey: label, number, ...forDangers } : { label, number, ...forDangers };
    (byCountry[country.toUpperCase()] ??= []).push(contact);
  }
  return byCountry;
}

function contactsText(contacts: Settings['emergencyContacts']): string {
  return Object.entries(contacts)
    .flatMap(([country, list]) =>
      list.map((contact) =>
        [country, contact.number, 'label' in contact ? contact.label : contact.labelKey, ...(contact.for?.length ? [contact.for.join(', ')] : [])].join(' | '),
      ),
    )
    .join('\n');
}

const same = (a: unknown, b: unknown): boolean => JSON.stringify(a) === JSON.stringify(b);

function csrfToken(): string {
  const match = /(?:^|;\s*)hw_csrf=([^;]*)/.exec(document.cookie);
  return match?.[1] ? decodeURIComponent(match[1]) : '';
}

/**
 * The PATCH by hand rather than through `view.call`: a 400 carries the issues per field, which
 * the shared helper does not pass on.
 */
async function patchSettings(
  body: Partial<Settings>,
): Promise<{ ok: true; settings: Settings } | { ok: false; status: number; reason: string; issues: { path: string; reason?: string }[] }> {
  const response = await fetch('/console/api/admin/organisation', {
    method: 'PATCH',
    credentials: 'same-origin',
    headers: { accept: 'application/json', 'content-type': 'application/json', 'x-csrf-token': csrfToken() },
    body: JSON.stringify(body),
  });
  const json: unknown = await response.json().catch(() => null);
  if (response.ok) return { ok: true, settings: z.object({ settings: settingsSchema }).parse(json).settings };
  const error = issuesSchema.safeParse(json);
  return {
    ok: false,
    status: response.status,
    reason: error.success ? error.data.error.reason : 'unknown',
    issues: error.success ? (error.data.error.issues ?? []) : [],
  };
}

async function renderSettings(view: AdminView): Promise<void> {
  const { t } = view;
  const loaded = await view.call(settingsAnswerSchema, 'GET', '/admin/organisation');
  let current = loaded.settings;
  const languages = loaded.languages;

  const name = field('org-name', t('admin.settings.name'), h('input', { type: 'text', maxlength: '120', required: true, autocomplete: 'organization' }));
  const defaultLanguage = field('org-language', t('admin.settings.default_language'), h('select', {}));
  // A draft language says so (its translation is not reviewed): the one `hideDraftLanguages` hides.
  const languageName = (language: z.infer<typeof languageSchema>) =>
    language.draft ? t('admin.language_draft', { name: language.nativeName }) : language.nativeName;
  for (const language of languages) defaultLanguage.control.append(h('option', { value: language.code, lang: language.code }, languageName(language)));
  const hideDrafts = h('input', { type: 'checkbox', id: 'org-hide-drafts', 'aria-describedby': 'org-hide-drafts-hint' });
  const hideDraftsRow = h(
    'div',
    { class: 'field' },
    h('label', { for: 'org-hide-drafts' }, hideDrafts, ' ', t('admin.settings.hide_drafts')),
    h('p', { class: 'hint', id: 'org-hide-drafts-hint' }, t('admin.settings.hide_drafts_hint')),
  );

  const zones = h('datalist', { id: 'org-time-zones' });
  const supported = (Intl as { supportedValuesOf?: (key: string) => string[] }).supportedValuesOf?.('timeZone') ?? [];
  for (const zone of supported) zones.append(h('option', { value: zone }));
  const timeZone = field(
    'org-time-zone',
    t('admin.settings.time_zone'),
    h('input', { type: 'text', list: 'org-time-zones', autocomplete: 'off', spellcheck: 'false' }),
    t('admin.settings.time_zone_hint'),
  );
  const days = WEEKDAYS.map((day) =>
    field(`org-hours-${day}`, t(`admin.settings.weekday.${day}`), h('input', { type: 'text', inputmode: 'numeric', autocomplete: 'off' })),
  );
  const closedDates = field(
    'org-closed-dates',
    t('admin.settings.closed_dates'),
    h('input', { type: 'text', autocomplete: 'off' }),
    t('admin.settings.closed_dates_hint'),
  );
  const contacts = field(
    'org-emergency',
    t('admin.settings.emergency_contacts'),
    h('textarea', { rows: '5', spellcheck: 'false' }),
    t('admin.settings.emergency_hint'),
  );
  const retentionClosed = field(
    'org-retention-closed',
    t('admin.settings.retention_closed'),
    h('input', { type: 'number', min: '1', max: '3650', step: '1', required: true }),
  );
  const retentionIdle = field(
    'org-retention-idle',
    t('admin.settings.retention_idle'),
    h('input', { type: 'number', min: '1', max: '3650', step: '1', required: true }),
  );
  const waitAmber = field('org-wait-amber', t('admin.settings.wait_amber'), h('input', { type: 'number', min: '1', max: '1440', step: '1', required: true }));
  const waitRed = field('org-wait-red', t('admin.settings.wait_red'), h('input', { type: 'number', min: '1', max: '1440', step: '1', required: true }));
  const origins = field(
    'org-origins',
    t('admin.settings.allowed_origins'),
    h('textarea', { rows: '4', spellcheck: 'false' }),
    t('admin.settings.allowed_origins_hint'),
  );
  // Sites that tried to use the widget and were refused: usually the organisation's own, not added yet.
  const refusedList = h('ul', { id: 'org-refused-origins' });
  for (const refused of loaded.refusedOrigins) {
    const add = h('button', { type: 'button' }, t('admin.settings.refused_origins_add'));
    add.addEventListener('click', () => {
      const present = lines(origins.control.value);
      if (!present.includes(refused.origin)) origins.control.value = [...present, refused.origin].join('\n');
      add.disabled = true;
    });
    const when = new Intl.DateTimeFormat(view.lng, { dateStyle: 'medium', timeStyle: 'short' }).format(new Date(refused.lastSeen));
    refusedList.append(h('li', {}, h('code', {}, refused.origin), ' ', t('admin.settings.refused_origins_item', { count: refused.count, when }), ' ', add));
  }
  const refusedOrigins = h(
    'div',
    { class: 'refused-origins' },
    h('p', { class: 'hint' }, t(loaded.refusedOrigins.length > 0 ? 'admin.settings.refused_origins' : 'admin.settings.refused_origins_none')),
    ...(loaded.refusedOrigins.length > 0 ? [refusedList] : []),
  );
  const colour = field(
    'org-colour',
    t('admin.settings.colour'),
    h('input', { type: 'text', maxlength: '7', autocomplete: 'off', spellcheck: 'false', placeholder: '#1b5e8a' }),
    t('admin.settings.colour_hint'),
  );
  const swatch = h('span', {
    'aria-hidden': 'true',
    style: 'display:inline-block;width:2.5em;height:1.5em;border:1px solid #767b84;border-radius:4px;vertical-align:middle;margin-inline-end:8px',
  });
  const contrast = h('span', { id: 'org-colour-contrast' });
  colour.row.insertBefore(h('p', { 'aria-live': 'polite' }, swatch, contrast), colour.problem);
  const position = field('org-position', t('admin.settings.position'), h('select', {}));
  position.control.append(
    h('option', { value: '' }, t('admin.settings.position_default')),
    h('option', { value: 'right' }, t('admin.settings.position_right')),
    h('option', { value: 'left' }, t('admin.settings.position_left')),
  );
  const titles = new Map<string, HTMLInputElement>();
  const greetings = new Map<string, HTMLInputElement>();
  const textRows = languages.map((language) => {
    const title = h('input', {
      type: 'text',
      id: `org-title-${language.code}`,
      lang: language.code,
      dir: language.dir,
      maxlength: '80',
      'aria-label': `${t('admin.settings.title')} (${language.nativeName})`,
    });
    const greeting = h('input', {
      type: 'text',
      id: `org-greeting-${language.code}`,
      lang: language.code,
      dir: language.dir,
      maxlength: '600',
      'aria-label': `${t('admin.settings.greeting')} (${language.nativeName})`,
    });
    titles.set(language.code, title);
    greetings.set(language.code, greeting);
    return h(
      'tr',
      {},
      h('th', { scope: 'row', ...(language.draft ? {} : { lang: language.code }) }, languageName(language)),
      h('td', {}, title),
      h('td', {}, greeting),
    );
  });
  const texts = h(
    'details',
    {},
    h('summary', {}, t('admin.settings.texts')),
    h('p', { class: 'hint', id: 'org-texts-problem' }, t('admin.settings.texts_hint')),
    h(
      'table',
      {},
      h(
        'thead',
        {},
        h(
          'tr',
          {},
          h('th', { scope: 'col' }, t('admin.settings.language')),
          h('th', { scope: 'col' }, t('admin.settings.title')),
          h('th', { scope: 'col' }, t('admin.settings.greeting')),
        ),
      ),
      h('tbody', {}, ...textRows),
    ),
  );
  const telegram = field(
    'org-telegram',
    t('admin.settings.telegram_username'),
    h('input', { type: 'text', maxlength: '33', autocomplete: 'off', spellcheck: 'false' }),
    t('admin.settings.telegram_hint'),
  );

  const showContrast = () => {
    const value = colour.control.value.trim();
    const ratio = whiteTextContrast(value);
    swatch.style.background = ratio === null ? 'transparent' : value;
    contrast.textContent = ratio === null ? '' : t(ratio >= 4.5 ? 'admin.settings.contrast' : 'admin.settings.contrast_low', { ratio: ratio.toFixed(1) });
  };
  colour.control.addEventListener('input', showContrast);

  const hoursText = (settings: Settings) =>
    WEEKDAYS.map((day) =>
      settings.officeHours ? (settings.officeHours.week[day] ?? []).map((interval) => `${interval.from}-${interval.to}`).join(', ') : defaultWeekText[day],
    );
  const fill = (settings: Settings) => {
    name.control.value = settings.name;
    defaultLanguage.control.value = settings.defaultLanguage;
    hideDrafts.checked = settings.hideDraftLanguages;
    timeZone.control.value = settings.timeZone;
    hoursText(settings).forEach((text, index) => {
      const day = days[index];
      if (day) day.control.value = text;
    });
    closedDates.control.value = (settings.officeHours?.closedDates ?? []).join(', ');
    contacts.control.value = contactsText(settings.emergencyContacts);
    retentionClosed.control.value = String(settings.retentionClosedDays);
    retentionIdle.control.value = String(settings.retentionIdleDays);
    waitAmber.control.value = String(settings.queueWait.amberMinutes);
    waitRed.control.value = String(settings.queueWait.redMinutes);
    origins.control.value = settings.allowedOrigins.join('\n');
    colour.control.value = settings.widgetLook.colour ?? '';
    position.control.value = settings.widgetLook.position ?? '';
    for (const [code, input] of titles) input.value = settings.widgetLook.title?.[code] ?? '';
    for (const [code, input] of greetings) input.value = settings.widgetLook.greeting?.[code] ?? '';
    telegram.control.value = settings.telegramBotUsername ?? '';
    showContrast();
  };
  fill(current);

  const fields: Record<string, Field> = {
    name,
    defaultLanguage,
    timeZone,
    emergencyContacts: contacts,
    retentionClosedDays: retentionClosed,
    retentionIdleDays: retentionIdle,
    allowedOrigins: origins,
    telegramBotUsername: telegram,
  };
  const summary = h('div', { role: 'alert', class: 'error', tabindex: '-1' });
  const problems = new FieldProblems();
  const clearProblems = () => {
    problems.clear();
    summary.replaceChildren();
  };
  const markProblem = (item: Field, reason: string) => {
    problems.mark(item, t(`admin.settings.reason.${reason}`));
    summary.append(
      h('p', {}, h('a', { href: `#${item.control.id}` }, t('admin.settings.field_error', { field: item.label, reason: t(`admin.settings.reason.${reason}`) }))),
    );
  };
  summary.addEventListener('click', (event) => {
    // In-page links would change the hash and so the route: move focus instead.
    const target = event.target instanceof HTMLAnchorElement ? document.getElementById(event.target.hash.slice(1)) : null;
    if (target) {
      event.preventDefault();
      target.focus();
    }
  });
  /** The field an API issue path points at; the per-language texts share one problem line. */
  const fieldFor = (path: string[]): Field | undefined => {
    const [top, part, key] = path;
    if (top === 'officeHours') {
      const index = part === 'week' && typeof key === 'string' ? WEEKDAYS.indexOf(key as (typeof WEEKDAYS)[number]) : -1;
      return index >= 0 ? days[index] : closedDates;
    }
    if (top === 'widgetLook') {
      if (part === 'colour') return colour;
      if (part === 'position') return position;
      const input = (part === 'title' ? titles : greetings).get(String(key ?? '')) ?? titles.values().next().value;
      texts.open = true;
      return input ? { control: input, row: texts, problem: h('p'), label: input.getAttribute('aria-label') ?? '' } : undefined;
    }
    if (top === 'queueWait') return part === 'amberMinutes' ? waitAmber : waitRed;
    return typeof top === 'string' ? fields[top] : undefined;
  };

  /** The form as the API's shapes; fields left as loaded are left out, so only changes are sent. */
  const collect = (): { body: Partial<Settings>; bad: { item: Field; reason: string }[] } => {
    const body: Partial<Settings> = {};
    const bad: { item: Field; reason: string }[] = [];
    const put = <K extends keyof Settings>(key: K, value: Settings[K]) => {
      if (!same(value, current[key])) body[key] = value;
    };
    put('name', name.control.value.trim());
    put('defaultLanguage', defaultLanguage.control.value);
    put('hideDraftLanguages', hideDrafts.checked);
    put('timeZone', timeZone.control.value.trim());
    const hoursChanged =
      !same(
        days.map((day) => day.control.value.trim()),
        hoursText(current),
      ) || closedDates.control.value.trim() !== (current.officeHours?.closedDates ?? []).join(', ');
    if (hoursChanged) {
      const week: Record<string, { from: string; to: string }[]> = {};
      days.forEach((day, index) => {
        const parsed = parseDay(day.control.value);
        if (parsed === null) bad.push({ item: day, reason: 'hours_format' });
        week[WEEKDAYS[index] ?? 'mon'] = parsed ?? [];
      });
      const dates = closedDates.control.value
        .split(',')
        .map((date) => date.trim())
        .filter(Boolean);
      body.officeHours = { week, closedDates: dates };
    }
    const parsedContacts = parseContacts(contacts.control.value);
    if (parsedContacts === null) bad.push({ item: contacts, reason: 'contacts_format' });
    else put('emergencyContacts', parsedContacts);
    put('retentionClosedDays', Number(retentionClosed.control.value));
    put('retentionIdleDays', Number(retentionIdle.control.value));
    put('queueWait', { amberMinutes: Number(waitAmber.control.value), redMinutes: Number(waitRed.control.value) });
    put('allowedOrigins', lines(origins.control.value));
    const perLanguage = (inputs: Map<string, HTMLInputElement>) => {
      const values: Record<string, string> = {};
      for (const [code, input] of inputs) if (input.value.trim()) values[code] = input.value.trim();
      return values;
    };
    const look: Settings['widgetLook'] = {};
    if (colour.control.value.trim()) look.colour = colour.control.value.trim();
    if (position.control.value === 'left' || position.control.value === 'right') look.position = position.control.value;
    const titleValues = perLanguage(titles);
    const greetingValues = perLanguage(greetings);
    if (Object.keys(titleValues).length > 0) look.title = titleValues;
    if (Object.keys(greetingValues).length > 0) look.greeting = greetingValues;
    put('widgetLook', look);
    put('telegramBotUsername', telegram.control.value.trim() || null);
    return { body, bad };
  };

  const save = h('button', { type: 'submit', class: 'primary' }, t('admin.settings.save'));
  const form = h(
    'form',
    { novalidate: true },
    summary,
    h('fieldset', {}, h('legend', {}, t('admin.settings.general')), name.row, defaultLanguage.row, hideDraftsRow),
    h(
      'fieldset',
      {},
      h('legend', {}, t('admin.settings.office')),
      timeZone.row,
      zones,
      h('p', { class: 'hint' }, t('admin.settings.hours_hint')),
      ...days.map((day) => day.row),
      closedDates.row,
    ),
    h('fieldset', {}, h('legend', {}, t('admin.settings.emergency')), contacts.row),
    h('fieldset', {}, h('legend', {}, t('admin.settings.retention')), retentionClosed.row, retentionIdle.row),
    h('fieldset', {}, h('legend', {}, t('admin.settings.queue_wait')), h('p', { class: 'hint' }, t('admin.settings.wait_hint')), waitAmber.row, waitRed.row),
    h('fieldset', {}, h('legend', {}, t('admin.settings.widget')), origins.row, refusedOrigins, colour.row, position.row, texts),
    h('fieldset', {}, h('legend', {}, t('admin.settings.telegram')), telegram.row),
    h('div', { class: 'actions' }, save),
  );
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    void (async () => {
      clearProblems();
      const { body, bad } = collect();
      if (bad.length > 0) {
        for (const { item, reason } of bad) markProblem(item, reason);
        view.notify(t('admin.settings.invalid'));
        summary.focus();
        return;
      }
      if (Object.keys(body).length === 0) return view.notify(t('admin.settings.unchanged'));
      save.disabled = true;
      try {
        const result = await patchSettings(body);
        if (result.ok) {
          current = result.settings;
          fill(current);
          view.notify(t('admin.settings.saved'));
          return;
        }
        if (result.status !== 400) return view.notify(view.errorText(new ApiError(result.status, result.reason)));
        for (const issue of result.issues) {
          const item = fieldFor(issue.path.split('.'));
          if (item) markProblem(item, issue.reason ?? 'generic');
        }
        if (problems.marked.length === 0) summary.append(h('p', {}, t('admin.settings.reason.generic')));
        view.notify(t('admin.settings.invalid'));
        summary.focus();
      } catch (error) {
        view.notify(view.errorText(error));
      } finally {
        save.disabled = false;
      }
    })();
  });

  view.show(t('admin.nav.settings'), h('p', {}, t('admin.settings.intro')), form);
}

/** Parses the server's QR code as SVG (never as HTML) and takes over only its drawing. */
function qrNode(svgText: string, label: string): Element | null {
  const parsed = new DOMParser().parseFromString(svgText, 'image/svg+xml');
  const root = parsed.documentElement;
  if (root.nodeName !== 'svg' || parsed.getElementsByTagName('parsererror').length > 0) return null;
  for (const element of Array.from(root.querySelectorAll('*'))) {
    if (!['path', 'rect', 'g'].includes(element.nodeName)) element.remove();
    for (const attribute of Array.from(element.attributes))
      if (attribute.name.startsWith('on') || attribute.name.includes('href')) element.removeAttribute(attribute.name);
  }
  const svg = document.importNode(root, true);
  svg.setAttribute('role', 'img');
  svg.setAttribute('aria-label', label);
  svg.setAttribute('width', '220');
  svg.setAttribute('height', '220');
  return svg;
}

async function renderEmbedding(view: AdminView): Promise<void> {
  const { t } = view;
  const data = await view.call(embeddingSchema, 'GET', '/admin/embedding');

  const code = h('code', { id: 'embed-snippet' }, data.snippet);
  const copy = h('button', { type: 'button' }, t('admin.embedding.copy'));
  copy.addEventListener('click', () => {
    void navigator.clipboard.writeText(data.snippet).then(
      () => view.notify(t('admin.embedding.copied')),
      () => {
        // No clipboard (permissions, plain HTTP): select the code so Ctrl+C works.
        const range = document.createRange();
        range.selectNodeContents(code);
        getSelection()?.removeAllRanges();
        getSelection()?.addRange(range);
        view.notify(t('admin.embedding.copy_failed'));
      },
    );
  });

  const frame = h('iframe', {
    title: t('admin.embedding.preview_frame'),
    style: 'width:100%;max-width:520px;height:560px;border:1px solid #767b84;border-radius:8px;background:#fff',
  });
  // The widget's config is cached by browsers for minutes; fetch it afresh so the preview shows the look just saved.
  await fetch(`/v3/widget/config?key=${encodeURIComponent(data.widgetKey)}`, { cache: 'reload', credentials: 'omit' }).catch(() => undefined);
  frame.src = `${data.previewPath}?lng=${encodeURIComponent(view.lng)}`;

  const telegram: Node[] = [];
  if (data.telegram) {
    const qr = qrNode(data.telegram.qrSvg, t('admin.embedding.telegram_qr'));
    telegram.push(
      h(
        'p',
        {},
        t('admin.embedding.telegram_link'),
        ' ',
        h('a', { href: data.telegram.link, rel: 'noopener noreferrer', target: '_blank' }, data.telegram.link),
      ),
      h('figure', { class: 'qr' }, ...(qr ? [qr] : [])),
    );
  } else {
    telegram.push(h('p', {}, t('admin.embedding.telegram_missing'), ' ', h('a', { href: '#/admin/settings' }, t('admin.embedding.to_settings'))));
  }

  view.show(
    t('admin.nav.embedding'),
    h(
      'section',
      { 'aria-labelledby': 'embed-snippet-heading' },
      h('h2', { id: 'embed-snippet-heading' }, t('admin.embedding.snippet')),
      h('p', {}, t('admin.embedding.snippet_hint')),
      h('pre', { class: 'panel', style: 'white-space:pre-wrap;overflow-wrap:anywhere' }, code),
      h('div', { class: 'actions' }, copy),
    ),
    h(
      'section',
      { 'aria-labelledby': 'embed-preview-heading' },
      h('h2', { id: 'embed-preview-heading' }, t('admin.embedding.preview')),
      h('p', {}, t('admin.embedding.preview_hint')),
      frame,
    ),
    h('section', { 'aria-labelledby': 'embed-telegram-heading' }, h('h2', { id: 'embed-telegram-heading' }, t('admin.embedding.telegram')), ...telegram),
  );
}

export const settingsPages: AdminPage[] = [
  { path: 'settings', navKey: 'admin.nav.settings', render: renderSettings },
  { path: 'embedding', navKey: 'admin.nav.embedding', render: renderEmbedding },
];
