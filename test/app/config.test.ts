import { describe, expect, it } from 'vitest';
import { createConfig } from '../../src/config.js';
import { configProblems } from '../support/config.js';

const problemsOf = configProblems;

describe('createConfig', () => {
  it('needs nothing for an embedded development start', () => {
    expect(createConfig({})).toEqual({
      mode: 'development',
      http: { port: 3000, host: '127.0.0.1' },
      database: { kind: 'embedded', dataDir: './data' },
      databaseTimeouts: { statementMs: 15_000, healthMs: 2_000 },
      dataDir: './data',
      logLevel: 'info',
      entryFlow: 'intake',
      retentionIntervalMinutes: 60,
      telegram: { mode: 'off' },
      rateLimits: { perIp: { capacity: 300, windowMs: 60_000 }, perConversation: { capacity: 20, windowMs: 10_000 } },
      trustProxyHops: 0,
      webhooks: { timeoutMs: 5_000, retryBaseMs: 30_000, retryMaxMs: 3_600_000, maxAttempts: 15, pollMs: 5_000 },
    });
  });

  it('reads the webhook timeout and backoff and refuses a timeout that is not a number', () => {
    expect(
      createConfig({ WEBHOOK_TIMEOUT_MS: '1000', WEBHOOK_RETRY_BASE_MS: '20', WEBHOOK_RETRY_MAX_MS: '10', WEBHOOK_MAX_ATTEMPTS: '3' }).webhooks,
    ).toMatchObject({
      timeoutMs: 1_000,
      retryBaseMs: 20,
      retryMaxMs: 20,
      maxAttempts: 3,
    });
    expect(problemsOf({ WEBHOOK_TIMEOUT_MS: 'soon' })).toEqual([expect.stringMatching(/^WEBHOOK_TIMEOUT_MS: /)]);
  });

  it('reads the database timeouts and refuses ones that are not a sane number of milliseconds', () => {
    expect(createConfig({ DATABASE_STATEMENT_TIMEOUT_MS: '5000', HEALTH_TIMEOUT_MS: '500' }).databaseTimeouts).toEqual({ statementMs: 5_000, healthMs: 500 });
    expect(problemsOf({ DATABASE_STATEMENT_TIMEOUT_MS: '0' })).toEqual([expect.stringMatching(/^DATABASE_STATEMENT_TIMEOUT_MS: /)]);
    expect(problemsOf({ HEALTH_TIMEOUT_MS: 'soon' })).toEqual([expect.stringMatching(/^HEALTH_TIMEOUT_MS: /)]);
  });

  it('reads the rate limits and refuses ones that would turn them off', () => {
    const config = createConfig({ RATE_LIMIT_IP_PER_MINUTE: '100000', RATE_LIMIT_CONVERSATION_PER_10S: '5', TRUST_PROXY_HOPS: '1' });
    expect(config.rateLimits).toEqual({ perIp: { capacity: 100_000, windowMs: 60_000 }, perConversation: { capacity: 5, windowMs: 10_000 } });
    expect(config.trustProxyHops).toBe(1);
    expect(problemsOf({ RATE_LIMIT_IP_PER_MINUTE: '0' })).toEqual([expect.stringMatching(/^RATE_LIMIT_IP_PER_MINUTE: /)]);
    expect(problemsOf({ RATE_LIMIT_CONVERSATION_PER_10S: 'many' })).toEqual([expect.stringMatching(/^RATE_LIMIT_CONVERSATION_PER_10S: /)]);
  });

  it('uses a PostgreSQL server when DATABASE_URL is set', () => {
    expect(createConfig({ DATABASE_URL: 'postgresql://u:p@db:5432/homeward' }).database).toEqual({
      kind: 'postgres',
      url: 'postgresql://u:p@db:5432/homeward',
    });
  });

  it('names the variable and what is wrong', () => {
    expect(problemsOf({ PORT: 'eighty' })).toEqual([expect.stringMatching(/^PORT: /)]);
    expect(problemsOf({ PORT: '70000' })).toEqual([expect.stringMatching(/^PORT: /)]);
    expect(problemsOf({ DATABASE_URL: 'mysql://x' })).toEqual(['DATABASE_URL: must be a postgres:// or postgresql:// URL']);
    expect(problemsOf({ TOKEN_SECRET: 'short' })).toEqual(['TOKEN_SECRET: must be at least 32 characters']);
  });

  it('refuses production without its secrets, and has no default secret', () => {
    expect(problemsOf({ NODE_ENV: 'production' })).toEqual([
      expect.stringMatching(/^DATA_ENCRYPTION_KEY: is required when NODE_ENV=production/),
      expect.stringMatching(/^TOKEN_SECRET: is required when NODE_ENV=production/),
    ]);
    expect(createConfig({}).tokenSecret).toBeUndefined();
    const secret = 'x'.repeat(40);
    const key = `${'k'.repeat(43)}=`;
    expect(createConfig({ NODE_ENV: 'production', TOKEN_SECRET: secret, DATA_ENCRYPTION_KEY: key })).toMatchObject({
      tokenSecret: secret,
      http: { host: '0.0.0.0' },
    });
  });

  it('treats an empty variable as unset', () => {
    expect(createConfig({ DATABASE_URL: '', PORT: '' }).database.kind).toBe('embedded');
  });
});
