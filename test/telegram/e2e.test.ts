// End to end over real HTTP on 127.0.0.1: the whole app against the telegram-test-api emulator,
// in polling and in webhook mode, and the outbox across a restart.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Update } from 'grammy/types';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningApp } from '../../src/app.js';
import { escapeHtml } from '../../src/channels/telegram/format.js';
import { startEmulator, type BotMessage, type EmulatedClient, type Emulator } from './emulator.js';
import { buttonsOf, callbackUpdate, editedUpdate, freePort, nonTextMessages, nonTextUpdate, replyKeyboardLabels, textUpdate, waitFor } from './support.js';
import { startTestApp } from '../support/app.js';

let emulator: Emulator;
const started: RunningApp[] = [];
beforeAll(async () => {
  emulator = await startEmulator();
});
afterAll(async () => {
  // Apps first: their pollers talk to the emulator.
  await Promise.all(started.map((app) => app.close()));
  await emulator?.stop();
});

async function start(env: Record<string, string>): Promise<RunningApp> {
  const app = await startTestApp({ ...env });
  started.push(app);
  return app;
}

async function stop(app: RunningApp): Promise<void> {
  started.splice(started.indexOf(app), 1);
  await app.close();
}

/** Waits until the chat has more than `count` bot messages and the newest matches `until`. */
async function nextMessages(client: EmulatedClient, count: number, until: (message: BotMessage) => boolean, what: string): Promise<BotMessage[]> {
  return waitFor(async () => {
    const all = await client.received();
    return all.length > count && all.some((message, index) => index >= count && until(message)) ? all.slice(count) : undefined;
  }, what);
}

const text = (app: RunningApp, locale: string, key: string, params?: Record<string, unknown>) =>
  escapeHtml(app.localisation.translatorFor(locale)(key, params));
const buttonData = (message: BotMessage | undefined, value: string) => buttonsOf(message?.markup).find(([, data]) => data.endsWith(`|${value}`))?.[1];

describe('Telegram in polling mode', () => {
  const token = '111111:polling-token';
  let app: RunningApp;
  beforeAll(async () => {
    app = await start({ TELEGRAM_BOT_TOKEN: token, TELEGRAM_API_ROOT: emulator.apiRoot });
  });

  it('carries a whole intake conversation with buttons and text', async () => {
    expect(app.telegram?.mode).toBe('polling');
    const client = emulator.client(token, 70_001, 'en');

    await client.command('/start');
    let seen = 0;
    const welcome = await nextMessages(client, seen, (message) => buttonsOf(message.markup).length > 0, 'the welcome with language buttons');
    expect(welcome[0]?.text).toBe(text(app, 'en', 'bot:intake.welcome'));
    expect(welcome.every((message) => message.parseMode === 'HTML')).toBe(true);
    expect(replyKeyboardLabels(welcome[0]?.markup)).toEqual(['Talk to a person']);
    seen += welcome.length;

    const steps: { act: (last: BotMessage) => Promise<void>; expect: string }[] = [
      { act: (last) => client.tap(buttonData(last, 'en')!, last.messageId), expect: 'bot:intake.consent' },
      { act: (last) => client.tap(buttonData(last, 'yes')!, last.messageId), expect: 'bot:intake.age_band' },
      { act: (last) => client.tap(buttonData(last, '18-59')!, last.messageId), expect: 'bot:counselling.safety' },
      { act: (last) => client.tap(buttonData(last, 'no')!, last.messageId), expect: 'bot:intake.host_country' },
      { act: () => client.send('Germany'), expect: 'bot:counselling.host_city' },
      { act: () => client.send('Talk to a person'), expect: 'system:handoff_requested' },
    ];
    let last = welcome.at(-1)!;
    for (const step of steps) {
      await step.act(last);
      const wanted = text(app, 'en', step.expect);
      const batch = await nextMessages(client, seen, (message) => message.text === wanted, step.expect);
      seen += batch.length;
      last = batch.at(-1)!;
    }

    const conversation = await app.conversations.findByChannelRef('telegram', String(client.chatId));
    expect(conversation).toMatchObject({
      status: 'queued',
      locale: 'en',
      flowState: { answers: { ageBand: '18-59', safetyConcern: 'no', hostCountry: 'DE' }, consent: 'given' },
    });
  }, 120_000);

  it('answers /start in Arabic for an Arabic Telegram, and keeps the chats apart', async () => {
    const arabic = emulator.client(token, 70_002, 'ar');
    const english = emulator.client(token, 70_003, 'en');
    await Promise.all([arabic.command('/start'), english.command('/start')]);
    const [ar, en] = await Promise.all([
      nextMessages(arabic, 0, (message) => buttonsOf(message.markup).length > 0, 'the Arabic welcome'),
      nextMessages(english, 0, (message) => buttonsOf(message.markup).length > 0, 'the English welcome'),
    ]);
    expect(ar.map((message) => message.text)).toEqual([text(app, 'ar', 'bot:intake.welcome'), text(app, 'ar', 'bot:intake.language')]);
    expect(en.map((message) => message.text)).toEqual([text(app, 'en', 'bot:intake.welcome'), text(app, 'en', 'bot:intake.language')]);
  });
});

describe('Telegram in webhook mode', () => {
  const token = '222222:webhook-token';
  const secret = 'S3cret-'.repeat(6);
  let app: RunningApp;
  let webhookUrl: string;

  beforeAll(async () => {
    const port = await freePort();
    webhookUrl = `http://127.0.0.1:${port}/telegram/webhook`;
    app = await start({
      PORT: String(port),
      TELEGRAM_BOT_TOKEN: token,
      TELEGRAM_API_ROOT: emulator.apiRoot,
      TELEGRAM_WEBHOOK_URL: webhookUrl,
      TELEGRAM_WEBHOOK_SECRET: secret,
    });
    await waitFor(() => (emulator.webhooks.some((hook) => hook.token === token) ? true : undefined), 'the webhook registration');
  });

  const post = (body: unknown, secretToken: string | null = secret) =>
    fetch(webhookUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...(secretToken !== null ? { 'x-telegram-bot-api-secret-token': secretToken } : {}) },
      body: JSON.stringify(body),
    });

  it('registers the webhook with its secret at start', () => {
    expect(emulator.webhooks.find((hook) => hook.token === token)?.body).toMatchObject({ url: webhookUrl, secret_token: secret });
    expect(app.telegram?.mode).toBe('webhook');
  });

  it('refuses a missing or wrong secret with 401 and processes nothing', async () => {
    const update = textUpdate(80_001, '/start', { languageCode: 'en' });
    for (const wrong of [null, '', 'x', `${secret.slice(0, -1)}X`, `${secret}X`]) {
      const response = await post(update, wrong);
      expect(response.status, String(wrong)).toBe(401);
    }
    expect(await app.conversations.findByChannelRef('telegram', '80001')).toBeNull();
    expect((await post({ update_id: 'nope' })).status).toBe(400);
  });

  it('processes the same update delivered twice once', async () => {
    const client = emulator.client(token, 80_002);
    const update = textUpdate(80_002, '/start', { languageCode: 'en', updateId: 900_001 });
    expect((await post(update)).status).toBe(200);
    const first = await client.received();
    expect(first.length).toBe(2);
    expect((await post(update)).status).toBe(200);
    expect(await client.received()).toHaveLength(2);
    expect((await app.conversations.findByChannelRef('telegram', '80002'))?.version).toBe(1);
  });

  it("answers a stale button with the engine's notice and the current question", async () => {
    const client = emulator.client(token, 80_003);
    await post(textUpdate(80_003, '/start', { languageCode: 'en' }));
    const english = buttonData((await client.received()).at(-1), 'en')!;
    await post(callbackUpdate(80_003, english));
    const before = (await client.received()).length;
    await post(callbackUpdate(80_003, english));
    const after = (await client.received()).slice(before);
    expect(after.map((message) => message.text)).toEqual([text(app, 'en', 'system:stale_choice'), text(app, 'en', 'bot:intake.consent')]);
  });

  it('answers a 5,000-character message politely and stores nothing of it', async () => {
    const client = emulator.client(token, 80_004);
    await post(textUpdate(80_004, '/start', { languageCode: 'ar' }));
    const before = (await client.received()).length;
    const version = (await app.conversations.findByChannelRef('telegram', '80004'))?.version;
    expect((await post(textUpdate(80_004, 'ب'.repeat(5_000), { languageCode: 'ar' }))).status).toBe(200);
    expect((await client.received()).slice(before).map((message) => message.text)).toEqual([text(app, 'ar', 'system:error.too_long', { max: 2000 })]);
    expect((await app.conversations.findByChannelRef('telegram', '80004'))?.version).toBe(version);
  });

  it("answers each kind it cannot take, and an edited message, in the person's language", async () => {
    const kinds = Object.keys(nonTextMessages) as (keyof typeof nonTextMessages)[];
    for (const [index, kind] of kinds.entries()) {
      const chatId = 80_100 + index;
      expect((await post(nonTextUpdate(chatId, kind, 'ar'))).status).toBe(200);
      expect(
        (await emulator.client(token, chatId).received()).map((message) => message.text),
        kind,
      ).toEqual([text(app, 'ar', 'telegram:unsupported.media')]);
    }
    expect((await post(editedUpdate(80_200, 'en'))).status).toBe(200);
    expect((await emulator.client(token, 80_200).received()).map((message) => message.text)).toEqual([text(app, 'en', 'telegram:unsupported.edited')]);
  });

  it('explains in a group chat that it works in private chats only, and stores nothing', async () => {
    const count = () => Promise.all([app.db.prisma.conversation.count(), app.db.prisma.message.count(), app.db.prisma.inboundReceipt.count()]);
    const before = await count();
    const update: Update = textUpdate(-80_300, '/start', { chatType: 'group', languageCode: 'en' });
    expect((await post(update)).status).toBe(200);
    expect((await emulator.client(token, -80_300).received()).map((message) => message.text)).toEqual([
      text(app, 'en', 'telegram:private_only', { bot: '@TestNameBot' }),
    ]);
    expect(await count()).toEqual(before);
  });
});

describe('the Telegram outbox across a restart', () => {
  const token = '333333:outbox-token';

  it('delivers a message accepted before the process stopped, once, after the restart', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'homeward-outbox-'));
    const chatId = 90_001;
    // The first process accepts a counsellor's reply and stops before any sender ran (Telegram is off).
    const first = await start({ DATA_DIR: dataDir });
    const organisation = await first.organisations.findDefault();
    const outcome = await first.turns.process({
      organisationId: organisation!.id,
      channel: 'telegram',
      channelRef: String(chatId),
      preferredLocales: ['en'],
      event: { type: 'start' },
    });
    await first.outbox.enqueue({
      conversationId: outcome.conversation.id,
      channel: 'telegram',
      payload: { text: 'A counsellor <Amira> writes: see you at 10 & bring papers.' },
    });
    await stop(first);

    const second = await start({ DATA_DIR: dataDir, TELEGRAM_BOT_TOKEN: token, TELEGRAM_API_ROOT: emulator.apiRoot });
    const client = emulator.client(token, chatId);
    const delivered = await waitFor(async () => {
      const messages = await client.received();
      return messages.length > 0 ? messages : undefined;
    }, 'the outbox message');
    await waitFor(async () => ((await second.outbox.countByStatus(outcome.conversation.id)).sent === 1 ? true : undefined), 'the message marked sent');
    await stop(second);

    expect(delivered.map((message) => message.text)).toEqual(['A counsellor &lt;Amira&gt; writes: see you at 10 &amp; bring papers.']);
    expect(await client.received()).toHaveLength(1);

    // A third start finds nothing left to send.
    const third = await start({ DATA_DIR: dataDir, TELEGRAM_BOT_TOKEN: token, TELEGRAM_API_ROOT: emulator.apiRoot });
    expect(await third.outbox.countByStatus(outcome.conversation.id)).toEqual({ pending: 0, sent: 1, failed: 0 });
    await stop(third);
    expect(await client.received()).toHaveLength(1);
  }, 180_000);
});
