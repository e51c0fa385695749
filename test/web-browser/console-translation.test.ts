// Live translation in headless Chromium (issue 20): a person writes German in the widget, an
// English-speaking counsellor reads the machine translation under the original, ticks "translate"
// and the person receives German with the "translated automatically" note; with the engine gone
// the console says "not translated". The engine is a stand-in speaking LibreTranslate's API.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import express from 'express';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningApp } from '../../src/app.js';
import { newContext } from './support/browser.js';
import { addConsoleUser, logInThroughForm, startAppWithBrowser } from './support/console-app.js';
import { readWidget, send, widget } from './support/widget-page.js';

const eventually = { timeout: 45_000, interval: 150 };
const password = 'a long enough password';

let app: RunningApp;
let browser: Browser;
let engine: Server;

beforeAll(async () => {
  const stand = express();
  stand.use(express.json());
  stand.post('/translate', (req, res) => {
    const body = req.body as { q: string; target: string };
    res.json({ translatedText: `[${body.target}] ${body.q}` });
  });
  engine = createServer(stand);
  await new Promise<void>((resolve) => engine.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(engine.address() as AddressInfo).port}`;
  [app, browser] = await startAppWithBrowser({ TRANSLATION_URL: url, TRANSLATION_TIMEOUT_MS: '1000' });
  const demo = (await app.organisations.findByWidgetKey('demo'))!;
  await addConsoleUser(app, { organisationId: demo.id, email: 'counsellor@example.org', displayName: 'Anna', password, role: 'counsellor' });
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await app?.close();
  if (engine?.listening) await new Promise((resolve) => engine.close(resolve));
});

const de = (key: string) => app.localisation.translatorFor('de')(key);

async function botSaid(page: Page, text: string): Promise<void> {
  await expect.poll(async () => (await readWidget(page)).log.some((item) => item.kind === 'bot' && item.text === text), eventually).toBe(true);
}

describe('live translation in the console', () => {
  it('shows the translation under the original, sends translated on request, and says when it could not translate', { timeout: 240_000 }, async () => {
    const consoleContext = await newContext(browser, { viewport: { width: 1024, height: 1024 } });
    const personContext = await newContext(browser);
    try {
      const desk = await consoleContext.newPage();
      await logInThroughForm(desk, `${app.url}/console`, 'counsellor@example.org', password);
      await desk.getByRole('heading', { name: 'Queue' }).waitFor({ timeout: eventually.timeout });

      // The person chooses German, agrees, and asks for a person.
      const person = await personContext.newPage();
      await person.goto(`${app.url}/`);
      const view = widget(person);
      await view.launcher.click();
      await expect.poll(async () => (await readWidget(person)).log.some((item) => item.kind === 'bot'), eventually).toBe(true);
      await view.choice('Deutsch').click();
      await botSaid(person, de('bot:intake.consent'));
      await view.choice(de('system:answer.yes')).click();
      await expect
        .poll(async () => (await readWidget(person)).log.some((item) => item.kind === 'me' && item.text === de('system:answer.yes')), eventually)
        .toBe(true);
      await person.locator('[data-homeward]').locator('button.handoff').click();

      const claim = desk.getByRole('button', { name: 'Claim' });
      await claim.waitFor({ timeout: eventually.timeout });
      await claim.click();
      await desk.getByRole('heading', { name: 'Conversation' }).waitFor({ timeout: eventually.timeout });

      // Person -> counsellor: the original as written, the machine translation under it.
      await send(person, 'Man hat mir meine Papiere weggenommen.');
      const said = desk.locator('.transcript li.client', { hasText: 'Man hat mir meine Papiere weggenommen.' });
      await said.waitFor({ timeout: eventually.timeout });
      await expect.poll(() => said.locator('.seen').textContent(), eventually).toBe('Man hat mir meine Papiere weggenommen.');
      await expect.poll(() => said.locator('.translated').textContent(), eventually).toBe('Machine translation: [en] Man hat mir meine Papiere weggenommen.');

      // Counsellor -> person, translated on request: the person reads German and the note.
      const translate = desk.getByLabel("Translate into the person's language");
      await translate.check();
      await desk.getByLabel('Message to the person').fill('We will help you get new papers.');
      await desk.getByRole('button', { name: 'Send', exact: true }).click();
      await expect
        .poll(
          async () => (await readWidget(person)).log.find((item) => item.kind === 'bot' && item.text.startsWith('[de] We will help you get new papers.'))?.text,
          eventually,
        )
        .toContain(de('handoff:translated_automatically'));
      const mine = desk.locator('.transcript li.counsellor', { hasText: '[de] We will help you get new papers.' });
      await mine.waitFor({ timeout: eventually.timeout });
      await expect.poll(() => mine.locator('.original').textContent(), eventually).toBe('You wrote: We will help you get new papers.');

      // The engine gone: the person's words stay as written, marked.
      engine.closeAllConnections();
      await new Promise((resolve) => engine.close(resolve));
      await send(person, 'Wo ist das Büro?');
      const untranslated = desk.locator('.transcript li.client', { hasText: 'Wo ist das Büro?' });
      await untranslated.waitFor({ timeout: eventually.timeout });
      await expect.poll(() => untranslated.locator('.not-translated').textContent(), eventually).toBe('Not translated: the translation service did not answer');
    } finally {
      await consoleContext.close();
      await personContext.close();
    }
  });
});
