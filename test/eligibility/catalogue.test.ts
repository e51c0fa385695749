import { describe, expect, it } from 'vitest';
import { loadCatalogue, parseProgrammeFile } from '../../src/eligibility/catalogue.js';

describe('loadCatalogue', () => {
  it('loads the shipped catalogue: at least 6 programmes over at least 3 host countries', () => {
    const { programmes, errors } = loadCatalogue('flows/programmes');
    expect(errors).toEqual([]);
    expect(programmes.length).toBeGreaterThanOrEqual(6);
    expect(new Set(programmes.map((p) => p.hostCountry)).size).toBeGreaterThanOrEqual(3);
  });

  it('shows a figure only where every source is verified (REAG/GARP 2.0 and France checked on 2026-12-02)', () => {
    const { programmes } = loadCatalogue('flows/programmes');
    const withFigures = programmes.filter((p) => p.assistance.some((c) => c.amount !== undefined)).map((p) => p.id);
    expect(withFigures.sort()).toEqual(['de-reag-garp', 'fr-return-aid']);
    for (const id of withFigures) {
      const programme = programmes.find((p) => p.id === id);
      expect(
        programme?.sources.every((s) => s.verified),
        id,
      ).toBe(true);
      expect(programme?.sampleData, id).toBe(false);
    }
  });

  it('marks every source without a checked figure as unverified with a note', () => {
    const { programmes } = loadCatalogue('flows/programmes');
    const sources = programmes.flatMap((p) => p.sources);
    expect(sources.every((s) => s.note !== undefined)).toBe(true);
    const unverified = programmes.filter((p) => p.sources.every((s) => !s.verified)).map((p) => p.id);
    expect(unverified.sort()).toEqual(['at-return-assistance', 'be-voluntary-return', 'nl-return-support']);
  });

  const fixtures = loadCatalogue('test/fixtures/programmes');
  const errorsOf = (file: string) => fixtures.errors.filter((e) => e.file === file);

  it('keeps the valid fixture and ignores files that are not YAML', () => {
    expect(fixtures.programmes.map((p) => p.id)).toEqual(['fixture-valid']);
    expect(fixtures.errors.some((e) => e.file === 'README.txt')).toBe(false);
  });

  it('reports a wrong value with its file and path', () => {
    expect(errorsOf('c-broken-amount.yaml').map((e) => e.path)).toEqual(['eligibility.0.require.in.1', 'assistance.1.amount']);
    expect(errorsOf('c-broken-amount.yaml')[0]?.message).toContain('asylum_refused');
  });

  it('reports a YAML syntax error with its line', () => {
    const [first] = errorsOf('d-bad-yaml.yaml');
    expect(first?.path).toBe('');
    expect(first?.message).toMatch(/line \d+/);
  });

  it('reports unknown keys and invalid country codes', () => {
    expect(errorsOf('e-unknown-key.yaml')).toEqual([
      expect.objectContaining({ path: 'hostCountry' }),
      { file: 'e-unknown-key.yaml', path: 'assistance.0.perPerson', message: 'unknown field' },
    ]);
  });

  it('reports a duplicate id on the later file', () => {
    expect(errorsOf('b-duplicate-id.yaml')).toEqual([
      { file: 'b-duplicate-id.yaml', path: 'id', message: 'id "fixture-valid" is already used by a-valid.yaml' },
    ]);
  });

  it('reports a missing folder instead of throwing', () => {
    const result = loadCatalogue('test/fixtures/no-such-folder');
    expect(result.programmes).toEqual([]);
    expect(result.errors).toHaveLength(1);
  });
});

describe('programme schema', () => {
  const header = `id: p
nameKey: eligibility:programme.p.name
summaryKey: eligibility:programme.p.summary
shortKey: eligibility:programme.p.short
howToApplyKey: eligibility:programme.p.how_to_apply
hostCountry: DE
operator: O
sampleData: true
stages: [any]
sources: [{ title: T, url: "https://example.org/", checked: 2026-01-01, verified: true }]
`;
  const pathsOf = (yaml: string) => parseProgrammeFile('p.yaml', header + yaml).errors.map((e) => e.path);

  it.each([
    [
      'mixed currencies',
      'assistance: [{ kind: travel, amount: 1, currency: EUR, per: person }, { kind: medical, amount: 1, currency: USD, per: person }]',
      ['assistance'],
    ],
    ['unknown currency', 'assistance: [{ kind: travel, amount: 1, currency: EURO, per: person }]', ['assistance.0.currency']],
    [
      'reduction on a household amount',
      'assistance: [{ kind: housing, amount: 1, currency: EUR, per: household, reductions: [{ ageUnder: 12, factor: 0.5 }] }]',
      ['assistance.0.reductions'],
    ],
    [
      'operator not allowed for the field',
      'assistance: [{ kind: travel, amount: 1, currency: EUR, per: person, onlyFor: { field: ageBand, includesAny: ["0-15"] } }]',
      ['assistance.0.onlyFor'],
    ],
    [
      'two shapes in one condition',
      'eligibility: [{ require: { field: detained, in: ["no"], all: [{ field: detained, in: ["no"] }] }, reasonKey: eligibility:reason.x }]\nassistance: [{ kind: travel, amount: 1, currency: EUR, per: person }]',
      ['eligibility.0.require'],
    ],
    [
      'unknown group',
      'exclusions: [{ when: { field: nationality, inGroup: schengen }, reasonKey: eligibility:reason.x }]\nassistance: [{ kind: travel, amount: 1, currency: EUR, per: person }]',
      ['exclusions.0.when.inGroup'],
    ],
    [
      'key outside the namespace',
      'eligibility: [{ require: { field: detained, in: ["no"] }, reasonKey: reason.x }]\nassistance: [{ kind: travel, amount: 1, currency: EUR, per: person }]',
      ['eligibility.0.reasonKey'],
    ],
    ['no assistance', 'assistance: []', ['assistance']],
    [
      'a reduction without an amount',
      'assistance: [{ kind: travel, currency: EUR, per: person, reductions: [{ ageUnder: 12, factor: 0.5 }] }]',
      ['assistance.0.amount'],
    ],
  ])('rejects %s', (_name, yaml, paths) => {
    expect(pathsOf(yaml)).toEqual(paths);
  });

  it('accepts support without a figure, and refuses a figure while any source is unverified', () => {
    const unverified = header.replace('verified: true', 'verified: false');
    const kindOnly = 'assistance: [{ kind: reintegration_in_kind, currency: EUR, per: household }]';
    expect(parseProgrammeFile('p.yaml', unverified + kindOnly).errors).toEqual([]);
    const withAmount = 'assistance: [{ kind: travel, amount: 200, currency: EUR, per: person }]\nhouseholdCap: 500';
    expect(parseProgrammeFile('p.yaml', unverified + withAmount).errors.map((e) => e.path)).toEqual(['assistance.0.amount', 'householdCap']);
    expect(parseProgrammeFile('p.yaml', header + withAmount).errors).toEqual([]);
  });
});
