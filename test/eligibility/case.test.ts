import { describe, expect, it } from 'vitest';
import { parseCase } from '../../src/eligibility/case.js';

const contractExample = {
  hostCountry: 'DE',
  hostCity: 'Berlin',
  nationality: 'AF',
  returnCountry: 'AF',
  ageBand: '18-59',
  legalStatus: 'asylum_rejected',
  asylumWithdrawn: 'unknown',
  departureDeadline: null,
  household: { adults: 2, minors: 2, minorAges: [4, 9], unaccompaniedMinor: false },
  vulnerabilities: ['pregnant'],
  priorReturnAssistance: 'no',
  detained: 'no',
  wishes: ['travel', 'business'],
};

describe('parseCase', () => {
  it('accepts the public contract example unchanged', () => {
    expect(parseCase(contractExample)).toEqual({ status: 'success', case: contractExample });
  });

  it('accepts an empty case (nothing asked yet) and "unknown"/"prefer_not_to_say" answers', () => {
    expect(parseCase({}).status).toBe('success');
    expect(
      parseCase({
        nationality: 'unknown',
        legalStatus: 'prefer_not_to_say',
        detained: 'prefer_not_to_say',
        vulnerabilities: ['prefer_not_to_say'],
        departureDeadline: 'unknown',
        returnCountry: 'unknown',
      }).status,
    ).toBe('success');
  });

  it.each([
    [{ household: { adults: 'two' } }, 'household.adults', 'expected a whole number'],
    [{ nationality: 'XX' }, 'nationality', 'ISO 3166-1'],
    [{ hostCountry: 'de' }, 'hostCountry', 'ISO 3166-1'],
    [{ hostCountry: 'EU' }, 'hostCountry', 'ISO 3166-1'],
    [{ legalStatus: 'refugee' }, 'legalStatus', 'refugee_status'],
    [{ departureDeadline: '2026-02-30' }, 'departureDeadline', 'YYYY-MM-DD'],
    [{ household: { adults: 1, minors: 2, minorAges: [3] } }, 'household.minorAges', 'one for each minor'],
    [{ household: { adults: 0, minors: 0 } }, 'household.adults', 'at least one person'],
    [{ household: { adults: 1, minors: 1, unaccompaniedMinor: true } }, 'household.unaccompaniedMinor', 'no adult'],
    [{ wishes: ['travel', 'travel'] }, 'wishes', 'only once'],
    [{ vulnerabilities: ['sad'] }, 'vulnerabilities.0', 'Invalid option'],
    [{ legalstatus: 'irregular' }, 'legalstatus', 'unknown field'],
  ])('rejects %j naming %s', (input, path, message) => {
    const result = parseCase(input);
    expect(result.status).toBe('fail');
    if (result.status !== 'fail') return;
    expect(result.issues[0]?.path).toBe(path);
    expect(result.issues[0]?.message).toContain(message);
  });

  it('rejects a value that is not an object', () => {
    expect(parseCase([1, 2])).toMatchObject({ status: 'fail', issues: [{ path: '' }] });
  });
});
