// Settings' `hideDraftLanguages` through the whole app (issue 17): the widget's language list and
// the bot's language question leave draft translations out, a new person whose language is hidden
// is served in English, and a conversation already in a hidden language carries on in it.
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningApp } from '../../src/app.js';
import { hashPassword } from '../../src/console/auth/password.js';
import { createConsoleRepository } from '../../src/store/repositories/console.js';
import { callConsole, loginToConsole, type ConsoleCaller } from '../support/console.js';
import { startTestApp } from '../support/app.js';

const password = 'a long enough password';
const widgetKey = `ngo-${randomUUID().slice(0, 8)}`;
const email = `admin-${randomUUID()}@example.org`;

let app: RunningApp;
let organisationId: string;
let admin: ConsoleCaller;

beforeAll(async () => {
  app = await startTestApp({ RETENTION_INTERVAL_MINUTES: '0' });
  organisationId = (await app.organisations.create({ name: 'NGO', widgetKey })).id;
  await createConsoleRepository(app.db.prisma).createUser({ organisationId, email, passwordHash: await hashPassword(password), role: 'admin' });
  admin = await loginToConsole(app.url, email, password);
}, 120_000);

afterAll(async () => {
  await app?.close();
});

interface WidgetLanguage {
  code: string;
  draft: boolean;
}
const widgetLanguages = async (): Promise<WidgetLanguage[]> =>
  ((await (await fetch(`${app.url}/v3/widget/config?key=${widgetKey}`)).json()) as { languages: WidgetLanguage[] }).languages;

/** A turn asking the bot's language question (Telegram's /language, the widget's menu) in a chat. */
const askLanguage = (channelRef: string, preferredLocales: string[]) =>
  app.turns.process({ organisationId, channel: 'web', channelRef, preferredLocales, event: { type: 'intent', intent: 'language' } });
const offeredInQuestion = (outcome: Awaited<ReturnType<typeof askLanguage>>) =>
  outcome.messages.find((message) => message.key === 'system:choose_language')?.choices.map((choice) => choice.value) ?? [];

describe('hiding draft languages', () => {
  const earlyChat = `chat-${randomUUID()}`;

  it('offers and marks every language while the setting is off', async () => {
    const settings = await callConsole(app.url, 'GET', '/console/api/admin/organisation', admin);
    expect((settings.json as { settings: { hideDraftLanguages: boolean } }).settings.hideDraftLanguages).toBe(false);
    expect((settings.json as { languages: WidgetLanguage[] }).languages).toContainEqual(expect.objectContaining({ code: 'am', draft: true }));
    const languages = await widgetLanguages();
    expect(languages).toContainEqual(expect.objectContaining({ code: 'en', draft: false }));
    expect(languages).toContainEqual(expect.objectContaining({ code: 'am', draft: true }));
    const outcome = await askLanguage(earlyChat, ['am']);
    expect(outcome.conversation.locale).toBe('am');
    expect(offeredInQuestion(outcome)).toContain('am');
  });

  it('refuses a setting that is not a boolean', async () => {
    const patch = await callConsole(app.url, 'PATCH', '/console/api/admin/organisation', admin, { hideDraftLanguages: 'yes' });
    expect(patch.status).toBe(400);
  });

  it('leaves drafts out of the widget list and the language question once an admin hides them', async () => {
    const patch = await callConsole(app.url, 'PATCH', '/console/api/admin/organisation', admin, { hideDraftLanguages: true });
    expect(patch.status).toBe(200);
    expect((patch.json as { changed: string[] }).changed).toEqual(['hideDraftLanguages']);

    const languages = await widgetLanguages();
    expect(languages.length).toBeGreaterThan(0);
    expect(languages.every((language) => !language.draft)).toBe(true);
    expect(languages.map((language) => language.code)).toContain('en');

    const outcome = await askLanguage(`chat-${randomUUID()}`, ['am']);
    // Amharic is hidden: the fallback chain's next language, English in the end.
    expect(outcome.conversation.locale).toBe('en');
    expect(offeredInQuestion(outcome)).toEqual(languages.map((language) => language.code));
  });

  it('lets a conversation already in a hidden language carry on in it', async () => {
    const outcome = await askLanguage(earlyChat, ['am']);
    expect(outcome.conversation.locale).toBe('am');
    expect(outcome.messages.every((message) => message.text.length > 0)).toBe(true);
    expect(offeredInQuestion(outcome)).not.toContain('am');
  });
});
