// The referral record in the conversation view as a counsellor reads it (issue 19, item 1): a
// summary card in the counsellor's language (country names, the legal status in words, reasons as
// text, never an i18n key), the person's own words first, the raw JSON one click away, and a card
// short enough that the private notes are reached on a 1280x800 screen without a long scroll.
import { randomUUID } from 'node:crypto';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningApp } from '../../src/app.js';
import { conversationWith, fullAnswers, newOrganisation } from '../handoff/support.js';
import { newContext } from './support/browser.js';
import { addConsoleUser, logInThroughForm, startAppWithBrowser } from './support/console-app.js';

const password = 'a long enough password';
const email = `card-${randomUUID()}@example.org`;
let app: RunningApp;
let browser: Browser;
let referralId = '';

beforeAll(async () => {
  [app, browser] = await startAppWithBrowser();
  const organisationId = await newOrganisation(app.db, 'Card');
  await addConsoleUser(app, { organisationId, email, password, role: 'counsellor', displayName: 'Anna' });
  const conversation = await conversationWith(app.db, organisationId, fullAnswers);
  referralId = (await app.handoff.handoffRequested(conversation, 'intake_completed')).referral.id;
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await app?.close();
});

async function openReferral(page: Page): Promise<void> {
  await logInThroughForm(page, `${app.url}/console/#/referral/${referralId}`, email, password);
  await page.locator('.record .card-facts').waitFor({ timeout: 30_000 });
  await page.locator('.record .card-programmes').waitFor({ timeout: 30_000 });
}

describe('the referral card', () => {
  it('reads as words in the counsellor’s language, keeps the raw JSON a click away, and fits above the notes', { timeout: 120_000 }, async () => {
    const context = await newContext(browser, { viewport: { width: 1280, height: 800 } });
    const page = await context.newPage();
    await openReferral(page);
    const record = page.locator('.record');

    // The person's own words stay first.
    expect(await record.evaluate((box) => box.firstElementChild?.matches('section.their-words'))).toBe(true);
    const card = (await record.evaluate((box) => {
      const clone = box.cloneNode(true) as HTMLElement;
      clone.querySelector('details.raw-record')?.remove();
      return clone.textContent ?? '';
    })) as string;
    expect(card).toContain('Afghanistan');
    expect(card).toContain('Germany');
    expect(card).toContain('Asylum application rejected');
    expect(card).toContain('Medical needs');
    expect(card).toContain('Starting a business or work');
    expect(card).toContain(new Date('2027-01-15T12:00:00Z').toLocaleDateString('en', { dateStyle: 'medium', timeZone: 'UTC' }));
    for (const raw of ['eligibility:', 'asylum_rejected', 'legalStatus', 'card.', 'AF,', 'medical_needs']) expect(card).not.toContain(raw);
    // Every programme of the catalogue is there, with a readable outcome.
    const programmes = await record.locator('.card-programmes [data-programme]').count();
    expect(programmes).toBeGreaterThan(0);

    // The raw record: closed, then one click shows the JSON as stored.
    const raw = record.locator('details.raw-record');
    expect(await raw.evaluate((details) => (details as HTMLDetailsElement).open)).toBe(false);
    await raw.locator('summary', { hasText: 'Raw record (JSON)' }).click();
    expect(await raw.locator('pre').textContent()).toContain('"legalStatus": "asylum_rejected"');
    await raw.locator('summary').click();

    const notesTop = await page.getByRole('heading', { name: 'Private notes' }).evaluate((heading) => heading.getBoundingClientRect().top + window.scrollY);
    const cardBottom = await record.evaluate((box) => box.getBoundingClientRect().bottom + window.scrollY);
    const pageHeight = await page.evaluate(() => document.documentElement.scrollHeight);
    await page.screenshot({ path: '/tmp/card-en.png', fullPage: true });
    console.info(`card bottom ${cardBottom} px, notes heading ${notesTop} px, page ${pageHeight} px`);
    expect(notesTop).toBeLessThan(1_400);
    expect(pageHeight).toBeLessThan(2_000);

    // In German, the labels and the reasons follow the counsellor's language.
    await page.locator('#console-language').selectOption('de');
    await expect.poll(async () => (await record.textContent()) ?? '', { timeout: 20_000 }).toContain('Asylantrag abgelehnt');
    const german = (await record.evaluate((box) => {
      const clone = box.cloneNode(true) as HTMLElement;
      clone.querySelector('details.raw-record')?.remove();
      return clone.textContent ?? '';
    })) as string;
    expect(german).toContain('Afghanistan');
    expect(german).toContain('Deutschland');
    expect(german).not.toContain('eligibility:');
    await page.screenshot({ path: '/tmp/card-de.png', fullPage: true });
    await context.close();
  });
});
