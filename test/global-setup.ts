// Runs once per `vitest` run, before any worker: migrates one in-memory PGlite from this checkout's
// prisma/migrations and saves its data folder, so each test file restores a migrated database
// instead of loading Prisma's schema engine and migrating its own (test/support/database-template.ts).
// Made afresh on every run, so a new or changed migration is in the next run's template.
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { TestProject } from 'vitest/node';
import { buildMigratedTemplate } from '../src/store/memory-template.js';

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const template = await buildMigratedTemplate();
  const dir = await mkdtemp(path.join(tmpdir(), 'homeward-pglite-template-'));
  const file = path.join(dir, 'migrated.tar');
  await writeFile(file, Buffer.from(await template.dataDir.arrayBuffer()));
  project.provide('pgliteTemplate', { file, fingerprint: template.fingerprint });
  return () => rm(dir, { recursive: true, force: true });
}
