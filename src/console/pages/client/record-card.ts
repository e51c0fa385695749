// The referral record as a counsellor reads it: a compact summary card with labels in the console's
// language (countries and languages named by Intl.DisplayNames, codes as words), the programme
// outcomes as the server rendered them, and the raw record one click away. Text only, via h().
import { h } from '../../../channels/web/widget/client/dom.js';
import { z } from 'zod';

export const eligibilityTextsSchema = z.object({
  lang: z.string(),
  programmes: z.array(
    z.object({
      programme: z.string(),
      name: z.string(),
      outcome: z.string(),
      outcomeText: z.string(),
      reasons: z.array(z.string()),
      missing: z.array(z.string()),
      estimate: z.string().nullable(),
    }),
  ),
});
export type EligibilityTexts = z.infer<typeof eligibilityTextsSchema>;

type Translate = (key: string, params?: Record<string, string | number>) => string;
type Row = [label: string, value: string | Node];
type Value = Record<string, unknown>;

const SPECIAL_VALUES = new Set(['unknown', 'prefer_not_to_say', 'stateless']);

const asObject = (value: unknown): Value => (typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Value) : {});
const asStrings = (value: unknown): string[] => (Array.isArray(value) ? value.filter((item): item is string => typeof item === 'string') : []);

function displayNames(lng: string, type: 'region' | 'language'): (code: string) => string {
  try {
    const names = new Intl.DisplayNames([lng], { type, fallback: 'code' });
    return (code) => {
      try {
        return names.of(code) ?? code;
      } catch {
        return code;
      }
    };
  } catch {
    return (code) => code;
  }
}

/** The summary card's children, `section.their-words` (when given) first. */
export function recordCard(record: Value, eligibility: EligibilityTexts | null, t: Translate, lng: string): Node[] {
  const country = displayNames(lng, 'region');
  const language = displayNames(lng, 'language');
  /** A text of `card.<group>.<value>`, else the value itself (a record of a newer shape still reads). */
  const word = (group: string, value: string) => {
    const key = `card.${group}.${value}`;
    const text = t(key);
    if (text !== key) return text;
    const special = `card.value.${value}`;
    return t(special) === special ? value : t(special);
  };
  const place = (code: unknown) => (typeof code !== 'string' ? undefined : SPECIAL_VALUES.has(code) ? word('value', code) : country(code));
  const tri = (value: unknown) =>
    typeof value === 'string' ? word('value', value) : typeof value === 'boolean' ? word('value', value ? 'yes' : 'no') : undefined;
  const date = (value: string, withTime = false) => {
    const parsed = new Date(value.length === 10 ? `${value}T12:00:00Z` : value);
    if (Number.isNaN(parsed.getTime())) return value;
    return withTime
      ? parsed.toLocaleString(lng, { dateStyle: 'medium', timeStyle: 'short' })
      : parsed.toLocaleDateString(lng, { dateStyle: 'medium', ...(value.length === 10 ? { timeZone: 'UTC' } : {}) });
  };
  const list = (values: string[]) => (values.length === 0 ? t('card.value.none') : values.join(', '));

  const who = asObject(record.who);
  const where = asObject(record.where);
  const household = asObject(record.household);
  const urgency = asObject(record.urgency);
  const consent = asObject(record.consent);
  const priority = asObject(record.priority);
  const field = (name: string) => t(`card.field.${name}`);
  const rows = (...items: (Row | undefined | false)[]): Row[] =>
    items.filter((item): item is Row => Array.isArray(item) && item[1] !== undefined && item[1] !== '');
  const row = (name: string, value: string | Node | undefined): Row | undefined => (value === undefined ? undefined : [field(name), value]);

  const groups: [string, Row[]][] = [
    [
      'who',
      rows(
        row('pseudonym', typeof who.pseudonym === 'string' ? who.pseudonym : undefined),
        row('age_band', typeof who.ageBand === 'string' ? word('age_band', who.ageBand) : undefined),
        row('nationality', place(who.nationality)),
        row('return_country', place(who.returnCountry)),
        row('return_region', typeof who.returnRegion === 'string' ? who.returnRegion : undefined),
        row('languages', asStrings(who.languages).length ? asStrings(who.languages).map(language).join(', ') : undefined),
      ),
    ],
    [
      'where',
      rows(
        row('host_country', place(where.hostCountry)),
        row('host_city', typeof where.hostCity === 'string' ? where.hostCity : undefined),
        row('channel', typeof record.channel === 'string' ? t(`channel.${record.channel}`) : undefined),
      ),
    ],
    [
      'status',
      rows(
        row('legal_status', typeof record.legalStatus === 'string' ? word('legal_status', record.legalStatus) : undefined),
        row('asylum_withdrawn', tri(record.asylumWithdrawn)),
        row('prior_return_assistance', tri(record.priorReturnAssistance)),
      ),
    ],
    [
      'household',
      rows(
        row('adults', typeof household.adults === 'number' ? String(household.adults) : undefined),
        row('children', typeof household.minors === 'number' ? String(household.minors) : undefined),
        row(
          'child_ages',
          Array.isArray(household.minorAges) && household.minorAges.length ? t('card.value.years', { ages: household.minorAges.join(', ') }) : undefined,
        ),
        row('child_alone', household.unaccompaniedMinor === true ? word('value', 'yes') : undefined),
      ),
    ],
    [
      'vulnerabilities',
      rows(
        Array.isArray(record.vulnerabilities) ? ['', list(asStrings(record.vulnerabilities).map((v) => word('vulnerability', v)))] : undefined,
        row('medical_needs', record.medicalNeeds === true ? word('value', 'yes') : undefined),
      ),
    ],
    [
      'urgency',
      rows(
        row(
          'priority',
          typeof priority.level === 'string' ? `${t(`priority.${priority.level}`)} · ${t(`priority_cause.${String(priority.cause)}`)}` : undefined,
        ),
        row('handoff_reason', typeof record.handoffReason === 'string' ? t(`handoff_reason.${record.handoffReason}`) : undefined),
        row('safety_concern', tri(urgency.safetyConcern)),
        row(
          'safety_categories',
          asStrings(urgency.safetyCategories).length ? list(asStrings(urgency.safetyCategories).map((c) => word('safety_category', c))) : undefined,
        ),
        row(
          'departure_deadline',
          urgency.departureDeadline === null
            ? t('card.value.no_deadline')
            : typeof urgency.departureDeadline === 'string'
              ? urgency.departureDeadline === 'unknown'
                ? word('value', 'unknown')
                : date(urgency.departureDeadline)
              : undefined,
        ),
        row('detained', tri(urgency.detained)),
      ),
    ],
    ['wishes', rows(Array.isArray(record.wishes) ? ['', list(asStrings(record.wishes).map((w) => word('wish', w)))] : undefined)],
    [
      'consent',
      rows(
        row('consent_given', tri(consent.given)),
        row('consent_at', typeof consent.at === 'string' ? date(consent.at, true) : undefined),
        row('notice_version', typeof consent.noticeVersion === 'string' ? consent.noticeVersion : undefined),
      ),
    ],
  ];

  const facts = h('div', { class: 'card-facts' });
  for (const [group, items] of groups) {
    if (items.length === 0) continue;
    const dl = h('dl');
    // A group of one list (vulnerabilities, wishes) needs no label beside its heading.
    for (const [label, value] of items) {
      if (label) dl.append(h('dt', {}, label));
      dl.append(h('dd', { dir: 'auto', ...(label ? {} : { class: 'wide' }) }, value));
    }
    facts.append(h('section', { class: `card-group card-${group}` }, h('h3', {}, t(`card.group.${group}`)), dl));
  }

  const nodes: Node[] = [];
  if (typeof record.inTheirWords === 'string') {
    nodes.push(h('section', { class: 'their-words' }, h('h3', {}, t('chat.in_their_words')), h('blockquote', { dir: 'auto' }, record.inTheirWords)));
  }
  nodes.push(facts, programmesSection(eligibility, t));
  nodes.push(h('details', { class: 'raw-record' }, h('summary', {}, t('card.raw')), h('pre', {}, JSON.stringify(record, null, 2))));
  return nodes;
}

/** Eligible and possible programmes with their reasons; the ones that do not fit folded away, names first. */
function programmesSection(eligibility: EligibilityTexts | null, t: Translate): Node {
  const section = h('section', { class: 'card-programmes' }, h('h3', {}, t('card.group.eligibility')));
  const programmes = eligibility?.programmes ?? [];
  if (programmes.length === 0) {
    section.append(h('p', {}, t('card.no_eligibility')));
    return section;
  }
  const item = (programme: EligibilityTexts['programmes'][number]) => {
    const li = h(
      'li',
      { class: `outcome-${programme.outcome}`, 'data-programme': programme.programme },
      h('strong', {}, programme.name),
      ` · ${t(`card.outcome.${programme.outcome}`)}`,
      programme.estimate ? ` · ${programme.estimate}` : '',
    );
    if (programme.reasons.length) li.append(h('ul', {}, ...programme.reasons.map((reason) => h('li', {}, reason))));
    if (programme.missing.length) li.append(h('p', { class: 'missing' }, `${t('card.field.missing')}: ${programme.missing.join(', ')}`));
    return li;
  };
  const fitting = programmes.filter((programme) => programme.outcome !== 'not_eligible');
  const others = programmes.filter((programme) => programme.outcome === 'not_eligible');
  if (fitting.length) section.append(h('ul', { class: 'programmes' }, ...fitting.map(item)));
  if (others.length) {
    section.append(
      h(
        'details',
        { class: 'not-eligible' },
        h('summary', {}, `${t('card.not_eligible_count', { count: others.length })}: ${others.map((programme) => programme.name).join(', ')}`),
        h('ul', { class: 'programmes' }, ...others.map(item)),
      ),
    );
  }
  return section;
}
