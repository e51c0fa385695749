// The admin's Webhooks page in headless Chromium: an endpoint is added (its secret shown once, then
// gone from the page), a referral's event reaches a local receiver, the delivery log shows it and
// "Send again" sends it once more; the endpoint is deleted.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import express from 'express';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningApp } from '../../src/app.js';
import { verifyWebhook } from '../../src/crypto/webhook-signature.js';
import { newContext } from './support/browser.js';
import { addConsoleUser, logInThroughForm, startAppWithBrowser, waitingReferral } from './support/console-app.js';

const wait = { timeout: 45_000 };
const adminPassword = 'a long enough password';
const adminEmail = 'webhooks-admin@example.org';

let app: RunningApp;
let browser: Browser;
let server: Server;
let receiverUrl = '';
let secret = '';
const received: { valid: boolean; id: string; type: string }[] = [];

beforeAll(async () => {
  [app, browser] = await startAppWithBrowser({ WEBHOOK_POLL_MS: '100', WEBHOOK_RETRY_BASE_MS: '50' });
  const demo = (await app.organisations.findByWidgetKey('demo'))!;
  await addConsoleUser(app, { organisationId: demo.id, email: adminEmail, password: adminPassword, role: 'admin' });
  const receiver = express();
  receiver.post('/cms', express.raw({ type: 'application/json' }), (req, res) => {
    const body = JSON.parse((req.body as Buffer).toString()) as { id: string; type: string };
    received.push({ valid: verifyWebhook({ secret, rawBody: req.body as Buffer, signature: req.get('x-homeward-signature') }).ok, ...body });
    res.status(204).end();
  });
  server = createServer(receiver);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  receiverUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/cms`;
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await app?.close();
  await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
});

describe('the admin webhooks page', () => {
  it('adds an endpoint with its secret shown once, shows its deliveries, sends one again and deletes it', { timeout: 240_000 }, async () => {
    const context = await newContext(browser);
    try {
      const page = await context.newPage();
      const problems: string[] = [];
      page.on('pageerror', (error) => problems.push(`pageerror: ${error.message}`));
      await logInThroughForm(page, `${app.url}/console#/admin/webhooks`, adminEmail, adminPassword);
      await page.getByRole('heading', { name: 'Webhooks', level: 1 }).waitFor(wait);
      page.on('console', (message) => {
        if (message.type() === 'error' || /Content Security Policy/i.test(message.text())) problems.push(message.text());
      });
      await page.getByText('No webhooks yet.').waitFor(wait);

      await page.getByLabel('Address (https:// in production)').fill(receiverUrl);
      await page.getByLabel('Person erased their data (person.erased)').uncheck();
      await page.getByRole('button', { name: 'Add webhook' }).click();
      await page.getByRole('heading', { name: `Signing secret for ${receiverUrl}` }).waitFor(wait);
      secret = await page.getByLabel('Signing secret', { exact: true }).inputValue();
      expect(secret).toMatch(/^whsec_/);
      await page.getByRole('button', { name: 'I have stored it: hide it' }).click();
      expect(await page.evaluate((value) => document.documentElement.outerHTML.includes(value), secret)).toBe(false);
      const row = page.locator('tbody tr', { hasText: receiverUrl });
      expect(await row.textContent()).toContain('referral.created, referral.claimed, referral.status_changed, referral.closed');

      const demo = (await app.organisations.findByWidgetKey('demo'))!;
      await waitingReferral(app, demo.id);
      await expect.poll(() => received.length, wait).toBe(1);

      await row.getByRole('button', { name: 'Deliveries' }).click();
      const log = page.locator('section', { has: page.getByRole('heading', { name: `Deliveries to ${receiverUrl}` }) });
      await log.locator('tbody tr', { hasText: 'Delivered' }).waitFor(wait);
      await log.getByRole('button', { name: 'Send again' }).click();
      await expect.poll(() => received.length, wait).toBe(2);
      expect(received.map((item) => [item.valid, item.type])).toEqual([
        [true, 'referral.created'],
        [true, 'referral.created'],
      ]);
      expect(received[1]?.id).toBe(received[0]?.id);

      page.once('dialog', (dialog) => void dialog.accept());
      await row.getByRole('button', { name: 'Delete' }).click();
      await page.getByText('No webhooks yet.').waitFor(wait);
      expect(problems).toEqual([]);
    } finally {
      await context.close();
    }
  });
});
