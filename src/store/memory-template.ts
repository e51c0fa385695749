// A migrated in-memory database saved once and restored many times. Restoring a saved data folder
// costs what restoring an empty one does, while migrating a fresh database loads Prisma's
// WebAssembly schema engine and replays every migration: the test suite opens dozens of them.
import { createHash } from 'node:crypto';
import { readFile, readdir } from 'node:fs/promises';
import path from 'node:path';
import { prismaPaths } from './prisma-paths.js';
import { freshMemoryPglite, pgliteAdapterFactory } from './pglite-adapter.js';
import { applyMigrations, readSchema } from './schema-engine.js';

/** A data folder with every migration applied, and the fingerprint of the migrations it holds. */
export interface MigratedTemplate {
  fingerprint: string;
  dataDir: Blob;
}

/**
 * A digest of the migrations' names and SQL: a template is only as current as the migrations it was
 * made from, so a changed or added migration changes the fingerprint and retires the template.
 *
 * @example
 * const fingerprint = await migrationsFingerprint(); // 'a3f1…' (hex)
 */
export async function migrationsFingerprint(migrationsDir: string = prismaPaths.migrations): Promise<string> {
  const hash = createHash('sha256');
  const entries = await readdir(migrationsDir, { withFileTypes: true });
  const names = entries
    .filter((entry) => entry.isDirectory())
    .map((entry) => entry.name)
    .sort();
  for (const name of names) {
    hash.update(`${name}\0`);
    hash.update(await readFile(path.join(migrationsDir, name, 'migration.sql')));
    hash.update('\0');
  }
  return hash.digest('hex');
}

/**
 * Migrates a fresh in-memory database and saves its data folder (uncompressed: restoring it is
 * faster than inflating it).
 *
 * @example
 * const template = await buildMigratedTemplate();
 * useMigratedTemplate(template); // later `memory://` databases start migrated
 */
export async function buildMigratedTemplate(options: { migrationsDir?: string; schemaPath?: string } = {}): Promise<MigratedTemplate> {
  const migrationsDir = options.migrationsDir ?? prismaPaths.migrations;
  const fingerprint = await migrationsFingerprint(migrationsDir);
  const pglite = await freshMemoryPglite();
  try {
    await applyMigrations({
      adapterFactory: pgliteAdapterFactory(pglite),
      schema: await readSchema(options.schemaPath ?? prismaPaths.schema),
      migrationsDir,
    });
    // A checkpoint first: a data folder saved mid-flight makes every restore replay the migrations'
    // write-ahead log before it answers (about 150 ms of the 900 each restore cost).
    await pglite.exec('CHECKPOINT');
    return { fingerprint, dataDir: await pglite.dumpDataDir('none') };
  } finally {
    await pglite.close();
  }
}

let current: MigratedTemplate | undefined;

/**
 * Makes every `memory://` database opened after this in the process start from `template` instead
 * of empty, provided it was made from the migrations in `migrationsDir` (else nothing changes and
 * it returns false). `migrateDatabase` then finds nothing to do, as on any restart.
 *
 * @example
 * if (!(await useMigratedTemplate(template))) console.warn('stale template: databases migrate from empty');
 */
export async function useMigratedTemplate(template: MigratedTemplate, migrationsDir: string = prismaPaths.migrations): Promise<boolean> {
  if (template.fingerprint !== (await migrationsFingerprint(migrationsDir))) return false;
  current = template;
  return true;
}

/** The data folder `memory://` databases start from; undefined: they start empty. */
export function migratedTemplateDataDir(): Blob | undefined {
  return current?.dataDir;
}
