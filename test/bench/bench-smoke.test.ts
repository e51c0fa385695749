import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { projectRoot } from '../support/engine.js';

const run = promisify(execFile);

// The harness only: figures are measured by `npm run bench`, never judged by a timed test.
describe('npm run bench (smoke)', () => {
  it('drives conversations against a real server and ends with one parsable JSON line of figures', async () => {
    const { stdout } = await run(
      process.execPath,
      [
        '--import',
        'tsx',
        join(projectRoot, 'test/bench/run.ts'),
        '--quick',
        '--people',
        '3',
        // Short pauses, so a busy machine still completes turns in a short latency phase.
        '--think-min',
        '20',
        '--think-max',
        '60',
        '--latency-seconds',
        '3',
        '--concurrency',
        '2',
        '--capacity-seconds',
        '1',
        '--conversations',
        '110',
      ],
      { cwd: projectRoot, env: { ...process.env, DATABASE_URL: '' }, timeout: 240_000 },
    );
    const figures = JSON.parse(stdout.trim().split('\n').at(-1) ?? '') as Record<string, unknown>;
    for (const name of [
      'turnsPerSec',
      'p50Ms',
      'p95Ms',
      'p99Ms',
      'errors',
      'baselineReqPerSec',
      'ratio',
      'rssMbAt100',
      'rssMbAt10k',
      'startupMs',
      'widgetGzBytes',
    ]) {
      expect(typeof figures[name], name).toBe('number');
    }
    expect(figures.latencyTurns).toBeGreaterThan(0);
    expect(figures.errors).toBe(0);
  });
});
