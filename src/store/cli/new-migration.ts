// `npm run db:migration -- NAME`: writes prisma/migrations/<timestamp>_<name>/migration.sql with
// the SQL that brings the migrations up to prisma/schema.prisma, or says "no changes".
import { mkdir, writeFile, access } from 'node:fs/promises';
import path from 'node:path';
import { prismaPaths } from '../prisma-paths.js';
import { diffMigrationsToSchema, migrationLockToml, readSchema } from '../schema-engine.js';

const rawName = process.argv.slice(2).join('_');
const name = rawName
  .toLowerCase()
  .replace(/[^a-z0-9]+/g, '_')
  .replace(/^_+|_+$/g, '');
if (!name) {
  console.error('usage: npm run db:migration -- NAME   (e.g. add_referral_notes)');
  process.exit(2);
}

const sql = await diffMigrationsToSchema({
  migrationsDir: prismaPaths.migrations,
  schema: await readSchema(prismaPaths.schema),
});
if (sql.trim() === '') {
  console.log('no changes');
  process.exit(0);
}

const stamp = new Date().toISOString().replace(/\D/g, '').slice(0, 14);
const dir = path.join(prismaPaths.migrations, `${stamp}_${name}`);
await mkdir(dir, { recursive: true });
await writeFile(path.join(dir, 'migration.sql'), `${sql.trim()}\n`, { flag: 'wx' });
const lockFile = path.join(prismaPaths.migrations, 'migration_lock.toml');
await access(lockFile).catch(() => writeFile(lockFile, migrationLockToml));
console.log(`wrote ${path.relative(process.cwd(), path.join(dir, 'migration.sql'))}`);
