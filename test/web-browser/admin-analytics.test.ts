// The analytics page in headless Chromium: it loads without console errors, shows the server's
// charts and the tables under them, and an admin changes the period with the keyboard alone.
// Leaves a screenshot in test-results/analytics.png for people to look at.
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { randomUUID } from 'node:crypto';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningApp } from '../../src/app.js';
import { projectRoot } from '../support/engine.js';
import { newContext } from './support/browser.js';
import { addConsoleUser, logInThroughForm, startAppWithBrowser } from './support/console-app.js';

const eventually = { timeout: 45_000 };
const password = 'a long enough password';
const email = `analytics-admin-${randomUUID()}@example.org`;
const DAY = 86_400_000;

let app: RunningApp;
let browser: Browser;

/** Noon UTC `daysAgo` days before today: the same calendar day in UTC and in the browser's zone. */
const noon = (daysAgo: number) =>
  new Date(Date.UTC(new Date().getUTCFullYear(), new Date().getUTCMonth(), new Date().getUTCDate()) - daysAgo * DAY + 12 * 3_600_000);
const isoDay = (date: Date) => date.toISOString().slice(0, 10);

beforeAll(async () => {
  [app, browser] = await startAppWithBrowser({ RETENTION_INTERVAL_MINUTES: '0' });
  const organisationId = (await app.organisations.create({ name: 'NGO', widgetKey: `ngo-${randomUUID().slice(0, 8)}` })).id;
  const prisma = app.db.prisma;
  await prisma.organisation.update({ where: { id: organisationId }, data: { timeZone: 'UTC' } });
  await addConsoleUser(app, { organisationId, email, password, role: 'admin' });
  // Two conversations in the last 30 days, one 45 days ago (outside the default period).
  for (const [daysAgo, channel, locale] of [
    [2, 'web', 'en'],
    [3, 'telegram', 'de'],
    [45, 'web', 'en'],
  ] as const) {
    const conversation = await prisma.conversation.create({
      data: {
        organisationId,
        channel,
        channelRef: randomUUID(),
        locale,
        flowState: { v: 1 },
        createdAt: noon(daysAgo),
        intakeCompletedAt: new Date(noon(daysAgo).getTime() + 600_000),
        eligibilityOutcomes: { 'de-reag-garp': daysAgo === 3 ? 'possibly_eligible' : 'eligible' },
      },
    });
    await prisma.consent.create({
      data: { conversationId: conversation.id, noticeVersion: 'v1', granted: true, scopes: ['store_answers'], channel, createdAt: noon(daysAgo) },
    });
    await prisma.referral.create({
      data: {
        organisationId,
        conversationId: conversation.id,
        status: 'claimed',
        record: {},
        createdAt: new Date(noon(daysAgo).getTime() + 900_000),
        claimedAt: new Date(noon(daysAgo).getTime() + 900_000 + daysAgo * 60_000),
      },
    });
  }
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await app?.close();
});

/**
 * Types a date into a date field key by key. The field's order of day, month and year follows the
 * browser's own locale, so day-month-year is tried first and month-day-year second.
 */
async function typeDate(page: Page, label: string, date: Date): Promise<void> {
  const field = page.getByLabel(label);
  const [day, month, year] = [String(date.getUTCDate()).padStart(2, '0'), String(date.getUTCMonth() + 1).padStart(2, '0'), String(date.getUTCFullYear())];
  for (const order of [`${day}${month}${year}`, `${month}${day}${year}`]) {
    // Focusing anew puts the caret in the first part of the field.
    await field.evaluate((element: HTMLElement) => element.blur());
    await field.focus();
    await page.keyboard.type(order);
    if ((await field.inputValue()) === isoDay(date)) return;
  }
  expect(await field.inputValue()).toBe(isoDay(date));
}

function funnelCount(page: Page, metric: string) {
  return page
    .getByRole('region', { name: 'Funnel' })
    .locator('tbody tr', { has: page.getByRole('rowheader', { name: metric, exact: true }) })
    .locator('td');
}

describe('the analytics page', () => {
  it('shows the figures with charts and tables, and takes a new period from the keyboard', { timeout: 180_000 }, async () => {
    const context = await newContext(browser, { viewport: { width: 1100, height: 900 }, timezoneId: 'UTC' });
    try {
      const page = await context.newPage();
      const problems: string[] = [];
      page.on('console', (message) => {
        if (message.type() === 'error' || /Content Security Policy/i.test(message.text())) problems.push(message.text());
      });
      page.on('pageerror', (error) => problems.push(String(error)));
      page.on('response', (response) => {
        if (response.status() >= 400) problems.push(`${response.status()} ${response.url()}`);
      });

      await logInThroughForm(page, `${app.url}/console`, email, password);
      await page.getByRole('heading', { name: 'Queue' }).waitFor(eventually);
      // From here on the page is the analytics page's (the shell's own "who am I" before login answers 401).
      problems.length = 0;
      await page.goto(`${app.url}/console#/admin/analytics`);
      await page.getByRole('heading', { level: 1, name: 'Analytics' }).waitFor(eventually);

      // The default period is the last 30 days: two of the three conversations.
      await expect.poll(async () => (await funnelCount(page, 'Conversations started').textContent()) ?? '', eventually).toBe('2');
      expect(await page.getByLabel('From').inputValue()).toBe(isoDay(noon(29)));
      expect(await page.getByLabel('To').inputValue()).toBe(isoDay(noon(0)));
      // Charts are images with their numbers as text; each is drawn (data: URLs, allowed by the CSP).
      const charts = page.locator('section img');
      expect(await charts.count()).toBe(3);
      for (const chart of await charts.all()) {
        expect(await chart.getAttribute('alt')).toMatch(/\d/);
        expect(await chart.evaluate((image: HTMLImageElement) => image.complete && image.naturalWidth > 0)).toBe(true);
      }
      expect(await page.getByRole('img', { name: /Conversations started: 2; Consent given: 2/ }).count()).toBe(1);
      const outcomes = page.getByRole('region', { name: 'Eligibility outcomes by programme' });
      expect(await outcomes.locator('tbody tr').first().textContent()).toBe('de-reag-garp1102'); // eligible 1, possibly 1, not 0, total 2

      // With the keyboard only: type a start 60 days back into "From", tab to the button, press Enter.
      const from = noon(60);
      await typeDate(page, 'From', from);
      for (let presses = 0; presses < 10; presses++) {
        if ((await page.evaluate(() => document.activeElement?.textContent)) === 'Show figures') break;
        await page.keyboard.press('Tab');
      }
      expect(await page.evaluate(() => document.activeElement?.textContent)).toBe('Show figures');
      await page.keyboard.press('Enter');
      await expect.poll(async () => (await funnelCount(page, 'Conversations started').textContent()) ?? '', eventually).toBe('3');
      await page.getByText('Figures updated.').waitFor(eventually);
      expect(await page.getByRole('link', { name: 'Download these figures as CSV' }).getAttribute('href')).toContain(`from=${isoDay(from)}`);
      // The waits table: claimed after 2, 3 and 45 minutes; median 3 min.
      const waits = page.getByRole('region', { name: 'Waiting time until a counsellor claimed' });
      expect(await waits.locator('tbody tr').first().textContent()).toBe('All channels33 min36 min 36 s'); // p90: 3 + 0.8*42 = 36.6 min

      // A backwards period is refused in the page, focus back on "From".
      await page.getByLabel('To').fill(isoDay(noon(70)));
      await page.getByRole('button', { name: 'Show figures' }).press('Enter');
      await page.getByRole('alert').filter({ hasText: 'the start not after the end' }).waitFor(eventually);
      expect(await page.evaluate(() => document.activeElement?.id)).toBe('analytics-from');
      await page.getByLabel('To').fill(isoDay(noon(0)));
      await page.getByRole('button', { name: 'Show figures' }).press('Enter');
      await expect.poll(async () => await page.getByRole('alert').filter({ hasText: 'the start not after the end' }).count(), eventually).toBe(0);

      await mkdir(join(projectRoot, 'test-results'), { recursive: true });
      await page.screenshot({ path: join(projectRoot, 'test-results', 'analytics.png'), fullPage: true });
      expect(problems).toEqual([]);
    } finally {
      await context.close();
    }
  });
});
