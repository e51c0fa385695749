// The admin's people pages in headless Chromium: they load without console errors, a user is added
// with the keyboard alone, and a new password or API key is shown once, then gone from the page.
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningApp } from '../../src/app.js';
import { newContext } from './support/browser.js';
import { addConsoleUser, logInThroughForm, startAppWithBrowser, tabTo } from './support/console-app.js';

const wait = { timeout: 45_000 };
const adminPassword = 'a long enough password';
const adminEmail = 'people-admin@example.org';

let app: RunningApp;
let browser: Browser;

beforeAll(async () => {
  [app, browser] = await startAppWithBrowser();
  const demo = (await app.organisations.findByWidgetKey('demo'))!;
  await addConsoleUser(app, { organisationId: demo.id, email: adminEmail, displayName: 'Ada', password: adminPassword, role: 'admin' });
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await app?.close();
});

async function loginStatus(email: string, password: string): Promise<number> {
  return (
    await fetch(`${app.url}/console/api/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ email, password }) })
  ).status;
}

async function pageHolds(page: Page, secret: string): Promise<boolean> {
  return page.evaluate(
    (value) =>
      document.documentElement.outerHTML.includes(value) || Array.from(document.querySelectorAll('input')).some((input) => input.value.includes(value)),
    secret,
  );
}

describe('the admin people pages', () => {
  it('manage users and API keys with one-time secrets, keyboard first, without console errors', { timeout: 240_000 }, async () => {
    const context = await newContext(browser);
    try {
      const page = await context.newPage();
      const problems: string[] = [];
      page.on('pageerror', (error) => problems.push(`pageerror: ${error.message}`));
      await logInThroughForm(page, `${app.url}/console#/admin/users`, adminEmail, adminPassword);
      await page.getByRole('heading', { name: 'Users', level: 1 }).waitFor(wait);
      // From here on (the logged-out page's 401 from GET /me is expected), any console error counts.
      page.on('console', (message) => {
        if (message.type() === 'error' || /Content Security Policy/i.test(message.text())) problems.push(message.text());
      });
      await page.locator('tbody tr', { hasText: adminEmail }).waitFor(wait);
      expect(await page.locator('tbody tr', { hasText: adminEmail }).textContent()).toContain('(you)');

      // Add a counsellor with the keyboard only.
      await tabTo(page, 'new-user-email');
      await page.keyboard.type('new.counsellor@example.org');
      await page.keyboard.press('Tab');
      await page.keyboard.type('Nora');
      await page.keyboard.press('Tab');
      expect(await page.evaluate(() => document.activeElement?.id)).toBe('new-user-role');
      await page.keyboard.press('Tab');
      await page.keyboard.press('Enter');

      const title = page.getByRole('heading', { name: 'Password for new.counsellor@example.org' });
      await title.waitFor(wait);
      expect(await title.evaluate((element) => element === document.activeElement)).toBe(true);
      const password = await page.getByLabel('Password', { exact: true }).inputValue();
      expect(password).toMatch(/^[a-z2-9]{5}(-[a-z2-9]{5}){3}$/);
      await expect.poll(() => page.locator('tbody tr', { hasText: 'new.counsellor@example.org' }).count(), wait).toBe(1);
      expect(await loginStatus('new.counsellor@example.org', password)).toBe(200);

      // Hidden with the keyboard, it is gone from the page and never comes back.
      await page.keyboard.press('Tab');
      await page.keyboard.press('Tab');
      await page.keyboard.press('Enter');
      await title.waitFor({ state: 'detached', ...wait });
      expect(await pageHolds(page, password)).toBe(false);
      expect(await page.evaluate(() => document.activeElement?.id)).toBe('new-user-email');
      await page.reload();
      await page.locator('tbody tr', { hasText: 'new.counsellor@example.org' }).waitFor(wait);
      expect(await pageHolds(page, password)).toBe(false);

      // A password reset: confirmed, a new password shown once, the old one refused.
      // Confirmations are accepted; the one prompt (a new display name) gets 'Nora Amin'.
      page.on('dialog', (dialog) => void dialog.accept(dialog.type() === 'prompt' ? 'Nora Amin' : undefined));
      await page.locator('tbody tr', { hasText: 'new.counsellor@example.org' }).getByRole('button', { name: 'Reset password' }).click();
      await page.getByRole('heading', { name: 'New password for new.counsellor@example.org' }).waitFor(wait);
      const newPassword = await page.getByLabel('Password', { exact: true }).inputValue();
      expect(newPassword).not.toBe(password);
      expect(await loginStatus('new.counsellor@example.org', password)).toBe(401);
      expect(await loginStatus('new.counsellor@example.org', newPassword)).toBe(200);
      await page.getByRole('button', { name: 'I have passed it on: hide it' }).click();
      expect(await pageHolds(page, newPassword)).toBe(false);

      // The name the person sees in the chat, changed by the admin: the table shows it.
      await page.locator('tbody tr', { hasText: 'new.counsellor@example.org' }).getByRole('button', { name: 'Change name' }).click();
      await page.locator('#notice', { hasText: 'The name of new.counsellor@example.org was changed.' }).waitFor(wait);
      await page.locator('tbody tr', { hasText: 'new.counsellor@example.org' }).getByText('Nora Amin', { exact: true }).waitFor(wait);

      // The last admin may not step down: the page says why (Chromium logs the refused request itself).
      expect(problems).toEqual([]);
      await page.locator('tbody tr', { hasText: adminEmail }).getByRole('button', { name: 'Make counsellor' }).click();
      await page.locator('#notice', { hasText: 'at least one active admin' }).waitFor(wait);
      expect(problems.splice(0)).toEqual(['Failed to load resource: the server responded with a status of 409 (Conflict)']);

      // API keys: one acting as the new counsellor, shown once, working until revoked.
      await page.getByRole('link', { name: 'API keys' }).click();
      await page.getByRole('heading', { name: 'API keys', level: 1 }).waitFor(wait);
      await page.getByText('No API keys yet.').waitFor(wait);
      await page.getByLabel('Acts as').selectOption({ label: 'new.counsellor@example.org (Counsellor)' });
      await page.getByRole('button', { name: 'Create key' }).click();
      await page.getByRole('heading', { name: 'New API key acting as new.counsellor@example.org' }).waitFor(wait);
      const token = await page.getByLabel('API key', { exact: true }).inputValue();
      expect(token).toMatch(/^hwk_/);
      const me = await fetch(`${app.url}/console/api/me`, { headers: { authorization: `Bearer ${token}` } });
      expect(me.status).toBe(200);
      await page.getByRole('button', { name: 'I have stored it: hide it' }).click();
      expect(await pageHolds(page, token)).toBe(false);
      const keyRow = page.locator('tbody tr', { hasText: token.slice(0, 10) });
      await keyRow.waitFor(wait);
      expect(await keyRow.textContent()).toContain('new.counsellor@example.org');

      await keyRow.getByRole('button', { name: 'Revoke' }).click();
      await keyRow.getByText(/^Revoked /).waitFor(wait);
      expect((await fetch(`${app.url}/console/api/me`, { headers: { authorization: `Bearer ${token}` } })).status).toBe(401);
      expect(problems).toEqual([]);
    } finally {
      await context.close();
    }
  });
});
