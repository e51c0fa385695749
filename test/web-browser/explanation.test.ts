// End to end in headless Chromium (issue 16): a person at phone width answers the whole intake in
// the widget as they would, tapping the buttons they read and typing the rest, with a few words of
// their own at the end; the explanation that follows is short (three messages, no amount until the
// person asks for a programme's detail); they ask for a counsellor, and the counsellor in the console
// (a second, isolated browser context) reads the person's own words first, above the record.
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningApp } from '../../src/app.js';
import { newContext } from './support/browser.js';
import { addConsoleUser, logInThroughForm, startAppWithBrowser } from './support/console-app.js';
import { readWidget, send, widget } from './support/widget-page.js';

const eventually = { timeout: 45_000, interval: 150 };
const password = 'a long enough password';
const theirWords = 'my mother is ill and I want to see her';

let app: RunningApp;
let browser: Browser;

beforeAll(async () => {
  [app, browser] = await startAppWithBrowser();
  const demo = (await app.organisations.findByWidgetKey('demo'))!;
  await addConsoleUser(app, { organisationId: demo.id, email: 'counsellor@example.org', displayName: 'Anna', password, role: 'counsellor' });
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await app?.close();
});

const t = (lng: string, key: string) => app.localisation.translatorFor(lng)(key);

/** A step as the person takes it: tap the button they read, or type; then the bot asks `next`. */
type Step = { tap: string; next: string } | { type: string; next: string };

/** The bot messages after the person's last message. */
async function lastAnswer(page: Page): Promise<string[]> {
  const { log } = await readWidget(page);
  return log
    .slice(log.findLastIndex((item) => item.kind === 'me') + 1)
    .filter((item) => item.kind === 'bot')
    .map((item) => item.text);
}

/**
 * Takes `step`, then waits until a bot message said after it contains `next` and buttons (if any)
 * are offered again. Buttons are matched by their whole label: "No" is not "I don't know".
 */
async function take(page: Page, step: Step): Promise<void> {
  const before = (await readWidget(page)).log.length;
  if ('tap' in step) await page.locator('[data-homeward]').locator('.choices').getByRole('button', { name: step.tap, exact: true }).click();
  else await send(page, step.type);
  await expect
    .poll(async () => {
      const { log } = await readWidget(page);
      return log.slice(before).some((item) => item.kind === 'bot' && item.text.includes(step.next));
    }, eventually)
    .toBe(true);
}

/** The Afghan family of test/engine/transcript.test.ts, up to the open question, as English buttons and words. */
function intakeInEnglish(): Step[] {
  const en = (key: string) => t('en', key);
  return [
    { tap: 'English', next: 'Do you agree that we keep your answers?' },
    { tap: en('system:answer.yes'), next: 'How old are you?' },
    { tap: '18 to 59', next: 'Is anyone hurting you, threatening you' },
    { tap: en('system:answer.no'), next: 'In which country are you now?' },
    { tap: 'Germany', next: 'In which city or town do you live now?' },
    { type: 'Berlin', next: 'Which country are you a citizen of?' },
    { type: 'Afghanistan', next: 'To which country would you maybe go back?' },
    { type: 'Afghanistan', next: 'What is your situation in this country now?' },
    { tap: en('bot:counselling.status.asylum_rejected'), next: 'Have you been given a date by which you must leave the country?' },
    { tap: en('system:answer.yes'), next: 'What is the date?' },
    { type: '15.01.2027', next: 'How many adults' },
    { type: '2', next: 'How many children under 18 would travel with you?' },
    { type: '2', next: 'How old are the children?' },
    { type: '4, 9', next: 'Does any of this apply to you' },
    { tap: en('bot:counselling.vulnerability.medical_needs'), next: '1 chosen' },
    { tap: en('system:answer.done'), next: 'Have you ever received help from a programme' },
    { tap: en('system:answer.no'), next: 'Are you in detention or in prison now?' },
    { tap: en('system:answer.no'), next: 'Is someone pressuring you to return?' },
    { tap: en('system:answer.no'), next: 'What help would be important for you?' },
    { tap: en('bot:intake.wish.travel'), next: '1 chosen' },
    { tap: en('bot:intake.wish.business'), next: '2 chosen' },
    { tap: en('system:answer.done'), next: 'what makes you think about returning, and what worries you?' },
  ];
}

describe('the explanation after the intake, from the widget at phone width to the console', () => {
  it("is three messages without an amount, gives the detail on a tap, and the counsellor reads the person's own words first", {
    timeout: 300_000,
  }, async () => {
    const personContext = await newContext(browser, { viewport: { width: 360, height: 640 }, reducedMotion: 'reduce' });
    const consoleContext = await newContext(browser, { viewport: { width: 1280, height: 800 } });
    try {
      const person = await personContext.newPage();
      await person.goto(`${app.url}/`);
      await widget(person).launcher.click();
      await widget(person).choice('English').waitFor({ timeout: eventually.timeout });
      for (const step of intakeInEnglish()) await take(person, step);

      // The open answer, typed: the explanation follows, ending with the offer and its buttons.
      const offer = 'Do you want to talk to a counsellor?';
      await take(person, { type: theirWords, next: offer });
      const moreAboutReag = 'More about REAG/GARP';
      // The buttons say what yes and no mean: they are often read away from the question.
      const offered = [
        t('en', 'bot:intake.offer_yes'),
        t('en', 'bot:intake.offer_no'),
        moreAboutReag,
        'More about StarthilfePlus',
        'More about Perspektive Heimat',
      ];
      await expect.poll(async () => (await readWidget(person)).choices, eventually).toEqual(offered);
      // Nothing more arrives after the offer.
      await person.waitForTimeout(1_000);
      const explanation = await lastAnswer(person);
      expect(explanation).toHaveLength(3);
      expect(explanation[0]).toContain('Here is what I found from your answers.');
      expect(explanation[1]).toContain('Before you decide anything:');
      expect(explanation[2]).toContain(offer);
      // Balanced before money: no amount anywhere in the chat yet.
      expect((await readWidget(person)).log.some((item) => /euros|€/.test(item.text))).toBe(false);
      await person.screenshot({ path: '/tmp/explain-en-widget.png' });
      // Five long buttons at 360x640: the messages keep more than half the panel, "I am in danger" stays
      // in view, and the last button is reached by scrolling the answers' own area.
      const space = () =>
        person.evaluate(() => {
          const root = document.querySelector('[data-homeward]')?.shadowRoot;
          const area = root?.querySelector('.choices')?.getBoundingClientRect();
          const last = root?.querySelector('.choices button:last-child')?.getBoundingClientRect();
          const danger = root?.querySelector('.tools .danger')?.getBoundingClientRect();
          return {
            panel: root?.querySelector('#hw-panel')?.getBoundingClientRect().height ?? NaN,
            log: root?.querySelector('.log')?.clientHeight ?? NaN,
            dangerInView: !!danger && danger.width > 0 && danger.bottom <= innerHeight && danger.left >= 0 && danger.right <= innerWidth,
            lastInArea: !!area && !!last && last.top >= area.top && last.bottom <= area.bottom,
          };
        });
      const atOffer = await space();
      console.info(`the offer at 360x640: ${JSON.stringify(atOffer)}`);
      expect(atOffer.log / atOffer.panel).toBeGreaterThanOrEqual(0.55);
      expect(atOffer.dangerInView).toBe(true);
      await widget(person).choice('More about Perspektive Heimat').scrollIntoViewIfNeeded();
      expect(await space()).toMatchObject({ lastInArea: true, dangerInView: true });
      await person.screenshot({ path: '/tmp/widget-space-after-explain-end.png' });
      // The start of the explanation, as the person scrolls back to read it.
      await widget(person).bot('Here is what I found from your answers.').scrollIntoViewIfNeeded();
      await person.screenshot({ path: '/tmp/explain-en-widget-summary.png' });

      // A "More about" tap: the programme's detail with its amounts, and the offer again.
      await take(person, { tap: moreAboutReag, next: offer });
      const detail = await lastAnswer(person);
      expect(detail.some((text) => /REAG\/GARP/.test(text) && /\d[\d,]* euros/.test(text))).toBe(true);
      await expect.poll(async () => (await readWidget(person)).choices, eventually).toEqual(offered);
      await widget(person).bot('up to 5,600 euros').scrollIntoViewIfNeeded();
      await person.screenshot({ path: '/tmp/explain-en-widget-detail.png' });

      await take(person, { tap: t('en', 'bot:intake.offer_yes'), next: 'I am asking a counsellor to join' });

      // The counsellor logs in, claims the referral and reads the person's words above the record.
      const desk = await consoleContext.newPage();
      await logInThroughForm(desk, `${app.url}/console`, 'counsellor@example.org', password);
      await desk.getByRole('heading', { name: 'Queue' }).waitFor({ timeout: eventually.timeout });
      const claim = desk.getByRole('button', { name: 'Claim' });
      await claim.waitFor({ timeout: eventually.timeout });
      await claim.click();
      await desk.getByRole('heading', { name: 'Conversation' }).waitFor({ timeout: eventually.timeout });
      const words = desk.locator('.record section.their-words');
      await words.waitFor({ timeout: eventually.timeout });
      expect(await words.locator('h3').textContent()).toBe(t('en', 'console:chat.in_their_words'));
      expect(await words.locator('blockquote').textContent()).toBe(theirWords);
      const order = await desk.evaluate(() => {
        const record = document.querySelector('.record');
        const first = record?.firstElementChild;
        const rest = record?.querySelector(':scope > .card-facts');
        return {
          first: first?.className,
          wordsBottom: first?.getBoundingClientRect().bottom ?? NaN,
          restTop: rest?.getBoundingClientRect().top ?? NaN,
        };
      });
      expect(order.first).toBe('their-words');
      expect(order.wordsBottom).toBeLessThanOrEqual(order.restTop);
      await desk.screenshot({ path: '/tmp/explain-en-console.png' });
      await words.scrollIntoViewIfNeeded();
      await desk.screenshot({ path: '/tmp/explain-en-console-words.png' });
      await desk.screenshot({ path: '/tmp/explain-en-console-full.png', fullPage: true });
    } finally {
      await personContext.close();
      await consoleContext.close();
    }
  });
});
