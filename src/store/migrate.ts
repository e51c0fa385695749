import { fileURLToPath } from 'node:url';
import type { Database } from './client.js';
import { applyMigrations, readSchema } from './schema-engine.js';

/** The project's `prisma/` folder, found from this file so the working directory does not matter. */
export const prismaPaths = {
  schema: fileURLToPath(new URL('../../prisma/schema.prisma', import.meta.url)),
  migrations: fileURLToPath(new URL('../../prisma/migrations', import.meta.url)),
};

/**
 * Applies the migrations in `prisma/migrations` that the database has not seen yet (recorded in
 * `_prisma_migrations`, as `prisma migrate deploy` would) and returns their names.
 */
export async function migrateDatabase(
  db: Pick<Database, 'adapterFactory'>,
  options: { migrationsDir?: string; schemaPath?: string; log?: (line: string) => void } = {},
): Promise<string[]> {
  return applyMigrations({
    adapterFactory: db.adapterFactory,
    schema: await readSchema(options.schemaPath ?? prismaPaths.schema),
    migrationsDir: options.migrationsDir ?? prismaPaths.migrations,
    log: options.log,
  });
}
