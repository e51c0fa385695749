// SIGTERM to the process `npm start` runs stops the server and leaves nothing behind: the command
// of package.json's start script, started as npm starts it (node_modules/.bin first on PATH), on a
// free port with the embedded database in a temporary DATA_DIR; once /healthz answers, SIGTERM to
// that one process; it exits 0 within 15 s, the port is free and none of its children still runs.
import { execFileSync, spawn } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { projectRoot } from '../support/engine.js';
import { waitFor } from '../support/wait.js';

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port'))));
    });
  });
}

/** Whether something still accepts connections on the port (a listen there fails). */
function portInUse(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = createServer();
    server.once('error', () => resolve(true));
    server.listen(port, () => server.close(() => resolve(false)));
  });
}

interface ProcessRow {
  pid: number;
  ppid: number;
  state: string;
  args: string;
}

function processes(): ProcessRow[] {
  return execFileSync('ps', ['-eo', 'pid=,ppid=,stat=,args='], { encoding: 'utf8' })
    .split('\n')
    .map((line) => /^\s*(\d+)\s+(\d+)\s+(\S+)\s+(.*)$/.exec(line))
    .filter((match) => match !== null)
    .map((match) => ({ pid: Number(match[1]), ppid: Number(match[2]), state: match[3] ?? '', args: match[4] ?? '' }));
}

/** Every process below `root`, children's children included. */
function descendants(root: number): ProcessRow[] {
  const all = processes();
  const found: ProcessRow[] = [];
  const parents = new Set([root]);
  for (let grew = true; grew; ) {
    grew = false;
    for (const row of all) {
      if (parents.has(row.ppid) && !parents.has(row.pid)) {
        parents.add(row.pid);
        found.push(row);
        grew = true;
      }
    }
  }
  return found;
}

/** Still running: listed and not a zombie (an exited child the container's init has not reaped yet). */
function alive(pid: number): boolean {
  const row = processes().find((candidate) => candidate.pid === pid);
  return row !== undefined && !row.state.startsWith('Z');
}

describe('npm start', () => {
  it('stops on SIGTERM to the process it runs, within 15 s, with no process left behind', { timeout: 180_000 }, async () => {
    const script = (JSON.parse(readFileSync(join(projectRoot, 'package.json'), 'utf8')) as { scripts: { start: string } }).scripts.start;
    const [command, ...args] = script.split(/\s+/).filter(Boolean);
    if (!command) throw new Error('no start script');
    const port = await freePort();
    const dataDir = mkdtempSync(join(tmpdir(), 'homeward-start-'));
    const child = spawn(command, args, {
      cwd: projectRoot,
      env: {
        PATH: `${join(projectRoot, 'node_modules', '.bin')}:${process.env.PATH ?? ''}`,
        HOME: process.env.HOME ?? tmpdir(),
        NODE_ENV: 'development',
        PORT: String(port),
        DATA_DIR: dataDir,
        LOG_LEVEL: 'warn',
        RETENTION_INTERVAL_MINUTES: '0',
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
    const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
      child.once('exit', (code, signal) => resolve({ code, signal })),
    );
    const pid = child.pid;
    if (pid === undefined) throw new Error(`${script} did not start`);
    try {
      await waitFor(
        async () => {
          if (child.exitCode !== null) throw new Error(`${script} exited with ${child.exitCode} before answering:\n${output}`);
          const answer = await fetch(`http://127.0.0.1:${port}/healthz`).catch(() => undefined);
          return answer?.status === 200 ? true : undefined;
        },
        '/healthz',
        150_000,
      );
      // One server process: the pid npm would signal is the server itself, not a launcher with the
      // server as its child (as `tsx src/main.ts` was). Its children are tsx's esbuild services.
      const below = descendants(pid);
      expect(
        below.filter((row) => row.args.includes('main.ts')),
        JSON.stringify(below),
      ).toEqual([]);

      const stoppedAt = performance.now();
      process.kill(pid, 'SIGTERM');
      const result = await Promise.race([exited, new Promise<'timeout'>((resolve) => setTimeout(() => resolve('timeout'), 15_000))]);
      expect(result, output).toEqual({ code: 0, signal: null });
      expect(performance.now() - stoppedAt).toBeLessThan(15_000);

      expect(await portInUse(port)).toBe(false);
      await waitFor(() => (below.every((row) => !alive(row.pid)) ? true : undefined), `the children of ${pid} to end: ${JSON.stringify(below)}`, 5_000);
      expect(descendants(pid).filter((row) => !row.state.startsWith('Z'))).toEqual([]);
    } finally {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    }
  });
});
