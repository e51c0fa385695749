// The admin's settings and embedding pages in headless Chromium: they load without console
// errors, the form works from the keyboard, saving says so, a refused value is marked at its field,
// and the embedding page shows the snippet, a live preview with the saved look and the QR code.
import { randomUUID } from 'node:crypto';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningApp } from '../../src/app.js';
import { newContext } from './support/browser.js';
import { addConsoleUser, logInThroughForm, retype, startAppWithBrowser, tabTo } from './support/console-app.js';

const eventually = { timeout: 30_000, interval: 150 };
const password = 'a long enough password';
const email = `admin-${randomUUID()}@example.org`;
const widgetKey = `ngo-${randomUUID().slice(0, 8)}`;

let app: RunningApp;
let browser: Browser;
let organisationId: string;

beforeAll(async () => {
  [app, browser] = await startAppWithBrowser({ RETENTION_INTERVAL_MINUTES: '0' });
  organisationId = (await app.organisations.create({ name: 'NGO North', widgetKey, allowedOrigins: [] })).id;
  await addConsoleUser(app, { organisationId, email, password, role: 'admin' });
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await app?.close();
});

describe('admin settings and embedding pages', () => {
  it('edits settings from the keyboard and shows the embedding with preview and QR code', { timeout: 180_000 }, async () => {
    const context = await newContext(browser, { viewport: { width: 1024, height: 900 } });
    try {
      const page = await context.newPage();
      const problems: string[] = [];
      // Failed requests are judged by their response below; every other console error counts.
      page.on('console', (message) => {
        if ((message.type() === 'error' && !message.text().startsWith('Failed to load resource')) || /Content Security Policy/i.test(message.text()))
          problems.push(message.text());
      });
      page.on('pageerror', (error) => problems.push(error.message));
      const expectedFailures = [
        'GET /console/api/me 401', // before logging in
        'GET /favicon.ico 404',
        'PATCH /console/api/admin/organisation 400', // the refused colour below
      ];
      page.on('response', (response) => {
        const request = response.request();
        const line = `${request.method()} ${new URL(response.url()).pathname} ${response.status()}`;
        if (response.status() >= 400 && !expectedFailures.includes(line)) problems.push(line);
      });

      await logInThroughForm(page, `${app.url}/console`, email, password);
      await page.getByRole('heading', { name: 'Queue' }).waitFor({ timeout: eventually.timeout });

      await page.evaluate(() => (location.hash = '#/admin/settings'));
      await page.getByRole('heading', { name: 'Settings', level: 1 }).waitFor({ timeout: eventually.timeout });
      expect(await page.getByLabel('Name of the organisation').inputValue()).toBe('NGO North');

      // Tab to the name, change it, Tab on (focus moves on, nothing is lost), back, Enter submits.
      await tabTo(page, 'org-name');
      await retype(page, 'Return Counselling North');
      await page.keyboard.press('Tab');
      expect(await page.evaluate(() => document.activeElement?.id)).toBe('org-language');
      await page.keyboard.press('Shift+Tab');
      await page.keyboard.press('Enter');
      await page.locator('#notice', { hasText: 'Settings saved.' }).waitFor({ timeout: eventually.timeout });
      expect((await app.organisations.settingsOf(organisationId))?.name).toBe('Return Counselling North');

      // A colour too light for white text: refused, the field marked and explained, nothing stored.
      await tabTo(page, 'org-colour');
      await retype(page, '#ffd700');
      await page.keyboard.press('Enter');
      await page.locator('#notice', { hasText: 'Please correct the marked fields.' }).waitFor({ timeout: eventually.timeout });
      expect(await page.locator('#org-colour').getAttribute('aria-invalid')).toBe('true');
      await expect.poll(() => page.locator('#org-colour-problem').textContent()).toContain('too light for white text');
      expect((await app.organisations.settingsOf(organisationId))?.widgetLook).toEqual({});

      // A good colour and a Telegram bot.
      await tabTo(page, 'org-colour');
      await retype(page, '#7a1f5c');
      await tabTo(page, 'org-telegram');
      await retype(page, 'north_return_bot');
      await page.keyboard.press('Enter');
      await page.locator('#notice', { hasText: 'Settings saved.' }).waitFor({ timeout: eventually.timeout });
      expect(await page.locator('#org-colour').getAttribute('aria-invalid')).toBeNull();
      const stored = await app.organisations.settingsOf(organisationId);
      expect(stored?.widgetLook).toEqual({ colour: '#7a1f5c' });
      expect(stored?.telegramBotUsername).toBe('north_return_bot');

      // Emergency lines with the dangers they are for: stored, shown again after a reload, and kept
      // when another field is saved later (the form once dropped them: every line became general).
      const lines = [
        'DE | 112 | handoff:emergency_label.general',
        'DE | 116 016 | Hilfetelefon Gewalt gegen Frauen | violence',
        'DE | 0800 111 0 111 | TelefonSeelsorge | suicide, child_at_risk',
      ];
      await page.locator('#org-emergency').fill(lines.join('\n'));
      await tabTo(page, 'org-name');
      await page.keyboard.press('Enter');
      await page.locator('#notice', { hasText: 'Settings saved.' }).waitFor({ timeout: eventually.timeout });
      const withLines = [
        { labelKey: 'handoff:emergency_label.general', number: '112' },
        { label: 'Hilfetelefon Gewalt gegen Frauen', number: '116 016', for: ['violence'] },
        { label: 'TelefonSeelsorge', number: '0800 111 0 111', for: ['suicide', 'child_at_risk'] },
      ];
      await expect.poll(async () => (await app.organisations.settingsOf(organisationId))?.emergencyContacts, eventually).toEqual({ DE: withLines });
      await page.reload();
      await page.getByRole('heading', { name: 'Settings', level: 1 }).waitFor({ timeout: eventually.timeout });
      expect((await page.locator('#org-emergency').inputValue()).split('\n')).toEqual(lines);
      await tabTo(page, 'org-name');
      await retype(page, 'Return Counselling North and East');
      await page.keyboard.press('Enter');
      await expect.poll(async () => (await app.organisations.settingsOf(organisationId))?.name, eventually).toBe('Return Counselling North and East');
      expect((await app.organisations.settingsOf(organisationId))?.emergencyContacts).toEqual({ DE: withLines });

      // The embedding page: the exact snippet, the QR code as inline SVG, the preview with the saved colour.
      await page.getByRole('link', { name: 'Embedding' }).click();
      await page.getByRole('heading', { name: 'Embedding', level: 1 }).waitFor({ timeout: eventually.timeout });
      expect(await page.locator('#embed-snippet').textContent()).toBe(`<script src="${app.url}/widget.js" data-key="${widgetKey}" async></script>`);
      const qr = page.getByRole('img', { name: 'QR code of the link to your Telegram bot' });
      await qr.waitFor({ timeout: eventually.timeout });
      expect(await qr.evaluate((node) => node.namespaceURI)).toBe('http://www.w3.org/2000/svg');
      expect(await qr.locator('path').count()).toBeGreaterThan(0);
      expect(await page.getByRole('link', { name: `https://t.me/north_return_bot?start=${widgetKey}` }).count()).toBe(1);

      const preview = page.frameLocator('iframe[title="Preview of the chat widget"]');
      const host = preview.locator('[data-homeward]');
      await host.locator('.launcher').waitFor({ timeout: eventually.timeout });
      expect(await host.evaluate((element) => (element as HTMLElement).style.getPropertyValue('--hw-accent'))).toBe('#7a1f5c');

      expect(problems).toEqual([]);
    } finally {
      await context.close();
    }
  });
});
