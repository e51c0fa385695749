import { existsSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { PrismaPg } from '@prisma/adapter-pg';
import type { SqlMigrationAwareDriverAdapterFactory } from '@prisma/driver-adapter-utils';
import pg from 'pg';
import { lockDataDir } from './data-dir-lock.js';
import { PrismaClient } from './generated/client.js';
import { embeddedTemplate } from './embedded-template.js';
import { migratedTemplateDataDir } from './memory-template.js';
import { freshMemoryPglite, pgliteAdapterFactory } from './pglite-adapter.js';

export { DatabaseInUseError } from './data-dir-lock.js';
export type { PrismaClient };

export interface OpenDatabaseOptions {
  /** A PostgreSQL URL; without it the embedded PGlite database in `dataDir` is used. */
  databaseUrl?: string;
  /** Folder of the embedded database, created if missing; `memory://` for a throwaway one. */
  dataDir: string;
  /** PostgreSQL only: work inside this schema (created if missing), e.g. to isolate a test run. */
  pgSchema?: string;
  /**
   * PostgreSQL only: `statement_timeout` of every connection of the pool, so no query (a lock
   * wait included) holds a request for longer. Migrations run on connections without it.
   */
  statementTimeoutMs?: number;
  /** PGlite only: a new database starts empty even when a migrated template is in use (memory-template.ts). */
  empty?: boolean;
}

export interface Database {
  prisma: PrismaClient;
  kind: 'pglite' | 'postgres';
  /** The same database for the schema engine (migrations). */
  adapterFactory: SqlMigrationAwareDriverAdapterFactory;
  /**
   * A real query (the applied migrations) that gives up after `timeoutMs`: on PostgreSQL with
   * its own `statement_timeout` (a locked table answers in time, with an error), everywhere with
   * a clock of its own (a pool with no free connection). Throws when the database did not answer.
   * @example const { migrations } = await db.probe(2_000);
   */
  probe(timeoutMs: number): Promise<{ migrations: number }>;
  close(): Promise<void>;
}

export class DatabaseTimeoutError extends Error {
  override name = 'DatabaseTimeoutError';
}

/** Rejects when `work` takes longer than `timeoutMs`; the work itself is not cancelled. */
function within<T>(work: Promise<T>, timeoutMs: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_resolve, reject) => {
    timer = setTimeout(() => reject(new DatabaseTimeoutError(`the database did not answer within ${timeoutMs} ms`)), timeoutMs);
  });
  return Promise.race([work, timeout]).finally(() => clearTimeout(timer));
}

const countMigrations = async (run: (sql: string) => Promise<unknown>): Promise<number> => {
  const rows = await run('SELECT count(*)::int AS count FROM _prisma_migrations WHERE finished_at IS NOT NULL');
  const first: unknown = Array.isArray(rows) ? rows[0] : undefined;
  const count = typeof first === 'object' && first !== null && 'count' in first ? Number(first.count) : Number.NaN;
  if (!Number.isFinite(count)) throw new Error('the migrations count is not a number');
  return count;
};

/**
 * Opens the database: PostgreSQL when `databaseUrl` is given, else embedded PGlite.
 *
 * @example
 * const db = await openDatabase(config.database.kind === 'postgres' ? { databaseUrl: config.database.url } : { dataDir: config.database.dataDir });
 * try { await migrateDatabase(db); ... } finally { await db.close(); }
 */
export async function openDatabase(options: OpenDatabaseOptions): Promise<Database> {
  return options.databaseUrl
    ? openPostgres(options.databaseUrl, options.pgSchema, options.statementTimeoutMs)
    : openPglite(options.dataDir, options.empty ?? false);
}

async function openPglite(dataDir: string, empty: boolean): Promise<Database> {
  let release = async () => {};
  let pglite: PGlite;
  if (dataDir === 'memory://') {
    // Tests (and trials) may have saved a migrated database to start from (memory-template.ts).
    const template = empty ? undefined : migratedTemplateDataDir();
    pglite = template ? await PGlite.create('memory://', { loadDataDir: template }) : await freshMemoryPglite();
  } else {
    await mkdir(dataDir, { recursive: true });
    release = await lockDataDir(path.join(dataDir, 'pglite.lock'), dataDir);
    const folder = path.join(dataDir, 'pglite');
    // A first start copies a migrated template (embedded-template.ts) instead of running initdb and
    // every migration; a folder that holds a database is opened as it is.
    const template =
      empty || existsSync(path.join(folder, 'PG_VERSION'))
        ? undefined
        : await embeddedTemplate().catch(async (error: unknown) => {
            await release();
            throw error;
          });
    pglite = new PGlite(folder, template ? { loadDataDir: template } : {});
  }
  try {
    await pglite.waitReady;
  } catch (error) {
    await release();
    throw error;
  }
  const adapterFactory = pgliteAdapterFactory(pglite);
  const prisma = new PrismaClient({ adapter: adapterFactory });
  return {
    prisma,
    kind: 'pglite',
    adapterFactory,
    // One connection in this process: nothing else can lock it, but a long query can hold it.
    probe: async (timeoutMs) => ({
      migrations: await within(
        countMigrations((sql) => prisma.$queryRawUnsafe(sql)),
        timeoutMs,
      ),
    }),
    close: async () => {
      await prisma.$disconnect();
      await pglite.close();
      await release();
    },
  };
}

async function openPostgres(databaseUrl: string, pgSchema: string | undefined, statementTimeoutMs: number | undefined): Promise<Database> {
  const config: pg.PoolConfig = { connectionString: databaseUrl };
  if (pgSchema !== undefined) {
    if (!/^[a-z_][a-z0-9_]{0,62}$/.test(pgSchema)) throw new Error(`invalid PostgreSQL schema name: ${pgSchema}`);
    const client = new pg.Client(config);
    await client.connect();
    try {
      await client.query(`CREATE SCHEMA IF NOT EXISTS "${pgSchema}"`);
    } finally {
      await client.end();
    }
    // The schema engine creates its tables (and `_prisma_migrations`) in the first schema of the
    // search path; Prisma Client qualifies its queries with `schema`.
    config.options = `-c search_path="${pgSchema}"`;
  }
  const schemaOption = pgSchema === undefined ? undefined : { schema: pgSchema };
  // Migrations may rightly take long (an index on a big table): their connections keep no timeout.
  const adapterFactory = new PrismaPg(config, schemaOption);
  const timed: pg.PoolConfig =
    statementTimeoutMs === undefined
      ? config
      : { ...config, options: [config.options, `-c statement_timeout=${Math.round(statementTimeoutMs)}`].filter(Boolean).join(' ') };
  const prisma = new PrismaClient({ adapter: new PrismaPg(timed, schemaOption) });
  return {
    prisma,
    kind: 'postgres',
    adapterFactory,
    probe: async (timeoutMs) => {
      const ms = Math.max(1, Math.round(timeoutMs));
      const migrations = await within(
        prisma.$transaction(
          async (tx) => {
            await tx.$executeRawUnsafe(`SET LOCAL statement_timeout = ${ms}`);
            return countMigrations((sql) => tx.$queryRawUnsafe(sql));
          },
          { maxWait: ms, timeout: ms * 2 },
        ),
        ms,
      );
      return { migrations };
    },
    close: () => prisma.$disconnect(),
  };
}
