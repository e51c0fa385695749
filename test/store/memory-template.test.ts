import { cp, mkdtemp, readdir, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase } from '../../src/store/client.js';
import { cachedTemplate, embeddedTemplateFile } from '../../src/store/embedded-template.js';
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

// What a first embedded start copies (src/store/embedded-template.ts): made once, then read.
describe('the cached migrated template', () => {
  let cacheDir: string;
  beforeAll(async () => {
    cacheDir = await mkdtemp(path.join(tmpdir(), 'homeward-template-cache-'));
  });
  afterAll(async () => {
    await rm(cacheDir, { recursive: true, force: true });
  });

  it('is migrated and written once, named by the PGlite version and the migrations, then read as it is', async () => {
    const first = await cachedTemplate({ cacheDir });
    const file = await embeddedTemplateFile({ cacheDir });
    expect(path.basename(file)).toMatch(/^pglite-\d+\.\d+\.\d+-[0-9a-f]{16}\.tar$/);
    expect((await readdir(cacheDir)).filter((name) => name.endsWith('.tar'))).toEqual([path.basename(file)]);
    const written = (await stat(file)).mtimeMs;
    const second = await cachedTemplate({ cacheDir });
    expect((await stat(file)).mtimeMs).toBe(written);
    expect(second.size).toBe(first.size);
    // What it holds is a migrated database: a memory database restored from it has nothing to migrate.
    const db = await PGlite.create('memory://', { loadDataDir: second });
    try {
      const rows = await db.query<{ n: number }>('SELECT count(*)::int AS n FROM _prisma_migrations WHERE finished_at IS NOT NULL');
      expect(rows.rows[0]?.n).toBe((await readdir(prismaPaths.migrations, { withFileTypes: true })).filter((entry) => entry.isDirectory()).length);
    } finally {
      await db.close();
    }
  });

  it('is another file for other migrations, so a new migration never starts from an old template', async () => {
    const copy = path.join(cacheDir, 'migrations');
    await cp(prismaPaths.migrations, copy, { recursive: true });
    await writeFile(path.join(copy, '20261128195519_init', 'migration.sql'), '-- edited\n', { flag: 'a' });
    expect(await embeddedTemplateFile({ cacheDir, migrationsDir: copy })).not.toBe(await embeddedTemplateFile({ cacheDir }));
  });
});
