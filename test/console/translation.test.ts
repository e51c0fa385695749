// Live translation for counsellors (issue 20, items 1-3) through the whole app and real HTTP,
// against a local stand-in that speaks LibreTranslate's API (a real LibreTranslate is a drop-in):
// the person's words in the counsellor's language with the original kept, the counsellor's sent
// translated with a note, the engine slow or down (the text goes as written, marked), the cache
// (the stand-in counts calls; sealed at rest) and erasure.
import { randomUUID } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import express from 'express';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningApp } from '../../src/app.js';
import { hashPassword } from '../../src/console/auth/password.js';
import { Erasure } from '../../src/privacy/erasure.js';
import { createLibreTranslate } from '../../src/translation/libretranslate.js';
import { TranslationError } from '../../src/translation/port.js';
import { createConsoleRepository } from '../../src/store/repositories/console.js';
import { createPrivacyRepository } from '../../src/store/repositories/privacy.js';
import { startTestApp } from '../support/app.js';
import { callConsole, loginToConsole, type ConsoleCaller } from '../support/console.js';
import { silentLogger, webTurn } from '../support/turns.js';

const TIMEOUT_MS = 600;
const password = 'a long enough password';

/** The stand-in engine: `[target] q`, every call recorded; `slow` answers after the timeout, `close()` refuses connections. */
const engine = {
  mode: 'ok' as 'ok' | 'slow',
  calls: [] as { q: string; source: string; target: string; api_key?: string }[],
  server: undefined as Server | undefined,
  url: '',
};

let app: RunningApp;
let counsellor: ConsoleCaller;
let organisationId: string;
const channelRef = `chat-${randomUUID()}`;
let conversationId: string;
let referralId: string;

interface TranscriptItem {
  seq: number;
  author: string;
  text: string;
  translated: string | null;
  translation: 'machine' | 'failed' | null;
  original: string | null;
}
interface Transcript {
  translationAvailable: boolean;
  messages: TranscriptItem[];
}

const transcript = async () => {
  const answer = await callConsole(app.url, 'GET', `/console/api/referrals/${referralId}/transcript?lang=de`, counsellor);
  expect(answer.status).toBe(200);
  return answer.json as Transcript;
};
const byText = (data: Transcript, text: string) => data.messages.find((message) => message.text === text);
const say = (text: string) => app.turns.process(webTurn(organisationId, channelRef, text));
const send = (body: unknown) => callConsole(app.url, 'POST', `/console/api/referrals/${referralId}/messages`, counsellor, body);
const callsFor = (q: string) => engine.calls.filter((call) => call.q === q).length;

beforeAll(async () => {
  const stand = express();
  stand.use(express.json());
  stand.post('/translate', async (req, res) => {
    const body = req.body as { q: string; source: string; target: string; format: string; api_key?: string };
    engine.calls.push({ q: body.q, source: body.source, target: body.target, ...(body.api_key ? { api_key: body.api_key } : {}) });
    if (engine.mode === 'slow') await new Promise((resolve) => setTimeout(resolve, TIMEOUT_MS * 4));
    if (body.format !== 'text') return void res.status(400).json({ error: 'format' });
    res.json({ translatedText: `[${body.target}] ${body.q}` });
  });
  // An answer of the wrong shape, as a misconfigured proxy might give.
  stand.post('/wrong/translate', (_req, res) => {
    res.json({ text: 'not the API' });
  });
  stand.get('/languages', (_req, res) => {
    res.json([
      { code: 'en', name: 'English', targets: ['de'] },
      { code: 'de', name: 'German', targets: ['en'] },
    ]);
  });
  engine.server = createServer(stand);
  await new Promise<void>((resolve) => engine.server!.listen(0, '127.0.0.1', resolve));
  engine.url = `http://127.0.0.1:${(engine.server.address() as AddressInfo).port}`;

  app = await startTestApp({
    RETENTION_INTERVAL_MINUTES: '0',
    TRANSLATION_URL: engine.url,
    TRANSLATION_API_KEY: 'stand-in-key',
    TRANSLATION_TIMEOUT_MS: String(TIMEOUT_MS),
  });
  organisationId = (await app.organisations.findByWidgetKey('demo'))!.id;
  const email = `counsellor-${randomUUID()}@example.org`;
  await createConsoleRepository(app.db.prisma).createUser({ organisationId, email, passwordHash: await hashPassword(password), role: 'counsellor' });
  counsellor = await loginToConsole(app.url, email, password);

  // The person: an English chat that consented, asked for a person, then wrote while waiting.
  await app.turns.process(webTurn(organisationId, channelRef, { type: 'start' }));
  await say('English');
  await say('yes');
  await app.turns.process(webTurn(organisationId, channelRef, { type: 'intent', intent: 'handoff' }));
  conversationId = (await app.conversations.findByChannelRef('web', channelRef))!.id;
  referralId = (await app.handoff.list(organisationId, ['new'])).find((referral) => referral.conversationId === conversationId)!.id;
  await say('My papers were taken at the border');
  expect((await callConsole(app.url, 'POST', `/console/api/referrals/${referralId}/claim`, counsellor, {})).status).toBe(200);
}, 120_000);

afterAll(async () => {
  await app?.close();
  if (engine.server?.listening) await new Promise((resolve) => engine.server?.close(resolve));
});

describe('live translation for counsellors', () => {
  it("shows the person's typed words in the counsellor's language, the original kept, and bot lines as before", async () => {
    const data = await transcript();
    expect(data.translationAvailable).toBe(true);
    expect(byText(data, 'My papers were taken at the border')).toMatchObject({
      author: 'client',
      translated: '[de] My papers were taken at the border',
      translation: 'machine',
      original: null,
    });
    expect(engine.calls).toContainEqual({ q: 'My papers were taken at the border', source: 'en', target: 'de', api_key: 'stand-in-key' });
    // Bot lines are re-rendered from their keys, never sent to the engine; placeholders and commands neither.
    const welcome = data.messages.find((message) => message.author === 'bot');
    expect(welcome?.translation).toBeNull();
    expect(welcome?.translated).toBe(app.localisation.translatorFor('de')('bot:intake.welcome'));
    expect(engine.calls.map((call) => call.q)).toEqual(['My papers were taken at the border']);
  });

  it('asks the engine once per text and language pair, and keeps the translation sealed at rest with the conversation', async () => {
    await transcript();
    await transcript();
    expect(callsFor('My papers were taken at the border')).toBe(1);
    const rows = await app.db.prisma.translationCache.findMany({ where: { conversationId } });
    expect(rows).toHaveLength(1);
    expect(rows[0]?.text).toMatch(/^hwe1\./);
    expect(JSON.stringify(rows)).not.toContain('papers');
  });

  it("sends the counsellor's message translated into the person's language with a note, and keeps both", async () => {
    const answer = await send({ text: 'Wir helfen Ihnen, neue Papiere zu bekommen.', translate: true });
    expect(answer.status).toBe(201);
    const sent = answer.json as { outboxId: string; translation: string };
    expect(sent.translation).toBe('machine');
    expect(engine.calls.at(-1)).toMatchObject({ q: 'Wir helfen Ihnen, neue Papiere zu bekommen.', source: 'auto', target: 'en' });
    // What the person receives: the translation and the "translated automatically" note in their language.
    const note = app.localisation.translatorFor('en')('handoff:translated_automatically');
    expect(note).not.toBe('handoff:translated_automatically');
    const outbound = await app.outbox.find(sent.outboxId);
    expect(outbound?.payload).toMatchObject({ text: `[en] Wir helfen Ihnen, neue Papiere zu bekommen.\n\n${note}` });
    expect(byText(await transcript(), `[en] Wir helfen Ihnen, neue Papiere zu bekommen.\n\n${note}`)).toMatchObject({
      author: 'counsellor',
      translation: 'machine',
      original: 'Wir helfen Ihnen, neue Papiere zu bekommen.',
    });
  });

  it('sends as written without `translate`, and never asks the engine', async () => {
    const before = engine.calls.length;
    const answer = await send({ text: 'Einen Moment bitte.' });
    expect((answer.json as { translation: string }).translation).toBe('none');
    expect((await app.outbox.find((answer.json as { outboxId: string }).outboxId))?.payload).toMatchObject({ text: 'Einen Moment bitte.' });
    expect(byText(await transcript(), 'Einen Moment bitte.')).toMatchObject({ translation: null, original: null });
    expect(engine.calls.length).toBe(before);
  });

  it("lists the engine's languages, and refuses an answer that is not the API's shape", async () => {
    const adapter = createLibreTranslate({ url: engine.url, timeoutMs: TIMEOUT_MS });
    expect(await adapter.languages()).toEqual([
      { code: 'en', name: 'English', targets: ['de'] },
      { code: 'de', name: 'German', targets: ['en'] },
    ]);
    const wrong = createLibreTranslate({ url: `${engine.url}/wrong`, timeoutMs: TIMEOUT_MS });
    const error = await wrong.translate('Hello', { source: 'en', target: 'de' }).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(TranslationError);
    expect((error as TranslationError).failure).toBe('invalid_response');
  });

  it('shows and sends the original, marked "not translated", when the engine is slower than the timeout', async () => {
    engine.mode = 'slow';
    await say('Where is the office?');
    let started = Date.now();
    const data = await transcript();
    expect(Date.now() - started).toBeLessThan(TIMEOUT_MS * 3);
    expect(byText(data, 'Where is the office?')).toMatchObject({ translated: null, translation: 'failed' });
    // What was translated before stays translated (from the cache).
    expect(byText(data, 'My papers were taken at the border')?.translation).toBe('machine');

    started = Date.now();
    const answer = await send({ text: 'Das Büro ist in der Hauptstraße.', translate: true });
    expect(Date.now() - started).toBeLessThan(TIMEOUT_MS * 3);
    expect(answer.status).toBe(201);
    expect((answer.json as { translation: string }).translation).toBe('failed');
    expect((await app.outbox.find((answer.json as { outboxId: string }).outboxId))?.payload).toMatchObject({ text: 'Das Büro ist in der Hauptstraße.' });
    expect(byText(await transcript(), 'Das Büro ist in der Hauptstraße.')).toMatchObject({ author: 'counsellor', translation: 'failed', original: null });
    engine.mode = 'ok';
  });

  it("runs safety detection in the turn on the person's own words, never waiting for the engine", async () => {
    engine.mode = 'slow';
    const before = engine.calls.length;
    const started = Date.now();
    const outcome = await say('they said they will kill me');
    expect(Date.now() - started).toBeLessThan(TIMEOUT_MS * 3);
    expect(outcome.messages.map((message) => message.key)).toContain('handoff:safety_counsellor_on_chat');
    expect(engine.calls.length).toBe(before);
    expect((await app.handoff.find(organisationId, referralId))?.priority).toBe('urgent');
    engine.mode = 'ok';
  });

  it('does the same when the engine refuses connections, and nothing is lost', async () => {
    engine.server!.closeAllConnections();
    await new Promise((resolve) => engine.server!.close(resolve));
    await say('Are you still there?');
    const data = await transcript();
    expect(byText(data, 'Are you still there?')).toMatchObject({ translated: null, translation: 'failed' });
    const answer = await send({ text: 'Ja, ich bin da.', translate: true });
    expect(answer.status).toBe(201);
    expect((answer.json as { translation: string }).translation).toBe('failed');
    expect(byText(await transcript(), 'Ja, ich bin da.')).toMatchObject({ author: 'counsellor', translation: 'failed' });
  });

  it('erases cached translations with the conversation', async () => {
    expect(await app.db.prisma.translationCache.count({ where: { conversationId } })).toBeGreaterThan(0);
    const erasure = new Erasure({ privacy: createPrivacyRepository(app.db.prisma), events: app.handoffEvents, logger: silentLogger });
    expect(await erasure.erase(conversationId)).toBe(true);
    expect(await app.db.prisma.translationCache.count({ where: { conversationId } })).toBe(0);
  });
});
