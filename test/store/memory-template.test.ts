import { cp, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase } from '../../src/store/client.js';
import { buildMigratedTemplate, migrationsFingerprint, useMigratedTemplate, type MigratedTemplate } from '../../src/store/memory-template.js';
import { migrateDatabase } from '../../src/store/migrate.js';
import { prismaPaths } from '../../src/store/prisma-paths.js';

// The suite's speed rests on these: every test database starts from a template made from the
// checkout's migrations (test/global-setup.ts), and a template from other migrations is refused.
describe('the migrated PGlite template', () => {
  let template: MigratedTemplate;
  let scratch: string;
  beforeAll(async () => {
    template = await buildMigratedTemplate();
    scratch = await mkdtemp(path.join(tmpdir(), 'homeward-template-'));
  });
  afterAll(async () => {
    await rm(scratch, { recursive: true, force: true });
  });

  it('changes its fingerprint when a migration is added or its SQL changes', async () => {
    const copy = path.join(scratch, 'migrations');
    await cp(prismaPaths.migrations, copy, { recursive: true });
    expect(await migrationsFingerprint(copy)).toBe(template.fingerprint);
    const init = path.join(copy, '20261128195519_init', 'migration.sql');
    await writeFile(init, '-- edited\n', { flag: 'a' });
    const edited = await migrationsFingerprint(copy);
    expect(edited).not.toBe(template.fingerprint);
    await cp(path.join(copy, '20261128195519_init'), path.join(copy, '99990101000000_more'), { recursive: true });
    expect(await migrationsFingerprint(copy)).not.toBe(edited);
    // Refused for other migrations: databases then migrate from empty instead of skipping one.
    expect(await useMigratedTemplate(template, copy)).toBe(false);
  });

  it('opens in memory with every migration applied, so migrating finds nothing to do', async () => {
    expect(await useMigratedTemplate(template)).toBe(true);
    const db = await openDatabase({ dataDir: 'memory://' });
    try {
      expect(await migrateDatabase(db)).toEqual([]);
      const recorded = await db.prisma.$queryRaw<{ n: number }[]>`SELECT count(*)::int AS n FROM _prisma_migrations WHERE finished_at IS NOT NULL`;
      expect(recorded[0]?.n).toBeGreaterThan(0);
      const org = await db.prisma.organisation.create({ data: { name: 'From the template', widgetKey: 'template', allowedOrigins: [] } });
      expect(await db.prisma.organisation.findUnique({ where: { id: org.id } })).toMatchObject({ name: 'From the template' });
    } finally {
      await db.close();
    }
  });

  it('gives each database its own copy', async () => {
    const [a, b] = await Promise.all([openDatabase({ dataDir: 'memory://' }), openDatabase({ dataDir: 'memory://' })]);
    try {
      await a.prisma.organisation.create({ data: { name: 'Only in a', widgetKey: 'only-a', allowedOrigins: [] } });
      expect(await b.prisma.organisation.count({ where: { widgetKey: 'only-a' } })).toBe(0);
    } finally {
      await Promise.all([a.close(), b.close()]);
    }
  });

  it('seeds a new embedded folder on disk, which then reopens as it is', async () => {
    const dataDir = path.join(scratch, 'data');
    let db = await openDatabase({ dataDir });
    try {
      expect(await migrateDatabase(db)).toEqual([]);
      await db.prisma.organisation.create({ data: { name: 'On disk', widgetKey: 'disk', allowedOrigins: [] } });
    } finally {
      await db.close();
    }
    db = await openDatabase({ dataDir });
    try {
      expect(await db.prisma.organisation.count({ where: { widgetKey: 'disk' } })).toBe(1);
    } finally {
      await db.close();
    }
  });

  it('is left aside on request: an empty database migrates from the first migration', async () => {
    const db = await openDatabase({ dataDir: path.join(scratch, 'empty'), empty: true });
    try {
      const applied = await migrateDatabase(db);
      expect(applied.some((name) => name.endsWith('_init'))).toBe(true);
    } finally {
      await db.close();
    }
  });
});
