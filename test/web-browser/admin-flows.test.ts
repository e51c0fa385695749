// The flow diagrams page in headless Chromium: an admin picks a flow with the keyboard and the
// server-drawn SVG loads as an image, with no console errors (CSP included).
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningApp } from '../../src/app.js';
import { newContext } from './support/browser.js';
import { addConsoleUser, logInThroughForm, startAppWithBrowser } from './support/console-app.js';

const eventually = { timeout: 45_000, interval: 150 };
const password = 'a long enough password';

let app: RunningApp;
let browser: Browser;

beforeAll(async () => {
  [app, browser] = await startAppWithBrowser();
  const demo = (await app.organisations.findByWidgetKey('demo'))!;
  await addConsoleUser(app, { organisationId: demo.id, email: 'admin@example.org', displayName: 'Ada', password, role: 'admin' });
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await app?.close();
});

describe('the flow diagrams page', () => {
  it('shows each flow as an image, chosen with the keyboard', { timeout: 180_000 }, async () => {
    const context = await newContext(browser);
    try {
      const page = await context.newPage();
      const problems: string[] = [];
      page.on('console', (message) => {
        if (message.type() === 'error' || /Content Security Policy/i.test(message.text())) problems.push(message.text());
      });
      page.on('pageerror', (error) => problems.push(error.message));
      page.on('response', (response) => {
        if (response.status() >= 400) problems.push(`${response.status()} ${new URL(response.url()).pathname}`);
      });

      await logInThroughForm(page, `${app.url}/console`, 'admin@example.org', password);
      await page.getByRole('heading', { name: 'Queue' }).waitFor({ timeout: eventually.timeout });
      // Before logging in, the shell's probe of /console/api/me is refused by design; only what follows counts.
      problems.length = 0;
      await page.goto(`${app.url}/console#/admin/flows`);
      await page.getByRole('heading', { name: 'Conversation flows' }).waitFor({ timeout: eventually.timeout });

      const image = page.locator('img.flow-diagram');
      const loaded = async () => image.evaluate((element: HTMLImageElement) => (element.complete ? element.naturalWidth : 0));
      await expect.poll(loaded, eventually).toBeGreaterThan(0);
      const first = await image.getAttribute('src');
      expect(first).toMatch(/^\/console\/api\/admin\/flows\/counselling\.svg\?lng=en$|^\/console\/api\/admin\/flows\/intake\.svg\?lng=en$/);
      expect(await image.getAttribute('alt')).toMatch(/^Diagram of the flow “(intake|counselling)”/);

      // The keyboard alone: focus the picker by its label, choose the other flow with the arrow keys.
      const picker = page.getByLabel('Flow', { exact: true });
      await picker.focus();
      const options = await picker.locator('option').allTextContents();
      expect(options).toEqual(expect.arrayContaining([expect.stringMatching(/^intake \(\d+ steps\)$/), expect.stringMatching(/^counselling \(\d+ steps\)$/)]));
      await page.keyboard.press('ArrowDown');
      await expect.poll(() => image.getAttribute('src'), eventually).not.toBe(first);
      await expect.poll(loaded, eventually).toBeGreaterThan(0);
      const second = (await image.getAttribute('src'))!;

      // The image is the same SVG the API serves, and it parses as SVG in the browser.
      const parsed = await page.evaluate(async (src) => {
        const text = await (await fetch(src)).text();
        const doc = new DOMParser().parseFromString(text, 'image/svg+xml');
        return {
          errors: doc.getElementsByTagName('parsererror').length,
          role: doc.documentElement.getAttribute('role'),
          boxes: doc.querySelectorAll('g.node[data-node]').length,
        };
      }, second);
      expect(parsed).toMatchObject({ errors: 0, role: 'img' });
      expect(parsed.boxes).toBeGreaterThan(3);

      // The Mermaid link points at the same flow's text.
      const mermaid = page.getByRole('link', { name: 'Mermaid text of this diagram' });
      expect(await mermaid.getAttribute('href')).toBe(second.replace('.svg?', '.mmd?'));
      // The diagram's frame can take focus, so it scrolls with the keyboard.
      await page.getByRole('region', { name: /^Diagram of the flow/ }).focus();
      expect(problems).toEqual([]);
    } finally {
      await context.close();
    }
  });
});
