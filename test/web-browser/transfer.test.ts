// Two counsellors, each in their own browser context (issue 19, item 5): A claims a referral and
// transfers it to B from the conversation view; B's queue shows it as theirs without a reload, and
// A's actions close as soon as the referral is no longer A's. Beside it, the queue's waiting marks.
import { randomUUID } from 'node:crypto';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningApp } from '../../src/app.js';
import { newOrganisation } from '../handoff/support.js';
import { newContext } from './support/browser.js';
import { addConsoleUser, logInThroughForm, startAppWithBrowser, waitingReferral } from './support/console-app.js';

const eventually = { timeout: 30_000 };
const password = 'a long enough password';
const anna = { email: `anna-${randomUUID()}@example.org`, displayName: 'Anna' };
const ben = { email: `ben-${randomUUID()}@example.org`, displayName: 'Ben' };
let app: RunningApp;
let browser: Browser;
let organisationId = '';

beforeAll(async () => {
  [app, browser] = await startAppWithBrowser();
  organisationId = await newOrganisation(app.db, 'Transfer');
  for (const user of [anna, ben]) await addConsoleUser(app, { organisationId, ...user, password, role: 'counsellor' });
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await app?.close();
});

async function atQueue(user: { email: string }): Promise<Page> {
  const page = await (await newContext(browser, { viewport: { width: 1280, height: 800 } })).newPage();
  await logInThroughForm(page, `${app.url}/console`, user.email, password);
  await page.getByRole('heading', { name: 'Queue' }).waitFor(eventually);
  return page;
}

describe('transferring a referral between two consoles', () => {
  it('moves it from A to B: B’s queue shows it as B’s at once, A’s actions close', { timeout: 180_000 }, async () => {
    const [deskA, deskB] = await Promise.all([atQueue(anna), atQueue(ben)]);
    const referralId = await waitingReferral(app, organisationId);
    const rowA = deskA.locator(`tr[data-referral="${referralId}"]`);
    const rowB = deskB.locator(`tr[data-referral="${referralId}"]`);
    // Both see it waiting; A claims it, and it leaves B's queue.
    await rowB.getByRole('button', { name: 'Claim' }).waitFor(eventually);
    await rowA.getByRole('button', { name: 'Claim' }).click();
    await deskA.getByRole('heading', { name: 'Conversation' }).waitFor(eventually);
    await rowB.waitFor({ state: 'detached', ...eventually });

    // A's actions are open while it is A's.
    const status = deskA.locator('.status-line');
    await expect.poll(() => status.textContent(), eventually).toContain('Assigned to: you');
    const inProgress = deskA.getByRole('button', { name: 'Mark as in progress' });
    const handBack = deskA.getByRole('button', { name: 'Hand back to the bot' });
    const transfer = deskA.getByLabel('Transfer to');
    expect(await inProgress.isEnabled()).toBe(true);
    expect(await handBack.isEnabled()).toBe(true);
    await expect.poll(() => transfer.locator('option').allTextContents(), eventually).toContain('Ben (0 open)');
    // Nobody to give it to but colleagues (and the queue): not oneself.
    expect((await transfer.locator('option').allTextContents()).some((text) => text.startsWith('Anna'))).toBe(false);

    await transfer.selectOption({ label: 'Ben (0 open)' });
    await deskA.getByRole('button', { name: 'Transfer', exact: true }).click();

    // B's queue, never reloaded, now lists it as B's: to open, no longer to claim.
    await rowB.getByRole('link', { name: 'Open' }).waitFor(eventually);
    expect(await rowB.getByRole('button', { name: 'Claim' }).count()).toBe(0);
    expect(await rowB.textContent()).toContain('Claimed');

    // A's conversation view says who has it now, and what was A's to do is closed.
    await expect.poll(() => status.textContent(), eventually).toContain('Assigned to: Ben');
    await expect.poll(() => inProgress.isEnabled(), eventually).toBe(false);
    expect(await handBack.isEnabled()).toBe(false);
    expect(await deskA.getByRole('button', { name: 'Send', exact: true }).isEnabled()).toBe(false);
    expect(await deskA.getByRole('button', { name: 'Close' }).isEnabled()).toBe(false);
    expect(await transfer.isEnabled()).toBe(false);

    // B opens it and may work it: the same buttons are open for B.
    await rowB.getByRole('link', { name: 'Open' }).click();
    await deskB.getByRole('heading', { name: 'Conversation' }).waitFor(eventually);
    await expect.poll(() => deskB.locator('.status-line').textContent(), eventually).toContain('Assigned to: you');
    expect(await deskB.getByRole('button', { name: 'Mark as in progress' }).isEnabled()).toBe(true);
    expect(await app.db.prisma.referral.findUniqueOrThrow({ where: { id: referralId } })).toMatchObject({ status: 'claimed' });
  });

  it('marks a long wait amber and a longer one red, at the thresholds the organisation set', { timeout: 120_000 }, async () => {
    const minutesAgo = (minutes: number) => new Date(Date.now() - minutes * 60_000);
    const [amber, red] = [await waitingReferral(app, organisationId), await waitingReferral(app, organisationId)];
    await app.db.prisma.referral.update({ where: { id: amber }, data: { createdAt: minutesAgo(7) } });
    await app.db.prisma.referral.update({ where: { id: red }, data: { createdAt: minutesAgo(20) } });
    const desk = await atQueue(anna);
    const waitOf = (id: string) => desk.locator(`tr[data-referral="${id}"] td[data-wait]`);
    await expect.poll(() => waitOf(red).getAttribute('data-wait'), eventually).toBe('red');
    expect(await waitOf(amber).getAttribute('data-wait')).toBe('amber');
    // In words too, for whoever does not see the colour.
    expect(await waitOf(red).textContent()).toContain('waiting too long');
    expect(await waitOf(amber).textContent()).toContain('waiting long');

    // The organisation waits longer before amber: the 7-minute wait is no longer marked.
    await app.db.prisma.organisation.update({ where: { id: organisationId }, data: { waitAmberMinutes: 10, waitRedMinutes: 30 } });
    await desk.reload();
    await expect.poll(() => waitOf(red).getAttribute('data-wait'), eventually).toBe('amber');
    expect(await waitOf(amber).getAttribute('data-wait')).toBe('ok');
  });
});
