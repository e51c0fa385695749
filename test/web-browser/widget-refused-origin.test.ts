// The widget on a site its organisation has not allowed: it says the chat is not enabled on this
// website (in the person's language) instead of "Connecting…" forever, and opens no conversation.
// The same snippet on an allowed site chats as usual; the admin's settings list the refused site.
import { randomUUID } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startApp, type RunningApp } from '../../src/app.js';
import { createConfig } from '../../src/config.js';
import { projectRoot } from '../support/engine.js';
import { silentLogger } from '../support/turns.js';
import { launchChromium, newContext } from './support/browser.js';
import { countRequests, readWidget, widget } from './support/widget-page.js';

const eventually = { timeout: 30_000, interval: 100 };

let app: RunningApp;
let browser: Browser;
const sites: Server[] = [];
let widgetKey: string;

/** An NGO page with the snippet, served from `host` (127.0.0.2 is loopback but not "localhost"). */
function startSite(host: string): Promise<string> {
  const server = createServer((_req, res) => {
    res
      .writeHead(200, { 'content-type': 'text/html; charset=utf-8' })
      .end(`<!doctype html><html lang="es"><title>ONG</title><body><script src="${app.url}/widget.js" data-key="${widgetKey}" async></script></body></html>`);
  });
  sites.push(server);
  return new Promise((resolve) => server.listen(0, host, () => resolve(`http://${host}:${(server.address() as AddressInfo).port}`)));
}

beforeAll(async () => {
  [app, browser] = await Promise.all([
    startApp(createConfig({ PORT: '0', DATA_DIR: 'memory://', RETENTION_INTERVAL_MINUTES: '0' }), { logger: silentLogger, root: projectRoot }),
    launchChromium(),
  ]);
  // A new organisation: no site added yet, so in development only localhost may use its key.
  widgetKey = (await app.organisations.create({ name: 'Nueva ONG', widgetKey: `ngo-${randomUUID()}`, defaultLocale: 'es' })).widgetKey;
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await Promise.all(sites.map((site) => new Promise((resolve) => site.close(resolve))));
  await app?.close();
});

describe('the widget on a site that is not allowed', () => {
  it('says the chat is not enabled on this website, in the page’s language, and opens no conversation', { timeout: 180_000 }, async () => {
    const refusedSite = await startSite('127.0.0.2');
    const context = await newContext(browser, { locale: 'es-ES' });
    const conversations = countRequests(context, /\/v3\/directline\/(conversations|tokens)/);
    const page = await context.newPage();
    await page.goto(refusedSite);
    await widget(page).launcher.click({ timeout: 60_000 });
    const expected = app.localisation.translatorFor('es')('widget:status.not_enabled');
    expect(expected).toBe('Este chat no está activado en este sitio web.');
    await expect.poll(async () => (await readWidget(page)).status, eventually).toBe(expected);
    expect(await widget(page).input.isDisabled()).toBe(true);
    // Nothing was even tried: no "Connecting…" loop against a server that would refuse.
    await page.waitForTimeout(1_000);
    expect(conversations.count).toBe(0);
    await context.close();
  });

  it('chats as usual from an allowed site with the same snippet', { timeout: 180_000 }, async () => {
    const allowedSite = await startSite('127.0.0.1');
    const context = await newContext(browser, { locale: 'es-ES' });
    const page = await context.newPage();
    await page.goto(allowedSite);
    await widget(page).launcher.click({ timeout: 60_000 });
    await expect.poll(async () => (await readWidget(page)).log.some((item) => item.kind === 'bot'), eventually).toBe(true);
    expect((await readWidget(page)).status).not.toBe(app.localisation.translatorFor('es')('widget:status.not_enabled'));
    await context.close();
  });
});
