// A Direct Line conversation id is not a credential (issue 15, High 4): the public widget key opens
// new conversations and nothing else; every conversation route takes that conversation's token;
// a person comes back with their resume ticket; receipts and logs never carry the id in clear.
import { Writable } from 'node:stream';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { startApp, type RunningApp } from '../../src/app.js';
import { createConfig } from '../../src/config.js';
import { loggablePath } from '../../src/http/errors.js';
import { projectRoot } from '../support/engine.js';
import { encodeFrame, openRawWebSocket } from './raw-websocket.js';
import { rowCounts, tokenSecret, useApp } from './support.js';

interface Started {
  conversationId: string;
  token: string;
  streamUrl: string;
  resume: string;
}

function client(app: () => RunningApp) {
  const base = () => `${app().url}/v3/directline`;
  const call = async (path: string, init: { method?: string; auth?: string; body?: unknown } = {}) => {
    const response = await fetch(`${base()}${path}`, {
      method: init.method ?? 'GET',
      headers: {
        ...(init.auth !== undefined ? { authorization: `Bearer ${init.auth}` } : {}),
        ...(init.body !== undefined ? { 'content-type': 'application/json' } : {}),
      },
      ...(init.body !== undefined ? { body: JSON.stringify(init.body) } : {}),
    });
    const text = await response.text();
    return { status: response.status, body: (text ? JSON.parse(text) : null) as Record<string, unknown> & { error?: { code: number; message: string } } };
  };
  const start = async (): Promise<Started> => {
    const response = await call('/conversations', { method: 'POST', auth: 'demo', body: {} });
    expect(response.status).toBe(201);
    return response.body as unknown as Started;
  };
  const say = (started: Started, text: string, extra: Record<string, unknown> = {}, auth = started.token) =>
    call(`/conversations/${started.conversationId}/activities`, { method: 'POST', auth, body: { type: 'message', from: { id: 'u' }, text, ...extra } });
  return { call, start, say };
}

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
    socket.on('error', reject);
  });
}

describe('conversation routes', () => {
  const app = useApp({ RATE_LIMIT_IP_PER_MINUTE: '1000000' });
  const { call, start, say } = client(app);
  let person: Started;
  let stranger: Started;
  beforeAll(async () => {
    person = await start();
    stranger = await start();
    expect((await say(person, 'hello')).status).toBe(200);
  });

  /** Every route that reads, writes or reopens one conversation. */
  const routes = (conversationId: string) => [
    { method: 'GET', path: `/conversations/${conversationId}/activities` },
    { method: 'POST', path: `/conversations/${conversationId}/activities`, body: { type: 'message', from: { id: 'u' }, text: 'not mine' } },
    { method: 'GET', path: `/conversations/${conversationId}?watermark=` },
    { method: 'POST', path: `/conversations/${conversationId}/upload`, body: {} },
  ];

  it('refuse the widget key with 403 and change nothing: it only opens new conversations', async () => {
    for (const route of routes(person.conversationId)) {
      const before = await rowCounts(app());
      const answer = await call(route.path, { method: route.method, auth: 'demo', ...(route.body ? { body: route.body } : {}) });
      expect([route.path, answer.status]).toEqual([route.path, 403]);
      expect(answer.body.error).toEqual({ code: 403, message: expect.stringContaining('token') });
      expect(answer.body).not.toHaveProperty('token');
      expect(await rowCounts(app())).toEqual(before);
    }
    const stream = new URL(person.streamUrl);
    stream.searchParams.set('t', 'demo');
    expect(await upgradeStatus(stream.toString())).toBe(403);
  });

  it("refuse another conversation's token with 403", async () => {
    for (const route of routes(person.conversationId)) {
      const before = await rowCounts(app());
      const answer = await call(route.path, { method: route.method, auth: stranger.token, ...(route.body ? { body: route.body } : {}) });
      expect([route.path, answer.status]).toEqual([route.path, 403]);
      expect(await rowCounts(app())).toEqual(before);
    }
    const stream = new URL(person.streamUrl);
    stream.searchParams.set('t', stranger.token);
    expect(await upgradeStatus(stream.toString())).toBe(403);
  });

  it('refuse the resume ticket itself as a bearer: it is traded for a token, with the widget key, and nothing else', async () => {
    expect((await call(`/conversations/${person.conversationId}/activities`, { auth: person.resume })).status).toBe(403);
    expect((await call('/tokens/refresh', { method: 'POST', auth: person.resume })).status).toBe(403);
  });

  it('take the own token, and a person coming back resumes the same conversation with the ticket', async () => {
    expect((await call(`/conversations/${person.conversationId}/activities`, { auth: person.token })).status).toBe(200);
    const resumed = await call('/tokens/generate', { method: 'POST', auth: 'demo', body: { resume: person.resume } });
    expect(resumed.status).toBe(200);
    expect(resumed.body.conversationId).toBe(person.conversationId);
    const token = String(resumed.body.token);
    expect(token).not.toBe(person.token);
    const read = await call(`/conversations/${person.conversationId}/activities`, { auth: token });
    expect(read.status).toBe(200);
    const reconnect = await call(`/conversations/${person.conversationId}?watermark=`, { auth: token });
    expect(reconnect.status).toBe(200);
    expect(await upgradeStatus(String(reconnect.body.streamUrl))).toBe(101);
    // And the ticket of one conversation never opens another.
    expect((await call(`/conversations/${stranger.conversationId}/activities`, { auth: token })).status).toBe(403);
  });

  it('store a retried post once, under a keyed hash that does not hold the conversation id', async () => {
    const retried = { channelData: { clientActivityID: 'retry-me-1' } };
    const first = await say(person, 'sent twice', retried);
    const before = await rowCounts(app());
    const second = await say(person, 'sent twice', retried);
    expect([first.status, second.status]).toEqual([200, 200]);
    expect(await rowCounts(app())).toEqual(before);
    const receipts = await app().db.prisma.inboundReceipt.findMany({ where: { channel: 'web' } });
    expect(receipts.length).toBeGreaterThan(0);
    for (const receipt of receipts) {
      expect(receipt.key).toMatch(/^hwi1\./);
      expect(receipt.key).not.toContain(person.conversationId);
      expect(receipt.key).not.toContain('retry-me-1');
    }
  });

  it('answer 400 in the error shape for control characters in ids the client sends, and store nothing', async () => {
    for (const extra of [
      { channelData: { clientActivityID: 'a\u0000b' } },
      { channelData: { clientActivityID: 'line\nbreak' } },
      { from: { id: 'u\u0007' } },
      { from: { id: 'u', name: 'n\u0000' } },
      { locale: 'en\u0000' },
    ]) {
      const before = await rowCounts(app());
      const answer = await say(person, 'hello', extra);
      expect([JSON.stringify(extra), answer.status]).toEqual([JSON.stringify(extra), 400]);
      expect(answer.body.error).toEqual({ code: 400, message: expect.stringContaining('control characters') });
      expect(await rowCounts(app())).toEqual(before);
    }
  });
});

describe('the per-conversation rate limit', () => {
  const app = useApp({ RATE_LIMIT_CONVERSATION_PER_10S: '3', RATE_LIMIT_IP_PER_MINUTE: '1000000' });
  const { start, say } = client(app);

  it("counts only posts with the conversation token: strangers cannot use up the person's budget", async () => {
    const person = await start();
    const stranger = await start();
    for (let i = 0; i < 10; i++) {
      expect((await say(person, 'spam', {}, 'demo')).status).toBe(403);
      expect((await say(person, 'spam', {}, stranger.token)).status).toBe(403);
      expect((await say(person, 'spam', {}, 'hw1.forged.token')).status).toBe(403);
    }
    for (const text of ['one', 'two', 'three']) expect((await say(person, text)).status).toBe(200);
    const refused = await say(person, 'four');
    expect(refused.status).toBe(429);
    expect(refused.body).toMatchObject({ error: { code: 429, reason: 'rate_limited_conversation' } });
  });
});

describe('logs', () => {
  const lines: string[] = [];
  let app: RunningApp;
  beforeAll(async () => {
    const sink = new Writable({
      write(chunk: Buffer, _encoding, done) {
        lines.push(chunk.toString('utf8'));
        done();
      },
    });
    app = await startApp(createConfig({ PORT: '0', DATA_DIR: 'memory://', TOKEN_SECRET: tokenSecret }), {
      logger: pino({ level: 'trace' }, sink),
      root: projectRoot,
    });
  });
  afterAll(async () => {
    await app?.close();
  });

  it('never carry a conversation id or a token, through a conversation, its stream, a broken frame and refused requests', async () => {
    const { call, start, say } = client(() => app);
    const started = await start();
    expect((await say(started, 'hello', { channelData: { clientActivityID: 'c-1' } })).status).toBe(200);
    expect((await say(started, 'hello', { channelData: { clientActivityID: 'c\u0000' } })).status).toBe(400);
    await call(`/conversations/${started.conversationId}/activities`, { auth: 'demo' });
    const resumed = await call('/tokens/generate', { method: 'POST', auth: 'demo', body: { resume: started.resume } });
    const connection = await openRawWebSocket(started.streamUrl);
    connection.socket.write(encodeFrame({ fin: true, rsv: 0, opcode: 1, masked: true, payload: Buffer.alloc(5000, 0x61) }));
    await connection.closedWithin(2_000);
    connection.socket.destroy();
    const unknown = new URL(started.streamUrl);
    unknown.pathname = unknown.pathname.replace(started.conversationId, 'NoSuchConversation0000');
    await upgradeStatus(unknown.toString());

    const log = lines.join('');
    // The stream's protocol error was logged: the capture holds real lines, not nothing.
    expect(log).toContain('WS_ERR_UNSUPPORTED_MESSAGE_LENGTH');
    for (const secret of [started.conversationId, started.token, started.resume, String(resumed.body.token), 'NoSuchConversation0000']) {
      expect(log).not.toContain(secret);
    }
  });
});

describe('loggablePath', () => {
  it('replaces conversation ids and query credentials, and leaves other paths alone', () => {
    expect(loggablePath('/v3/directline/conversations/Zx3f_9-a/stream?t=hw2.abc.def&watermark=4')).toBe(
      '/v3/directline/conversations/:id/stream?t=[redacted]&watermark=4',
    );
    expect(loggablePath('/v3/directline/conversations/Zx3f/activities')).toBe('/v3/directline/conversations/:id/activities');
    expect(loggablePath('/console/api/referrals/abc')).toBe('/console/api/referrals/abc');
  });
});
