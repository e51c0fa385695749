import { CASE_FIELDS, type Case } from './case.js';
import { decide, either, negate, type Decision, type DecisionContext } from './decide.js';
import { estimateAssistance, type Estimate } from './estimate.js';
import type { Programme } from './programme.js';
import { BUILTIN_REASON_KEYS as K, dedupeReasons, reason, type Reason } from './reason.js';

export type Outcome = 'eligible' | 'possibly_eligible' | 'not_eligible';

export interface ProgrammeResult {
  /** The programme's id. */
  programme: string;
  outcome: Outcome;
  reasons: Reason[];
  /** Case fields (dotted for household ones) whose answers would settle a possible eligibility. */
  missing: string[];
  estimate: Estimate | null;
}

export interface EvaluateOptions {
  /** Evaluate programmes of other host countries as if the person were there ("what if"). */
  ignoreHostCountry?: boolean;
  /** Today as YYYY-MM-DD: a departure deadline before it has passed. */
  today?: string;
}

export type { Estimate, Reason };

interface Check {
  decision: Decision;
  reason: Reason;
}

function builtinChecks(programme: Programme, c: Case, options: EvaluateOptions): Check[] {
  const checks: Check[] = [];
  if (!options.ignoreHostCountry) {
    checks.push({
      decision: decide({ field: 'hostCountry', in: [programme.hostCountry] }, c),
      reason: reason(K.hostCountry, { country: programme.hostCountry }),
    });
  }
  // Return programmes serve third-country nationals; EU/EEA/Swiss citizens move freely instead.
  // The status answer settles it only when it says so; otherwise nationality decides.
  const euCitizen: Decision = c.legalStatus === 'eu_citizen' ? { value: true, missing: [] } : decide({ field: 'nationality', inGroup: 'eu_eea_ch' }, c);
  const exception: Decision = programme.euCitizensWhen ? decide(programme.euCitizensWhen, c, options) : { value: false, missing: [] };
  // Not an EU citizen, or one the programme still helps.
  const allowed = either(negate(euCitizen), exception);
  checks.push({ decision: allowed, reason: reason(K.euCitizen) });
  if (programme.returnCountries) {
    checks.push({ decision: decide({ field: 'returnCountry', in: programme.returnCountries }, c), reason: reason(K.returnCountries) });
  }
  return checks;
}

function programmeChecks(programme: Programme, c: Case, at: DecisionContext): Check[] {
  const rules = programme.eligibility.map((rule) => ({
    decision: decide(rule.require, c, at),
    reason: reason(rule.reasonKey),
  }));
  const exclusions = programme.exclusions.map((exclusion) => {
    const excluded = decide(exclusion.when, c, at);
    const settled: Decision = exclusion.onlyWhenKnown && excluded.value === null ? { value: false, missing: [] } : excluded;
    return { decision: negate(settled), reason: reason(exclusion.reasonKey) };
  });
  return [...rules, ...exclusions];
}

const FIELD_ORDER: readonly string[] = CASE_FIELDS;

function sortFields(fields: string[]): string[] {
  const rank = (field: string): number => FIELD_ORDER.indexOf(field.split('.')[0] ?? field);
  return [...new Set(fields)].sort((a, b) => rank(a) - rank(b) || a.localeCompare(b));
}

/** Evaluates one programme for a case. */
export function evaluateProgramme(c: Case, programme: Programme, options: EvaluateOptions = {}): ProgrammeResult {
  const builtin = builtinChecks(programme, c, options);
  const at: DecisionContext = options.today !== undefined ? { today: options.today } : {};
  const own = programmeChecks(programme, c, at);
  const checks = [...builtin, ...own];
  const failed = checks.filter((check) => check.decision.value === false);
  if (failed.length > 0) {
    return {
      programme: programme.id,
      outcome: 'not_eligible',
      reasons: dedupeReasons(failed.map((check) => check.reason)),
      missing: [],
      estimate: null,
    };
  }

  const open = checks.filter((check) => check.decision.value === null);
  const notes = programme.notes.filter((note) => decide(note.when, c, at).value === true).map((note) => reason(note.reasonKey));
  const { estimate, reasons: estimateReasons } = estimateAssistance(programme, c, at);
  // Satisfied programme rules explain an eligible result; exclusions that do not apply stay silent.
  const explained = open.length > 0 ? open.map((check) => check.reason) : programme.eligibility.map((rule) => reason(rule.reasonKey));
  return {
    programme: programme.id,
    outcome: open.length > 0 ? 'possibly_eligible' : 'eligible',
    reasons: dedupeReasons([...explained, ...notes, ...estimateReasons]),
    missing: sortFields(open.flatMap((check) => check.decision.missing)),
    estimate,
  };
}

/**
 * Evaluates every programme for a case, in catalogue order. Pure and deterministic: the same case
 * and catalogue always give the same result.
 * @example evaluate({ hostCountry: 'DE', nationality: 'FR' }, programmes)
 *   // [{ programme: 'de-reag-garp', outcome: 'not_eligible',
 *   //    reasons: [{ key: 'eligibility:reason.eu_citizen', params: {} }], missing: [], estimate: null }, ...]
 */
export function evaluate(c: Case, programmes: readonly Programme[], options: EvaluateOptions = {}): ProgrammeResult[] {
  return programmes.map((programme) => evaluateProgramme(c, programme, options));
}
