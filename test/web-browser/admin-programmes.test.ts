// The admin's programme catalogue in headless Chromium: it loads without console errors, a case is
// tried with the keyboard alone, and a programme is turned off and on with the keyboard.
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningApp } from '../../src/app.js';
import { newContext } from './support/browser.js';
import { addConsoleUser, logInThroughForm, startAppWithBrowser, tabTo } from './support/console-app.js';

const wait = { timeout: 45_000 };
const adminPassword = 'a long enough password';
const adminEmail = 'programmes-admin@example.org';

let app: RunningApp;
let browser: Browser;
let organisationId: string;

beforeAll(async () => {
  [app, browser] = await startAppWithBrowser();
  organisationId = (await app.organisations.findByWidgetKey('demo'))!.id;
  await addConsoleUser(app, { organisationId, email: adminEmail, displayName: 'Ada', password: adminPassword, role: 'admin' });
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await app?.close();
});

const focusedId = (page: Page) => page.evaluate(() => document.activeElement?.id);

/** The catalogue is a long page: up to 200 presses of Tab to reach a field. */
const tabToField = (page: Page, id: string) => tabTo(page, id, 200);

describe('the admin programme catalogue', () => {
  it('shows the programmes, tries a case and turns a programme off, keyboard first, without console errors', { timeout: 240_000 }, async () => {
    const context = await newContext(browser);
    try {
      const page = await context.newPage();
      const problems: string[] = [];
      page.on('pageerror', (error) => problems.push(`pageerror: ${error.message}`));
      await logInThroughForm(page, `${app.url}/console#/admin/programmes`, adminEmail, adminPassword);
      await page.getByRole('heading', { name: 'Programmes', level: 1 }).waitFor(wait);
      // From here on (the logged-out page's 401 from GET /me is expected), any console error counts.
      page.on('console', (message) => {
        if (message.type() === 'error' || /Content Security Policy/i.test(message.text())) problems.push(message.text());
      });

      const garp = page.getByRole('region', { name: 'REAG/GARP' });
      await garp.waitFor(wait);
      const garpText = (await garp.textContent()) ?? '';
      expect(garpText).toContain('This programme is only for people who live in Germany.');
      expect(garpText).toContain('help with the journey: €200 per person · €100 for children under 18');
      // Every REAG/GARP source was checked on 2 December 2026 (flows/programmes/de-reag-garp.yaml).
      expect(garpText.match(/checked on [A-Z][a-z]+ \d{1,2}, \d{4}/g)).toEqual(Array(4).fill('checked on December 2, 2026'));
      expect(garpText).toContain('money to start again: €1,000 per person');
      expect(garpText).toContain('at most €3,500 per family');
      expect(await page.getByRole('link', { name: 'Flüchtlingsrat NRW, Rückkehrprogramm REAG/GARP 2.0' }).getAttribute('href')).toBe(
        'https://frnrw.de/themen-a-z/abschiebung-ausreise/reag-garp-20.html',
      );
      expect(await page.getByRole('link', { name: 'Returning from Germany, REAG/GARP programme page' }).getAttribute('href')).toBe(
        'https://www.returningfromgermany.de/de/programmes/reag-garp',
      );

      // Try a case with the keyboard only: typing on a focused list picks the matching option.
      await tabToField(page, 'case-hostCountry');
      await page.keyboard.type('Germany');
      await page.keyboard.press('Tab');
      await page.keyboard.type('Afghanistan');
      await tabToField(page, 'case-legalStatus');
      await page.keyboard.type('Asylum application refused');
      await tabToField(page, 'case-detained');
      // "Not answered", "Yes", "No": arrow keys, as typing "No" would match "Not answered".
      await page.keyboard.press('ArrowDown');
      await page.keyboard.press('ArrowDown');
      await tabToField(page, 'case-adults');
      await page.keyboard.type('2');
      await page.keyboard.press('Tab');
      await page.keyboard.type('2');
      await page.keyboard.press('Tab');
      await page.keyboard.type('4, 9');
      expect(
        await page.evaluate(() =>
          ['case-hostCountry', 'case-nationality', 'case-legalStatus', 'case-detained'].map((id) => (document.getElementById(id) as HTMLSelectElement).value),
        ),
      ).toEqual(['DE', 'AF', 'asylum_rejected', 'no']);
      await page.keyboard.press('Enter');

      const result = page.getByRole('heading', { name: 'Result' });
      await result.waitFor(wait);
      expect(await result.evaluate((element) => element === document.activeElement)).toBe(true);
      const garpResult = page.locator('#try-results-area article[data-programme="de-reag-garp"]');
      expect(await garpResult.getAttribute('data-outcome')).toBe('eligible');
      expect(await garpResult.textContent()).toContain('Up to €3,600 in total:');
      expect(await page.locator('#try-results-area article[data-programme="fr-return-aid"]').getAttribute('data-outcome')).toBe('not_eligible');
      // StarthilfePlus has no verified figure: the support is named, with no amount (never "Up to €0").
      const plusText = (await page.locator('#try-results-area article[data-programme="de-starthilfeplus"]').textContent()) ?? '';
      expect(plusText).toContain('money to start again: no verified figure (a counsellor tells the person how much)');
      expect(plusText).not.toContain('€');

      // Turn StarthilfePlus off with the keyboard: saved for the organisation's conversations.
      const settings = app.organisations;
      await tabToField(page, 'offer-de-starthilfeplus');
      await page.keyboard.press('Space');
      await page.getByText('Saved. Conversations explain only the programmes you offer.').waitFor(wait);
      await expect.poll(() => settings.disabledProgrammesOf(organisationId), wait).toEqual(['de-starthilfeplus']);
      expect(await focusedId(page)).toBe('offer-de-starthilfeplus');
      await page.keyboard.press('Space');
      await expect.poll(() => settings.disabledProgrammesOf(organisationId), wait).toEqual([]);

      expect(problems).toEqual([]);
    } finally {
      await context.close();
    }
  });
});
