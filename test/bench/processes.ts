import { spawn, type ChildProcess } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
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
export function startNode(
  entry: string,
  env: NodeJS.ProcessEnv,
  isReady: (line: Record<string, unknown>) => boolean,
  nodeArgs: string[] = [],
  timeoutMs = 60_000,
): Promise<Started> {
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

/** CPU time (user + system) a process has used so far, in milliseconds (Linux, 100 ticks per second). */
export function cpuMs(pid: number): number {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]?.split(' ') ?? [];
  // utime and stime are fields 14 and 15 of /proc/<pid>/stat, i.e. 12 and 13 after the command name.
  return (Number(fields[11]) + Number(fields[12])) * 10;
}

/** CPU time of every PostgreSQL server process on this machine, in milliseconds (0 when none is visible). */
export function postgresCpuMs(): number {
  let total = 0;
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      if (readFileSync(`/proc/${entry}/comm`, 'utf8').trim() !== 'postgres') continue;
      total += cpuMs(Number(entry));
    } catch {
      // The process ended while we looked.
    }
  }
  return total;
}
