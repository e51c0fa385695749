// Property-based fuzzing of the public endpoints and the console API: random and malformed JSON
// bodies and headers never give a 500, and a rejected request never changes a stored row.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningApp } from '../../src/app.js';
import { secretHeader } from '../../src/channels/telegram/webhook.js';
import { hashPassword } from '../../src/console/auth/password.js';
import { createConsoleRepository } from '../../src/store/repositories/console.js';
import { startTestApp } from '../support/app.js';
import { botInfo, freePort, testToken } from '../telegram/support.js';

const secret = 'fuzz-webhook-secret-of-at-least-32-chars';
const runs = 120;
const tables = ['Conversation', 'Message', 'Consent', 'Referral', 'ReferralEvent', 'ConsoleSession', 'OutboxMessage', 'InboundReceipt', 'User', 'Organisation'];

let app: RunningApp;
let botApi: Server;
let base: string;

/** A stand-in Bot API: every method succeeds, which is all the webhook start needs. */
function startBotApi(): Promise<string> {
  botApi = createServer((req, res) => {
    res.setHeader('content-type', 'application/json');
    res.end(JSON.stringify({ ok: true, result: req.url?.endsWith('/getMe') ? botInfo : true }));
  });
  return new Promise((resolve) => botApi.listen(0, '127.0.0.1', () => resolve(`http://127.0.0.1:${(botApi.address() as AddressInfo).port}`)));
}

async function counts(): Promise<Record<string, number>> {
  const result: Record<string, number> = {};
  for (const table of tables) {
    const rows = await app.db.prisma.$queryRawUnsafe<{ count: bigint }[]>(`SELECT count(*) AS count FROM "${table}"`);
    result[table] = Number(rows[0]?.count ?? 0);
  }
  return result;
}

/** JSON of any shape, including the shapes the routes expect with wrong types inside. */
const anyJson = fc.oneof(
  fc.jsonValue(),
  fc.record(
    {
      type: fc.oneof(fc.constantFrom('message', 'event', 'conversationUpdate', 'typing', ''), fc.string()),
      text: fc.oneof(fc.string({ maxLength: 3000 }), fc.integer(), fc.constant(null)),
      value: fc.jsonValue(),
      from: fc.jsonValue(),
    },
    { requiredKeys: [] },
  ),
  fc.record(
    {
      update_id: fc.oneof(fc.integer(), fc.string()),
      message: fc.record({ chat: fc.jsonValue(), text: fc.jsonValue(), from: fc.jsonValue() }, { requiredKeys: [] }),
      callback_query: fc.jsonValue(),
    },
    { requiredKeys: [] },
  ),
  fc.record(
    { email: fc.oneof(fc.emailAddress(), fc.string(), fc.jsonValue()), password: fc.oneof(fc.string(), fc.jsonValue()), text: fc.jsonValue() },
    { requiredKeys: [] },
  ),
);
/** What goes on the wire: valid JSON, broken JSON, or bytes that are not text at all. */
const body = fc.oneof(
  anyJson.map((value) => JSON.stringify(value) ?? 'null'),
  fc.string({ maxLength: 200 }),
  fc.constantFrom('{', '{"type":', '[1,2', '{"__proto__":{"x":1}}', '{"constructor":{"prototype":{"x":1}}}', 'null', '""', '\u0000'),
);
const headerValue = fc.stringMatching(/^[\x20-\x7e]{0,80}$/);
const headers = fc.record(
  {
    'content-type': fc.oneof(
      fc.constantFrom(
        'application/json',
        'application/json; charset=utf-8',
        'text/plain',
        'application/x-www-form-urlencoded',
        'application/json; charset=latin1',
      ),
      headerValue,
    ),
    authorization: fc.oneof(fc.constant('Bearer demo'), fc.constant('Bearer '), headerValue),
    'accept-language': headerValue,
    [secretHeader]: fc.oneof(fc.constant(secret), headerValue),
    'x-csrf-token': headerValue,
  },
  { requiredKeys: [] },
);

async function post(path: string, payload: string, sent: Record<string, string>): Promise<number> {
  const response = await fetch(`${base}${path}`, { method: 'POST', headers: sent, body: payload });
  await response.arrayBuffer();
  return response.status;
}

beforeAll(async () => {
  const apiRoot = await startBotApi();
  const port = await freePort();
  app = await startTestApp({
    PORT: String(port),
    TOKEN_SECRET: 'fuzz-token-secret-of-at-least-32-characters',
    TELEGRAM_BOT_TOKEN: testToken,
    TELEGRAM_API_ROOT: apiRoot,
    TELEGRAM_WEBHOOK_URL: `http://127.0.0.1:${port}/telegram/webhook`,
    TELEGRAM_WEBHOOK_SECRET: secret,
    // Hundreds of requests from 127.0.0.1 in seconds: the fuzzing is about bodies, not the limits.
    RATE_LIMIT_IP_PER_MINUTE: '1000000',
  });
  base = app.url;
  const demo = await app.organisations.findByWidgetKey('demo');
  await createConsoleRepository(app.db.prisma).createUser({
    organisationId: demo!.id,
    email: 'fuzz@example.org',
    passwordHash: await hashPassword('a long enough password'),
    role: 'counsellor',
  });
}, 60_000);

afterAll(async () => {
  await app?.close();
  await new Promise<void>((resolve) => (botApi ? botApi.close(() => resolve()) : resolve()));
});

describe('fuzzing the endpoints with malformed requests', () => {
  it('Direct Line: POST /conversations/{id}/activities and POST /conversations never answer 500; rejections store nothing', async () => {
    // A real conversation, so the activities route gets past the conversation lookup.
    const started = await fetch(`${base}/v3/directline/conversations`, {
      method: 'POST',
      headers: { authorization: 'Bearer demo', 'content-type': 'application/json' },
      body: '{}',
    });
    const { conversationId, token } = (await started.json()) as { conversationId: string; token: string };
    await fc.assert(
      fc.asyncProperty(body, headers, fc.constantFrom('activities', 'conversations'), fc.boolean(), async (payload, sent, route, useToken) => {
        const before = await counts();
        const withAuth = useToken ? { ...sent, authorization: `Bearer ${token}` } : sent;
        const status = await post(
          route === 'activities' ? `/v3/directline/conversations/${conversationId}/activities` : '/v3/directline/conversations',
          payload,
          withAuth,
        );
        expect(status).toBeLessThan(500);
        if (status >= 400) expect(await counts()).toEqual(before);
      }),
      { numRuns: runs },
    );
  }, 60_000);

  it('the Telegram webhook never answers 500; rejections store nothing', async () => {
    await fc.assert(
      fc.asyncProperty(body, headers, async (payload, sent) => {
        const before = await counts();
        const status = await post('/telegram/webhook', payload, sent);
        expect(status).toBeLessThan(500);
        if (status >= 400) expect(await counts()).toEqual(before);
      }),
      { numRuns: runs },
    );
  }, 60_000);

  it('the console API (login, messages) never answers 500; rejections store nothing', async () => {
    await fc.assert(
      fc.asyncProperty(
        body,
        headers,
        fc.constantFrom(
          '/console/api/login',
          '/console/api/referrals/00000000-0000-4000-8000-000000000000/messages',
          '/console/api/referrals/not-an-id/messages',
        ),
        async (payload, sent, path) => {
          const before = await counts();
          const status = await post(path, payload, sent);
          expect(status).toBeLessThan(500);
          // A failed login is audited and counted towards the lockout (AuditEvent, LoginThrottle are not counted here).
          if (status >= 400) expect(await counts()).toEqual(before);
        },
      ),
      { numRuns: runs },
    );
  }, 60_000);
});
