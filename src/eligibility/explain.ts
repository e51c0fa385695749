import { CASE_FIELDS, type Case } from './case.js';
import { evaluate, type Outcome, type ProgrammeResult } from './evaluate.js';
import { caseFromAnswers, type FlowAnswers } from './from-answers.js';
import { RESULT_KEYS } from './keys.js';
import type { Programme } from './programme.js';

/** One message of the explanation: an i18n key and language-neutral parameters (ids, codes, amounts). */
export interface ExplanationMessage {
  key: string;
  params?: Record<string, string | number>;
}

const k = (name: string): string => `eligibility:explain.${name}`;

/** The message that opens each programme's part, by outcome; its params carry `programme` and `outcome`. */
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
  ...MISSING_KEYS,
  ...[
    'intro',
    'no_host_country',
    'none_here',
    'none_fit',
    'about',
    'support',
    'support_unquantified',
    'component',
    'component_no_figure',
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

function programmePart(programme: Programme, result: ProgrammeResult): ExplanationMessage[] {
  const messages: ExplanationMessage[] = [
    {
      key: PROGRAMME_HEADER_KEYS[result.outcome],
      params: { programme: programme.id, outcome: result.outcome, nameKey: programme.nameKey, summaryKey: programme.summaryKey },
    },
    ...result.reasons.map((reason) => ({ key: reason.key, ...(Object.keys(reason.params).length > 0 ? { params: reason.params } : {}) })),
  ];
  if (result.outcome === 'not_eligible') return messages;
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
    for (const kind of unquantified) messages.push({ key: k('component_no_figure'), params: { component: kind } });
  }
  if (result.missing.length > 0) messages.push(missingMessage(result.missing));
  messages.push({ key: k('how_to_apply'), params: { textKey: programme.howToApplyKey } });
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

/**
 * What the bot says about the programmes for a conversation's answers: which fit (and what support
 * they could give this household, "up to" and to be confirmed), why the others of the person's host
 * country do not, what is missing, and what happens next. Pure: the same answers and catalogue always
 * give the same messages, and `evaluate` on `caseFromAnswers` gives the same outcomes.
 * @example explainEligibility(programmes, { hostCountry: 'DE', legalStatus: 'asylum_rejected', nationality: 'AF' })
 *   // [{ key: 'eligibility:explain.intro' }, { key: 'eligibility:explain.fits', params: { programme: 'de-reag-garp', ... } }, ...]
 */
export function explainEligibility(programmes: readonly Programme[], answers: FlowAnswers, options: { today?: string } = {}): ExplanationMessage[] {
  const c: Case = caseFromAnswers(answers);
  const results = evaluate(c, programmes, options.today !== undefined ? { today: options.today } : {});
  const host = c.hostCountry;
  const here = programmes
    .map((programme, index) => ({ programme, result: results[index] }))
    .flatMap(({ programme, result }) => (result && (host === undefined || programme.hostCountry === host) ? [{ programme, result }] : []))
    .sort((a, b) => rank[a.result.outcome] - rank[b.result.outcome]);
  const elsewhere = host === undefined ? 0 : programmes.filter((programme) => programme.hostCountry !== host).length;

  const messages: ExplanationMessage[] = [{ key: k('intro') }];
  if (host === undefined) messages.push({ key: k('no_host_country') });
  else if (here.length === 0) messages.push({ key: k('none_here'), params: { country: host } });
  for (const { programme, result } of here) messages.push(...programmePart(programme, result));
  if (here.length > 0 && here.every(({ result }) => result.outcome === 'not_eligible')) messages.push({ key: k('none_fit') });
  if (elsewhere > 0) messages.push({ key: k('other_countries'), params: { count: elsewhere } });
  messages.push({ key: RESULT_KEYS.toBeConfirmed });
  if (here.some(({ programme }) => programme.sampleData)) messages.push({ key: RESULT_KEYS.sampleData });
  messages.push({ key: k('next_steps') });
  return messages;
}
