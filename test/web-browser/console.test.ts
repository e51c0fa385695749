// End to end in headless Chromium: a person in the widget asks for a person; a counsellor in the
// console (a second, isolated browser context) sees the referral appear live, claims it, they
// exchange messages both ways (markup the person types stays text), and the counsellor hands back
// so the bot answers again.
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningApp } from '../../src/app.js';
import { newContext } from './support/browser.js';
import { addConsoleUser, logInThroughForm, startAppWithBrowser } from './support/console-app.js';
import { readWidget, send, widget } from './support/widget-page.js';

const eventually = { timeout: 45_000, interval: 150 };
const password = 'a long enough password';

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

const t = (key: string, params?: Record<string, unknown>) => app.localisation.translatorFor('en')(key, params);

async function botSaid(page: Page, text: string): Promise<void> {
  await expect.poll(async () => (await readWidget(page)).log.some((item) => item.kind === 'bot' && item.text === text), eventually).toBe(true);
}

/**
 * The person opens the widget and asks for a person before agreeing to anything; the counsellor,
 * on the queue in `desk`, claims the chat. Resolves with the person's page and the referral's id.
 */
async function personAsksAndCounsellorClaims(desk: Page, personContext: BrowserContext): Promise<{ person: Page; referralId: string }> {
  const person = await personContext.newPage();
  await person.goto(`${app.url}/`);
  await widget(person).launcher.click();
  await expect.poll(async () => (await readWidget(person)).log.some((item) => item.kind === 'bot'), eventually).toBe(true);
  await person.locator('[data-homeward]').locator('button.handoff').click();
  const claim = desk.getByRole('button', { name: 'Claim' });
  await claim.waitFor({ timeout: eventually.timeout });
  await claim.click();
  await desk.getByRole('heading', { name: 'Conversation' }).waitFor({ timeout: eventually.timeout });
  const referralId = /#\/referral\/([0-9a-f-]{36})$/.exec(desk.url())?.[1];
  expect(referralId).toBeDefined();
  await botSaid(person, t('handoff:counsellor_joined_named', { name: 'Anna' }));
  return { person, referralId: referralId ?? '' };
}

describe('the console with the widget', () => {
  it('takes a referral from the live queue to a chat both ways and back to the bot', { timeout: 240_000 }, async () => {
    const consoleContext = await newContext(browser, { viewport: { width: 768, height: 1024 } });
    const personContext = await newContext(browser);
    try {
      // The counsellor logs in with the keyboard and waits at the (empty) queue.
      const desk = await consoleContext.newPage();
      const cspViolations: string[] = [];
      desk.on('console', (message) => {
        if (/Content Security Policy/i.test(message.text())) cspViolations.push(message.text());
      });
      await logInThroughForm(desk, `${app.url}/console`, 'counsellor@example.org', password);
      await desk.getByRole('heading', { name: 'Queue' }).waitFor({ timeout: eventually.timeout });
      await desk.getByText('Nobody is waiting.').waitFor({ timeout: eventually.timeout });

      // The person opens the widget and asks for a person.
      const person = await personContext.newPage();
      await person.goto(`${app.url}/`);
      const view = widget(person);
      await view.launcher.click();
      await expect.poll(async () => (await readWidget(person)).log.some((item) => item.kind === 'bot'), eventually).toBe(true);
      // The person agrees to data storage first: only then may the counsellor read what they write.
      // Both by tapping the buttons: the transcript must show what the person tapped as they saw it.
      await view.choice('English').click();
      await botSaid(person, t('bot:intake.consent'));
      await view.choice('Yes').click();
      await expect
        .poll(
          async () =>
            (await readWidget(person)).log.at(-1)?.kind === 'bot' && (await readWidget(person)).log.some((item) => item.kind === 'me' && item.text === 'Yes'),
          eventually,
        )
        .toBe(true);
      await person.locator('[data-homeward]').locator('button.handoff').click();
      await expect
        .poll(async () => (await readWidget(person)).log.some((item) => item.kind === 'bot' && item.text.startsWith('A counsellor has been asked')), eventually)
        .toBe(true);

      // It appears in the console without a reload; the counsellor claims it with the keyboard.
      const claim = desk.getByRole('button', { name: 'Claim' });
      await claim.waitFor({ timeout: eventually.timeout });
      await expect(desk.locator('tbody tr').first().textContent()).resolves.toContain('English');
      await claim.focus();
      await desk.keyboard.press('Enter');
      await desk.getByRole('heading', { name: 'Conversation' }).waitFor({ timeout: eventually.timeout });
      await botSaid(person, t('handoff:counsellor_joined_named', { name: 'Anna' }));

      // The taps read as the buttons did ("English", "Yes"), not as the values stored (en, yes).
      await desk.locator('.transcript li.client[data-value="yes"]').waitFor({ timeout: eventually.timeout });
      const tapped = await desk.locator('.transcript li.client[data-value] .seen').allTextContents();
      expect(tapped).toEqual(['English', 'Yes']);

      // Counsellor -> person.
      await desk.getByLabel('Message to the person').fill('Hello, I am Anna from the console.');
      await desk.getByRole('button', { name: 'Send', exact: true }).click();
      await botSaid(person, 'Hello, I am Anna from the console.');

      // Person -> counsellor, live in the transcript; the bot stays silent.
      await send(person, 'Thank you, I have a question.');
      await desk.locator('.transcript li.client', { hasText: 'Thank you, I have a question.' }).waitFor({ timeout: eventually.timeout });

      // Markup a person types is shown as text in the console: no element made, no script run.
      const hostile = '<img src=x onerror="window.__homewardXss=1"><script>window.__homewardXss=2</script><b>bold?</b>';
      const dialogs: string[] = [];
      desk.on('dialog', (dialog) => {
        dialogs.push(dialog.message());
        void dialog.dismiss();
      });
      await send(person, hostile);
      await desk.locator('.transcript li.client', { hasText: '<img src=x onerror=' }).waitFor({ timeout: eventually.timeout });
      expect(await desk.locator('.transcript img, .transcript script, .transcript b').count()).toBe(0);
      expect(await desk.evaluate(() => Reflect.get(window, '__homewardXss'))).toBeUndefined();
      expect(dialogs).toEqual([]);
      expect((await readWidget(person)).log.some((item) => item.kind === 'me' && item.text === hostile)).toBe(true);

      // A canned reply: chosen in English here, received in the person's language.
      await desk.getByLabel('Canned reply').selectOption('more_details');
      await desk.getByRole('button', { name: 'Send canned reply' }).click();
      await botSaid(person, t('handoff:canned.more_details'));
      const before = (await readWidget(person)).log.filter((item) => item.kind === 'bot').length;

      // Hand back: the person is told, and the bot answers the next message.
      await desk.getByRole('button', { name: 'Hand back to the bot' }).click();
      await botSaid(person, t('handoff:handed_back'));
      await send(person, 'help');
      await expect
        .poll(async () => {
          const { log } = await readWidget(person);
          const index = log.findLastIndex((item) => item.kind === 'me' && item.text === 'help');
          return index >= 0 && log.slice(index + 1).some((item) => item.kind === 'bot');
        }, eventually)
        .toBe(true);
      expect((await readWidget(person)).log.filter((item) => item.kind === 'bot').length).toBeGreaterThan(before + 1);
      // Each relayed message once.
      expect((await readWidget(person)).log.filter((item) => item.text === 'Hello, I am Anna from the console.')).toHaveLength(1);
      expect(cspViolations).toEqual([]);
    } finally {
      await consoleContext.close();
      await personContext.close();
    }
  });

  it('a crisis typed while the counsellor is in the chat marks it urgent at once: a banner read out and a tone', { timeout: 240_000 }, async () => {
    const consoleContext = await newContext(browser, { viewport: { width: 1280, height: 900 } });
    const personContext = await newContext(browser);
    try {
      const desk = await consoleContext.newPage();
      // Counts the notes the console plays (Web Audio oscillators started), without a speaker.
      await desk.addInitScript(() => {
        const played = { notes: 0 };
        Object.assign(window, { played });
        const start = OscillatorNode.prototype.start;
        OscillatorNode.prototype.start = function (this: OscillatorNode, ...args: Parameters<OscillatorNode['start']>) {
          played.notes += 1;
          return start.apply(this, args);
        };
      });
      const notesPlayed = () => desk.evaluate(() => (window as unknown as { played: { notes: number } }).played.notes);
      await logInThroughForm(desk, `${app.url}/console`, 'counsellor@example.org', password);
      await desk.getByRole('heading', { name: 'Queue' }).waitFor({ timeout: eventually.timeout });

      const { person } = await personAsksAndCounsellorClaims(desk, personContext);
      const banner = desk.locator('.urgent-banner');
      await desk
        .getByText(`${t('console:chat.status')}: `, { exact: false })
        .first()
        .waitFor({ timeout: eventually.timeout });
      expect(await banner.isHidden()).toBe(true);
      const notesBefore = await notesPlayed();

      // Words the lexicon hears in any chat language; the person is given the numbers first.
      await send(person, 'i cant take this anymore i want to kill myself tonight');
      const alert = desk.getByRole('alert').filter({ hasText: t('console:priority_cause.safety_concern') });
      await alert.waitFor({ timeout: eventually.timeout });
      expect(await alert.textContent()).toBe(
        app.localisation.translatorFor('en')('console:chat.urgent', { cause: t('console:priority_cause.safety_concern') }),
      );
      await expect.poll(notesPlayed, eventually).toBeGreaterThan(notesBefore);
      await expect.poll(async () => (await readWidget(person)).log.some((item) => item.kind === 'bot' && item.text.includes('112')), eventually).toBe(true);
    } finally {
      await consoleContext.close();
      await personContext.close();
    }
  });

  it('before consent shows the counsellor that the person wrote, not what; after "delete my data" the open chat says it was erased and the queue drops it', {
    timeout: 240_000,
  }, async () => {
    const consoleContext = await newContext(browser, { viewport: { width: 768, height: 1024 } });
    const personContext = await newContext(browser);
    try {
      const desk = await consoleContext.newPage();
      await logInThroughForm(desk, `${app.url}/console`, 'counsellor@example.org', password);
      await desk.getByRole('heading', { name: 'Queue' }).waitFor({ timeout: eventually.timeout });

      const { person, referralId } = await personAsksAndCounsellorClaims(desk, personContext);

      const words = 'My name is Dilnoza and I live at Rosenweg 12';
      await send(person, words);
      const withheld = t('console:chat.withheld.before_consent');
      expect(withheld).toMatch(/^Message not shown/);
      await desk.locator('.transcript li.client.withheld', { hasText: withheld }).waitFor({ timeout: eventually.timeout });
      expect(await desk.locator('main').textContent()).not.toContain('Rosenweg');

      // Erasure while the counsellor owns the chat: the person is answered, the console is told.
      await send(person, 'delete my data');
      await botSaid(person, t('system:erase_confirm'));
      await send(person, 'yes');
      await botSaid(person, t('system:erased'));
      await desk
        .getByRole('status')
        .filter({ hasText: t('console:chat.erased') })
        .waitFor({ timeout: eventually.timeout });
      // The queue no longer lists it (the first test's handed-back referral is still this counsellor's).
      await desk.getByRole('link', { name: 'Back to the queue' }).click();
      await desk.getByRole('heading', { name: 'Queue' }).waitFor({ timeout: eventually.timeout });
      await desk.locator('tbody tr').first().waitFor({ timeout: eventually.timeout });
      expect(await desk.locator(`tbody tr[data-referral="${referralId}"]`).count()).toBe(0);
    } finally {
      await consoleContext.close();
      await personContext.close();
    }
  });
});
