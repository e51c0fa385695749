import { cp, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { migrateDatabase } from '../../src/store/migrate.js';
import { prismaPaths } from '../../src/store/prisma-paths.js';
import { diffMigrationsToSchema } from '../../src/store/schema-engine.js';
import { databaseKinds, useTestDatabase } from '../support/databases.js';

describe.each(databaseKinds)('migrations on %s', (kind) => {
  const db = useTestDatabase(kind, { fromEmpty: true });

  it('applies every migration once, then nothing', async () => {
    const folders = db().applied;
    expect(folders.length).toBeGreaterThan(0);
    expect(folders.some((name) => name.endsWith('_init'))).toBe(true);

    expect(await migrateDatabase(db())).toEqual([]);
    const recorded = await db().prisma.$queryRaw<{ migration_name: string }[]>`
      SELECT migration_name FROM _prisma_migrations WHERE finished_at IS NOT NULL ORDER BY migration_name`;
    expect(recorded.map((row) => row.migration_name)).toEqual(folders);
  });

  it('gives a usable schema', async () => {
    const org = await db().prisma.organisation.create({ data: { name: 'Test', widgetKey: `k-${kind}`, allowedOrigins: [] } });
    expect(await db().prisma.organisation.findUnique({ where: { id: org.id } })).toMatchObject({ name: 'Test' });
  });
});

describe('schema drift', () => {
  it('prisma/migrations produce exactly prisma/schema.prisma (else: npm run db:migration -- NAME)', async () => {
    const schema = { path: prismaPaths.schema, text: await readFile(prismaPaths.schema, 'utf8') };
    expect(await diffMigrationsToSchema({ migrationsDir: prismaPaths.migrations, schema })).toBe('');
  });

  it('detects a schema change that has no migration', async () => {
    const text = await readFile(prismaPaths.schema, 'utf8');
    const changed = text.replace(/(model Organisation \{\n)/, '$1  nickname String?\n');
    expect(changed).not.toBe(text);
    const sql = await diffMigrationsToSchema({
      migrationsDir: prismaPaths.migrations,
      schema: { path: prismaPaths.schema, text: changed },
    });
    expect(sql).toMatch(/ALTER TABLE "Organisation" ADD COLUMN\s+"nickname" TEXT/);
  });
});

describe.each(databaseKinds)('a failing migration on %s', (kind) => {
  const db = useTestDatabase(kind);

  it('rejects with the database error and records the failure', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'homeward-migrations-'));
    try {
      await cp(prismaPaths.migrations, dir, { recursive: true });
      await mkdir(path.join(dir, '99990101000000_broken'));
      await writeFile(path.join(dir, '99990101000000_broken', 'migration.sql'), 'ALTER TABLE "Nowhere" ADD COLUMN "x" TEXT;\n');
      await expect(migrateDatabase(db(), { migrationsDir: dir })).rejects.toThrow(/Nowhere/);
      const failed = await db().prisma.$queryRaw<{ migration_name: string }[]>`
        SELECT migration_name FROM _prisma_migrations WHERE finished_at IS NULL`;
      expect(failed.map((row) => row.migration_name)).toEqual(['99990101000000_broken']);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
