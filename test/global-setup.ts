// Runs once per `vitest` run, before any worker: takes the migrated PGlite data folder of this
// checkout's prisma/migrations (the cached one `postinstall` made, else one migrated now, see
// src/store/embedded-template.ts) and saves it for the workers, so each test file restores a migrated
// database instead of loading Prisma's schema engine and migrating its own
// (test/support/database-template.ts). The cache is named by the migrations' fingerprint, so a new or
// changed migration is always in the run's template.
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { TestProject } from 'vitest/node';
import { cachedTemplate } from '../src/store/embedded-template.js';
import { migrationsFingerprint } from '../src/store/memory-template.js';

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const fingerprint = await migrationsFingerprint();
  const dataDir = await cachedTemplate();
  const dir = await mkdtemp(path.join(tmpdir(), 'homeward-pglite-template-'));
  const file = path.join(dir, 'migrated.tar');
  await writeFile(file, Buffer.from(await dataDir.arrayBuffer()));
  project.provide('pgliteTemplate', { file, fingerprint });
  return () => rm(dir, { recursive: true, force: true });
}
