// What the browser tests of the console share: the app with Chromium beside it, a console user,
// logging in through the console's own form, and moving about with the keyboard.
import type { Browser, Page } from 'playwright-core';
import type { RunningApp } from '../../../src/app.js';
import { hashPassword } from '../../../src/console/auth/password.js';
import { createConsoleRepository, type UserRole } from '../../../src/store/repositories/console.js';
import { launchChromium } from './browser.js';
import { startTestApp } from '../../support/app.js';
import { conversationWith, fullAnswers } from '../../handoff/support.js';

/** The whole app on an embedded database (with `env` on top of the defaults) and Chromium, started side by side. */
export function startAppWithBrowser(env: Record<string, string> = {}): Promise<[RunningApp, Browser]> {
  return Promise.all([startTestApp(env), launchChromium()]);
}

/** A console user of `organisationId` who logs in with `password`. */
export async function addConsoleUser(
  app: RunningApp,
  user: { organisationId: string; email: string; password: string; role: UserRole; displayName?: string },
): Promise<void> {
  const { password, ...rest } = user;
  await createConsoleRepository(app.db.prisma).createUser({ ...rest, passwordHash: await hashPassword(password) });
}

/** Opens `url` (a console page, logged out) and logs in with the keyboard; the caller waits for what should follow. */
export async function logInThroughForm(page: Page, url: string, email: string, password: string): Promise<void> {
  await page.goto(url);
  await page.getByLabel('E-mail address').fill(email);
  await page.getByLabel('Password').fill(password);
  await page.getByLabel('Password').press('Enter');
}

/** Presses Tab until the element with `id` has focus, as a keyboard user would: it is reachable, in order. */
export async function tabTo(page: Page, id: string, maxPresses = 80): Promise<void> {
  for (let presses = 0; presses < maxPresses; presses++) {
    if ((await page.evaluate(() => document.activeElement?.id)) === id) return;
    await page.keyboard.press('Tab');
  }
  throw new Error(`#${id} was not reached with the Tab key`);
}

/** Replaces the focused field's text by typing. */
export async function retype(page: Page, text: string): Promise<void> {
  await page.keyboard.press('ControlOrMeta+A');
  await page.keyboard.press('Backspace');
  await page.keyboard.type(text);
}

/** A referral waiting in the queue of `organisationId` (a consenting person with every answer given); resolves with its id. */
export async function waitingReferral(app: RunningApp, organisationId: string): Promise<string> {
  const conversation = await conversationWith(app.db, organisationId, fullAnswers);
  return (await app.handoff.handoffRequested(conversation, 'intake_completed')).referral.id;
}
