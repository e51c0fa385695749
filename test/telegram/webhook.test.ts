import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import express from 'express';
import { Bot } from 'grammy';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { secretMatches, webhookRouter } from '../../src/channels/telegram/webhook.js';
import { silentLogger } from '../support/turns.js';
import { testToken, textUpdate } from './support.js';

describe('the webhook route', () => {
  const secret = 'k'.repeat(40);
  const server = createServer(express().use(webhookRouter(new Bot(testToken), { path: '/hook', secret, logger: silentLogger })));
  let url: string;
  beforeAll(async () => {
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`;
  });
  afterAll(async () => {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  });

  const post = (headers: Record<string, string>, body: string) =>
    fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body });

  it('checks the secret before reading the body', async () => {
    expect((await post({}, '{not json')).status).toBe(401);
    expect((await post({ 'x-telegram-bot-api-secret-token': 'k'.repeat(39) }, '{}')).status).toBe(401);
    expect((await post({ 'x-telegram-bot-api-secret-token': secret }, '{not json')).status).toBe(400);
    expect((await post({ 'x-telegram-bot-api-secret-token': secret }, '{"update_id":"x"}')).status).toBe(400);
  });

  it('asks Telegram to retry while the bot is still starting', async () => {
    const response = await post({ 'x-telegram-bot-api-secret-token': secret }, JSON.stringify(textUpdate(1, 'hi')));
    expect(response.status).toBe(503);
  });

  it('compares secrets of any length without throwing', () => {
    expect(secretMatches(secret, secret)).toBe(true);
    expect(secretMatches(undefined, secret)).toBe(false);
    expect(secretMatches('', secret)).toBe(false);
    expect(secretMatches(`${secret}x`, secret)).toBe(false);
  });
});
