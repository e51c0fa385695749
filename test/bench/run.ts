// `npm run bench`: whole conversations over Direct Line against Homeward, beside a bare express
// echo measured in the same run. The last line printed is one JSON object with the figures.
import { request } from 'node:http';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import pg from 'pg';
import { Person, type TurnSample } from './person.js';
import { cpuMs, postgresCpuMs, rssMb, startNode, stop } from './processes.js';

const { values: options } = parseArgs({
  options: {
    quick: { type: 'boolean', default: false },
    people: { type: 'string' },
    'latency-seconds': { type: 'string' },
    concurrency: { type: 'string' },
    'capacity-seconds': { type: 'string' },
    'think-min': { type: 'string', default: '500' },
    'think-max': { type: 'string', default: '1500' },
    conversations: { type: 'string' },
    database: { type: 'string' },
    /** Writes a V8 CPU profile of the server into this folder (open it in Chrome DevTools). */
    profile: { type: 'string' },
  },
});
const quick = options.quick;
const number = (value: string | undefined, fallback: number) => {
  const parsed = value === undefined ? fallback : Number(value);
  if (!Number.isFinite(parsed) || parsed <= 0) throw new Error(`not a positive number: ${value}`);
  return parsed;
};
const settings = {
  people: number(options.people, quick ? 10 : 200),
  latencySeconds: number(options['latency-seconds'], quick ? 3 : 30),
  concurrency: number(options.concurrency, quick ? 5 : 50),
  capacitySeconds: number(options['capacity-seconds'], quick ? 3 : 20),
  thinkMin: number(options['think-min'], 500),
  thinkMax: number(options['think-max'], 1500),
  conversations: number(options.conversations, quick ? 200 : 10_000),
  databaseUrl: options.database ?? process.env.DATABASE_URL,
};
const root = join(import.meta.dirname, '..', '..');
const log = (line: string) => process.stderr.write(`${line}\n`);

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const percentile = (sorted: number[], p: number) => (sorted.length === 0 ? NaN : sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!);
const round = (value: number, digits = 1) => Math.round(value * 10 ** digits) / 10 ** digits;

/** Runs people holding intake conversations until time is up; each starts a new one when done. */
async function drive(
  base: string,
  people: number,
  seconds: number,
  think: () => number,
): Promise<{ samples: TurnSample[]; errors: number; errorKinds: Record<string, number>; elapsed: number }> {
  const samples: TurnSample[] = [];
  let errors = 0;
  const errorKinds: Record<string, number> = {};
  const failed = (kind: string) => {
    errors++;
    errorKinds[kind] = (errorKinds[kind] ?? 0) + 1;
  };
  const started = performance.now();
  const deadline = started + seconds * 1000;
  await Promise.all(
    Array.from({ length: people }, async (_, index) => {
      await sleep((index / people) * Math.min(1000, seconds * 200)); // ramp up
      const person = new Person(base, 'demo');
      let active = false;
      while (performance.now() < deadline) {
        try {
          if (!active) {
            await person.start();
            active = true;
          }
          await sleep(think());
          if (performance.now() >= deadline) break;
          const sample = await person.turn();
          samples.push(sample);
          if (!sample.ok) failed(sample.error ?? 'failed');
          if (sample.finished) active = false;
        } catch (error) {
          failed(error instanceof Error ? error.message : String(error));
          active = false;
        }
      }
      person.close();
    }),
  );
  return { samples, errors, errorKinds, elapsed: (performance.now() - started) / 1000 };
}

async function echoRequestsPerSecond(port: number, concurrency: number, seconds: number): Promise<number> {
  const body = JSON.stringify({ type: 'message', text: 'hello' });
  let count = 0;
  const deadline = performance.now() + seconds * 1000;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (performance.now() < deadline) {
        const response = await fetch(`http://127.0.0.1:${port}/echo`, { method: 'POST', headers: { 'content-type': 'application/json' }, body });
        await response.arrayBuffer();
        if (response.ok) count++;
      }
    }),
  );
  return count / seconds;
}

async function createConversations(base: string, total: number, concurrency: number): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < total) {
        next++;
        const response = await fetch(`${base}/v3/directline/conversations`, { method: 'POST', headers: { authorization: 'Bearer demo' } });
        await response.arrayBuffer();
      }
    }),
  );
}

function gzippedBytes(base: string, path: string): Promise<number> {
  return new Promise((resolve, reject) => {
    request(`${base}${path}`, { headers: { 'accept-encoding': 'gzip' } }, (response) => {
      let bytes = 0;
      response.on('data', (chunk: Buffer) => (bytes += chunk.length));
      response.on('end', () => resolve(response.headers['content-encoding'] === 'gzip' ? bytes : NaN));
    })
      .on('error', reject)
      .end();
  });
}

/** A fresh database on the PostgreSQL server for this run, dropped afterwards. */
async function freshPostgres(url: string): Promise<{ url: string; drop: () => Promise<void> }> {
  const name = `homeward_bench_${Date.now()}`;
  const admin = new pg.Client({ connectionString: url });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  await admin.end();
  const target = new URL(url);
  target.pathname = `/${name}`;
  return {
    url: target.toString(),
    drop: async () => {
      const client = new pg.Client({ connectionString: url });
      await client.connect();
      await client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await client.end();
    },
  };
}

async function main(): Promise<void> {
  const dataDir = mkdtempSync(join(tmpdir(), 'homeward-bench-'));
  const cleanups: (() => Promise<void> | void)[] = [() => rmSync(dataDir, { recursive: true, force: true })];
  // Whatever fails, every child and the run's database go: a leftover echo server once kept a
  // failed run alive for ten minutes.
  try {
    await measure(dataDir, cleanups);
  } finally {
    for (const cleanup of cleanups.reverse()) await cleanup();
  }
}

async function measure(dataDir: string, cleanups: (() => Promise<void> | void)[]): Promise<void> {
  const postgres = settings.databaseUrl ? await freshPostgres(settings.databaseUrl) : undefined;
  if (postgres) cleanups.push(postgres.drop);
  const echo = await startNode(join(root, 'test/bench/echo-server.ts'), process.env, (line) => typeof line.port === 'number');
  cleanups.push(() => stop(echo.child));
  // Every simulated person comes from 127.0.0.1, and the capacity phase's people answer without
  // pausing: both limits are raised for the run (to their highest allowed values), not switched off.
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    PORT: '0',
    DATA_DIR: dataDir,
    LOG_LEVEL: 'info',
    NODE_ENV: 'development',
    DATABASE_URL: postgres?.url ?? '',
    RATE_LIMIT_IP_PER_MINUTE: '1000000',
    RATE_LIMIT_CONVERSATION_PER_10S: '10000',
  };
  const profiling = options.profile ? ['--cpu-prof', `--cpu-prof-dir=${options.profile}`] : [];
  const homeward = await startNode(join(root, 'src/main.ts'), env, (line) => line.msg === 'Homeward is ready', profiling);
  cleanups.push(() => stop(homeward.child));
  const base = String(homeward.line.url);
  const pid = homeward.child.pid!;
  log(`Homeward ready in ${Math.round(homeward.readyMs)} ms at ${base} (${postgres ? 'PostgreSQL' : 'embedded PGlite'})`);

  log(`latency: ${settings.people} people, ${settings.thinkMin}-${settings.thinkMax} ms pauses, ${settings.latencySeconds} s`);
  const think = () => settings.thinkMin + Math.random() * (settings.thinkMax - settings.thinkMin);
  const latency = await drive(base, settings.people, settings.latencySeconds, think);
  const sorted = latency.samples
    .filter((sample) => sample.ok)
    .map((sample) => sample.ms)
    .sort((a, b) => a - b);

  log(`capacity: ${settings.concurrency} people without pauses, ${settings.capacitySeconds} s`);
  // Where a turn's CPU goes (server, PostgreSQL, this load generator), to tell which side limits capacity.
  const cpuBefore = { server: cpuMs(pid), postgres: postgresCpuMs(), driver: process.cpuUsage() };
  const capacity = await drive(base, settings.concurrency, settings.capacitySeconds, () => 0);
  const capacityTurns = capacity.samples.filter((sample) => sample.ok).length;
  const turnsPerSec = capacityTurns / capacity.elapsed;
  const driverCpu = process.cpuUsage(cpuBefore.driver);
  const cpuPerTurn = {
    serverCpuMsPerTurn: round((cpuMs(pid) - cpuBefore.server) / capacityTurns, 2),
    postgresCpuMsPerTurn: round((postgresCpuMs() - cpuBefore.postgres) / capacityTurns, 2),
    driverCpuMsPerTurn: round((driverCpu.user + driverCpu.system) / 1000 / capacityTurns, 2),
  };
  const baselineReqPerSec = await echoRequestsPerSecond(Number(echo.line.port), settings.concurrency, settings.capacitySeconds);

  log(`memory: ${settings.conversations} conversations`);
  await createConversations(base, 100, settings.concurrency);
  const rssMbAt100 = rssMb(pid);
  await createConversations(base, Math.max(0, settings.conversations - 100), settings.concurrency);
  const rssMbAt10k = rssMb(pid);

  const figures = {
    turnsPerSec: round(turnsPerSec),
    p50Ms: round(percentile(sorted, 50)),
    p95Ms: round(percentile(sorted, 95)),
    p99Ms: round(percentile(sorted, 99)),
    errors: latency.errors,
    baselineReqPerSec: round(baselineReqPerSec),
    ratio: round(turnsPerSec / baselineReqPerSec, 3),
    rssMbAt100,
    rssMbAt10k,
    startupMs: Math.round(homeward.readyMs),
    widgetGzBytes: await gzippedBytes(base, '/widget.js'),
    database: postgres ? 'postgres' : 'pglite',
    latencyTurns: sorted.length,
    latencyErrorKinds: latency.errorKinds,
    capacityErrors: capacity.errors,
    capacityErrorKinds: capacity.errorKinds,
    ...cpuPerTurn,
  };
  console.log(
    [
      `Latency under load (${settings.people} people pausing): p50 ${figures.p50Ms} ms, p95 ${figures.p95Ms} ms, p99 ${figures.p99Ms} ms, ${figures.errors} errors over ${figures.latencyTurns} turns`,
      `Capacity (${settings.concurrency} people, no pauses): ${figures.turnsPerSec} turns/s; bare echo ${figures.baselineReqPerSec} req/s; ratio ${figures.ratio}`,
      `CPU per turn: server ${figures.serverCpuMsPerTurn} ms, PostgreSQL ${figures.postgresCpuMsPerTurn} ms, load generator ${figures.driverCpuMsPerTurn} ms`,
      `Memory: ${figures.rssMbAt100} MB after 100 conversations, ${figures.rssMbAt10k} MB after ${settings.conversations}`,
      `Start to ready: ${figures.startupMs} ms; widget ${figures.widgetGzBytes} bytes gzipped`,
    ].join('\n'),
  );
  console.log(JSON.stringify(figures));
}

await main();
