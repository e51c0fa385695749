import { readdir } from 'node:fs/promises';
import type { Database } from './client.js';
import { prismaPaths } from './prisma-paths.js';
import { applyMigrations, readSchema } from './schema-engine.js';

/**
 * Applies the migrations in `prisma/migrations` that the database has not seen yet (recorded in
 * `_prisma_migrations`, as `prisma migrate deploy` would) and returns their names.
 */
export async function migrateDatabase(
  db: Pick<Database, 'adapterFactory' | 'prisma'>,
  options: { migrationsDir?: string; schemaPath?: string; log?: (line: string) => void } = {},
): Promise<string[]> {
  const migrationsDir = options.migrationsDir ?? prismaPaths.migrations;
  // Nearly every start finds nothing to do: asking the table first spares loading Prisma's
  // WebAssembly schema engine (measured: a few hundred ms of each start). Anything else (a new,
  // failed or unknown migration, no table yet) goes through the engine as before.
  if (await everyMigrationApplied(db, migrationsDir)) return [];
  return applyMigrations({
    adapterFactory: db.adapterFactory,
    schema: await readSchema(options.schemaPath ?? prismaPaths.schema),
    migrationsDir,
    log: options.log,
  });
}

async function everyMigrationApplied(db: Pick<Database, 'prisma'>, migrationsDir: string): Promise<boolean> {
  const folders = (await readdir(migrationsDir, { withFileTypes: true })).filter((entry) => entry.isDirectory()).map((entry) => entry.name);
  let rows: { migration_name: string; finished: boolean }[];
  try {
    rows = await db.prisma.$queryRawUnsafe(`SELECT migration_name, finished_at IS NOT NULL AND rolled_back_at IS NULL AS finished FROM _prisma_migrations`);
  } catch {
    return false; // No table yet: a new database.
  }
  const finished = new Set(rows.filter((row) => row.finished).map((row) => row.migration_name));
  return rows.every((row) => row.finished) && folders.every((name) => finished.has(name));
}
