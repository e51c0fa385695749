// The "done when", end to end in Chromium: from an empty database an admin sets up the
// organisation through the logged first-run link, sets its name, widget origin, colour and
// Telegram bot in the console, copies the snippet from the embedding page onto an NGO's own site
// (another origin), where a person chats with the bot and asks for a counsellor; the admin claims
// the chat, finds the Telegram link and QR code, and reads the funnel and the waiting time.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningApp } from '../../src/app.js';
import { newContext } from './support/browser.js';
import { retype, startAppWithBrowser, tabTo } from './support/console-app.js';
import { send, widget } from './support/widget-page.js';

const eventually = { timeout: 30_000 };
const password = 'four words in a row';
const colour = '#7a1f5c';
const botUsername = 'north_return_bot';

let app: RunningApp;
let browser: Browser;
let site: Server;
let siteUrl: string;
/** What the NGO pasted into its page; empty until the admin copied it from the console. */
let pastedSnippet = '';

/** The NGO's own site on another origin: one page with whatever snippet it was given. */
function startNgoSite(): Promise<Server> {
  const server = createServer((req, res) => {
    if (req.url === '/') {
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
      res.end(
        `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>NGO North</title></head><body><h1>Return counselling North</h1>${pastedSnippet}</body></html>`,
      );
    } else res.writeHead(404).end();
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(server)));
}

beforeAll(async () => {
  [[app, browser], site] = await Promise.all([startAppWithBrowser({ RETENTION_INTERVAL_MINUTES: '0' }), startNgoSite()]);
  siteUrl = `http://127.0.0.1:${(site.address() as AddressInfo).port}`;
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await new Promise((resolve) => site?.close(resolve));
  await app?.close();
});

/** Collects console errors, uncaught errors and failed requests other than the expected ones. */
function watchProblems(page: Page, expected: string[]): string[] {
  const problems: string[] = [];
  page.on('console', (message) => {
    if ((message.type() === 'error' && !message.text().startsWith('Failed to load resource')) || /Content Security Policy/i.test(message.text()))
      problems.push(message.text());
  });
  page.on('pageerror', (error) => problems.push(error.message));
  page.on('response', (response) => {
    const line = `${response.request().method()} ${new URL(response.url()).pathname} ${response.status()}`;
    if (response.status() >= 400 && !expected.includes(line)) problems.push(line);
  });
  return problems;
}

describe('from nothing to a working widget, Telegram link and figures, in the console only', () => {
  it('sets up, embeds, chats, claims and reads the funnel', { timeout: 120_000 }, async () => {
    const t = (key: string) => app.localisation.translatorFor('en')(key);
    expect(app.setupUrl).toBeDefined();
    const admin = await newContext(browser, { viewport: { width: 1100, height: 900 }, timezoneId: 'Europe/Berlin' });
    const visitor = await newContext(browser);
    try {
      const desk = await admin.newPage();
      // The 400 is the refused common password below.
      const consoleProblems = watchProblems(desk, ['GET /console/api/me 401', 'GET /favicon.ico 404', 'POST /console/api/setup 400']);

      // 1. The logged link opens the setup page; everything is typed, Tab by Tab.
      await desk.goto(app.setupUrl ?? '');
      await desk.getByRole('heading', { level: 1, name: 'Set up Homeward' }).waitFor(eventually);
      await tabTo(desk, 'setup-org-name');
      await desk.keyboard.type('NGO North');
      await tabTo(desk, 'setup-org-time-zone');
      expect(await desk.locator('#setup-org-time-zone').inputValue()).toBe('Europe/Berlin');
      await tabTo(desk, 'setup-email');
      await desk.keyboard.type('ada@ngo-north.example');
      await desk.keyboard.press('Tab');
      await desk.keyboard.type('Ada');
      await desk.keyboard.press('Tab');
      await desk.keyboard.type(password);
      await desk.keyboard.press('Tab');
      await desk.keyboard.type(`${password}!`);
      await desk.keyboard.press('Enter');
      // A confirmation that differs is caught in the page, focus on it.
      await expect.poll(() => desk.evaluate(() => document.activeElement?.id), eventually).toBe('setup-password-confirm');
      expect(await desk.locator('#setup-password-confirm-problem').textContent()).toBe('The two passwords are not the same.');
      // A common password, twelve characters long: the server refuses it and the page says why, at the field.
      await tabTo(desk, 'setup-password');
      await retype(desk, 'password1234');
      await desk.keyboard.press('Tab');
      await retype(desk, 'password1234');
      await desk.keyboard.press('Enter');
      await expect
        .poll(() => desk.locator('#setup-password-problem').textContent(), eventually)
        .toBe(app.localisation.translatorFor('en')('console:password_policy.common'));
      expect(await desk.locator('#setup-password').getAttribute('aria-invalid')).toBe('true');
      await tabTo(desk, 'setup-password');
      await retype(desk, password);
      await desk.keyboard.press('Tab');
      await retype(desk, password);
      await desk.keyboard.press('Enter');

      // 2. Logged in, on the settings page; the spent link is no longer in the address.
      await desk.getByRole('heading', { level: 1, name: 'Settings' }).waitFor(eventually);
      expect(desk.url()).not.toContain('/setup/');
      expect(await desk.getByLabel('Name of the organisation').inputValue()).toBe('NGO North');
      await tabTo(desk, 'org-name');
      await retype(desk, 'Return Counselling North');
      await tabTo(desk, 'org-origins');
      await retype(desk, siteUrl);
      await tabTo(desk, 'org-colour');
      await retype(desk, colour);
      await tabTo(desk, 'org-telegram');
      await retype(desk, botUsername);
      await desk.keyboard.press('Enter');
      await desk.locator('#notice', { hasText: 'Settings saved.' }).waitFor(eventually);

      // 3. The embedding page's snippet, copied as the page shows it, goes onto the NGO's site.
      await desk.getByRole('link', { name: 'Embedding' }).click();
      await desk.getByRole('heading', { level: 1, name: 'Embedding' }).waitFor(eventually);
      pastedSnippet = (await desk.locator('#embed-snippet').textContent()) ?? '';
      const widgetKey = /data-key="([a-z0-9-]+)"/.exec(pastedSnippet)?.[1];
      expect(widgetKey).toBe('ngo-north');
      expect(pastedSnippet).toContain(`src="${app.url}/widget.js"`);

      // 4. On the NGO's site: the widget in the chosen colour; the bot answers what the person types.
      const ngo = await visitor.newPage();
      const ngoProblems = watchProblems(ngo, ['GET /favicon.ico 404']);
      await ngo.goto(siteUrl);
      const w = widget(ngo);
      await w.launcher.waitFor(eventually);
      expect(await ngo.locator('[data-homeward]').evaluate((element) => (element as HTMLElement).style.getPropertyValue('--hw-accent'))).toBe(colour);
      await w.launcher.click();
      await w.choice('English').waitFor(eventually);
      await send(ngo, 'English');
      await w.bot(t('bot:intake.consent')).waitFor(eventually);
      await send(ngo, 'talk to a person');
      await expect.poll(async () => (await app.handoff.list((await app.organisations.findByWidgetKey('ngo-north'))?.id ?? '')).length, eventually).toBe(1);

      // An origin the admin did not allow is refused: the setting is what let the widget in.
      const foreign = await fetch(`${app.url}/v3/directline/tokens/generate`, {
        method: 'POST',
        headers: { authorization: `Bearer ${widgetKey}`, origin: 'http://elsewhere.example' },
      });
      expect(foreign.status).toBe(403);

      // 5. Back in the console: the waiting person is claimed from the queue.
      await desk.getByRole('link', { name: 'Queue' }).click();
      await desk.getByRole('heading', { level: 1, name: 'Queue' }).waitFor(eventually);
      await desk.getByRole('button', { name: 'Claim' }).click(eventually);
      await desk.getByRole('heading', { level: 1, name: 'Conversation' }).waitFor(eventually);

      // 6. The Telegram link with its QR code.
      await desk.evaluate(() => (location.hash = '#/admin/embedding'));
      await desk.getByRole('heading', { level: 1, name: 'Embedding' }).waitFor(eventually);
      const link = `https://t.me/${botUsername}?start=${widgetKey}`;
      await desk.getByRole('link', { name: link }).waitFor(eventually);
      const qr = desk.getByRole('img', { name: 'QR code of the link to your Telegram bot' });
      expect(await qr.evaluate((node) => node.namespaceURI)).toBe('http://www.w3.org/2000/svg');

      // 7. The funnel and the waiting time: one conversation, started today, one handoff claimed.
      await desk.getByRole('link', { name: 'Analytics' }).click();
      await desk.getByRole('heading', { level: 1, name: 'Analytics' }).waitFor(eventually);
      const funnel = (metric: string) =>
        desk
          .getByRole('region', { name: 'Funnel' })
          .locator('tbody tr', { has: desk.getByRole('rowheader', { name: metric, exact: true }) })
          .locator('td');
      await expect.poll(async () => (await funnel('Conversations started').textContent()) ?? '', eventually).toBe('1');
      expect(await funnel('Handoffs requested').textContent()).toBe('1');
      expect(await funnel('Handoffs claimed').textContent()).toBe('1');
      const today = new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/Berlin' }).format(new Date());
      const todayLabel = new Intl.DateTimeFormat('en', { dateStyle: 'medium', timeZone: 'UTC' }).format(new Date(`${today}T00:00:00Z`));
      await desk.locator('summary', { hasText: 'The figures for every day' }).click();
      const todayRow = desk
        .getByRole('table', { name: 'Conversations started and handoffs requested per day' })
        .locator('tr', { has: desk.getByRole('rowheader', { name: todayLabel, exact: true }) });
      expect(await todayRow.locator('td').first().textContent()).toBe('1');
      const waits = desk
        .getByRole('table', { name: 'Waiting time from request to claim' })
        .locator('tr', { has: desk.getByRole('rowheader', { name: 'All channels', exact: true }) })
        .locator('td');
      expect(await waits.allTextContents()).toEqual(['1', expect.stringMatching(/^\d+ s$/), expect.stringMatching(/^\d+ s$/)]);

      expect(consoleProblems).toEqual([]);
      expect(ngoProblems).toEqual([]);
    } finally {
      await visitor.close();
      await admin.close();
    }
  });
});
