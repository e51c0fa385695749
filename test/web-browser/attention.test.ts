// What draws a counsellor's attention (issue 19, item 6), in Chromium without a reload: unread
// marks on the queue's rows and their count in the page title, cleared by opening the referral; a
// desktop notification (permission granted in the browser context, the constructor recorded) for a
// new urgent referral and for the person's reply in a chat the counsellor owns; the keyboard keys.
import { randomUUID } from 'node:crypto';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningApp } from '../../src/app.js';
import type { InboundEvent } from '../../src/engine/types.js';
import { webTurn } from '../support/turns.js';
import { conversationWith, fullAnswers, newOrganisation } from '../handoff/support.js';
import { newContext } from './support/browser.js';
import { addConsoleUser, logInThroughForm, startAppWithBrowser, waitingReferral } from './support/console-app.js';

const eventually = { timeout: 30_000 };
const password = 'a long enough password';
let app: RunningApp;
let browser: Browser;
let organisationId = '';

beforeAll(async () => {
  [app, browser] = await startAppWithBrowser();
  organisationId = await newOrganisation(app.db, 'Attention');
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await app?.close();
});

interface Recorded {
  title: string;
  body: string | undefined;
  tag: string | undefined;
}

/** A counsellor of their own at the queue; every `new Notification(...)` of the page is recorded. */
async function atQueue(options: { notifications: boolean }): Promise<Page> {
  const email = `c-${randomUUID()}@example.org`;
  await addConsoleUser(app, { organisationId, email, password, role: 'counsellor', displayName: 'Sam' });
  const context = await newContext(browser, { viewport: { width: 1280, height: 800 } });
  if (options.notifications) await context.grantPermissions(['notifications'], { origin: app.url });
  await context.addInitScript(() => {
    const Real = window.Notification;
    const made: { title: string; body: string | undefined; tag: string | undefined }[] = [];
    const instances: Notification[] = [];
    class Recording extends Real {
      constructor(title: string, options?: NotificationOptions) {
        super(title, options);
        made.push({ title, body: options?.body, tag: options?.tag });
        instances.push(this);
      }
    }
    Object.defineProperty(Recording, 'permission', { get: () => Real.permission });
    Object.defineProperty(Recording, 'requestPermission', { value: Real.requestPermission.bind(Real) });
    Object.assign(window, { Notification: Recording, recordedNotifications: made, notificationInstances: instances });
  });
  const page = await context.newPage();
  await logInThroughForm(page, `${app.url}/console`, email, password);
  await page.getByRole('heading', { name: 'Queue' }).waitFor(eventually);
  return page;
}

const notifications = (page: Page) => page.evaluate(() => (window as unknown as { recordedNotifications: Recorded[] }).recordedNotifications);
const row = (page: Page, id: string) => page.locator(`tr[data-referral="${id}"]`);
const unread = (page: Page, id: string) => row(page, id).evaluate((element) => element.hasAttribute('data-unread'));

/** A person in the widget who consented and asked for a person; resolves with their channel reference and referral. */
async function personAsks(): Promise<{ ref: string; referralId: string }> {
  const ref = randomUUID();
  const turns: (InboundEvent | string)[] = [{ type: 'start' }, 'English', 'yes', { type: 'intent', intent: 'handoff' }];
  for (const said of turns) {
    expect((await app.turns.process(webTurn(organisationId, ref, said))).ok).toBe(true);
  }
  const conversation = await app.conversations.findByChannelRef('web', ref);
  const referral = conversation ? await app.db.prisma.referral.findFirst({ where: { conversationId: conversation.id } }) : null;
  if (!referral) throw new Error('no referral for the person');
  return { ref, referralId: referral.id };
}

describe('the console draws attention', () => {
  it('marks new referrals unread and counts them in the title, live; opening one clears its mark', { timeout: 180_000 }, async () => {
    const desk = await atQueue({ notifications: false });
    expect(await desk.title()).toBe('Queue · Homeward console');

    const first = await waitingReferral(app, organisationId);
    await row(desk, first).waitFor(eventually);
    await expect.poll(() => desk.title(), eventually).toBe('(1) Queue · Homeward console');
    expect(await unread(desk, first)).toBe(true);
    // Said in words, not by the dot alone.
    expect(await row(desk, first).locator('.vh-label').first().textContent()).toBe('unread: ');

    const second = await waitingReferral(app, organisationId);
    await expect.poll(() => desk.title(), eventually).toBe('(2) Queue · Homeward console');
    expect(await unread(desk, second)).toBe(true);

    // Opened (claimed, so it stays in this counsellor's queue): one left, on every page.
    await row(desk, first).getByRole('button', { name: 'Claim' }).click();
    await desk.getByRole('heading', { name: 'Conversation' }).waitFor(eventually);
    await expect.poll(() => desk.title(), eventually).toBe('(1) Conversation · Homeward console');
    await desk.getByRole('link', { name: 'Back to the queue' }).click();
    await desk.getByRole('heading', { name: 'Queue' }).waitFor(eventually);
    await expect.poll(() => row(desk, first).getByRole('link', { name: 'Open' }).count(), eventually).toBe(1);
    expect(await unread(desk, first)).toBe(false);
    expect(await unread(desk, second)).toBe(true);
    expect(await desk.title()).toBe('(1) Queue · Homeward console');

    // Marks are kept for the user in this browser: a reload does not make the opened one new again.
    await desk.reload();
    await row(desk, second).waitFor(eventually);
    await expect.poll(() => desk.title(), eventually).toBe('(1) Queue · Homeward console');
    expect(await unread(desk, first)).toBe(false);
    // No permission asked for, none given: no notification made.
    expect(await notifications(desk)).toEqual([]);
    await desk.context().close();
  });

  it('notifies of a new urgent referral and of a reply in a chat one owns; clicking goes to it', { timeout: 240_000 }, async () => {
    const desk = await atQueue({ notifications: true });
    // Off until the counsellor turns them on, on their own account page.
    await desk.goto(`${app.url}/console#/password`);
    const toggle = desk.getByLabel('Show desktop notifications');
    await toggle.waitFor(eventually);
    expect(await toggle.isChecked()).toBe(false);
    await toggle.check();
    await expect.poll(() => toggle.isChecked(), eventually).toBe(true);
    await desk.getByRole('link', { name: 'Queue' }).click();
    await desk.getByRole('heading', { name: 'Queue' }).waitFor(eventually);

    // A person in danger: an urgent referral, and a notification that says so without their words.
    const conversation = await conversationWith(app.db, organisationId, fullAnswers);
    const urgent = (await app.handoff.handoffRequested(conversation, 'safety_concern')).referral.id;
    expect((await app.db.prisma.referral.findUniqueOrThrow({ where: { id: urgent } })).priority).toBe('urgent');
    await expect
      .poll(async () => (await notifications(desk)).filter((item) => item.tag === `urgent-${urgent}`), eventually)
      .toEqual([{ title: 'Urgent referral', body: 'Someone may be in danger now. Open the queue to claim it.', tag: `urgent-${urgent}` }]);
    // A normal one makes none.
    const normal = await waitingReferral(app, organisationId);
    await row(desk, normal).waitFor(eventually);
    expect((await notifications(desk)).filter((item) => item.tag?.startsWith('urgent-'))).toHaveLength(1);

    // Clicking the notification brings the counsellor to the referral's row, in focus.
    await desk.evaluate(() => {
      const [notification] = (window as unknown as { notificationInstances: Notification[] }).notificationInstances;
      notification?.onclick?.(new Event('click'));
    });
    await expect.poll(() => desk.evaluate(() => document.activeElement?.getAttribute('data-referral')), eventually).toBe(urgent);

    // A chat this counsellor owns: they claim it and go back to the queue; the person writes.
    const { ref, referralId } = await personAsks();
    await row(desk, referralId).getByRole('button', { name: 'Claim' }).click();
    await desk.getByRole('heading', { name: 'Conversation' }).waitFor(eventually);
    await desk.getByRole('link', { name: 'Back to the queue' }).click();
    await row(desk, referralId).getByRole('link', { name: 'Open' }).waitFor(eventually);
    expect(await unread(desk, referralId)).toBe(false);
    expect((await app.turns.process(webTurn(organisationId, ref, 'Are you there? I have a question.'))).ok).toBe(true);
    await expect.poll(() => unread(desk, referralId), eventually).toBe(true);
    await expect
      .poll(async () => (await notifications(desk)).filter((item) => item.tag === `reply-${referralId}`), eventually)
      .toEqual([{ title: 'New message in your chat', body: 'The person you are talking with has written.', tag: `reply-${referralId}` }]);
    // Read in the open chat, a reply neither marks it nor notifies.
    await row(desk, referralId).getByRole('link', { name: 'Open' }).click();
    await desk.locator('.transcript li.client', { hasText: 'Are you there? I have a question.' }).waitFor(eventually);
    expect((await app.turns.process(webTurn(organisationId, ref, 'Hello again.'))).ok).toBe(true);
    await desk.locator('.transcript li.client', { hasText: 'Hello again.' }).waitFor(eventually);
    expect((await notifications(desk)).filter((item) => item.tag === `reply-${referralId}`)).toHaveLength(1);
    await desk.getByRole('link', { name: 'Back to the queue' }).click();
    await row(desk, referralId).waitFor(eventually);
    expect(await unread(desk, referralId)).toBe(false);
    await desk.context().close();
  });

  it('plays the urgent tone only while the sound is on, as the counsellor chose on their account page', { timeout: 180_000 }, async () => {
    const desk = await atQueue({ notifications: false });
    // Counts the notes played (Web Audio oscillators started), without a speaker.
    await desk.evaluate(() => {
      const played = { notes: 0 };
      Object.assign(window, { played });
      const start = OscillatorNode.prototype.start;
      OscillatorNode.prototype.start = function (this: OscillatorNode, ...args: Parameters<OscillatorNode['start']>) {
        played.notes += 1;
        return start.apply(this, args);
      };
    });
    const notesPlayed = () => desk.evaluate(() => (window as unknown as { played: { notes: number } }).played.notes);
    const urgentReferral = async () =>
      (await app.handoff.handoffRequested(await conversationWith(app.db, organisationId, fullAnswers), 'safety_concern')).referral.id;

    await desk.goto(`${app.url}/console#/password`);
    const sound = desk.getByLabel('Play a sound');
    await sound.waitFor(eventually);
    expect(await sound.isChecked()).toBe(true);
    await sound.uncheck();
    await desk.getByRole('link', { name: 'Queue' }).click();
    const quiet = await urgentReferral();
    await row(desk, quiet).waitFor(eventually);
    expect(await notesPlayed()).toBe(0);

    await desk.goto(`${app.url}/console#/password`);
    await sound.check();
    await desk.getByRole('link', { name: 'Queue' }).click();
    const heard = await urgentReferral();
    await row(desk, heard).waitFor(eventually);
    await expect.poll(notesPlayed, eventually).toBeGreaterThan(0);
    await desk.context().close();
  });

  it('moves through the queue with j and k, opens with Enter, lists the keys on ?, and ignores them while typing', { timeout: 180_000 }, async () => {
    const desk = await atQueue({ notifications: false });
    const rows = desk.locator('table.queue tbody tr[data-referral]');
    await expect.poll(() => rows.count(), eventually).toBeGreaterThan(1);
    const focusedRow = () => desk.evaluate(() => document.activeElement?.getAttribute('data-referral') ?? null);
    const [firstId, secondId] = await rows.evaluateAll((elements) => elements.map((element) => element.getAttribute('data-referral')));

    await desk.keyboard.press('j');
    expect(await focusedRow()).toBe(firstId);
    await desk.keyboard.press('j');
    expect(await focusedRow()).toBe(secondId);
    await desk.keyboard.press('k');
    expect(await focusedRow()).toBe(firstId);

    await desk.keyboard.press('?');
    const dialog = desk.getByRole('dialog', { name: 'Keyboard shortcuts' });
    await dialog.waitFor(eventually);
    expect(await dialog.textContent()).toContain('Claim the referral in focus');
    await desk.keyboard.press('Escape');
    await dialog.waitFor({ state: 'hidden', ...eventually });

    // Typed in a field, the letters are text.
    await desk.goto(`${app.url}/console#/password`);
    const field = desk.getByLabel('Display name');
    await field.fill('');
    await field.focus();
    await desk.keyboard.type('jk?');
    expect(await field.inputValue()).toBe('jk?');
    expect(await desk.getByRole('dialog').count()).toBe(0);

    await desk.goto(`${app.url}/console#/`);
    await expect.poll(() => rows.count(), eventually).toBeGreaterThan(1);
    await desk.keyboard.press('j');
    await desk.keyboard.press('Enter');
    await desk.getByRole('heading', { name: 'Conversation' }).waitFor(eventually);
    expect(desk.url()).toContain(`#/referral/${firstId}`);

    // c claims the waiting referral in focus (the first, the urgent one nobody has claimed).
    await desk.getByRole('link', { name: 'Back to the queue' }).click();
    await expect.poll(() => rows.count(), eventually).toBeGreaterThan(1);
    await desk.keyboard.press('j');
    expect(await focusedRow()).toBe(firstId);
    await desk.keyboard.press('c');
    await expect.poll(() => desk.locator('.status-line').textContent(), eventually).toContain('Assigned to: you');
    expect(desk.url()).toContain(`#/referral/${firstId}`);
    await desk.context().close();
  });
});
