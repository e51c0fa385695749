// kill -9 between a turn's commit and its reply: the reply is in the outbox (stored in the turn's
// own statement), so the restarted process sends it, exactly once. A real child process on a real
// PostgreSQL schema, against the telegram-test-api emulator.
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { once } from 'node:events';
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { escapeHtml } from '../../src/channels/telegram/format.js';
import { openDatabase, type Database } from '../../src/store/client.js';
import { migrateDatabase } from '../../src/store/migrate.js';
import { testPostgresUrl } from '../support/databases.js';
import { projectRoot, shippedEngine } from '../support/engine.js';
import { startEmulator, type BotMessage, type Emulator } from './emulator.js';
import { buttonsOf, waitFor } from './support.js';

const token = '444444:crash-token';
const pgSchema = `test_${randomBytes(6).toString('hex')}`;
let emulator: Emulator;
let db: Database;
const children = new Set<ChildProcess>();

beforeAll(async () => {
  emulator = await startEmulator();
  // Migrated here once, so the children only find the schema ready.
  db = await openDatabase({ databaseUrl: testPostgresUrl, dataDir: 'unused', pgSchema });
  await migrateDatabase(db);
}, 120_000);

afterAll(async () => {
  for (const child of children) child.kill('SIGKILL');
  await db?.close();
  await emulator?.stop();
  const admin = new pg.Client({ connectionString: testPostgresUrl });
  await admin.connect();
  await admin.query(`DROP SCHEMA IF EXISTS "${pgSchema}" CASCADE`);
  await admin.end();
}, 60_000);

/** Starts the bot process and resolves once it is receiving. */
async function startBot(env: Record<string, string> = {}): Promise<ChildProcess> {
  // Node itself with tsx's loader (not the tsx wrapper), so the signal that ends it is its own.
  const child = spawn(process.execPath, ['--import', 'tsx', join(projectRoot, 'test', 'telegram', 'fixtures', 'bot-process.ts')], {
    cwd: projectRoot,
    env: { ...process.env, DATABASE_URL: testPostgresUrl, PG_SCHEMA: pgSchema, TELEGRAM_BOT_TOKEN: token, TELEGRAM_API_ROOT: emulator.apiRoot, ...env },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  children.add(child);
  child.once('exit', () => children.delete(child));
  await new Promise<void>((resolve, reject) => {
    let output = '';
    child.stdout?.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      if (output.includes('ready\n')) resolve();
    });
    child.once('exit', (code, signal) => reject(new Error(`the bot process ended before it was ready (${code ?? signal})`)));
  });
  return child;
}

describe('a Telegram bot killed between the commit and the send', () => {
  it('sends the stored reply once after the restart', { timeout: 240_000 }, async () => {
    const { localisation } = await shippedEngine();
    const en = (key: string) => escapeHtml(localisation.translatorFor('en')(key));
    const client = emulator.client(token, 95_001, 'en');

    const first = await startBot({ KILL_AFTER_COMMIT: '1' });
    const killed = once(first, 'exit');
    await client.command('/start');
    const [, signal] = (await killed) as [number | null, NodeJS.Signals | null];
    expect(signal).toBe('SIGKILL');

    // The turn is stored and its reply waits in the outbox; nothing reached the chat.
    const pending = await db.prisma.outboxMessage.count({ where: { status: 'pending', channel: 'telegram' } });
    expect(pending).toBe(2);
    expect(await client.received()).toEqual([]);
    expect(await db.prisma.conversation.count()).toBe(1);

    const second = await startBot();
    const welcome = await waitFor(async () => {
      const messages = await client.received();
      return messages.length >= 2 ? messages : undefined;
    }, 'the reply after the restart');
    await waitFor(async () => ((await db.prisma.outboxMessage.count({ where: { status: 'pending' } })) === 0 ? true : undefined), 'the outbox drained');
    expect(welcome.map((message: BotMessage) => message.text)).toEqual([en('bot:intake.welcome'), en('bot:intake.language')]);
    expect(buttonsOf(welcome[1]?.markup).length).toBeGreaterThan(1);
    expect(welcome.every((message) => message.parseMode === 'HTML')).toBe(true);

    // The person carries on with the restarted process; the killed turn was neither lost nor run twice.
    const english = buttonsOf(welcome[1]?.markup).find(([label]) => label === 'English')?.[1];
    await client.tap(english!, welcome[1]!.messageId);
    await waitFor(
      async () => ((await client.received()).some((message) => message.text === en('bot:intake.consent')) ? true : undefined),
      'the consent question',
    );
    const all = (await client.received()).map((message) => message.text);
    expect(all).toEqual([en('bot:intake.welcome'), en('bot:intake.language'), en('bot:intake.privacy_notice'), en('bot:intake.consent')]);
    expect((await db.prisma.conversation.findFirstOrThrow()).version).toBe(2);

    second.kill('SIGTERM');
    await once(second, 'exit');
  });
});
