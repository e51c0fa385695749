import { copyFileSync, mkdtempSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { checkFlows } from '../../src/authoring/check.js';
import { main as checkCli } from '../../src/authoring/cli/check.js';
import { formatIssue, parseFlowText } from '../../src/flows/load.js';
import { createLocalisation, type Localisation } from '../../src/i18n/index.js';
import { captureCli } from '../support/cli.js';
import { projectRoot } from '../support/engine.js';

const fixtures = join(projectRoot, 'test', 'fixtures', 'flows');
let localisation: Localisation;
const allLocales = () => localisation.locales.map((locale) => locale.code).join(', ');
beforeAll(async () => {
  localisation = await createLocalisation(join(projectRoot, 'locales'));
});

describe('flow linter', () => {
  it('passes the shipped flows', () => {
    expect(checkFlows(join(projectRoot, 'flows'), localisation, 'intake').issues).toEqual([]);
  });

  it('reports each problem of a broken flow with its node', () => {
    const reports = checkFlows(join(fixtures, 'broken'), localisation, 'intake').issues.map((issue) => `${issue.node ?? '-'}: ${issue.message}`);
    expect(reports).toEqual(
      expect.arrayContaining([
        'ask_age: goes to unknown node "nowhere"',
        'ask_age: dead end: every next step has a condition, so none may apply (add a last step without "if")',
        'ask_age: condition reads answer "favouriteColour", which no question collects',
        `bye: i18n key "bot:intake.no_such_text" is missing in ${allLocales()}`,
        'orphan: unreachable: no path from the start node leads here',
        'spin_a: dead end: from here the flow can never finish or wait for an answer',
        'jumper: jumps to unknown flow "missing_flow"',
      ]),
    );
  });

  it('checks the programme catalogue beside the flows: its errors and its keys missing in any locale', () => {
    const { issues, programmes } = checkFlows(join(projectRoot, 'flows'), localisation, 'intake', join(projectRoot, 'test', 'fixtures', 'programmes'));
    const reports = issues.map((issue) => `${issue.file.replace(/^.*[\\/]/, '')}: ${issue.message}`);
    expect(programmes.map((programme) => programme.id)).toEqual(['fixture-valid']);
    expect(reports).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^b-duplicate-id\.yaml: id: id "fixture-valid" is already used/),
        expect.stringMatching(/^c-broken-amount\.yaml: assistance\.1\.amount: /),
        expect.stringMatching(/^d-bad-yaml\.yaml: /),
        expect.stringMatching(/^e-unknown-key\.yaml: .*unknown field/),
        `(programmes): i18n key "eligibility:programme.fixture.name" is missing in ${allLocales()}`,
      ]),
    );
  });

  it('reports a missing catalogue folder', () => {
    const { issues } = checkFlows(join(projectRoot, 'flows'), localisation, 'intake', join(projectRoot, 'no-such-folder'));
    expect(issues.some((issue) => issue.file.endsWith('no-such-folder'))).toBe(true);
  });

  it('names file, node and field for schema errors', () => {
    const result = parseFlowText(
      'id: m\nstart: a\nnodes:\n  a: { type: ask, text: x, answer: y, input: { kind: slider }, next: b }\n  b: { type: say }\n',
      'm.yaml',
    );
    expect('issues' in result).toBe(true);
    const lines = 'issues' in result ? result.issues.map(formatIssue) : [];
    expect(lines.some((line) => line.startsWith('m.yaml node "a": input.kind'))).toBe(true);
    expect(lines.some((line) => line.startsWith('m.yaml node "b": text'))).toBe(true);
  });

  it('reports YAML syntax errors with the file', () => {
    const result = parseFlowText('id: [unclosed', 'bad.yaml');
    expect('issues' in result && result.issues[0]?.message).toMatch(/^not valid YAML/);
  });
});

describe('npm run flows:check', () => {
  const cli = (dir?: string) => captureCli((io) => checkCli(dir ? [dir] : [], io, projectRoot));

  it('exits 0 on the shipped flows', async () => {
    const { code, stdout } = await cli();
    expect(code).toBe(0);
    const lexicons = readdirSync(join(projectRoot, 'flows', 'safety')).filter((name) => name.endsWith('.yaml')).length;
    expect(stdout).toContain(
      `2 flow(s), 7 programme(s) and ${lexicons} safety lexicon(s) checked against ${localisation.locales.length} locale(s): no problems`,
    );
  });

  it('exits non-zero and names the file and node on a broken flow', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'flows-'));
    copyFileSync(join(fixtures, 'malformed.yaml'), join(dir, 'malformed.yaml'));
    copyFileSync(join(projectRoot, 'flows', 'intake.yaml'), join(dir, 'intake.yaml'));
    const { code, stderr } = await cli(dir);
    expect(code).toBe(1);
    expect(stderr).toContain('malformed.yaml node "a": input.kind');
  });
});
