import { describe, expect, it } from 'vitest';
import { CaseSchema, type Case } from '../../src/eligibility/case.js';
import { caseFromAnswers, type FlowAnswers } from '../../src/eligibility/from-answers.js';

const rows: { name: string; answers: FlowAnswers; expected: Case }[] = [
  { name: 'nothing asked yet', answers: {}, expected: {} },
  {
    name: 'an adult family, answers named like the case',
    answers: {
      hostCountry: 'DE',
      hostCity: ' Berlin ',
      nationality: 'AF',
      returnCountry: 'AF',
      ageBand: '18-59',
      legalStatus: 'asylum_rejected',
      hasDepartureDeadline: 'yes',
      departureDeadline: '2027-01-15',
      householdAdults: 2,
      householdMinors: 2,
      minorAges: '4, 9',
      vulnerabilities: ['medical_needs'],
      priorReturnAssistance: 'no',
      detained: 'no',
      wishes: ['business', 'travel'],
    },
    expected: {
      hostCountry: 'DE',
      hostCity: 'Berlin',
      nationality: 'AF',
      returnCountry: 'AF',
      ageBand: '18-59',
      legalStatus: 'asylum_rejected',
      departureDeadline: '2027-01-15',
      household: { adults: 2, minors: 2, minorAges: [4, 9] },
      vulnerabilities: ['family_with_children', 'medical_needs'],
      priorReturnAssistance: 'no',
      detained: 'no',
      wishes: ['travel', 'business'],
    },
  },
  {
    name: '"unknown" and "prefer not to say" stay answers where the case has them, and are left out where it has not',
    answers: {
      hostCountry: 'unknown',
      hostCity: 'prefer_not_to_say',
      nationality: 'prefer_not_to_say',
      returnCountry: 'unknown',
      ageBand: 'prefer_not_to_say',
      legalStatus: 'unknown',
      asylumWithdrawn: 'prefer_not_to_say',
      hasDepartureDeadline: 'prefer_not_to_say',
      householdAdults: 'prefer_not_to_say',
      householdMinors: 'prefer_not_to_say',
      vulnerabilities: 'prefer_not_to_say',
      priorReturnAssistance: 'unknown',
      detained: 'prefer_not_to_say',
      wishes: 'unknown',
    },
    expected: {
      nationality: 'prefer_not_to_say',
      returnCountry: 'unknown',
      ageBand: 'prefer_not_to_say',
      legalStatus: 'unknown',
      asylumWithdrawn: 'prefer_not_to_say',
      departureDeadline: 'unknown',
      vulnerabilities: ['prefer_not_to_say'],
      priorReturnAssistance: 'unknown',
      detained: 'prefer_not_to_say',
    },
  },
  { name: 'no departure deadline', answers: { hasDepartureDeadline: 'no' }, expected: { departureDeadline: null } },
  {
    name: 'a deadline whose date is not known',
    answers: { hasDepartureDeadline: 'yes', departureDeadline: 'unknown' },
    expected: { departureDeadline: 'unknown' },
  },
  {
    name: 'a child alone: no adult travels, and the vulnerabilities say so',
    answers: { ageBand: '16-17', unaccompaniedMinor: 'yes', householdAdults: 0, householdMinors: 1, vulnerabilities: ['none'] },
    expected: {
      ageBand: '16-17',
      household: { adults: 0, minors: 1, minorAges: [16], unaccompaniedMinor: true },
      vulnerabilities: ['minor', 'unaccompanied_minor'],
    },
  },
  {
    name: 'a child with family counts themselves among the children',
    answers: { ageBand: '0-15', unaccompaniedMinor: 'no', householdAdults: 1, householdMinors: 3, vulnerabilities: ['survivor_of_violence'] },
    expected: { ageBand: '0-15', household: { adults: 1, minors: 3, unaccompaniedMinor: false }, vulnerabilities: ['minor', 'survivor_of_violence'] },
  },
  {
    name: 'an adult who says "alone" by mistake is not taken for an unaccompanied child',
    answers: { ageBand: '18-59', unaccompaniedMinor: 'yes', householdAdults: 1 },
    expected: { ageBand: '18-59', household: { adults: 1 } },
  },
  { name: 'older people count as such', answers: { ageBand: '60+', vulnerabilities: [] }, expected: { ageBand: '60+', vulnerabilities: ['elderly'] } },
  {
    name: 'ages typed with Arabic-Indic digits',
    answers: { householdAdults: 1, householdMinors: 2, minorAges: '٤ و ١١' },
    expected: { household: { adults: 1, minors: 2, minorAges: [4, 11] } },
  },
  {
    name: 'ages that do not match the number of children are left out',
    answers: { householdAdults: 1, householdMinors: 3, minorAges: '4, 9' },
    expected: { household: { adults: 1, minors: 3 } },
  },
  {
    name: 'an adult age among the children is left out',
    answers: { householdAdults: 1, householdMinors: 1, minorAges: '19' },
    expected: { household: { adults: 1, minors: 1 } },
  },
  { name: 'nobody travelling is no household', answers: { householdAdults: 0, householdMinors: 0 }, expected: {} },
  { name: 'a stateless person', answers: { nationality: 'stateless' }, expected: { nationality: 'stateless' } },
  {
    name: 'values the case does not know are left out',
    answers: {
      hostCountry: 'EU',
      nationality: 'Atlantis',
      ageBand: 'under-16',
      legalStatus: 'tourist',
      detained: true,
      wishes: ['travel', 'money'],
      vulnerabilities: ['none', 'dragons'],
    },
    expected: { wishes: ['travel'], vulnerabilities: [] },
  },
];

describe('caseFromAnswers', () => {
  it.each(rows)('$name', ({ answers, expected }) => {
    const c = caseFromAnswers(answers);
    expect(c).toEqual(expected);
    expect(CaseSchema.safeParse(c).success).toBe(true);
  });

  it('ignores answers that are not about the case (consent, language, audience)', () => {
    expect(caseFromAnswers({ consent: 'yes', language: 'ar', audience: 'child', wantsCounsellor: 'yes', safetyConcern: 'no' })).toEqual({});
  });

  it('leaves vulnerabilities out until the question is answered, even when other answers imply some', () => {
    expect(caseFromAnswers({ ageBand: '16-17', householdAdults: 1, householdMinors: 2 })).toEqual({ ageBand: '16-17', household: { adults: 1, minors: 2 } });
  });
});
