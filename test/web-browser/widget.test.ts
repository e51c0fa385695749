import { request } from 'node:http';
import { gunzipSync } from 'node:zlib';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningApp } from '../../src/app.js';
import { launchChromium, newContext } from './support/browser.js';
import { changeStoredSession, countRequests, readWidget, send, storedSession, storedText, widget } from './support/widget-page.js';
import { startTestApp } from '../support/app.js';

const maxGzippedBytes = 30 * 1024;
const scenarioTimeout = 180_000;
/** For `expect.poll`: generous, since two cores run the server, Chromium and another test file at once. */
const eventually = { timeout: 30_000, interval: 100 };

let app: RunningApp;
let browser: Browser;

beforeAll(async () => {
  [app, browser] = await Promise.all([startTestApp(), launchChromium()]);
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await app?.close();
});

const t = (lng: string, key: string) => app.localisation.translatorFor(lng)(key);

/** Raw bytes as sent, without fetch's transparent decompression. */
function getRaw(
  url: string,
  headers: Record<string, string>,
): Promise<{ status: number; headers: Record<string, string | string[] | undefined>; body: Buffer }> {
  return new Promise((resolve, reject) => {
    request(url, { headers }, (response) => {
      const chunks: Buffer[] = [];
      response.on('data', (chunk: Buffer) => chunks.push(chunk));
      response.on('end', () => resolve({ status: response.statusCode ?? 0, headers: response.headers, body: Buffer.concat(chunks) }));
      response.on('error', reject);
    })
      .on('error', reject)
      .end();
  });
}

/** Some bot message follows the person's last message `mine`. */
async function waitForReplyTo(page: Page, mine: string): Promise<void> {
  await expect
    .poll(async () => {
      const { log } = await readWidget(page);
      const index = log.findLastIndex((item) => item.kind === 'me' && item.text === mine);
      return index >= 0 && log.slice(index + 1).some((item) => item.kind === 'bot');
    }, eventually)
    .toBe(true);
}

/** The Direct Line conversation a stored resume ticket names (only the server can read it). */
function conversationOf(session: { resume: string }): string {
  const verified = app.web.tokens.verify(session.resume, 'resume');
  if (verified.status !== 'success') throw new Error(`the stored resume ticket does not verify: ${verified.reason}`);
  return verified.claims.conversationId;
}

async function transcriptCount(conversationId: string, text: string): Promise<number> {
  const conversation = await app.conversations.findByChannelRef('web', conversationId);
  if (!conversation) throw new Error(`no conversation ${conversationId}`);
  const messages = await app.conversations.listMessages(conversation.id);
  return messages.filter((message) => message.author === 'client' && message.text === text).length;
}

describe('/widget.js', () => {
  it('is minified, compressed, cacheable and at most 30 KB gzipped', async () => {
    const gzip = await getRaw(`${app.url}/widget.js`, { 'accept-encoding': 'gzip' });
    expect(gzip.status).toBe(200);
    expect(gzip.headers['content-encoding']).toBe('gzip');
    expect(gzip.headers['content-type']).toMatch(/^application\/javascript/);
    expect(gzip.headers['cache-control']).toMatch(/max-age=\d+/);
    const js = gunzipSync(gzip.body).toString('utf8');
    const brotli = await getRaw(`${app.url}/widget.js`, { 'accept-encoding': 'gzip, deflate, br' });
    expect(brotli.headers['content-encoding']).toBe('br');
    const plain = await getRaw(`${app.url}/widget.js`, {});
    expect(plain.headers['content-encoding']).toBeUndefined();
    expect(plain.body.toString('utf8')).toBe(js);

    console.info(
      `widget.js: ${js.length} bytes minified, ${gzip.body.length} bytes gzipped, ${brotli.body.length} bytes brotli (limit ${maxGzippedBytes} gzipped)`,
    );
    expect(gzip.body.length).toBeLessThanOrEqual(maxGzippedBytes);
    // No HTML parsing anywhere: messages can only ever become text.
    expect(js).not.toMatch(/innerHTML|outerHTML|insertAdjacentHTML|document\.write/);

    const etag = String(gzip.headers.etag);
    const again = await getRaw(`${app.url}/widget.js`, { 'accept-encoding': 'gzip', 'if-none-match': etag });
    expect(again.status).toBe(304);
    expect(again.body.length).toBe(0);
  });

  it('serves the organisation look and the widget texts, English filling gaps', async () => {
    const config = (await (await fetch(`${app.url}/v3/widget/config?key=demo`)).json()) as Record<string, unknown>;
    expect(config).toMatchObject({
      look: { colour: expect.stringMatching(/^#[0-9a-f]{6}$/i), position: 'right', title: { en: t('en', 'widget:title'), ar: t('ar', 'widget:title') } },
      defaultLanguage: 'en',
      languages: expect.arrayContaining([{ code: 'ar', nativeName: 'العربية', dir: 'rtl', draft: true }]),
    });
    expect((await fetch(`${app.url}/v3/widget/config?key=nobody`)).status).toBe(404);
    expect((await fetch(`${app.url}/v3/widget/config`)).status).toBe(400);
    const arabic = (await (await fetch(`${app.url}/v3/widget/strings/ar`)).json()) as Record<string, string>;
    expect(arabic.send).toBe(t('ar', 'widget:send'));
    const unknown = (await (await fetch(`${app.url}/v3/widget/strings/sw`)).json()) as Record<string, string>;
    expect(unknown.send).toBe(t('en', 'widget:send'));
    expect((await fetch(`${app.url}/v3/widget/strings/${encodeURIComponent('../x')}`)).status).toBe(400);
  });
});

describe('the widget on the demo page, in headless Chromium', () => {
  it(
    'chats in Arabic with buttons and text, continues after a reload and after going offline, never twice',
    async () => {
      const context = await newContext(browser);
      const page = await context.newPage();
      const w = widget(page);
      await page.goto(app.url);
      expect(await page.locator('h1').count()).toBe(1);
      await w.launcher.click();
      await w.bot(t('en', 'bot:intake.language')).waitFor();

      // Pick Arabic with the bot's own buttons: the panel follows the conversation's language.
      await w.choice('العربية').click();
      await w.bot(t('ar', 'bot:intake.consent')).waitFor();
      await expect.poll(async () => [(await readWidget(page)).lang, (await readWidget(page)).dir], eventually).toEqual(['ar', 'rtl']);
      expect(await w.launcher.getAttribute('aria-label')).toBe(t('ar', 'widget:launcher.close'));
      expect(await w.input.getAttribute('placeholder')).toBe(t('ar', 'widget:input.placeholder'));

      // A button, then text.
      await w.choice(t('ar', 'system:answer.yes')).click();
      await w.bot(t('ar', 'bot:intake.age_band')).waitFor();
      await send(page, '3');
      await waitForReplyTo(page, '3');

      const before = await readWidget(page);
      expect(before.log.filter((item) => item.pending)).toEqual([]);
      const session = await storedSession(page);
      const conversationId = conversationOf(session);
      // The page keeps the sealed ticket only: no conversation id, no token (issue 15).
      expect(Object.keys(session).sort()).toEqual(['resume', 'watermark']);
      expect(await storedText(page)).not.toContain(conversationId);

      // Back "days later", from a widget of before: its record also held the id and an expired token; the ticket alone brings the conversation back.
      await changeStoredSession(page, { conversationId, token: 'hw1.expired.token', tokenExpiresAt: Date.now() - 60_000 });
      await page.reload();
      await w.launcher.click();
      await expect.poll(async () => (await readWidget(page)).log.length, eventually).toBe(before.log.length);
      const after = await readWidget(page);
      // Every line once, in order. (The server replays a tap before consent by its value, "ar", not its label.)
      expect(after.log.map((item) => [item.kind, item.kind === 'me' ? '' : item.text])).toEqual(
        before.log.map((item) => [item.kind, item.kind === 'me' ? '' : item.text]),
      );
      expect(after.log.filter((item) => item.kind === 'me' && item.text === '3')).toHaveLength(1);
      expect(after.choices).toEqual(before.choices);
      expect([after.lang, after.dir]).toEqual(['ar', 'rtl']);
      const resumed = await storedSession(page);
      expect(conversationOf(resumed)).toBe(conversationId);
      expect(resumed).not.toHaveProperty('token');
      expect(await storedText(page)).not.toContain(conversationId);

      // The conversation goes on from where it was.
      // After the age comes "are you safe now?"; "No" (a "Yes" would, rightly, raise an alarm).
      const answer = t('ar', 'system:answer.no');
      expect(after.choices).toContain(answer);
      await w.choice(answer).click();
      await waitForReplyTo(page, answer);
      expect((await readWidget(page)).log.filter((item) => item.kind === 'me' && item.text === answer)).toHaveLength(1);

      // Offline: the widget says so, keeps what is written, and sends it once when the network is back.
      await context.setOffline(true);
      await expect.poll(async () => (await readWidget(page)).status, eventually).toBe(t('ar', 'widget:status.offline'));
      const whileOffline = 'كتبت هذا وأنا غير متصل';
      await send(page, whileOffline);
      await w
        .mine(whileOffline)
        .filter({ hasText: t('ar', 'widget:message.queued') })
        .waitFor();
      await context.setOffline(false);
      await w.delivered(whileOffline).waitFor({ timeout: 30_000 });
      await waitForReplyTo(page, whileOffline);

      const afterComingBack = 'وهذا بعد عودة الاتصال';
      await send(page, afterComingBack);
      await w.delivered(afterComingBack).waitFor({ timeout: 30_000 });
      await waitForReplyTo(page, afterComingBack);

      const final = await readWidget(page);
      expect(final.status).toBeNull();
      for (const text of [whileOffline, afterComingBack]) {
        expect(final.log.filter((item) => item.kind === 'me' && item.text === text)).toHaveLength(1);
        expect(await transcriptCount(conversationId, text)).toBe(1);
      }
      await context.close();
    },
    scenarioTimeout,
  );

  it(
    'keeps an "I am in danger" button in view: one tap, before any answer, gives the emergency numbers and asks a counsellor urgently (Ukrainian, phone width)',
    async () => {
      const context = await newContext(browser, { viewport: { width: 360, height: 740 }, locale: 'uk-UA' });
      const page = await context.newPage();
      const w = widget(page);
      await page.goto(app.url);
      await w.launcher.click();
      await w
        .bot(t('uk', 'widget:greeting'))
        .or(w.bot(t('uk', 'bot:intake.language')))
        .first()
        .waitFor();
      const danger = page.locator('[data-homeward]').locator('.tools .danger');
      expect(await danger.textContent()).toBe(t('uk', 'widget:danger'));
      expect(await danger.isVisible()).toBe(true);

      await danger.click();
      // The person's words in the chat, then the numbers to call before anything else.
      await w.mine(t('uk', 'widget:danger')).waitFor();
      const numbersFirstLine = t('uk', 'handoff:emergency_contacts').split('\n')[0]!;
      await w.bot(numbersFirstLine).waitFor({ timeout: 30_000 });
      await w.bot(t('uk', 'system:safety_path.continue_when_ready')).waitFor({ timeout: 30_000 });

      const conversation = await app.conversations.findByChannelRef('web', conversationOf(await storedSession(page)));
      if (!conversation) throw new Error('the tap made no conversation');
      await expect
        .poll(
          async () => (await app.handoff.list(conversation.organisationId, ['new'])).find((referral) => referral.conversationId === conversation.id)?.priority,
          eventually,
        )
        .toBe('urgent');
      await context.close();
    },
    scenarioTimeout,
  );

  it(
    'shows an answer of several messages from its first one at phone width, not from its end (issue 16)',
    async () => {
      // 360x560: a small phone, where this answer is taller than the log (at 360x640 it now fits).
      const context = await newContext(browser, { viewport: { width: 360, height: 560 }, reducedMotion: 'reduce' });
      const page = await context.newPage();
      const w = widget(page);
      await page.goto(app.url);
      await w.launcher.click();

      // Without consent, the general questions: an answer comes with the menu again, more than a phone shows.
      await w.choice('English').click();
      await w.choice(t('en', 'system:answer.no')).click({ timeout: 30_000 });
      const menu = w.bot(t('en', 'bot:intake.general_menu'));
      await menu.waitFor({ timeout: 30_000 });
      await w.choice(t('en', 'system:faq.topic.reintegration')).click();
      await expect.poll(() => menu.count(), eventually).toBe(2);
      await expect.poll(async () => (await readWidget(page)).choices.length, eventually).toBeGreaterThan(0);
      const view = await page.evaluate(() => {
        const log = document.querySelector('[data-homeward]')?.shadowRoot?.querySelector('.log');
        if (!log) throw new Error('the widget has no log');
        const lines = Array.from(log.children);
        const answer = lines.slice(lines.findLastIndex((line) => line.classList.contains('me')) + 1);
        const top = (line: Element | undefined) => line?.getBoundingClientRect().top ?? NaN;
        const box = log.getBoundingClientRect();
        return {
          lines: answer.length,
          visible: log.clientHeight,
          answerHeight: (answer.at(-1)?.getBoundingClientRect().bottom ?? NaN) - top(answer[0]),
          firstFromTop: top(answer[0]) - box.top,
        };
      });
      console.info(`answer at 360x560: ${JSON.stringify(view)}`);
      // The answer is taller than the log shows, so where the view lands matters.
      expect(view.lines).toBeGreaterThan(1);
      expect(view.answerHeight).toBeGreaterThan(view.visible);
      // Its first message starts at the top of the log (scrolled to the end, it would be above it).
      expect(view.firstFromTop).toBeGreaterThanOrEqual(0);
      expect(view.firstFromTop).toBeLessThanOrEqual(24);
      await context.close();
    },
    scenarioTimeout,
  );

  it(
    'works with the keyboard alone, with visible focus',
    async () => {
      const context = await newContext(browser);
      const page = await context.newPage();
      const w = widget(page);
      await page.goto(app.url);
      await w.launcher.waitFor();

      const focused = () =>
        page.evaluate(() => {
          const element = document.querySelector('[data-homeward]')?.shadowRoot?.activeElement;
          if (!(element instanceof HTMLElement)) return null;
          const style = getComputedStyle(element);
          return {
            what: element.id || element.className || element.tagName.toLowerCase(),
            text: element.textContent ?? '',
            label: element.getAttribute('aria-label') ?? (element as HTMLInputElement).labels?.[0]?.textContent ?? '',
            focusVisible: element.matches(':focus-visible'),
            outline: `${style.outlineStyle} ${style.outlineWidth}`,
          };
        });

      await page.keyboard.press('Tab');
      expect(await focused()).toMatchObject({ what: 'launcher', label: t('en', 'widget:launcher.open'), focusVisible: true, outline: 'solid 3px' });
      await page.keyboard.press('Enter');
      await expect.poll(focused, eventually).toMatchObject({ what: 'hw-input', label: t('en', 'widget:input.label') });
      await w.choice('العربية').waitFor();

      // From the text box back through "More" and "Talk to a person" to the language buttons.
      for (let step = 0; step < 40 && (await focused())?.text !== 'العربية'; step += 1) await page.keyboard.press('Shift+Tab');
      expect(await focused()).toMatchObject({ text: 'العربية', focusVisible: true, outline: 'solid 3px' });
      await page.keyboard.press('Enter');
      await w.bot(t('ar', 'bot:intake.consent')).waitFor();
      expect((await focused())?.what).toBe('hw-input');
      await page.keyboard.type(t('ar', 'system:answer.yes'));
      await page.keyboard.press('Enter');
      await w.bot(t('ar', 'bot:intake.age_band')).waitFor();

      // Every control has a name in the panel's language.
      const unlabelled = await page.evaluate(() => {
        const root = document.querySelector('[data-homeward]')?.shadowRoot;
        return Array.from(root?.querySelectorAll('button, input, select, summary') ?? [])
          .filter((element) => !(element.getAttribute('aria-label') || element.textContent?.trim() || (element as HTMLInputElement).labels?.[0]?.textContent))
          .map((element) => element.outerHTML);
      });
      expect(unlabelled).toEqual([]);

      await page.keyboard.press('Escape');
      await expect.poll(async () => (await readWidget(page)).open, eventually).toBe(false);
      expect(await focused()).toMatchObject({ what: 'launcher', label: t('ar', 'widget:launcher.open') });
      await context.close();
    },
    scenarioTimeout,
  );

  it(
    'shows markup in messages as text and keeps page and widget styles apart',
    async () => {
      const context = await newContext(browser);
      const page = await context.newPage();
      const w = widget(page);
      await page.goto(app.url);
      await page.addStyleTag({
        content:
          '* { color: rgb(255, 0, 0) !important; font: 40px/3 monospace !important; letter-spacing: 6px !important } button { background: rgb(0, 255, 0) !important }',
      });
      await page.evaluate(() => {
        const probe = document.createElement('div');
        probe.innerHTML = '<button class="launcher send" id="probe-button">probe</button><section class="panel">probe</section>';
        document.querySelector('main')?.append(probe);
      });
      await w.launcher.click();
      await w.choice('English').waitFor();

      const markup = '<img src="x" onerror="window.__injected = true"><b>bold</b>';
      await send(page, markup);
      await w.delivered(markup).waitFor();
      const inside = await page.evaluate(() => {
        const root = document.querySelector('[data-homeward]')?.shadowRoot;
        const bot = root?.querySelector('.log li.bot');
        const launcher = root?.querySelector('.launcher');
        if (!bot || !launcher) throw new Error('widget parts missing');
        return {
          elements: root?.querySelectorAll('.log img, .log b').length,
          injected: (window as { __injected?: boolean }).__injected ?? false,
          botColour: getComputedStyle(bot).color,
          botFont: getComputedStyle(bot).fontSize,
          letterSpacing: getComputedStyle(bot).letterSpacing,
          launcherBackground: getComputedStyle(launcher).backgroundColor,
        };
      });
      expect(inside).toEqual({
        elements: 0,
        injected: false,
        botColour: 'rgb(29, 29, 31)',
        botFont: '16px',
        letterSpacing: 'normal',
        launcherBackground: 'rgb(27, 94, 138)',
      });

      const outside = await page.evaluate(() => {
        const button = document.getElementById('probe-button');
        const section = document.querySelector('main section.panel');
        if (!button || !section) throw new Error('probe missing');
        return { button: getComputedStyle(button).position, buttonRadius: getComputedStyle(button).borderRadius, section: getComputedStyle(section).position };
      });
      expect(outside).toEqual({ button: 'static', buttonRadius: expect.not.stringMatching(/^50%$/), section: 'static' });
      await context.close();
    },
    scenarioTimeout,
  );

  it(
    'falls back to polling when WebSocket is blocked',
    async () => {
      const context = await newContext(browser);
      await context.routeWebSocket(/\/stream/, (socket) => socket.close());
      const polls = countRequests(context, /\/activities\?watermark=/);
      const page = await context.newPage();
      const w = widget(page);
      await page.goto(app.url);
      await w.launcher.click();
      await w.choice('English').click();
      await w.bot(t('en', 'bot:intake.consent')).waitFor({ timeout: 30_000 });
      await w.choice(t('en', 'system:answer.yes')).click();
      await w.bot(t('en', 'bot:intake.age_band')).waitFor({ timeout: 30_000 });
      expect(polls.count).toBeGreaterThan(1);
      expect((await readWidget(page)).status).toBeNull();
      await context.close();
    },
    scenarioTimeout,
  );

  it(
    'switches language from its own list, and the bot follows',
    async () => {
      const context = await newContext(browser);
      const page = await context.newPage();
      const w = widget(page);
      await page.goto(app.url);
      await w.launcher.click();
      await w.choice('English').click();
      await w.bot(t('en', 'bot:intake.consent')).waitFor();
      const options = await w.language
        .locator('option')
        .evaluateAll((items) => items.map((item) => [item.getAttribute('value'), item.textContent, item.getAttribute('dir')]));
      // A draft translation says so after its name, in the widget's language (English here).
      expect(options).toContainEqual(['ar', `\u2068العربية\u2069 · ${t('en', 'widget:language.draft')}`, 'rtl']);
      expect(await w.language.getAttribute('id')).toBe('hw-language');

      await w.language.selectOption('ar');
      await expect.poll(async () => [(await readWidget(page)).lang, (await readWidget(page)).dir], eventually).toEqual(['ar', 'rtl']);
      // The server hears about it: what the bot says next is Arabic, and the panel stays Arabic.
      await w.choice(t('ar', 'system:answer.yes')).click({ timeout: 30_000 });
      await w.bot(t('ar', 'bot:intake.age_band')).waitFor({ timeout: 30_000 });
      expect([(await readWidget(page)).lang, (await readWidget(page)).dir]).toEqual(['ar', 'rtl']);
      await context.close();
    },
    scenarioTimeout,
  );

  it(
    'speaks Persian to a browser that prefers Persian: right to left, lang="fa", a screenshot for review',
    async () => {
      const context = await newContext(browser, { locale: 'fa-IR', viewport: { width: 360, height: 720 } });
      const page = await context.newPage();
      const w = widget(page);
      await page.goto(app.url);
      await w.launcher.click();
      await w.bot(t('fa', 'bot:intake.language')).waitFor({ timeout: 30_000 });
      await expect.poll(async () => [(await readWidget(page)).lang, (await readWidget(page)).dir], eventually).toEqual(['fa', 'rtl']);
      await w.choice('فارسی').click();
      await w.choice(t('fa', 'system:answer.yes')).click({ timeout: 30_000 });
      await w.bot(t('fa', 'bot:intake.age_band')).waitFor({ timeout: 30_000 });
      await page.screenshot({ path: '/tmp/homeward-widget-fa-360.png' });
      await context.close();
    },
    scenarioTimeout,
  );

  it(
    'refreshes its token before it expires',
    async () => {
      const context = await newContext(browser);
      const refreshes = countRequests(context, /\/tokens\/refresh$/);
      const page = await context.newPage();
      await page.clock.install();
      const w = widget(page);
      await page.goto(app.url);
      await w.launcher.click();
      await w.choice('English').waitFor();
      const first = await storedSession(page);
      // Three quarters of a 30-minute token have passed. (The token is kept in memory only: the refresh shows as a request.)
      await page.clock.fastForward('23:00');
      await expect.poll(() => refreshes.count, eventually).toBe(1);
      expect(conversationOf(await storedSession(page))).toBe(conversationOf(first));
      await w.choice('English').click();
      await w.bot(t('en', 'bot:intake.consent')).waitFor({ timeout: 30_000 });
      await context.close();
    },
    scenarioTimeout,
  );

  it(
    'starts a new conversation when the stored one is gone',
    async () => {
      const context = await newContext(browser);
      const page = await context.newPage();
      const w = widget(page);
      await page.goto(app.url);
      await w.launcher.click();
      await w.choice('English').click();
      await w.bot(t('en', 'bot:intake.consent')).waitFor();
      const conversationId = conversationOf(await storedSession(page));
      const conversation = await app.conversations.findByChannelRef('web', conversationId);
      expect(await app.conversations.erase(conversation?.id ?? '')).toBe(true);

      await page.reload();
      await w.launcher.click();
      await page.locator('[data-homeward] .log li.event', { hasText: t('en', 'widget:status.new_conversation') }).waitFor({ timeout: 30_000 });
      await w.bot(t('en', 'bot:intake.language')).waitFor();
      expect(conversationOf(await storedSession(page))).not.toBe(conversationId);
      expect((await readWidget(page)).log.filter((item) => item.text === t('en', 'bot:intake.language'))).toHaveLength(1);
      await context.close();
    },
    scenarioTimeout,
  );

  it(
    'keeps the messages readable at 360x640 when a question offers many buttons: the answers scroll in their own area, every one reachable, "I am in danger" in view (English, Arabic)',
    async () => {
      for (const locale of ['en-GB', 'ar']) {
        const lng = locale.slice(0, 2);
        const context = await newContext(browser, { viewport: { width: 360, height: 640 }, locale, reducedMotion: 'reduce' });
        const page = await context.newPage();
        const w = widget(page);
        await page.goto(app.url);
        await w.launcher.click();
        await w.bot(t(lng, 'bot:intake.language')).waitFor();
        // The first question offers every language: more buttons than a phone shows at once.
        await expect.poll(async () => (await readWidget(page)).choices.length, eventually).toBeGreaterThanOrEqual(12);
        const { choices } = await readWidget(page);
        const measure = () =>
          page.evaluate(() => {
            const root = document.querySelector('[data-homeward]')?.shadowRoot;
            const box = (selector: string) => root?.querySelector(selector)?.getBoundingClientRect();
            const log = root?.querySelector<HTMLElement>('.log');
            const area = root?.querySelector<HTMLElement>('.choices');
            const tools = box('.tools');
            const danger = box('.tools .danger');
            const handoff = box('.tools .handoff');
            return {
              panel: box('#hw-panel')?.height ?? NaN,
              log: log?.clientHeight ?? NaN,
              choices: area?.clientHeight ?? NaN,
              choicesScroll: area?.scrollHeight ?? NaN,
              tools: tools?.height ?? NaN,
              dangerInView:
                !!danger &&
                !!tools &&
                danger.width > 0 &&
                danger.top >= tools.top &&
                danger.bottom <= innerHeight &&
                danger.left >= 0 &&
                danger.right <= innerWidth,
              handoffInView: !!handoff && handoff.width > 0 && handoff.bottom <= innerHeight && handoff.left >= 0 && handoff.right <= innerWidth,
              dangerColour: root?.querySelector('.tools .danger') ? getComputedStyle(root.querySelector('.tools .danger') as Element).color : '',
              hint: !!root?.querySelector('.choices-more:not([hidden])'),
            };
          });
        const view = await measure();
        console.info(`${locale} at 360x640 with ${choices.length} buttons: ${JSON.stringify(view)}`);
        await page.screenshot({ path: `/tmp/widget-space-${lng}-languages.png` });
        // The messages keep more than half the panel; the buttons scroll in their own area, and say so.
        expect(view.log / view.panel).toBeGreaterThanOrEqual(0.55);
        expect(view.choicesScroll).toBeGreaterThan(view.choices);
        expect(view.hint).toBe(true);
        // The tools stay one line, "I am in danger" in view and red, "Talk to a person" in reach.
        expect(view.tools).toBeLessThanOrEqual(48);
        expect(view.dangerInView).toBe(true);
        expect(view.dangerColour).toBe('rgb(164, 22, 26)');
        expect(view.handoffInView).toBe(true);
        // The last button is reached by scrolling the answers, and answers.
        const last = choices.at(-1)!;
        const lastButton = page.locator('[data-homeward]').locator('.choices').getByRole('button', { name: last, exact: true });
        await lastButton.scrollIntoViewIfNeeded();
        // At the end of the answers, the cue that more are below is gone.
        await expect.poll(async () => (await measure()).hint, eventually).toBe(false);
        expect((await measure()).dangerInView).toBe(true);
        await page.screenshot({ path: `/tmp/widget-space-${lng}-languages-end.png` });
        await lastButton.click();
        await w.mine(last).waitFor();
        await expect.poll(async () => (await readWidget(page)).choices.length, eventually).toBeGreaterThan(0);
        await context.close();
      }
    },
    scenarioTimeout,
  );

  it(
    'fills a 360 px phone screen in Arabic and stays usable at 200% zoom',
    async () => {
      for (const { name, viewport, scale } of [
        { name: 'ar-360', viewport: { width: 360, height: 740 }, scale: 2 },
        // 1280x720 at 200% zoom leaves 640x360 CSS pixels.
        { name: 'ar-zoom200', viewport: { width: 640, height: 360 }, scale: 2 },
      ]) {
        const context = await newContext(browser, { viewport, deviceScaleFactor: scale, locale: 'ar', reducedMotion: 'reduce' });
        const page = await context.newPage();
        const w = widget(page);
        await page.goto(app.url);
        await w.launcher.click();
        await w.bot(t('ar', 'bot:intake.language')).waitFor();
        const view = await readWidget(page);
        expect([view.lang, view.dir]).toEqual(['ar', 'rtl']);
        const box = await w.panel.boundingBox();
        expect(box).toEqual({ x: 0, y: 0, width: viewport.width, height: viewport.height });
        const layout = await page.evaluate(() => {
          const root = document.querySelector('[data-homeward]')?.shadowRoot;
          const panel = root?.querySelector<HTMLElement>('#hw-panel');
          const input = root?.querySelector<HTMLElement>('#hw-input')?.getBoundingClientRect();
          const send = root?.querySelector<HTMLElement>('.send')?.getBoundingClientRect();
          return {
            overflows: panel ? panel.scrollWidth > panel.clientWidth : true,
            inputVisible: !!input && input.bottom <= innerHeight && input.left >= 0 && input.right <= innerWidth && input.width > 100,
            sendVisible: !!send && send.bottom <= innerHeight && send.left >= 0 && send.right <= innerWidth,
            animation: panel ? getComputedStyle(panel).animationName : '',
          };
        });
        expect(layout).toEqual({ overflows: false, inputVisible: true, sendVisible: true, animation: 'none' });
        const path = `/tmp/homeward-widget-${name}.png`;
        await page.screenshot({ path });
        console.info(`screenshot: ${path}`);
        await context.close();
      }
    },
    scenarioTimeout,
  );
});
