import { readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningApp } from '../../src/app.js';
import { projectRoot } from '../support/engine.js';
import { launchChromium, newContext } from './support/browser.js';
import { startTestApp } from '../support/app.js';

const webChatBundle = join(projectRoot, 'node_modules', 'botframework-webchat', 'dist', 'webchat.js');
const page =
  '<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Web Chat</title></head><body><div id="webchat" style="height:640px"></div><script src="/webchat.js"></script></body></html>';

let app: RunningApp;
let browser: Browser;
let site: Server;
let siteUrl: string;

/** Another origin than the app's, as an NGO site would be: Microsoft's Web Chat and an empty page. */
function startSite(): Promise<Server> {
  const script = readFileSync(webChatBundle);
  const server = createServer((req, res) => {
    if (req.url === '/webchat.js') res.writeHead(200, { 'content-type': 'application/javascript' }).end(script);
    else if (req.url === '/') res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end(page);
    else res.writeHead(404).end();
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(server)));
}

beforeAll(async () => {
  [app, browser, site] = await Promise.all([startTestApp(), launchChromium(), startSite()]);
  siteUrl = `http://127.0.0.1:${(site.address() as AddressInfo).port}`;
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await new Promise((resolve) => site?.close(resolve));
  await app?.close();
});

describe("Microsoft's Web Chat against our Direct Line server", () => {
  it('sends and receives through the server, over WebSocket, from another origin', async () => {
    const t = (key: string) => app.localisation.translatorFor('en')(key);
    // What an NGO's own back end would do: trade the widget key for a token, never showing the key.
    const response = await fetch(`${app.url}/v3/directline/tokens/generate`, { method: 'POST', headers: { authorization: 'Bearer demo' } });
    expect(response.status).toBe(200);
    const { token, conversationId } = (await response.json()) as { token: string; conversationId: string };

    const context = await newContext(browser);
    const sockets: string[] = [];
    const tab = await context.newPage();
    tab.on('websocket', (socket) => sockets.push(socket.url()));
    await tab.goto(siteUrl);
    await tab.waitForFunction(() => 'WebChat' in window, null, { timeout: 60_000 });
    await tab.evaluate(
      ({ token, domain }) => {
        interface WebChatGlobal {
          createDirectLine(options: { token: string; domain: string }): unknown;
          renderWebChat(props: { directLine: unknown; locale: string }, element: HTMLElement | null): void;
        }
        const { WebChat } = window as unknown as { WebChat: WebChatGlobal };
        WebChat.renderWebChat({ directLine: WebChat.createDirectLine({ token, domain }), locale: 'en-US' }, document.getElementById('webchat'));
      },
      { token, domain: `${app.url}/v3/directline` },
    );

    const said = (text: string) => tab.locator('.webchat__text-content', { hasText: text }).first();
    await said(t('bot:intake.language')).waitFor({ timeout: 60_000 });
    // Text through the send box...
    const sendBox = tab.locator('[data-id="webchat-sendbox-input"]');
    await sendBox.fill('English');
    await sendBox.press('Enter');
    await said(t('bot:intake.consent')).waitFor({ timeout: 30_000 });
    // ...and a suggested action.
    await tab
      .getByRole('toolbar', { name: 'Suggested actions' })
      .getByRole('button', { name: t('system:answer.yes') })
      .click();
    await said(t('bot:intake.age_band')).waitFor({ timeout: 30_000 });

    expect(sockets.some((url) => url.includes(`/v3/directline/conversations/${conversationId}/stream`))).toBe(true);
    const conversation = await app.conversations.findByChannelRef('web', conversationId);
    const messages = await app.conversations.listMessages(conversation?.id ?? '');
    expect(messages.filter((message) => message.author === 'client').length).toBeGreaterThanOrEqual(2);
    await context.close();
  }, 180_000);
});
