// In headless Chromium: a counsellor opens "Change password" from the top navigation, is told at the
// field (in the console's language) when the current password is wrong, the new one is weak or
// the two do not match, then changes it; a session of theirs in another browser is logged out, the
// old password no longer logs in and the new one does.
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningApp } from '../../src/app.js';
import { newContext } from './support/browser.js';
import { addConsoleUser, logInThroughForm, startAppWithBrowser } from './support/console-app.js';

const email = 'password-changer@example.org';
const oldPassword = 'a long enough password';
const newPassword = 'lantern orchard pebble sixty';
const eventually = { timeout: 20_000, interval: 100 };

let app: RunningApp;
let browser: Browser;

beforeAll(async () => {
  [app, browser] = await startAppWithBrowser();
  const demo = (await app.organisations.findByWidgetKey('demo'))!;
  await addConsoleUser(app, { organisationId: demo.id, email, displayName: 'Mira', password: oldPassword, role: 'counsellor' });
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await app?.close();
});

const text = (lng: string, key: string, params: Record<string, unknown> = {}) => app.localisation.translatorFor(lng)(`console:${key}`, params);

/** The problem line under a field, as a person sees it (empty while hidden). */
const problemOf = (page: Page, id: string) =>
  page.evaluate((fieldId) => {
    const line = document.getElementById(`${fieldId}-problem`);
    return line && !line.hidden ? line.textContent : '';
  }, id);

/** `/console/api/me` from inside the page, with its cookies. */
const meStatus = (page: Page) => page.evaluate(async () => (await fetch('/console/api/me')).status);

describe('the console\'s "Change password" page', () => {
  it('says each refusal at its field in the console language, then changes the password and ends the other session', { timeout: 120_000 }, async () => {
    // The texts are real translations, not keys echoed back (which the page would show alike).
    for (const key of ['password_change.title', 'password_change.problem.wrong_current']) {
      expect(text('de', key)).not.toContain('password_change');
      expect(text('de', key)).not.toBe(text('en', key));
    }
    const here = await newContext(browser);
    const there = await newContext(browser);
    try {
      const other = await there.newPage();
      await logInThroughForm(other, `${app.url}/console`, email, oldPassword);
      await other.getByRole('heading', { name: 'Queue' }).waitFor({ timeout: eventually.timeout });

      const page = await here.newPage();
      await logInThroughForm(page, `${app.url}/console`, email, oldPassword);
      await page.getByRole('link', { name: text('en', 'password_change.nav') }).click();
      await page.getByRole('heading', { name: text('en', 'password_change.title') }).waitFor({ timeout: eventually.timeout });

      // In German: a wrong current password, said at the current-password field.
      await page.locator('#console-language').selectOption('de');
      await page.getByRole('heading', { name: text('de', 'password_change.title') }).waitFor({ timeout: eventually.timeout });
      await page.getByLabel(text('de', 'password_change.current'), { exact: true }).fill('not my password at all');
      await page.getByLabel(text('de', 'password_change.new'), { exact: true }).fill(newPassword);
      await page.getByLabel(text('de', 'password_change.confirm'), { exact: true }).fill(newPassword);
      await page.getByRole('button', { name: text('de', 'password_change.submit') }).click();
      await expect.poll(() => problemOf(page, 'password-current'), eventually).toBe(text('de', 'password_change.problem.wrong_current'));
      expect(await page.getAttribute('#password-current', 'aria-invalid')).toBe('true');
      expect(await page.evaluate(() => document.activeElement?.id)).toBe('password-current');

      // Back in English: the two new ones differ (said before asking the server), then a common one.
      await page.locator('#console-language').selectOption('en');
      await page.getByRole('heading', { name: text('en', 'password_change.title') }).waitFor({ timeout: eventually.timeout });
      await page.getByLabel(text('en', 'password_change.current')).fill(oldPassword);
      await page.getByLabel(text('en', 'password_change.new'), { exact: true }).fill(newPassword);
      await page.getByLabel(text('en', 'password_change.confirm')).fill(`${newPassword}!`);
      await page.getByRole('button', { name: text('en', 'password_change.submit') }).click();
      await expect.poll(() => problemOf(page, 'password-confirm'), eventually).toBe(text('en', 'password_change.problem.mismatch'));

      await page.getByLabel(text('en', 'password_change.new'), { exact: true }).fill('password1234');
      await page.getByLabel(text('en', 'password_change.confirm')).fill('password1234');
      await page.getByRole('button', { name: text('en', 'password_change.submit') }).click();
      await expect.poll(() => problemOf(page, 'password-new'), eventually).toBe(text('en', 'password_policy.common'));
      expect(await problemOf(page, 'password-confirm')).toBe('');

      // The change itself.
      await page.getByLabel(text('en', 'password_change.new'), { exact: true }).fill(newPassword);
      await page.getByLabel(text('en', 'password_change.confirm')).fill(newPassword);
      await page.getByRole('button', { name: text('en', 'password_change.submit') }).click();
      await page
        .getByRole('status')
        .filter({ hasText: text('en', 'password_change.done') })
        .first()
        .waitFor({ timeout: eventually.timeout });
      expect(await page.inputValue('#password-current')).toBe('');

      expect(await meStatus(page)).toBe(200);
      expect(await meStatus(other)).toBe(401);
      const login = async (password: string) =>
        (
          await fetch(`${app.url}/console/api/login`, {
            method: 'POST',
            headers: { 'content-type': 'application/json' },
            body: JSON.stringify({ email, password }),
          })
        ).status;
      expect(await login(oldPassword)).toBe(401);
      expect(await login(newPassword)).toBe(200);
    } finally {
      await here.close();
      await there.close();
    }
  });

  it('sets the name the person sees in the chat on the same page: the header shows it at once', { timeout: 120_000 }, async () => {
    const demo = (await app.organisations.findByWidgetKey('demo'))!;
    const namer = 'name-setter@example.org';
    await addConsoleUser(app, { organisationId: demo.id, email: namer, password: oldPassword, role: 'counsellor' });
    const context = await newContext(browser);
    try {
      const page = await context.newPage();
      await logInThroughForm(page, `${app.url}/console`, namer, oldPassword);
      await page.getByRole('link', { name: text('en', 'password_change.nav') }).click();
      await page.getByRole('heading', { name: text('en', 'profile.title') }).waitFor({ timeout: eventually.timeout });
      // No name yet: the header shows the e-mail address, the field is empty.
      expect(await page.inputValue('#profile-name')).toBe('');
      await page.getByLabel(text('en', 'profile.label')).fill('  Amira ');
      await page.getByRole('button', { name: text('en', 'profile.submit') }).click();
      await page.locator('nav').getByText('Amira', { exact: true }).waitFor({ timeout: eventually.timeout });
      expect(await page.inputValue('#profile-name')).toBe('Amira');
      const me = await page.evaluate(async () => ((await (await fetch('/console/api/me')).json()) as { user: { displayName: string | null } }).user);
      expect(me.displayName).toBe('Amira');
    } finally {
      await context.close();
    }
  });
});
