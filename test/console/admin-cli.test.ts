import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { describe, expect, it } from 'vitest';
import { runAdmin } from '../../src/console/cli/admin.js';
import { verifyPassword } from '../../src/console/auth/password.js';
import { hashToken } from '../../src/console/auth/tokens.js';
import { openDatabase } from '../../src/store/client.js';
import { testPostgresUrl } from '../support/databases.js';

function io() {
  const out: string[] = [];
  const err: string[] = [];
  return { out, err, io: { out: (line: string) => out.push(line), err: (line: string) => err.push(line) } };
}

describe('npm run admin', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'homeward-admin-'));
  const env = { NODE_ENV: 'test', DATA_DIR: dataDir };

  // Each command opens, migrates and closes the embedded database on disk, as `npm run admin` does.
  it('creates an organisation, a user with a scrypt hash, and an API key shown once and stored hashed', { timeout: 240_000 }, async () => {
    const org = io();
    expect(await runAdmin(['org:create', '--name', 'Rückkehr e.V.', '--key', 'rueckkehr'], env, org.io)).toBe(0);
    expect(await runAdmin(['org:create', '--name', 'Again', '--key', 'rueckkehr'], env, io().io)).toBe(1);
    const user = io();
    expect(
      await runAdmin(
        ['user:create', '--org', 'rueckkehr', '--email', 'Anna@Example.org', '--password', 'correct horse battery', '--role', 'counsellor'],
        env,
        user.io,
      ),
    ).toBe(0);
    const again = io();
    expect(
      await runAdmin(
        ['user:create', '--org', 'rueckkehr', '--email', 'anna@example.org', '--password', 'correct horse battery', '--role', 'admin'],
        env,
        again.io,
      ),
    ).toBe(1);
    expect(again.err.join('\n')).toMatch(/exists already/);
    const bad = io();
    expect(await runAdmin(['user:create', '--org', 'rueckkehr', '--email', 'b@example.org', '--password', 'short', '--role', 'boss'], env, bad.io)).toBe(2);
    expect(bad.err.join('\n')).toMatch(/--password: The password needs at least 12 characters/);
    expect(bad.err.join('\n')).toMatch(/--role/);
    const key = io();
    expect(await runAdmin(['apikey:create', '--email', 'anna@example.org'], env, key.io)).toBe(0);
    const token = key.out.join('\n').match(/hwk_[A-Za-z0-9_-]+/)?.[0];
    expect(token).toBeDefined();

    const db = await openDatabase({ dataDir });
    try {
      const stored = await db.prisma.user.findUniqueOrThrow({ where: { email: 'anna@example.org' } });
      expect(stored.passwordHash).toMatch(/^scrypt\$/);
      expect(await verifyPassword('correct horse battery', stored.passwordHash)).toBe(true);
      const keys = await db.prisma.apiKey.findMany({ where: { userId: stored.id } });
      expect(keys).toHaveLength(1);
      expect(keys[0]?.tokenHash).toBe(hashToken(token!));
      expect(JSON.stringify(keys)).not.toContain(token);
      // The one account path (createUserAccount): the same audit as an account made in the console.
      const created = await db.prisma.auditEvent.findMany({ where: { action: 'user_created', targetId: stored.id } });
      expect(created).toHaveLength(1);
      expect(created[0]).toMatchObject({
        organisationId: stored.organisationId,
        actorUserId: null,
        targetType: 'user',
        data: { role: 'counsellor', via: 'cli' },
      });
    } finally {
      await db.close();
    }
  });

  it('refuses politely while the server holds the embedded database', { timeout: 60_000 }, async () => {
    const held = await openDatabase({ dataDir });
    try {
      const result = io();
      expect(await runAdmin(['org:create', '--name', 'X', '--key', 'x-org'], env, result.io)).toBe(1);
      expect(result.err.join('\n')).toMatch(/in use by the running server.*Stop the server first/);
    } finally {
      await held.close();
    }
  });

  it('works on the PostgreSQL server of DATABASE_URL, not in DATA_DIR, when it is set', { timeout: 120_000 }, async () => {
    const name = `homeward_cli_${randomBytes(6).toString('hex')}`;
    const admin = new pg.Client({ connectionString: testPostgresUrl });
    await admin.connect();
    try {
      await admin.query(`CREATE DATABASE "${name}"`);
      const url = new URL(testPostgresUrl);
      url.pathname = `/${name}`;
      const otherDir = mkdtempSync(join(tmpdir(), 'homeward-admin-pg-'));
      const result = io();
      expect(
        await runAdmin(
          ['org:create', '--name', 'On Postgres', '--key', 'on-postgres'],
          { NODE_ENV: 'test', DATA_DIR: otherDir, DATABASE_URL: url.href },
          result.io,
        ),
      ).toBe(0);
      expect(existsSync(join(otherDir, 'pglite'))).toBe(false);
      const db = await openDatabase({ databaseUrl: url.href, dataDir: 'unused' });
      try {
        expect(await db.prisma.organisation.findUnique({ where: { widgetKey: 'on-postgres' }, select: { name: true } })).toEqual({ name: 'On Postgres' });
      } finally {
        await db.close();
      }
    } finally {
      await admin.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
      await admin.end();
    }
  });

  it('prints the usage for an unknown command', async () => {
    const result = io();
    expect(await runAdmin(['users:delete'], env, result.io)).toBe(2);
    expect(result.err.join('\n')).toContain('user:create --org KEY');
  });
});
