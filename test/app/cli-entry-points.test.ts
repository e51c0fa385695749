// The command-line tools are tested in-process through their `main(argv, io)`; this starts each as
// `npm run` does, once, so the script entry points (and their exit codes) keep working.
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { projectRoot } from '../support/engine.js';

const run = promisify(execFile);
const tsx = (script: string, args: string[]) =>
  run(process.execPath, ['--import', 'tsx', join(projectRoot, script), ...args], { cwd: projectRoot }).then(
    ({ stdout, stderr }) => ({ code: 0, stdout, stderr }),
    (error: { code: number; stdout: string; stderr: string }) => error,
  );

describe('the command-line entry points', () => {
  it('run main with the arguments and exit with its code', async () => {
    const [check, diagram, eligibility] = await Promise.all([
      tsx('src/authoring/cli/check.ts', []),
      tsx('src/authoring/cli/diagram.ts', ['--flow', 'nope']),
      tsx('src/eligibility/cli.ts', []),
    ]);
    expect(check.code).toBe(0);
    expect(check.stdout).toMatch(/flow\(s\), \d+ programme\(s\) and \d+ safety lexicon\(s\) checked against \d+ locale\(s\): no problems\.\n$/);
    expect(diagram).toMatchObject({ code: 1, stdout: '' });
    expect(diagram.stderr).toContain('flows:diagram: no flow "nope"');
    expect(eligibility).toMatchObject({ code: 2, stdout: '' });
    expect(eligibility.stderr).toMatch(/^usage: eligibility CASE\.json/);
  });
});
