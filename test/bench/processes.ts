import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createInterface } from 'node:readline';

export interface Started {
  child: ChildProcess;
  /** Milliseconds from spawn until the process said it was ready. */
  readyMs: number;
  line: Record<string, unknown>;
}

/**
 * Spawns `node --import tsx <entry>` (one process, so its pid is the one to measure) and waits
 * for the first JSON line on stdout that `isReady` accepts.
 */
export function startNode(entry: string, env: NodeJS.ProcessEnv, isReady: (line: Record<string, unknown>) => boolean, nodeArgs: string[] = [], timeoutMs = 60_000): Promise<Started> {
  const started = performance.now();
  const child = spawn(process.execPath, [...nodeArgs, '--import', 'tsx', entry], { env, stdio: ['ignore', 'pipe', 'inherit'] });
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill();
      reject(new Error(`${entry} was not ready within ${timeoutMs} ms`));
    }, timeoutMs);
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`${entry} exited with ${code} before it was ready`));
    });
    createInterface({ input: child.stdout! }).on('line', (text) => {
      let line: Record<string, unknown>;
      try {
        line = JSON.parse(text) as Record<string, unknown>;
      } catch {
        return;
      }
      if (isReady(line)) {
        clearTimeout(timer);
        child.removeAllListeners('exit');
        resolve({ child, readyMs: performance.now() - started, line });
      }
    });
  });
}

export function stop(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    child.once('exit', () => resolve());
    child.kill('SIGTERM');
  });
}

/** Resident memory of a process in MB (Linux). */
export function rssMb(pid: number): number {
  const match = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return match ? Math.round(Number(match[1]) / 102.4) / 10 : NaN;
}
