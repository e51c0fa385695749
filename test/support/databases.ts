// Fresh, migrated databases of both kinds for store tests. PostgreSQL is required: when it is
// unreachable the tests fail (they never skip), since production runs on it.
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { afterAll, beforeAll } from 'vitest';
import { openDatabase, type Database } from '../../src/store/client.js';
import { migrateDatabase } from '../../src/store/migrate.js';

export type DatabaseKind = Database['kind'];
export const databaseKinds: DatabaseKind[] = ['pglite', 'postgres'];

export const testPostgresUrl = process.env.TEST_DATABASE_URL ?? 'postgresql://root@127.0.0.1:5432/test';

export interface TestDatabase extends Database {
  /** The migrations applied when it was opened. */
  applied: string[];
  /** PostgreSQL only: the schema this database lives in, dropped on close. */
  pgSchema?: string;
}

export interface TestDatabaseOptions {
  /**
   * Migrate from an empty database even on PGlite, where a test database otherwise starts from the
   * run's migrated template (test/global-setup.ts) and so applies nothing: for tests of migrating.
   */
  fromEmpty?: boolean;
}

/**
 * Opens and migrates a throwaway database: in-memory PGlite, or a fresh schema on the test server.
 *
 * @example
 * const db = await openTestDatabase('pglite');
 * try { await db.prisma.organisation.count(); } finally { await db.close(); }
 */
export async function openTestDatabase(kind: DatabaseKind, options: TestDatabaseOptions = {}): Promise<TestDatabase> {
  if (kind === 'pglite') {
    const db = await openDatabase({ dataDir: 'memory://', empty: options.fromEmpty ?? false });
    return { ...db, applied: await migrateDatabase(db) };
  }
  const pgSchema = `test_${randomBytes(6).toString('hex')}`;
  await assertPostgresReachable();
  const db = await openDatabase({ databaseUrl: testPostgresUrl, dataDir: 'unused', pgSchema });
  const close = async () => {
    await db.close();
    await withClient((client) => client.query(`DROP SCHEMA IF EXISTS "${pgSchema}" CASCADE`));
  };
  try {
    return { ...db, close, pgSchema, applied: await migrateDatabase(db) };
  } catch (error) {
    await close();
    throw error;
  }
}

/** Registers hooks that open a migrated database of `kind` for the enclosing describe block. */
export function useTestDatabase(kind: DatabaseKind, options: TestDatabaseOptions = {}): () => TestDatabase {
  let db: TestDatabase | undefined;
  beforeAll(async () => {
    db = await openTestDatabase(kind, options);
  });
  afterAll(async () => {
    await db?.close();
  });
  return () => {
    if (!db) throw new Error('the test database is not open (did beforeAll fail?)');
    return db;
  };
}

async function assertPostgresReachable(): Promise<void> {
  try {
    await withClient((client) => client.query('SELECT 1'));
  } catch (error) {
    throw new Error(
      `PostgreSQL is unreachable at ${testPostgresUrl}; the store tests need it ` +
        `(start it with: pg_ctlcluster --skip-systemctl-redirect $(ls /etc/postgresql) main start): ${String(error)}`,
    );
  }
}

async function withClient<T>(fn: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: testPostgresUrl, connectionTimeoutMillis: 5_000 });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}
