import { describe, expect, it } from 'vitest';
import { createConfig } from '../../src/config.js';
import { configProblems } from '../support/config.js';

const problemsOf = configProblems;

const token = '123456:ABC-def_ghi';
const secret = 'a'.repeat(32);

describe('Telegram configuration', () => {
  it('is off without a token, and long-polls with one', () => {
    expect(createConfig({}).telegram).toEqual({ mode: 'off' });
    expect(createConfig({ TELEGRAM_BOT_TOKEN: '' }).telegram).toEqual({ mode: 'off' });
    expect(createConfig({ TELEGRAM_BOT_TOKEN: token }).telegram).toEqual({ mode: 'polling', token });
    expect(createConfig({ TELEGRAM_BOT_TOKEN: token, TELEGRAM_API_ROOT: 'http://127.0.0.1:8081/' }).telegram).toEqual({
      mode: 'polling',
      token,
      apiRoot: 'http://127.0.0.1:8081',
    });
  });

  it('uses a webhook when a URL is set, always with its secret', () => {
    expect(
      createConfig({ TELEGRAM_BOT_TOKEN: token, TELEGRAM_WEBHOOK_URL: 'https://help.example.org/telegram/webhook', TELEGRAM_WEBHOOK_SECRET: secret }).telegram,
    ).toEqual({
      mode: 'webhook',
      token,
      webhookUrl: 'https://help.example.org/telegram/webhook',
      webhookSecret: secret,
    });
    expect(problemsOf({ TELEGRAM_BOT_TOKEN: token, TELEGRAM_WEBHOOK_URL: 'https://help.example.org/hook' })).toEqual([
      expect.stringMatching(/^TELEGRAM_WEBHOOK_SECRET: is required with TELEGRAM_WEBHOOK_URL/),
    ]);
    expect(problemsOf({ TELEGRAM_WEBHOOK_URL: 'https://help.example.org/hook', TELEGRAM_WEBHOOK_SECRET: secret })).toEqual([
      'TELEGRAM_WEBHOOK_URL: needs TELEGRAM_BOT_TOKEN',
    ]);
  });

  it('names what is wrong with a token, secret or URL, and has no default secret', () => {
    expect(problemsOf({ TELEGRAM_BOT_TOKEN: 'not a token' })).toEqual([expect.stringMatching(/^TELEGRAM_BOT_TOKEN: must look like/)]);
    const base = { TELEGRAM_BOT_TOKEN: token, TELEGRAM_WEBHOOK_URL: 'https://help.example.org/hook' };
    expect(problemsOf({ ...base, TELEGRAM_WEBHOOK_SECRET: 'short' })).toEqual(['TELEGRAM_WEBHOOK_SECRET: must be at least 32 characters']);
    expect(problemsOf({ ...base, TELEGRAM_WEBHOOK_SECRET: `${'a'.repeat(32)}!` })).toEqual(['TELEGRAM_WEBHOOK_SECRET: may hold only A-Z, a-z, 0-9, _ and -']);
    expect(problemsOf({ TELEGRAM_BOT_TOKEN: token, TELEGRAM_API_ROOT: 'ftp://x' })).toEqual([expect.stringMatching(/^TELEGRAM_API_ROOT: /)]);
    // Production has other requirements of its own; only the Telegram ones matter here.
    const production = problemsOf({ NODE_ENV: 'production', ...base, TELEGRAM_WEBHOOK_URL: 'http://help.example.org/hook', TELEGRAM_WEBHOOK_SECRET: secret });
    expect(production.filter((problem) => problem.startsWith('TELEGRAM_'))).toEqual([
      expect.stringMatching(/^TELEGRAM_WEBHOOK_URL: must be an https:\/\/ URL in production/),
    ]);
  });
});
