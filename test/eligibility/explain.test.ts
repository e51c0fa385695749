import { describe, expect, it } from 'vitest';
import { loadCatalogue } from '../../src/eligibility/catalogue.js';
import { evaluate } from '../../src/eligibility/evaluate.js';
import { EXPLANATION_KEYS, explainEligibility, PROGRAMME_HEADER_KEYS, type ExplanationMessage } from '../../src/eligibility/explain.js';
import { caseFromAnswers, type FlowAnswers } from '../../src/eligibility/from-answers.js';

const { programmes } = loadCatalogue('flows/programmes');
const keys = (messages: ExplanationMessage[]) => messages.map((message) => message.key.replace('eligibility:', ''));
const headers = (messages: ExplanationMessage[]) =>
  messages
    .filter((message) => (Object.values(PROGRAMME_HEADER_KEYS) as string[]).includes(message.key))
    .map((message) => [message.params?.programme, message.params?.outcome]);

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
  it('names the programmes of the host country that fit, with the household estimate, how to apply and what happens next', () => {
    const messages = explainEligibility(programmes, rejectedAfghanInGermany);
    expect(headers(messages)).toEqual([
      ['de-reag-garp', 'eligible'],
      ['de-starthilfeplus', 'eligible'],
    ]);
    expect(keys(messages)).toEqual([
      'explain.intro',
      'explain.fits',
      'reason.status_reag_garp',
      'explain.about',
      'explain.support',
      'explain.component',
      'explain.component',
      'explain.how_to_apply',
      'explain.fits',
      'reason.status_asylum_pending_or_rejected',
      'reason.nationality_list',
      'reason.within_departure_deadline',
      // StarthilfePlus has no current figure we can cite: the support is named, a counsellor says how much.
      'explain.about',
      'explain.support_unquantified',
      'explain.component_no_figure',
      'explain.how_to_apply',
      'explain.other_countries',
      'estimate.to_be_confirmed',
      'estimate.sample_data',
      'explain.next_steps',
    ]);
    expect(messages.find((message) => message.key === 'eligibility:explain.support')?.params).toEqual({ amount: 1200, currency: 'EUR' });
    expect(messages.find((message) => message.key === 'eligibility:explain.about')?.params).toEqual({
      operator: 'Bundesamt für Migration und Flüchtlinge (BAMF)',
      checked: '2026-12-02',
    });
    expect(
      messages.some(
        (message) => message.key === 'eligibility:explain.component' && message.params?.component === 'reintegration_cash' && message.params.amount === 1000,
      ),
    ).toBe(true);
    expect(messages.find((message) => message.key === 'eligibility:explain.other_countries')?.params).toEqual({ count: 4 });
  });

  it('says why the programmes of the host country do not fit, and that a counsellor may know other help', () => {
    const messages = explainEligibility(programmes, { ...rejectedAfghanInGermany, detained: 'yes', legalStatus: 'eu_citizen' });
    expect(headers(messages)).toEqual([
      ['de-reag-garp', 'not_eligible'],
      ['de-starthilfeplus', 'not_eligible'],
    ]);
    expect(keys(messages)).toContain('reason.detained');
    expect(keys(messages)).toContain('reason.eu_citizen');
    expect(keys(messages)).toContain('explain.none_fit');
    expect(keys(messages)).not.toContain('explain.support');
  });

  it('names what is missing, three at most', () => {
    const messages = explainEligibility(programmes, { hostCountry: 'BE' });
    const missing = messages.find((message) => message.key.startsWith('eligibility:explain.missing.'));
    expect(missing).toEqual({
      key: 'eligibility:explain.missing.more',
      params: { field1: 'nationality', field2: 'legalStatus', field3: 'priorReturnAssistance' },
    });
  });

  it('lists every programme as possible when the host country is not known', () => {
    const messages = explainEligibility(programmes, { hostCountry: 'prefer_not_to_say', nationality: 'AF', legalStatus: 'asylum_rejected' });
    expect(keys(messages).slice(0, 2)).toEqual(['explain.intro', 'explain.no_host_country']);
    expect(headers(messages)).toHaveLength(programmes.length);
    expect(keys(messages)).not.toContain('explain.other_countries');
  });

  it('says so when no programme is known for the host country', () => {
    const messages = explainEligibility(programmes, { hostCountry: 'IT' });
    expect(messages[1]).toEqual({ key: 'eligibility:explain.none_here', params: { country: 'IT' } });
    expect(headers(messages)).toEqual([]);
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
    expect(headers(explainEligibility(programmes, answers)).sort()).toEqual(expected.sort());
  });

  it('uses only keys it declares', () => {
    const declared = new Set([...EXPLANATION_KEYS]);
    for (const answers of [rejectedAfghanInGermany, { hostCountry: 'BE' }, { hostCountry: 'IT' }, { hostCountry: 'unknown' }]) {
      for (const message of explainEligibility(programmes, answers)) {
        if (message.key.startsWith('eligibility:explain.')) expect(declared.has(message.key), message.key).toBe(true);
      }
    }
  });
});
