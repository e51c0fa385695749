// In headless Chromium on a phone-sized screen (360x640): once a counsellor owns the chat, the
// person reads who writes ("Amira · Counsellor", the word in their language) above each of the
// counsellor's messages, set apart from the bot's, and "Talk to a person" is gone, also after a
// reload; when the chat is handed back the button is there again.
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningApp } from '../../src/app.js';
import type { Actor } from '../../src/handoff/service.js';
import { createConsoleRepository } from '../../src/store/repositories/console.js';
import { newContext } from './support/browser.js';
import { addConsoleUser, startAppWithBrowser } from './support/console-app.js';
import { readWidget, widget } from './support/widget-page.js';

const eventually = { timeout: 45_000, interval: 150 };

let app: RunningApp;
let browser: Browser;
let amira: Actor;

beforeAll(async () => {
  [app, browser] = await startAppWithBrowser();
  const demo = (await app.organisations.findByWidgetKey('demo'))!;
  await addConsoleUser(app, {
    organisationId: demo.id,
    email: 'amira@example.org',
    displayName: 'Amira',
    password: 'a long enough password',
    role: 'counsellor',
  });
  const user = await createConsoleRepository(app.db.prisma).findUserByEmail('amira@example.org');
  amira = { userId: user!.id, organisationId: demo.id, role: 'counsellor' };
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await app?.close();
});

const t = (key: string, params?: Record<string, unknown>) => app.localisation.translatorFor('en')(key, params);

/** The counsellor's bubbles as the person sees them: the label line, the words, and whether both are on screen. */
const counsellorBubbles = (page: Page) =>
  page.evaluate(() => {
    const root = document.querySelector('[data-homeward]')?.shadowRoot;
    return Array.from(root?.querySelectorAll<HTMLElement>('.log li.counsellor') ?? []).map((item) => {
      const label = item.querySelector<HTMLElement>('.who');
      const box = label?.getBoundingClientRect();
      const bot = root?.querySelector<HTMLElement>('.log li.bot:not(.counsellor)');
      return {
        label: label?.textContent ?? '',
        words: Array.from(item.childNodes)
          .filter((node) => node.nodeType === Node.TEXT_NODE)
          .map((node) => node.textContent)
          .join(''),
        labelShown: !!box && box.width > 0 && box.left >= 0 && box.right <= innerWidth,
        // Not dressed like the bot: another background or border than a bot bubble.
        setApart:
          !!bot &&
          (getComputedStyle(item).backgroundColor !== getComputedStyle(bot).backgroundColor ||
            getComputedStyle(item).borderInlineStartWidth !== getComputedStyle(bot).borderInlineStartWidth),
      };
    });
  });

const handoffShown = (page: Page) => page.locator('[data-homeward]').locator('button.handoff').isVisible();

async function botSaid(page: Page, text: string): Promise<void> {
  await expect.poll(async () => (await readWidget(page)).log.some((item) => item.kind === 'bot' && item.text === text), eventually).toBe(true);
}

describe('who writes in the widget', () => {
  it('labels the counsellor\'s messages and hides "Talk to a person" while they own the chat', { timeout: 240_000 }, async () => {
    const context = await newContext(browser, { viewport: { width: 360, height: 640 } });
    try {
      const person = await context.newPage();
      await person.goto(`${app.url}/`);
      await widget(person).launcher.click();
      await expect.poll(async () => (await readWidget(person)).log.some((item) => item.kind === 'bot'), eventually).toBe(true);
      expect(await handoffShown(person)).toBe(true);
      const before = new Set((await app.handoff.list(amira.organisationId)).map((referral) => referral.id));
      await person.locator('[data-homeward]').locator('button.handoff').click();
      let referral = '';
      await expect
        .poll(async () => (referral = (await app.handoff.list(amira.organisationId)).find((item) => !before.has(item.id))?.id ?? ''), eventually)
        .not.toBe('');
      // Waiting in the queue, nobody owns the chat yet: the button stays.
      expect(await handoffShown(person)).toBe(true);

      // Amira claims the chat: the person is told by name, and the button goes.
      expect((await app.handoff.claim(amira, referral)).ok).toBe(true);
      await botSaid(person, t('handoff:counsellor_joined_named', { name: 'Amira' }));
      await expect.poll(() => handoffShown(person), eventually).toBe(false);

      expect((await app.handoff.sendMessage(amira, referral, 'Hello, I am Amira. How can I help?')).ok).toBe(true);
      const label = `Amira · ${t('widget:counsellor')}`;
      await expect
        .poll(() => counsellorBubbles(person), eventually)
        .toEqual([{ label, words: 'Hello, I am Amira. How can I help?', labelShown: true, setApart: true }]);
      // The bot's own lines carry no label.
      expect(await person.locator('[data-homeward]').locator('.log li.bot:not(.counsellor) .who').count()).toBe(0);

      // A reload replays the history: the label and the hidden button come back from it.
      await person.reload();
      await widget(person).launcher.click();
      await expect
        .poll(() => counsellorBubbles(person), eventually)
        .toEqual([{ label, words: 'Hello, I am Amira. How can I help?', labelShown: true, setApart: true }]);
      expect(await handoffShown(person)).toBe(false);

      // Handed back to the bot: the person is told, and can ask for a person again.
      expect((await app.handoff.handBack(amira, referral)).ok).toBe(true);
      await botSaid(person, t('handoff:handed_back'));
      await expect.poll(() => handoffShown(person), eventually).toBe(true);
    } finally {
      await context.close();
    }
  });
});
