import { existsSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { PrismaPg } from '@prisma/adapter-pg';
import type { SqlMigrationAwareDriverAdapterFactory } from '@prisma/driver-adapter-utils';
import pg from 'pg';
import { lockDataDir } from './data-dir-lock.js';
import { PrismaClient } from './generated/client.js';
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
  /** PGlite only: a new database starts empty even when a migrated template is in use (memory-template.ts). */
  empty?: boolean;
}

export interface Database {
  prisma: PrismaClient;
  kind: 'pglite' | 'postgres';
  /** The same database for the schema engine (migrations). */
  adapterFactory: SqlMigrationAwareDriverAdapterFactory;
  close(): Promise<void>;
}

/**
 * Opens the database: PostgreSQL when `databaseUrl` is given, else embedded PGlite.
 *
 * @example
 * const db = await openDatabase({ databaseUrl: config.databaseUrl, dataDir: './data' });
 * try { await migrateDatabase(db); ... } finally { await db.close(); }
 */
export async function openDatabase(options: OpenDatabaseOptions): Promise<Database> {
  return options.databaseUrl
    ? openPostgres(options.databaseUrl, options.pgSchema)
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
    // A first start restores the migrated template when one is in use, instead of initdb and
    // every migration; a folder that holds a database is opened as it is.
    const template = empty || existsSync(path.join(folder, 'PG_VERSION')) ? undefined : migratedTemplateDataDir();
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
    close: async () => {
      await prisma.$disconnect();
      await pglite.close();
      await release();
    },
  };
}

async function openPostgres(databaseUrl: string, pgSchema: string | undefined): Promise<Database> {
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
  const adapterFactory = new PrismaPg(config, pgSchema === undefined ? undefined : { schema: pgSchema });
  const prisma = new PrismaClient({ adapter: adapterFactory });
  return {
    prisma,
    kind: 'postgres',
    adapterFactory,
    close: () => prisma.$disconnect(),
  };
}
