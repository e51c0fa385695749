import { describe, expect, it } from 'vitest';
import { loadCatalogue } from '../../src/eligibility/catalogue.js';
import { evaluate } from '../../src/eligibility/evaluate.js';
import { BEFORE_DECIDING } from '../../src/eligibility/before-deciding.js';
import { EXPLANATION_KEYS, explainEligibility, PROGRAMME_LINE_KEYS, type Explanation, type ExplanationMessage } from '../../src/eligibility/explain.js';
import { caseFromAnswers, type FlowAnswers } from '../../src/eligibility/from-answers.js';

const { programmes } = loadCatalogue('flows/programmes');
const short = (key: string) => key.replace('eligibility:', '');
const linesOf = (message: ExplanationMessage | undefined): ExplanationMessage[] =>
  Array.isArray(message?.params?.lines) ? (message.params.lines as ExplanationMessage[]) : [];
/** Every text the person reads, message by message, as keys. */
const keys = (explanation: Explanation) => explanation.messages.map((message) => [short(message.key), ...linesOf(message).map((line) => short(line.key))]);
const named = (explanation: Explanation) =>
  linesOf(explanation.messages[0])
    .filter((line) => (Object.values(PROGRAMME_LINE_KEYS) as string[]).includes(line.key))
    .map((line) => [line.params?.programme, line.params?.outcome]);
const detailOf = (explanation: Explanation, programme: string) => linesOf(explanation.programmes.find((item) => item.programme === programme)?.detail);

const rejectedAfghanInGermany: FlowAnswers = {
  hostCountry: 'DE',
  nationality: 'AF',
  returnCountry: 'AF',
  ageBand: '18-59',
  legalStatus: 'asylum_rejected',
  hasDepartureDeadline: 'no',
  householdAdults: 1,
  householdMinors: 0,
  vulnerabilities: ['none'],
  priorReturnAssistance: 'no',
  detained: 'no',
  wishes: ['travel'],
};

describe('explainEligibility', () => {
  it('is short: a summary naming what may fit, then what to know before deciding; no amount in either (issue 16)', () => {
    const explanation = explainEligibility(programmes, rejectedAfghanInGermany);
    expect(named(explanation)).toEqual([
      ['de-reag-garp', 'eligible'],
      ['de-starthilfeplus', 'eligible'],
      // Its partner countries include Afghanistan: the help the person would find there.
      ['de-perspektive-heimat', 'eligible'],
    ]);
    expect(keys(explanation)).toEqual([
      ['explain.summary', 'explain.intro', 'explain.line.fits', 'explain.line.fits', 'explain.line.fits', 'explain.checked', 'explain.other_countries'],
      ['explain.before_deciding', 'before.free_advice', 'before.free_advice_where.DE', 'explain.next_steps'],
    ]);
    const everything = JSON.stringify(explanation.messages);
    expect(everything).not.toMatch(/amount|explain\.support|explain\.component/);
    expect(linesOf(explanation.messages[0]).find((line) => line.key === 'eligibility:explain.other_countries')?.params).toEqual({ count: 4 });
    // Every programme named is as fresh as its oldest check says (REAG/GARP and StarthilfePlus: 2026-12-02).
    expect(linesOf(explanation.messages[0]).find((line) => line.key === 'eligibility:explain.checked')?.params).toEqual({ checked: '2026-12-02' });
  });

  it('gives each programme that may fit a detail: why, who runs it and when checked, the household estimate, how to apply, then "a counsellor confirms"', () => {
    const explanation = explainEligibility(programmes, rejectedAfghanInGermany);
    const detail = detailOf(explanation, 'de-reag-garp');
    expect(detail.map((line) => short(line.key))).toEqual([
      'explain.fits',
      'reason.status_reag_garp',
      'explain.about',
      'explain.support',
      'explain.component',
      'explain.component',
      'explain.how_to_apply',
      'estimate.to_be_confirmed',
    ]);
    expect(detail.find((line) => line.key === 'eligibility:explain.support')?.params).toEqual({ amount: 1200, currency: 'EUR' });
    expect(detail.find((line) => line.key === 'eligibility:explain.about')?.params).toEqual({
      operator: 'Bundesamt für Migration und Flüchtlinge (BAMF)',
      checked: '2026-12-02',
    });
    expect(
      detail.some((line) => line.key === 'eligibility:explain.component' && line.params?.component === 'reintegration_cash' && line.params.amount === 1000),
    ).toBe(true);
    // StarthilfePlus has no current figure we can cite: the support is named, a counsellor says how much, and it is marked as sample data.
    expect(detailOf(explanation, 'de-starthilfeplus').map((line) => short(line.key))).toEqual([
      'explain.fits',
      'reason.status_asylum_pending_or_rejected',
      'reason.nationality_list',
      'reason.within_departure_deadline',
      'explain.about',
      'explain.support_unquantified',
      'explain.component_no_figure',
      'explain.how_to_apply',
      'estimate.to_be_confirmed',
      'estimate.sample_data',
    ]);
  });

  it('says, before any amount, what withdrawing an asylum application means, and that a protection status may end (EUAA; Refugee Convention art. 1C)', () => {
    const pending = explainEligibility(programmes, { ...rejectedAfghanInGermany, legalStatus: 'asylum_pending', asylumWithdrawn: 'no' });
    expect(keys(pending)[1]).toEqual([
      'explain.before_deciding',
      'before.withdraw_asylum',
      'before.free_advice',
      'before.free_advice_where.DE',
      'explain.next_steps',
    ]);
    const refugee = explainEligibility(programmes, { ...rejectedAfghanInGermany, legalStatus: 'refugee_status' });
    expect(keys(refugee)[1]).toContain('before.protection_may_end');
    expect(keys(refugee)[1]).not.toContain('before.withdraw_asylum');
    const france = explainEligibility(programmes, { ...rejectedAfghanInGermany, hostCountry: 'FR', legalStatus: 'irregular' });
    expect(keys(france)[1]).toContain('before.free_advice_where.other');
  });

  it('cites a checked source for every "before you decide" statement that states a fact or names an organisation', () => {
    const generic = new Set(['freeAdvice', 'freeAdviceElsewhere']);
    for (const [name, statement] of Object.entries(BEFORE_DECIDING)) {
      if (generic.has(name)) continue;
      expect(statement.sources.length, name).toBeGreaterThan(0);
      for (const source of statement.sources) expect(source.checked, `${name}: ${source.url}`).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    }
  });

  it('says why the programmes of the host country do not fit, and that a counsellor may know other help, in one message', () => {
    const explanation = explainEligibility(programmes, { ...rejectedAfghanInGermany, detained: 'yes', legalStatus: 'eu_citizen' });
    expect(named(explanation)).toEqual([
      ['de-reag-garp', 'not_eligible'],
      ['de-starthilfeplus', 'not_eligible'],
      ['de-perspektive-heimat', 'not_eligible'],
    ]);
    expect(explanation.messages).toHaveLength(1);
    const [summary] = keys(explanation);
    expect(summary).toContain('reason.detained');
    expect(summary).toContain('reason.eu_citizen');
    expect(summary?.slice(-5)).toEqual(['explain.none_fit', 'explain.return_country_ask', 'explain.checked', 'explain.other_countries', 'explain.next_steps']);
  });

  it('says honestly that a counsellor can find out what help exists in a country of return no programme serves by name', () => {
    const syria = explainEligibility(programmes, { ...rejectedAfghanInGermany, nationality: 'SY', returnCountry: 'SY' });
    expect(linesOf(syria.messages[0])).toContainEqual({ key: 'eligibility:explain.return_country_ask', params: { country: 'SY' } });
    expect(syria.programmes.find((item) => item.programme === 'de-perspektive-heimat')?.outcome).toBe('not_eligible');
    // Afghanistan is a partner country of Perspektive Heimat: it is named instead.
    expect(keys(explainEligibility(programmes, rejectedAfghanInGermany))[0]).not.toContain('explain.return_country_ask');
    // Not knowing the country of return leaves the programme open, and asks nothing extra.
    const unsure = explainEligibility(programmes, { ...rejectedAfghanInGermany, returnCountry: 'unknown' });
    expect(unsure.programmes.find((item) => item.programme === 'de-perspektive-heimat')?.outcome).toBe('possibly_eligible');
    expect(keys(unsure)[0]).not.toContain('explain.return_country_ask');
  });

  it('names what is missing, three at most, in the detail', () => {
    const explanation = explainEligibility(programmes, { hostCountry: 'BE' });
    const missing = detailOf(explanation, 'be-voluntary-return').find((line) => line.key.startsWith('eligibility:explain.missing.'));
    expect(missing).toEqual({
      key: 'eligibility:explain.missing.more',
      params: { field1: 'nationality', field2: 'legalStatus', field3: 'priorReturnAssistance' },
    });
  });

  it('lists every programme as possible when the host country is not known', () => {
    const explanation = explainEligibility(programmes, { hostCountry: 'prefer_not_to_say', nationality: 'AF', legalStatus: 'asylum_rejected' });
    expect(keys(explanation)[0]?.slice(0, 3)).toEqual(['explain.summary', 'explain.intro', 'explain.no_host_country']);
    expect(named(explanation)).toHaveLength(programmes.length);
    expect(keys(explanation)[0]).not.toContain('explain.other_countries');
  });

  it('says so when no programme is known for the host country', () => {
    const explanation = explainEligibility(programmes, { hostCountry: 'IT' });
    expect(linesOf(explanation.messages[0])[1]).toEqual({ key: 'eligibility:explain.none_here', params: { country: 'IT' } });
    expect(explanation.programmes).toEqual([]);
  });

  it.each<FlowAnswers>([
    rejectedAfghanInGermany,
    { hostCountry: 'NL', legalStatus: 'unknown', nationality: 'AL', priorReturnAssistance: 'yes' },
    { hostCountry: 'FR', legalStatus: 'irregular', ageBand: '16-17', unaccompaniedMinor: 'yes', householdAdults: 0, householdMinors: 1 },
    { hostCountry: 'AT', legalStatus: 'asylum_pending', nationality: 'IQ', detained: 'unknown' },
  ])("gives the evaluator's outcomes for the host country (%#)", (answers) => {
    const c = caseFromAnswers(answers);
    const expected = evaluate(c, programmes)
      .filter((result) => programmes.find((programme) => programme.id === result.programme)?.hostCountry === c.hostCountry)
      .map((result) => [result.programme, result.outcome]);
    const explanation = explainEligibility(programmes, answers);
    expect(named(explanation).sort()).toEqual(expected.sort());
    expect(explanation.programmes.map((item) => [item.programme, item.outcome]).sort()).toEqual(expected.sort());
  });

  it('uses only keys it declares', () => {
    const declared = new Set([...EXPLANATION_KEYS]);
    for (const answers of [
      rejectedAfghanInGermany,
      { hostCountry: 'BE' },
      { hostCountry: 'IT' },
      { hostCountry: 'unknown' },
      { hostCountry: 'NL', legalStatus: 'refugee_status' },
    ]) {
      const explanation = explainEligibility(programmes, answers);
      const all = [...explanation.messages, ...explanation.programmes.map((item) => item.detail)].flatMap((message) => [message, ...linesOf(message)]);
      for (const message of all) {
        if (/^eligibility:(explain|before)\./.test(message.key)) expect(declared.has(message.key), message.key).toBe(true);
      }
    }
  });
});
