import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { main } from '../../src/eligibility/cli.js';
import { captureCli } from '../support/cli.js';

const dir = mkdtempSync(join(tmpdir(), 'eligibility-cli-'));
const file = (name: string, content: string): string => {
  const path = join(dir, name);
  writeFileSync(path, content);
  return path;
};
const run = (...args: string[]) => captureCli((io) => main(args, io));

const goodCase = {
  hostCountry: 'DE',
  nationality: 'AF',
  returnCountry: 'AF',
  ageBand: '18-59',
  legalStatus: 'asylum_pending',
  household: { adults: 2, minors: 2, minorAges: [4, 9], unaccompaniedMinor: false },
  vulnerabilities: [],
  priorReturnAssistance: 'no',
  detained: 'no',
};

describe('eligibility CLI', () => {
  it('prints the outcome of every programme as JSON', () => {
    const { code, stdout, stderr } = run(file('good.json', JSON.stringify(goodCase)));
    expect(stderr).toBe('');
    expect(code).toBe(0);
    const results = JSON.parse(stdout) as { programme: string; outcome: string; estimate: { upTo: number } | null }[];
    expect(results.length).toBeGreaterThanOrEqual(6);
    // Two adults and two children: 600 EUR travel allowance and 3,000 EUR start-up help (under the 3,500 family cap).
    const reag = results.find((x) => x.programme === 'de-reag-garp');
    expect(reag).toMatchObject({ outcome: 'eligible', estimate: { upTo: 3600, toBeConfirmed: true } });
    const shp = results.find((x) => x.programme === 'de-starthilfeplus');
    expect(shp).toMatchObject({ outcome: 'eligible', estimate: { unquantified: ['reintegration_cash'], toBeConfirmed: true } });
    expect(Object.keys(results[0] ?? {})).toEqual(['programme', 'outcome', 'reasons', 'missing', 'estimate']);
  });

  it('names the field of an invalid case and exits 1', () => {
    const { code, stdout, stderr } = run(file('bad-field.json', '{"household": {"adults": "two"}}'));
    expect(code).toBe(1);
    expect(stdout).toBe('');
    expect(stderr).toMatch(/household\.adults: expected a whole number/);
  });

  it('reports bad JSON and exits 1', () => {
    const { code, stdout, stderr } = run(file('bad.json', '{"hostCountry": "DE",'));
    expect(code).toBe(1);
    expect(stdout).toBe('');
    expect(stderr).toMatch(/bad\.json: not valid JSON/);
  });

  it('exits 2 for a missing file or no argument', () => {
    expect(run(join(dir, 'none.json'))).toMatchObject({ code: 2, stdout: '' });
    expect(run().stderr).toMatch(/usage/);
  });
});
