import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runAdmin } from '../../src/console/cli/admin.js';
import { keyIdOf, parseKey } from '../../src/crypto/field-cipher.js';
import { cipherFromKeys } from '../../src/privacy/keys.js';
import { LOGIN_THROTTLE_STALE_MS } from '../../src/privacy/retention.js';
import { developmentDataKeys } from '../../src/secrets.js';
import { openDatabase } from '../../src/store/client.js';
import { migrateDatabase } from '../../src/store/migrate.js';
import { createConversationRepository } from '../../src/store/repositories/conversations.js';
import { createOrganisationRepository } from '../../src/store/repositories/organisations.js';
import { rawRows } from './support.js';

function io() {
  const out: string[] = [];
  const err: string[] = [];
  return { out, err, io: { out: (line: string) => out.push(line), err: (line: string) => err.push(line) } };
}

describe('npm run admin: keys and retention', () => {
  it('keys:rotate --generate re-encrypts under a new development key; retention:set and retention:run delete what expired', { timeout: 300_000 }, async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'homeward-privacy-'));
    const env = { NODE_ENV: 'test', DATA_DIR: dataDir };
    // Instances starting together on a fresh folder agree on one key.
    const [first, ...others] = await Promise.all([1, 2, 3, 4].map(() => developmentDataKeys(dataDir)));
    expect(others.map((keys) => keys.key)).toEqual([first!.key, first!.key, first!.key]);
    expect(readFileSync(join(dataDir, 'data-encryption-key.json'), 'utf8')).toContain(first!.key);

    let db = await openDatabase({ dataDir });
    let conversationId: string;
    try {
      await migrateDatabase(db);
      const org = await createOrganisationRepository(db.prisma).create({ name: 'NGO', widgetKey: 'ngo' });
      const conversations = createConversationRepository(db.prisma, { cipher: cipherFromKeys({ key: first!.key, oldKeys: [] }) });
      const conversation = await conversations.create({
        organisationId: org.id,
        channel: 'web',
        channelRef: 'r1',
        locale: 'en',
        flowState: { v: 1, answers: { name: 'Karim' } },
      });
      conversationId = conversation.id;
      await conversations.commitTurn({
        conversationId,
        expectedVersion: 0,
        locale: 'en',
        flowState: { v: 1, answers: { name: 'Karim' } },
        messages: [{ author: 'client', text: 'I am Karim' }],
      });
    } finally {
      await db.close();
    }

    const rotate = io();
    expect(await runAdmin(['keys:rotate', '--generate'], env, rotate.io)).toBe(0);
    expect(rotate.out.join('\n')).toMatch(/Message\.text: 1 of 1 values re-encrypted/);
    const second = await developmentDataKeys(dataDir);
    expect(second.key).not.toBe(first!.key);
    expect(second.oldKeys).toEqual([first!.key]);
    const newId = keyIdOf(parseKey(second.key)!);

    db = await openDatabase({ dataDir });
    try {
      const [row] = await rawRows(db, 'Conversation');
      expect(JSON.parse(row ?? '{}')).toMatchObject({ flowState: expect.stringMatching(new RegExp(`^hwe1\\.${newId}\\.`)) });
      const onlyNew = createConversationRepository(db.prisma, { cipher: cipherFromKeys({ key: second.key, oldKeys: [] }) });
      expect((await onlyNew.listMessages(conversationId))[0]?.text).toBe('I am Karim');
      await db.prisma.$executeRaw`UPDATE "Conversation" SET "updatedAt" = now() - interval '3 days'`;
    } finally {
      await db.close();
    }

    expect(await runAdmin(['retention:set', '--org', 'ngo', '--idle-days', '0'], env, io().io)).toBe(2);
    const set = io();
    expect(await runAdmin(['retention:set', '--org', 'ngo', '--idle-days', '2'], env, set.io)).toBe(0);
    expect(set.out.join('\n')).toMatch(/90 days, unfinished ones 2 days/);
    const run = io();
    expect(await runAdmin(['retention:run'], env, run.io)).toBe(0);
    expect(run.out.join('\n')).toMatch(/deleted 1 conversations, 0 referrals and 1 messages/);

    const refused = io();
    expect(await runAdmin(['keys:rotate', '--generate'], { ...env, DATA_ENCRYPTION_KEY: second.key }, refused.io)).toBe(2);
    expect(refused.err.join('\n')).toMatch(/DATA_ENCRYPTION_OLD_KEYS/);
  });

  it('retention:run also deletes expired console sessions and stale login throttles, as the server does', { timeout: 120_000 }, async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'homeward-logins-'));
    const env = { NODE_ENV: 'test', DATA_DIR: dataDir };
    const now = Date.now();
    const db = await openDatabase({ dataDir });
    try {
      await migrateDatabase(db);
      const org = await createOrganisationRepository(db.prisma).create({ name: 'NGO', widgetKey: 'ngo' });
      const user = await db.prisma.user.create({ data: { organisationId: org.id, email: 'a@example.org', passwordHash: 'scrypt$x', role: 'admin' } });
      await db.prisma.consoleSession.createMany({
        data: [
          { tokenHash: 'expired', userId: user.id, csrfToken: 'c1', expiresAt: new Date(now - 60_000) },
          { tokenHash: 'live', userId: user.id, csrfToken: 'c2', expiresAt: new Date(now + 3_600_000) },
        ],
      });
      await db.prisma.loginThrottle.createMany({
        data: [
          { key: 'stale', failures: 3, windowStart: new Date(now - LOGIN_THROTTLE_STALE_MS - 60_000) },
          { key: 'recent', failures: 3, windowStart: new Date(now - 60_000) },
        ],
      });
    } finally {
      await db.close();
    }

    const run = io();
    expect(await runAdmin(['retention:run'], env, run.io)).toBe(0);
    expect(run.out.join('\n')).toMatch(/deleted 1 expired console sessions and 1 stale login throttles/);

    const after = await openDatabase({ dataDir });
    try {
      expect((await after.prisma.consoleSession.findMany({ select: { tokenHash: true } })).map((row) => row.tokenHash)).toEqual(['live']);
      expect((await after.prisma.loginThrottle.findMany({ select: { key: true } })).map((row) => row.key)).toEqual(['recent']);
    } finally {
      await after.close();
    }
  });
});
