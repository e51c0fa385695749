import { CASE_FIELDS, type Case } from './case.js';
import { evaluate, type Outcome, type ProgrammeResult } from './evaluate.js';
import { caseFromAnswers, type FlowAnswers } from './from-answers.js';
import { BEFORE_DECIDING_KEYS, beforeDeciding } from './before-deciding.js';
import { isCountryCode } from '../text/country-codes.js';
import { RESULT_KEYS } from './keys.js';
import type { Programme } from './programme.js';

/** One message of the explanation: an i18n key and language-neutral parameters (ids, codes, amounts, or `lines`: texts joined in one message). */
export interface ExplanationMessage {
  key: string;
  params?: Record<string, string | number | ExplanationMessage[]>;
}

/** What one programme's "more about" button gives: the whole detail, amounts last, in one message. */
export interface ProgrammeExplanation {
  programme: string;
  outcome: Outcome;
  nameKey: string;
  detail: ExplanationMessage;
}

/**
 * The explanation a person reads: at most two messages (the summary of what may fit and why, then
 * what to know before deciding), and per programme that fits or may fit a detail given on demand.
 * `programmes` lists every explained programme, with its outcome, in the order the summary names them.
 */
export interface Explanation {
  messages: ExplanationMessage[];
  programmes: ProgrammeExplanation[];
}

const k = (name: string): string => `eligibility:explain.${name}`;

/** The line that names each programme in the summary, by outcome; its params carry `programme` and `outcome`. */
export const PROGRAMME_LINE_KEYS: Readonly<Record<Outcome, string>> = {
  eligible: k('line.fits'),
  possibly_eligible: k('line.may_fit'),
  not_eligible: k('line.does_not_fit'),
};

/** The text that opens each programme's detail, by outcome. */
export const PROGRAMME_HEADER_KEYS: Readonly<Record<Outcome, string>> = {
  eligible: k('fits'),
  possibly_eligible: k('may_fit'),
  not_eligible: k('does_not_fit'),
};

/** Missing answers are named in one message: up to three, then "and other answers". */
const MISSING_KEYS = [k('missing.n1'), k('missing.n2'), k('missing.n3'), k('missing.more')] as const;

const fieldKey = (field: string): string => `eligibility:field.${field}`;
const FIELD_KEYS = [...CASE_FIELDS.filter((field) => field !== 'household'), 'household.adults', 'household.minors', 'household.unaccompaniedMinor'].map(
  fieldKey,
);

/** Every key the explanation may use, so `flows:check` can verify each locale has it. */
export const EXPLANATION_KEYS: readonly string[] = [
  ...Object.values(PROGRAMME_HEADER_KEYS),
  ...Object.values(PROGRAMME_LINE_KEYS),
  ...MISSING_KEYS,
  ...BEFORE_DECIDING_KEYS,
  ...[
    'summary',
    'before_deciding',
    'detail',
    'more_about',
    'intro',
    'no_host_country',
    'none_here',
    'none_fit',
    'return_country_ask',
    'checked',
    'about',
    'support',
    'support_unquantified',
    'component',
    'component_no_figure',
    'component_in_kind',
    'how_to_apply',
    'other_countries',
    'next_steps',
  ].map(k),
  ...FIELD_KEYS,
  ...Object.values(RESULT_KEYS.outcome),
  RESULT_KEYS.toBeConfirmed,
  RESULT_KEYS.sampleData,
];

const rank: Readonly<Record<Outcome, number>> = { eligible: 0, possibly_eligible: 1, not_eligible: 2 };

function missingMessage(fields: readonly string[]): ExplanationMessage {
  const shown = fields.slice(0, 3);
  const key = fields.length > 3 ? MISSING_KEYS[3] : (MISSING_KEYS[shown.length - 1] ?? MISSING_KEYS[0]);
  return { key, params: Object.fromEntries(shown.map((field, index) => [`field${index + 1}`, field])) };
}

const reasonMessages = (result: ProgrammeResult): ExplanationMessage[] =>
  result.reasons.map((reason) => ({ key: reason.key, ...(Object.keys(reason.params).length > 0 ? { params: reason.params } : {}) }));

/** The programme's line in the summary: its name in plain words and whether it may fit; why not, when it does not. */
function summaryLines(programme: Programme, result: ProgrammeResult): ExplanationMessage[] {
  const line = {
    key: PROGRAMME_LINE_KEYS[result.outcome],
    params: { programme: programme.id, outcome: result.outcome, nameKey: programme.nameKey, shortKey: programme.shortKey },
  };
  return result.outcome === 'not_eligible' ? [line, ...reasonMessages(result)] : [line];
}

/** Everything about one programme, for its "more about" button: why, who runs it, what it could give (to be confirmed), how to apply. */
function detailLines(programme: Programme, result: ProgrammeResult): ExplanationMessage[] {
  const messages: ExplanationMessage[] = [
    {
      key: PROGRAMME_HEADER_KEYS[result.outcome],
      params: { programme: programme.id, outcome: result.outcome, nameKey: programme.nameKey, summaryKey: programme.summaryKey },
    },
    ...reasonMessages(result),
  ];
  // Who runs it and how fresh the facts are, before any figure.
  messages.push({ key: k('about'), params: { operator: programme.operator, checked: lastChecked(programme) } });
  const { estimate } = result;
  if (estimate) {
    if (estimate.components.length > 0) messages.push({ key: k('support'), params: { amount: estimate.upTo, currency: estimate.currency } });
    for (const component of estimate.components) {
      messages.push({ key: k('component'), params: { component: component.kind, amount: component.upTo, currency: estimate.currency } });
    }
    const unquantified = estimate.unquantified ?? [];
    if (unquantified.length > 0) messages.push({ key: k('support_unquantified') });
    for (const kind of unquantified)
      messages.push({ key: k(kind === 'reintegration_in_kind' ? 'component_in_kind' : 'component_no_figure'), params: { component: kind } });
  }
  if (result.missing.length > 0) messages.push(missingMessage(result.missing));
  messages.push({ key: k('how_to_apply'), params: { textKey: programme.howToApplyKey } });
  // Every amount comes with "a counsellor confirms this".
  messages.push({ key: RESULT_KEYS.toBeConfirmed });
  if (programme.sampleData) messages.push({ key: RESULT_KEYS.sampleData });
  return messages;
}

/** The most recent date any of the programme's sources was checked (YYYY-MM-DD sorts as text). */
function lastChecked(programme: Programme): string {
  return (
    programme.sources
      .map((source) => source.checked)
      .sort()
      .at(-1) ?? ''
  );
}

const joined = (key: string, lines: ExplanationMessage[]): ExplanationMessage => ({ key, params: { lines } });

/**
 * What the bot says about the programmes for a conversation's answers, short (issue 16): one
 * summary naming the programmes of the person's host country that may fit and why the others do
 * not, then, where something may fit, what to know before deciding (withdrawing an asylum
 * application, a protection status, free legal advice). No amount is in either: amounts, who runs a
 * programme and how to apply are in each programme's detail, which the person asks for with its
 * "more about" button (the flow's question after the explanation offers them). Pure: the same
 * answers and catalogue always give the same explanation, and `evaluate` on `caseFromAnswers` gives
 * the same outcomes.
 * @example explainEligibility(programmes, { hostCountry: 'DE', legalStatus: 'asylum_rejected', nationality: 'AF' })
 *   // { messages: [{ key: 'eligibility:explain.summary', params: { lines: [...] } }, ...], programmes: [{ programme: 'de-reag-garp', ... }] }
 */
export function explainEligibility(programmes: readonly Programme[], answers: FlowAnswers, options: { today?: string } = {}): Explanation {
  const c: Case = caseFromAnswers(answers);
  const results = evaluate(c, programmes, options.today !== undefined ? { today: options.today } : {});
  const host = c.hostCountry;
  const here = programmes
    .map((programme, index) => ({ programme, result: results[index] }))
    .flatMap(({ programme, result }) => (result && (host === undefined || programme.hostCountry === host) ? [{ programme, result }] : []))
    // By outcome; within one, help for the return itself before help found in the country of return.
    .sort(
      (a, b) =>
        rank[a.result.outcome] - rank[b.result.outcome] ||
        Number(a.programme.returnCountries !== undefined) - Number(b.programme.returnCountries !== undefined),
    );
  const elsewhere = host === undefined ? 0 : programmes.filter((programme) => programme.hostCountry !== host).length;
  const open = here.filter(({ result }) => result.outcome !== 'not_eligible');

  const summary: ExplanationMessage[] = [{ key: k('intro') }];
  if (host === undefined) summary.push({ key: k('no_host_country') });
  else if (here.length === 0) summary.push({ key: k('none_here'), params: { country: host } });
  for (const { programme, result } of here) summary.push(...summaryLines(programme, result));
  if (here.length > 0 && open.length === 0) summary.push({ key: k('none_fit') });
  // The country of return matters: where no programme that may fit serves it by name, say honestly who can find out.
  const returnTo = c.returnCountry;
  if (host !== undefined && returnTo !== undefined && isCountryCode(returnTo) && !open.some(({ programme }) => programme.returnCountries?.includes(returnTo))) {
    summary.push({ key: k('return_country_ask'), params: { country: returnTo } });
  }
  // How fresh the facts are, for every programme named: the oldest check among them.
  const checked = here.map(({ programme }) => lastChecked(programme)).sort()[0];
  if (checked) summary.push({ key: k('checked'), params: { checked } });
  if (elsewhere > 0) summary.push({ key: k('other_countries'), params: { count: elsewhere } });

  const messages = [joined(k('summary'), summary)];
  // Before any amount: what a decision could cost the person, and where free advice is.
  if (open.length > 0) messages.push(joined(k('before_deciding'), [...beforeDeciding(c), { key: k('next_steps') }]));
  else summary.push({ key: k('next_steps') });

  return {
    messages,
    programmes: here.map(({ programme, result }) => ({
      programme: programme.id,
      outcome: result.outcome,
      nameKey: programme.nameKey,
      detail: joined(k('detail'), detailLines(programme, result)),
    })),
  };
}
