// The Telegram adapter driven through `bot.handleUpdate`, with a preset botInfo and every Bot API
// call captured (no network), against a real database.
import { pino } from 'pino';
import { beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { decodeButton } from '../../src/channels/telegram/callback-data.js';
import { createTelegramBot } from '../../src/channels/telegram/bot.js';
import { registerCommands } from '../../src/channels/telegram/commands.js';
import { escapeHtml } from '../../src/channels/telegram/format.js';
import type { EngineContext } from '../../src/engine/types.js';
import type { Localisation } from '../../src/i18n/index.js';
import { createConversationRepository } from '../../src/store/repositories/conversations.js';
import { createOrganisationRepository } from '../../src/store/repositories/organisations.js';
import { createOutboxRepository } from '../../src/store/repositories/outbox.js';
import { useTestDatabase } from '../support/databases.js';
import { shippedEngine } from '../support/engine.js';
import { silentLogger, turnProcessorFor } from '../support/turns.js';
import {
  botInfo,
  buttonsOf,
  callbackUpdate,
  captureApi,
  channelPostUpdate,
  editedUpdate,
  membershipUpdate,
  nonTextMessages,
  nonTextUpdate,
  replyKeyboardLabels,
  testToken,
  textUpdate,
} from './support.js';

let engine: EngineContext;
let localisation: Localisation;
beforeAll(async () => ({ ctx: engine, localisation } = await shippedEngine()));

const database = useTestDatabase('pglite');
let nextChat = 5_000;

function setup(logger = silentLogger) {
  const db = database();
  const conversations = createConversationRepository(db.prisma);
  const organisations = createOrganisationRepository(db.prisma);
  const outbox = createOutboxRepository(db.prisma);
  const bot = createTelegramBot({ token: testToken, botInfo, turns: turnProcessorFor(db, engine), conversations, organisations, outbox, localisation, logger });
  const api = captureApi(bot);
  return { bot, api, conversations, organisations, chatId: nextChat++ };
}

const en = (key: string, params?: Record<string, unknown>) => escapeHtml(localisation.translatorFor('en')(key, params));
const ar = (key: string, params?: Record<string, unknown>) => escapeHtml(localisation.translatorFor('ar')(key, params));
const countConversations = () => database().prisma.conversation.count();

describe('the Telegram adapter', () => {
  beforeAll(async () => {
    await createOrganisationRepository(database().prisma).ensureDemoOrganisation();
  });

  it("answers /start in the sender's language with inline buttons, as HTML, and stores the conversation", async () => {
    const { bot, api, conversations, chatId } = setup();
    await bot.handleUpdate(textUpdate(chatId, '/start', { languageCode: 'ar' }));

    const sent = api.sent();
    expect(sent.map((message) => message.text)).toEqual([ar('bot:intake.welcome'), ar('bot:intake.language')]);
    expect(api.calls.filter((call) => call.method === 'sendMessage').every((call) => call.payload.parse_mode === 'HTML')).toBe(true);
    // A message without buttons carries the reply keyboard that keeps "talk to a person" in reach.
    expect(replyKeyboardLabels(sent[0]?.markup)).toEqual([localisation.translatorFor('ar')('telegram:keyboard.talk_to_person')]);
    const buttons = buttonsOf(sent[1]?.markup);
    expect(buttons.map(([label]) => label)).toEqual(expect.arrayContaining(['English', 'العربية']));
    for (const [, data] of buttons) {
      expect(Buffer.byteLength(data)).toBeLessThanOrEqual(64);
      expect(decodeButton(data)).toMatchObject({ node: 'language' });
    }
    expect(await conversations.findByChannelRef('telegram', String(chatId))).toMatchObject({ locale: 'ar', channel: 'telegram' });
  });

  it('selects the organisation by the deep-link payload, and the default one without a known payload', async () => {
    const { bot, conversations, organisations, chatId } = setup();
    const ngo = await organisations.create({ name: 'NGO', widgetKey: 'ngo-key_1' });
    await bot.handleUpdate(textUpdate(chatId, '/start ngo-key_1', { languageCode: 'en' }));
    expect((await conversations.findByChannelRef('telegram', String(chatId)))?.organisationId).toBe(ngo.id);

    const other = setup();
    await other.bot.handleUpdate(textUpdate(other.chatId, '/start unknown-key', { languageCode: 'en' }));
    const demo = await organisations.findDefault();
    expect((await conversations.findByChannelRef('telegram', String(other.chatId)))?.organisationId).toBe(demo?.id);
  });

  it('takes button taps, always answers the callback query, and treats a stale button politely', async () => {
    const { bot, api, chatId } = setup();
    await bot.handleUpdate(textUpdate(chatId, '/start', { languageCode: 'en' }));
    const languageButtons = buttonsOf(api.sent().at(-1)?.markup);
    const english = languageButtons.find(([label]) => label === 'English')?.[1];
    expect(english).toBeDefined();

    api.clear();
    await bot.handleUpdate(callbackUpdate(chatId, english!));
    expect(api.calls[0]?.method).toBe('answerCallbackQuery');
    expect(api.sent().map((message) => message.text)).toEqual([en('bot:intake.privacy_notice'), en('bot:intake.consent')]);

    // The language question's button again: that question is gone.
    api.clear();
    await bot.handleUpdate(callbackUpdate(chatId, english!));
    expect(api.calls[0]?.method).toBe('answerCallbackQuery');
    expect(api.sent().map((message) => message.text)).toEqual([en('system:stale_choice'), en('bot:intake.consent')]);

    // A button the bot cannot read at all counts as stale too.
    api.clear();
    await bot.handleUpdate(callbackUpdate(chatId, 'garbage-from-an-old-bot'));
    expect(api.calls.map((call) => call.method)).toEqual(['answerCallbackQuery', 'sendMessage', 'sendMessage']);
    expect(api.sent()[0]?.text).toBe(en('system:stale_choice'));
  });

  it('processes one update once, even delivered twice', async () => {
    const { bot, api, conversations, chatId } = setup();
    const update = textUpdate(chatId, '/start', { languageCode: 'en' });
    await bot.handleUpdate(update);
    const first = api.sent().length;
    await bot.handleUpdate(update);
    expect(api.sent()).toHaveLength(first);
    const conversation = await conversations.findByChannelRef('telegram', String(chatId));
    expect(conversation?.version).toBe(1);
  });

  it('maps the commands and the "talk to a person" button to the engine\'s intents', async () => {
    const { bot, api, chatId } = setup();
    await bot.handleUpdate(textUpdate(chatId, '/start', { languageCode: 'en' }));
    const cases: [string, string][] = [
      ['/help', 'system:help'],
      ['/language@HomewardTestBot', 'system:choose_language'],
      ['/counsellor', 'system:handoff_requested'],
      ['/withdraw', 'system:consent_not_given'],
      ['/forget', 'system:erase_confirm'],
    ];
    for (const [command, key] of cases) {
      api.clear();
      await bot.handleUpdate(textUpdate(chatId, command, { languageCode: 'en' }));
      expect(
        api.sent().map((message) => message.text),
        command,
      ).toContain(en(key));
    }
    api.clear();
    await bot.handleUpdate(textUpdate(chatId, '/help@SomeOtherBot'));
    expect(api.calls).toEqual([]);

    const other = setup();
    await other.bot.handleUpdate(textUpdate(other.chatId, '/start', { languageCode: 'ar' }));
    other.api.clear();
    await other.bot.handleUpdate(textUpdate(other.chatId, localisation.translatorFor('ar')('telegram:keyboard.talk_to_person')));
    expect(other.api.sent().map((message) => message.text)).toContain(ar('system:handoff_requested'));
  });

  it("answers every kind it cannot take politely, in the person's language, and stores nothing", async () => {
    const before = await countConversations();
    for (const kind of Object.keys(nonTextMessages) as (keyof typeof nonTextMessages)[]) {
      const { bot, api, chatId } = setup();
      await bot.handleUpdate(nonTextUpdate(chatId, kind, 'ar'));
      expect(
        api.sent().map((message) => message.text),
        kind,
      ).toEqual([ar('telegram:unsupported.media')]);
    }
    const edited = setup();
    await edited.bot.handleUpdate(editedUpdate(edited.chatId, 'en'));
    expect(edited.api.sent().map((message) => message.text)).toEqual([en('telegram:unsupported.edited')]);

    const channel = setup();
    await channel.bot.handleUpdate(channelPostUpdate(-100123));
    expect(channel.api.calls).toEqual([]);
    expect(await countConversations()).toBe(before);
  });

  it('answers a photo delivered twice once, even when a fresh process gets the second delivery', async () => {
    const { bot, api, chatId } = setup();
    await bot.handleUpdate(textUpdate(chatId, '/start', { languageCode: 'en' }));
    api.clear();
    const photo = nonTextUpdate(chatId, 'photo', 'en');
    await bot.handleUpdate(photo);
    await bot.handleUpdate(photo);
    expect(api.sent().map((message) => message.text)).toEqual([en('telegram:unsupported.media')]);
    // Another process (a restart, another instance) finds the update's receipt.
    const restarted = setup();
    await restarted.bot.handleUpdate(photo);
    expect(restarted.api.sent()).toEqual([]);
    // A new photo is a new update: answered again.
    await restarted.bot.handleUpdate(nonTextUpdate(chatId, 'sticker', 'en'));
    expect(restarted.api.sent().map((message) => message.text)).toEqual([en('telegram:unsupported.media')]);

    // A chat with no conversation keeps no receipt; the process still answers its update once.
    const stranger = setup();
    const first = nonTextUpdate(stranger.chatId, 'sticker', 'en');
    await stranger.bot.handleUpdate(first);
    await stranger.bot.handleUpdate(first);
    expect(stranger.api.sent().map((message) => message.text)).toEqual([en('telegram:unsupported.media')]);
  });

  it('refuses a 5,000-character message politely without storing it', async () => {
    const { bot, api, conversations, chatId } = setup();
    await bot.handleUpdate(textUpdate(chatId, '/start', { languageCode: 'en' }));
    const version = (await conversations.findByChannelRef('telegram', String(chatId)))?.version;
    api.clear();
    await bot.handleUpdate(textUpdate(chatId, 'x'.repeat(5_000), { languageCode: 'en' }));
    expect(api.sent().map((message) => message.text)).toEqual([en('system:error.too_long', { max: 2000 })]);
    expect((await conversations.findByChannelRef('telegram', String(chatId)))?.version).toBe(version);
  });

  it('explains in group chats that it works in private chats only, and stores nothing', async () => {
    const before = await countConversations();
    const receiptsBefore = await database().prisma.inboundReceipt.count();
    const { bot, api } = setup();
    await bot.handleUpdate(textUpdate(-4242, '/start', { chatType: 'group', languageCode: 'en' }));
    await bot.handleUpdate(textUpdate(-4242, 'hello', { chatType: 'supergroup', languageCode: 'ar' }));
    await bot.handleUpdate(callbackUpdate(-4242, 'c|language|en', { chatType: 'group' }));
    expect(api.sent().map((message) => message.text)).toEqual([
      en('telegram:private_only', { bot: `@${botInfo.username}` }),
      ar('telegram:private_only', { bot: `@${botInfo.username}` }),
      en('telegram:private_only', { bot: `@${botInfo.username}` }),
    ]);
    expect(api.calls.filter((call) => call.method === 'answerCallbackQuery')).toHaveLength(1);
    expect(await countConversations()).toBe(before);
    expect(await database().prisma.inboundReceipt.count()).toBe(receiptsBefore);
  });

  it('marks the conversation unreachable when the person blocked the bot, and reachable when they write again', async () => {
    const { bot, api, conversations, chatId } = setup();
    await bot.handleUpdate(textUpdate(chatId, '/start', { languageCode: 'en' }));
    const id = (await conversations.findByChannelRef('telegram', String(chatId)))!.id;
    api.fail('sendMessage', 403, 'Forbidden: bot was blocked by the user');
    await bot.handleUpdate(textUpdate(chatId, '/help', { languageCode: 'en' }));
    const unreachable = async () => (await database().prisma.conversation.findUniqueOrThrow({ where: { id } })).unreachableAt;
    expect(await unreachable()).toBeInstanceOf(Date);

    const healthy = setup();
    await healthy.bot.handleUpdate(textUpdate(chatId, '/help', { languageCode: 'en' }));
    expect(await unreachable()).toBeNull();
  });

  it("follows Telegram's notices of being blocked, unblocked and added to a group", async () => {
    const { bot, api, conversations, chatId } = setup();
    await bot.handleUpdate(textUpdate(chatId, '/start', { languageCode: 'en' }));
    const id = (await conversations.findByChannelRef('telegram', String(chatId)))!.id;
    const unreachable = async () => (await database().prisma.conversation.findUniqueOrThrow({ where: { id } })).unreachableAt;
    await bot.handleUpdate(membershipUpdate(chatId, 'kicked'));
    expect(await unreachable()).toBeInstanceOf(Date);
    await bot.handleUpdate(membershipUpdate(chatId, 'member'));
    expect(await unreachable()).toBeNull();

    const before = await countConversations();
    api.clear();
    await bot.handleUpdate(membershipUpdate(-777, 'member', 'group'));
    expect(api.sent().map((message) => message.text)).toEqual([en('telegram:private_only', { bot: `@${botInfo.username}` })]);
    expect(await countConversations()).toBe(before);
  });

  it('survives a Bot API that refuses the command menu, and sets it per language otherwise', async () => {
    const { bot, api } = setup();
    api.fail('setMyCommands', 400, 'Bad Request: not supported');
    const warnings: unknown[] = [];
    const logger = silentLogger.child({});
    logger.warn = ((...args: unknown[]) => void warnings.push(args)) as typeof logger.warn;
    await expect(registerCommands(bot.api, localisation, logger)).resolves.toBeUndefined();
    expect(warnings.length).toBeGreaterThan(0);

    const ok = setup();
    await registerCommands(ok.bot.api, localisation, silentLogger);
    const menus = ok.api.calls.filter((call) => call.method === 'setMyCommands');
    const twoLetter = localisation.locales.map((locale) => locale.code).filter((code) => /^[a-z]{2}$/.test(code));
    expect(twoLetter).toEqual(expect.arrayContaining(['en', 'ar']));
    expect(menus.map((call) => call.payload.language_code)).toEqual([undefined, ...twoLetter]);
    const arabic = menus.find((call) => call.payload.language_code === 'ar');
    expect(arabic?.payload.commands).toContainEqual({ command: 'counsellor', description: localisation.translatorFor('ar')('telegram:commands.counsellor') });
    // Consent withdrawal is offered in every menu, in the menu's own language (not the English fallback).
    const english = localisation.translatorFor('en')('telegram:commands.withdraw');
    const menuSchema = z.array(z.object({ command: z.string(), description: z.string() }));
    for (const menu of menus) {
      const code = typeof menu.payload.language_code === 'string' ? menu.payload.language_code : 'en';
      const withdraw = menuSchema.parse(menu.payload.commands).find((command) => command.command === 'withdraw');
      expect(withdraw?.description, code).toBe(localisation.translatorFor(code)('telegram:commands.withdraw'));
      if (code !== 'en') expect(withdraw?.description, code).not.toBe(english);
    }
  });

  it('logs failures with the conversation id and never what anyone wrote', async () => {
    const lines: string[] = [];
    const logger = pino({ level: 'debug' }, { write: (line: string) => void lines.push(line) });
    const { bot, api, conversations, chatId } = setup(logger);
    await bot.handleUpdate(textUpdate(chatId, '/start', { languageCode: 'en' }));
    api.fail('sendMessage', 400, 'Bad Request: something');
    await bot.handleUpdate(textUpdate(chatId, 'my secret name is Zeynep', { languageCode: 'en' }));
    const id = (await conversations.findByChannelRef('telegram', String(chatId)))!.id;
    const failure = lines.find((line) => line.includes('sending the reply failed'));
    expect(failure).toContain(id);
    expect(failure).toContain('Bad Request: something');
    expect(lines.join('\n')).not.toMatch(/Zeynep|Hello\. I am Homeward|Which language/);
  });
});
