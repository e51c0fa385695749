// The Direct Line endpoints with plain HTTP: every refusal has its status, says why, and stores nothing.
import { randomUUID } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { createTokenService } from '../../src/channels/web/tokens.js';
import { rowCounts, tokenSecret, useApp } from './support.js';

const app = useApp();
const base = () => `${app().url}/v3/directline`;

interface Started {
  conversationId: string;
  token: string;
  streamUrl: string;
  resume: string;
  expires_in: number;
}

async function call(path: string, init: { method?: string; auth?: string; body?: unknown; raw?: string; headers?: Record<string, string> } = {}) {
  const response = await fetch(`${base()}${path}`, {
    method: init.method ?? 'GET',
    headers: {
      ...(init.auth !== undefined ? { authorization: `Bearer ${init.auth}` } : {}),
      ...(init.body !== undefined || init.raw !== undefined ? { 'content-type': 'application/json' } : {}),
      ...init.headers,
    },
    ...(init.raw !== undefined ? { body: init.raw } : init.body !== undefined ? { body: JSON.stringify(init.body) } : {}),
  });
  const text = await response.text();
  return {
    status: response.status,
    headers: response.headers,
    body: (text ? JSON.parse(text) : null) as Record<string, unknown> & { error?: { message: string } },
  };
}

async function start(headers: Record<string, string> = {}): Promise<Started> {
  const { token } = (await call('/tokens/generate', { method: 'POST', auth: 'demo', headers })).body as { token: string };
  const response = await call('/conversations', { method: 'POST', auth: token, headers });
  expect(response.status).toBe(201);
  return response.body as unknown as Started;
}

/** Runs `request` and checks it changed no row. */
async function storesNothing(request: () => Promise<{ status: number }>): Promise<number> {
  const before = await rowCounts(app());
  const { status } = await request();
  expect(await rowCounts(app())).toEqual(before);
  return status;
}

describe('conversations and tokens', () => {
  it('starts a conversation with the welcome in it, in the language of Accept-Language', async () => {
    const started = await start({ 'accept-language': 'ar-EG,ar;q=0.9,en;q=0.5' });
    expect(started).toMatchObject({ expires_in: 1800, streamUrl: expect.stringMatching(/^ws:\/\/.*\/v3\/directline\/conversations\/.+\/stream\?t=/) });
    const { body } = await call(`/conversations/${started.conversationId}/activities`, { auth: started.token });
    const activities = body.activities as { id: string; locale: string; channelData: { key: string; dir: string } }[];
    expect(activities[0]).toMatchObject({ id: `${started.conversationId}|0000001`, locale: 'ar', channelData: { key: 'bot:intake.welcome', dir: 'rtl' } });
    expect(body.watermark).toBe(activities.at(-1)?.id.split('|')[1]?.replace(/^0+/, ''));
  });

  it('resumes with a token instead of starting again, and the resume ticket gives a fresh token days later', async () => {
    const started = await start();
    const again = await call('/conversations', { method: 'POST', auth: started.token });
    expect(again.status).toBe(200);
    expect(again.body.conversationId).toBe(started.conversationId);
    const { messages } = await rowCounts(app());

    const resumed = await call('/tokens/generate', { method: 'POST', auth: 'demo', body: { resume: started.resume } });
    expect(resumed.status).toBe(200);
    expect(resumed.body).toMatchObject({ conversationId: started.conversationId, expires_in: 1800, resume: expect.any(String) });
    const history = await call(`/conversations/${started.conversationId}/activities`, { auth: String(resumed.body.token) });
    expect(history.status).toBe(200);
    expect(await rowCounts(app())).toMatchObject({ messages });
  });

  it('refreshes a token, and reconnects with a new stream URL at the watermark', async () => {
    const started = await start();
    const refreshed = await call('/tokens/refresh', { method: 'POST', auth: started.token });
    expect(refreshed.status).toBe(200);
    expect(refreshed.body).toMatchObject({ conversationId: started.conversationId, expires_in: 1800 });
    const reconnect = await call(`/conversations/${started.conversationId}?watermark=1`, { auth: String(refreshed.body.token) });
    expect(reconnect.status).toBe(200);
    expect(String(reconnect.body.streamUrl)).toContain('watermark=1');
  });

  it('answers a posted activity with the id it has in the stream', async () => {
    const started = await start();
    const posted = await call(`/conversations/${started.conversationId}/activities`, {
      method: 'POST',
      auth: started.token,
      body: { type: 'message', text: 'English' },
    });
    expect(posted.status).toBe(200);
    const { body } = await call(`/conversations/${started.conversationId}/activities?watermark=2`, { auth: started.token });
    expect((body.activities as { id: string; from: { role: string } }[])[0]).toMatchObject({ id: posted.body.id, from: { role: 'user' } });
  });

  it("turns the widget's events into intents: locale switches the language, handoff.request queues", async () => {
    const started = await start();
    const locale = await call(`/conversations/${started.conversationId}/activities`, {
      method: 'POST',
      auth: started.token,
      body: { type: 'event', name: 'locale', value: 'ar' },
    });
    expect(locale.status).toBe(200);
    expect(await app().conversations.findByChannelRef('web', started.conversationId)).toMatchObject({ locale: 'ar' });
    const handoff = await call(`/conversations/${started.conversationId}/activities`, {
      method: 'POST',
      auth: started.token,
      body: { type: 'event', name: 'handoff.request' },
    });
    expect(handoff.status).toBe(200);
    expect(await app().conversations.findByChannelRef('web', started.conversationId)).toMatchObject({ status: 'queued' });
    const { body } = await call(`/conversations/${started.conversationId}/activities`, { auth: started.token });
    expect(body.activities).toContainEqual(
      expect.objectContaining({ id: handoff.body.id, type: 'event', name: 'handoff.request', from: expect.objectContaining({ role: 'user' }) }),
    );
  });
});

describe('refusals store nothing', () => {
  let started: Started;
  beforeAll(async () => {
    started = await start();
  });
  const post = (body: unknown, auth = started.token, id = started.conversationId) => call(`/conversations/${id}/activities`, { method: 'POST', auth, body });

  it.each([
    ['no text and no choice', { type: 'message' }, /needs text/],
    ['blank text', { type: 'message', text: '   ' }, /text/],
    ['text over 2000 characters', { type: 'message', text: 'x'.repeat(2001) }, /2000/],
    ['an unknown type', { type: 'invoke' }, /type must be one of/],
    ['an unknown event', { type: 'event', name: 'reboot' }, /name/],
    ['a locale event without a code', { type: 'event', name: 'locale' }, /locale/],
    ['an attachment', { type: 'message', text: 'see file', attachments: [{ contentType: 'image/png' }] }, /not supported/],
    ['not an object', ['message'], /activity/],
  ])('400 for %s', async (_name, activity, reason) => {
    let response: Awaited<ReturnType<typeof post>> | undefined;
    expect(await storesNothing(async () => (response = await post(activity)))).toBe(400);
    expect(response?.body.error?.message).toMatch(reason);
  });

  it('400 for malformed JSON', async () => {
    expect(
      await storesNothing(() =>
        call(`/conversations/${started.conversationId}/activities`, { method: 'POST', auth: started.token, raw: '{"type": "message", ' }),
      ),
    ).toBe(400);
  });

  it('413 for an activity over 32 KB', async () => {
    expect(await storesNothing(() => post({ type: 'message', text: 'x', padding: 'y'.repeat(40_000) }))).toBe(413);
  });

  it('401 without credentials, 403 for an unknown widget key', async () => {
    expect(await storesNothing(() => call('/conversations', { method: 'POST' }))).toBe(401);
    expect(await storesNothing(() => call('/conversations', { method: 'POST', auth: 'no-such-key' }))).toBe(403);
  });

  it('403 for an expired token, a forged one, and one for another conversation', async () => {
    const conversation = await app().conversations.findByChannelRef('web', started.conversationId);
    const grant = { organisationId: conversation?.organisationId ?? '', conversationId: started.conversationId, userId: 'someone' };
    const lastHour = createTokenService(tokenSecret, () => Date.now() - 60 * 60 * 1000).issueToken(grant).token;
    const forged = createTokenService('another-secret-of-at-least-32-characters').issueToken(grant).token;
    const other = await start();

    const expired = await post({ type: 'message', text: 'hello' }, lastHour);
    expect(expired.status).toBe(403);
    expect(expired.body.error?.message).toBe('token expired');
    expect(await storesNothing(() => post({ type: 'message', text: 'hello' }, lastHour))).toBe(403);
    expect(await storesNothing(() => post({ type: 'message', text: 'hello' }, forged))).toBe(403);
    expect(await storesNothing(() => post({ type: 'message', text: 'hello' }, other.token))).toBe(403);
    expect(await storesNothing(() => call(`/conversations/${started.conversationId}/activities`, { auth: other.token }))).toBe(403);
    // A resume ticket is not a token.
    expect(await storesNothing(() => post({ type: 'message', text: 'hello' }, started.resume))).toBe(403);
    expect(await storesNothing(() => call('/tokens/refresh', { method: 'POST', auth: lastHour }))).toBe(403);
  });

  it('404 for an unknown conversation', async () => {
    // The widget key opens no conversation, known or not (test/web/conversation-credentials.test.ts): 403 before any lookup.
    expect(await storesNothing(() => post({ type: 'message', text: 'hello' }, 'demo', 'NoSuchConversation0000'))).toBe(403);
    expect(await storesNothing(() => call('/conversations/NoSuchConversation0000?watermark=', { auth: 'demo' }))).toBe(403);
    const { token } = (await call('/tokens/generate', { method: 'POST', auth: 'demo' })).body as { token: string; conversationId: string };
    // A token whose conversation was never started.
    const { body } = await call('/tokens/generate', { method: 'POST', auth: 'demo' });
    expect(await storesNothing(() => call(`/conversations/${String(body.conversationId)}/activities`, { auth: String(body.token) }))).toBe(404);
    expect(await storesNothing(() => call(`/conversations/${String(body.conversationId)}?watermark=`, { auth: String(body.token) }))).toBe(404);
    expect(token).not.toBe(body.token);
  });

  it('passes typing on live and stores nothing for it', async () => {
    let response: Awaited<ReturnType<typeof post>> | undefined;
    expect(await storesNothing(async () => (response = await post({ type: 'typing' })))).toBe(200);
    expect(String(response?.body.id)).toMatch(/\|live-/);
  });

  it('415 for an upload, with the reason', async () => {
    const response = await call(`/conversations/${started.conversationId}/upload?userId=x`, { method: 'POST', auth: started.token, body: {} });
    expect(response.status).toBe(415);
    expect(response.body.error?.message).toMatch(/file uploads are not supported/);
  });

  it('400 for a watermark that is not ours, 403 for a resume ticket of another key', async () => {
    expect((await call(`/conversations/${started.conversationId}/activities?watermark=abc`, { auth: started.token })).status).toBe(400);
    const ngo = await app().organisations.create({ name: 'NGO', widgetKey: `ngo-${randomUUID()}`, allowedOrigins: ['https://ngo.example'] });
    expect(await storesNothing(() => call('/tokens/generate', { method: 'POST', auth: ngo.widgetKey, body: { resume: started.resume } }))).toBe(403);
  });

  it('refuses a stream with an expired or foreign token before the upgrade', async () => {
    const conversation = await app().conversations.findByChannelRef('web', started.conversationId);
    const expired = createTokenService(tokenSecret, () => Date.now() - 60 * 60 * 1000).issueToken({
      organisationId: conversation?.organisationId ?? '',
      conversationId: started.conversationId,
      userId: 'someone',
    }).token;
    const url = new URL(started.streamUrl);
    for (const [token, status] of [
      [expired, 403],
      ['demo', 403],
      ['', 400],
    ] as const) {
      url.searchParams.set('t', token);
      expect(await upgradeStatus(url.toString())).toBe(status);
    }
    expect(await upgradeStatus(started.streamUrl.replace(started.conversationId, 'NoSuchConversation0000'))).toBe(403);
  });
});

describe('the demo organisation', () => {
  it('allows localhost on any port, also in a database seeded with older origins', async () => {
    await app().db.prisma.organisation.updateMany({ where: { widgetKey: 'demo' }, data: { allowedOrigins: ['http://localhost:3000'] } });
    expect(await app().organisations.ensureDemoOrganisation()).toMatchObject({ allowedOrigins: ['http://localhost:*', 'http://127.0.0.1:*'] });
  });
});

describe('allowed origins', () => {
  let ngoKey: string;
  beforeAll(async () => {
    ngoKey = (await app().organisations.create({ name: 'NGO', widgetKey: `ngo-${randomUUID()}`, allowedOrigins: ['https://ngo.example'] })).widgetKey;
  });
  const generate = (key: string, origin?: string) => call('/tokens/generate', { method: 'POST', auth: key, ...(origin ? { headers: { origin } } : {}) });

  it('lets the demo key in from localhost on any port, and answers with CORS headers', async () => {
    for (const origin of ['http://localhost:3000', 'http://localhost:5173', 'http://127.0.0.1:8080']) {
      const response = await generate('demo', origin);
      expect(response.status).toBe(200);
      expect(response.headers.get('access-control-allow-origin')).toBe(origin);
    }
  });

  it('refuses a foreign origin (fail closed) and stores nothing', async () => {
    expect(await storesNothing(() => call('/conversations', { method: 'POST', auth: 'demo', headers: { origin: 'https://evil.example' } }))).toBe(403);
    expect(await storesNothing(() => call('/conversations', { method: 'POST', auth: ngoKey, headers: { origin: 'http://localhost:3000' } }))).toBe(403);
    expect((await generate(ngoKey, 'https://ngo.example.evil.com')).status).toBe(403);
    expect((await generate(ngoKey, 'null')).status).toBe(403);
  });

  it('checks the origin on token requests too, and accepts requests without an Origin (servers, apps)', async () => {
    const started = await start({ origin: 'http://localhost:3000' });
    const foreign = await call(`/conversations/${started.conversationId}/activities`, { auth: started.token, headers: { origin: 'https://evil.example' } });
    expect(foreign.status).toBe(403);
    expect((await generate(ngoKey, 'https://ngo.example')).status).toBe(200);
    expect((await generate(ngoKey)).status).toBe(200);
  });

  it('answers preflights for allowed origins with the Authorization header allowed, and refuses others', async () => {
    const preflight = (origin: string) =>
      fetch(`${base()}/conversations`, {
        method: 'OPTIONS',
        headers: { origin, 'access-control-request-method': 'POST', 'access-control-request-headers': 'authorization,content-type' },
      });
    const allowed = await preflight('https://ngo.example');
    expect(allowed.status).toBe(204);
    expect(allowed.headers.get('access-control-allow-origin')).toBe('https://ngo.example');
    expect(allowed.headers.get('access-control-allow-headers')).toMatch(/Authorization/);
    const refused = await preflight('https://evil.example');
    expect(refused.status).toBe(403);
    expect(refused.headers.get('access-control-allow-origin')).toBeNull();
  });
});

function upgradeStatus(url: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const socket = new WebSocket(url);
    socket.on('unexpected-response', (_request, response) => {
      resolve(response.statusCode ?? 0);
      socket.terminate();
    });
    socket.on('open', () => {
      socket.close();
      resolve(101);
    });
    socket.on('error', (error) => reject(error));
  });
}
