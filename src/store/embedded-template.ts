// The migrated database a first embedded start copies, kept on disk beside the installed packages.
// A new PGlite folder otherwise runs initdb and replays every migration in WebAssembly: measured at
// 10 to 20 s on a 2-core machine, where copying a migrated folder takes about a second.
import { readFileSync } from 'node:fs';
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildMigratedTemplate, migratedTemplateDataDir, migrationsFingerprint } from './memory-template.js';

/** node_modules/.cache: where tools keep what they can rebuild; `npm ci` empties it with the packages. */
const defaultCacheDir = fileURLToPath(new URL('../../node_modules/.cache/homeward/', import.meta.url));

/** A data folder is only readable by the PGlite that wrote it: the version is part of the name. */
const pgliteVersion = (
  JSON.parse(readFileSync(fileURLToPath(new URL('../../node_modules/@electric-sql/pglite/package.json', import.meta.url)), 'utf8')) as { version: string }
).version;

interface CacheOptions {
  /** Default: node_modules/.cache/homeward/ of this checkout. */
  cacheDir?: string;
  /** Default: prisma/migrations. */
  migrationsDir?: string;
  log?: (line: string) => void;
}

/**
 * The file holding the migrated template for these migrations and this PGlite.
 *
 * @example
 * await embeddedTemplateFile(); // '/app/node_modules/.cache/homeward/pglite-0.4.3-3fa9c1d2e4b5a607.tar'
 */
export async function embeddedTemplateFile(options: CacheOptions = {}): Promise<string> {
  const fingerprint = await migrationsFingerprint(options.migrationsDir);
  return path.join(options.cacheDir ?? defaultCacheDir, `pglite-${pgliteVersion}-${fingerprint.slice(0, 16)}.tar`);
}

/**
 * The migrated data folder a new embedded database starts from: the one this process was given
 * (tests), else the cached one (`cachedTemplate`).
 *
 * @example
 * const pglite = new PGlite(folder, { loadDataDir: await embeddedTemplate() });
 */
export async function embeddedTemplate(options: CacheOptions = {}): Promise<Blob> {
  return migratedTemplateDataDir() ?? cachedTemplate(options);
}

/**
 * The cached migrated data folder, else one migrated now and cached for the next first start. A
 * cache that cannot be written (a read-only install) only costs the next first start its time.
 *
 * @example
 * await cachedTemplate(); // migrates once, then reads node_modules/.cache/homeward/pglite-….tar
 */
export async function cachedTemplate(options: CacheOptions = {}): Promise<Blob> {
  const file = await embeddedTemplateFile(options);
  const cached = await readFile(file).catch(() => undefined);
  if (cached) return new Blob([cached]);
  const { dataDir } = await buildMigratedTemplate(options.migrationsDir ? { migrationsDir: options.migrationsDir } : {});
  try {
    await mkdir(path.dirname(file), { recursive: true });
    // Written aside and renamed: two first starts at once never read half a file.
    const partial = `${file}.${process.pid}.partial`;
    await writeFile(partial, Buffer.from(await dataDir.arrayBuffer()));
    await rename(partial, file);
  } catch (error) {
    options.log?.(`the migrated template could not be cached in ${path.dirname(file)}: ${String(error)}`);
  }
  return dataDir;
}
