// The widget's language picker at phone width (issue 17): a draft translation says so after its
// native name, in the language the widget speaks; an organisation that hides drafts offers none.
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningApp } from '../../src/app.js';
import { newContext } from './support/browser.js';
import { startAppWithBrowser } from './support/console-app.js';
import { widget } from './support/widget-page.js';

const scenarioTimeout = 180_000;
const eventually = { timeout: 30_000, interval: 100 };

let app: RunningApp;
let browser: Browser;

beforeAll(async () => {
  [app, browser] = await startAppWithBrowser();
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await app?.close();
});

const t = (lng: string, key: string) => app.localisation.translatorFor(lng)(key);
/** What the picker shows for a draft language: its isolated native name, then the marker. */
const marked = (nativeName: string, lng: string) => `\u2068${nativeName}\u2069 · ${t(lng, 'widget:language.draft')}`;

describe('the widget marks draft languages', () => {
  it(
    'shows "draft translation" after a draft language, in the widget language, within 360 px',
    async () => {
      const context = await newContext(browser, { viewport: { width: 360, height: 640 } });
      const page = await context.newPage();
      const w = widget(page);
      await page.goto(app.url);
      await w.launcher.click();
      await w.language.waitFor();
      const option = (code: string) => w.language.locator(`option[value="${code}"]`).textContent();
      expect(await option('en')).toBe('English');
      expect(await option('am')).toBe(marked('አማርኛ', 'en'));

      // In Ukrainian the marker is Ukrainian, so the person reads it in the language they chose.
      await w.language.selectOption('uk');
      await expect.poll(() => option('am'), eventually).toBe(marked('አማርኛ', 'uk'));
      expect(await option('uk')).toBe(marked('Українська', 'uk'));
      const box = await w.language.boundingBox();
      expect(box && box.x >= 0 && box.x + box.width <= 360).toBe(true);
      await context.close();
    },
    scenarioTimeout,
  );

  it(
    'offers no draft language once the organisation hides them',
    async () => {
      const demo = await app.organisations.findByWidgetKey('demo');
      if (!demo) throw new Error('no demo organisation');
      await app.organisations.updateSettings(demo.id, { hideDraftLanguages: true });
      const context = await newContext(browser, { viewport: { width: 360, height: 640 }, locale: 'am-ET' });
      const page = await context.newPage();
      const w = widget(page);
      await page.goto(app.url);
      await w.launcher.click();
      await w.language.waitFor();
      const codes = await w.language.locator('option').evaluateAll((options) => options.map((item) => (item as HTMLOptionElement).value));
      expect(codes).toEqual(app.localisation.locales.filter((locale) => !locale.draft).map((locale) => locale.code));
      // An Amharic browser is served in English, the end of the fallback chain.
      expect(await w.language.inputValue()).toBe('en');
      await context.close();
    },
    scenarioTimeout,
  );
});
