import { once } from 'node:events';
import type { AddressInfo } from 'node:net';
import { connect } from 'node:net';
import express from 'express';
import { describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { upgradeClientAddress } from '../../src/http/upgrade-limit.js';
import { useApp } from '../web/support.js';

/** Opens a WebSocket with the given headers: 101 when it opened, else the refusal's status, headers and body. */
function upgrade(url: string, headers: Record<string, string> = {}): Promise<{ status: number; statusMessage?: string; retryAfter?: string; body?: string }> {
  return new Promise((resolve, reject) => {
    const socket = new WebSocket(url, { headers });
    socket.on('unexpected-response', (_request, response) => {
      let body = '';
      response.setEncoding('utf8');
      response.on('data', (chunk: string) => (body += chunk));
      response.on('end', () => {
        const retryAfter = response.headers['retry-after'];
        resolve({
          status: response.statusCode ?? 0,
          ...(response.statusMessage ? { statusMessage: response.statusMessage } : {}),
          ...(typeof retryAfter === 'string' ? { retryAfter } : {}),
          body,
        });
        socket.terminate();
      });
    });
    socket.on('open', () => {
      socket.close();
      resolve({ status: 101 });
    });
    socket.on('error', reject);
  });
}

/** A raw upgrade request: everything the server wrote before it closed the connection. */
async function rawUpgrade(url: string, headers: Record<string, string>): Promise<string> {
  const { hostname, port, pathname, search } = new URL(url);
  const socket = connect(Number(port), hostname);
  await once(socket, 'connect');
  const lines = [
    `GET ${pathname}${search} HTTP/1.1`,
    `Host: ${hostname}:${port}`,
    'Connection: Upgrade',
    'Upgrade: websocket',
    'Sec-WebSocket-Version: 13',
    'Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==',
    ...Object.entries(headers).map(([name, value]) => `${name}: ${value}`),
  ];
  socket.write(`${lines.join('\r\n')}\r\n\r\n`);
  let received = '';
  socket.setEncoding('utf8');
  socket.on('data', (chunk: string) => (received += chunk));
  // Resolves only once the server closed the connection: a refused upgrade must not stay open.
  await once(socket, 'close');
  return received;
}

describe('the caller address of an upgrade follows express’s trust proxy rule', () => {
  it.each([0, 1, 2, 3])('with %i trusted hop(s) it matches req.ip for every X-Forwarded-For shape', async (hops) => {
    const app = express();
    if (hops > 0) app.set('trust proxy', hops);
    // An express Request is an IncomingMessage: both rules see the very same request.
    app.get('/', (req, res) => res.json({ express: req.ip, ours: upgradeClientAddress(req, hops) }));
    const server = app.listen(0, '127.0.0.1');
    await once(server, 'listening');
    const { port } = server.address() as AddressInfo;
    try {
      const shapes = [undefined, '203.0.113.7', '198.51.100.9, 203.0.113.7', ' 192.0.2.1 ,198.51.100.9,  203.0.113.7 ', '198.51.100.9,,203.0.113.7', ''];
      for (const forwarded of shapes) {
        const response = await fetch(`http://127.0.0.1:${port}/`, { headers: forwarded === undefined ? {} : { 'x-forwarded-for': forwarded } });
        const { express: expected, ours } = (await response.json()) as { express: string; ours: string };
        expect(ours, `hops ${hops}, X-Forwarded-For ${JSON.stringify(forwarded)}`).toBe(expected);
      }
    } finally {
      server.close();
    }
  });
});

describe('rate limits on WebSocket upgrades', () => {
  // One trusted proxy hop, so each test speaks as its own client through X-Forwarded-For.
  const app = useApp({ RATE_LIMIT_IP_PER_MINUTE: '4', TRUST_PROXY_HOPS: '1' });

  async function startConversation(client: string): Promise<string> {
    const response = await fetch(`${app().url}/v3/directline/conversations`, {
      method: 'POST',
      headers: { authorization: 'Bearer demo', 'content-type': 'application/json', 'x-forwarded-for': client },
      body: '{}',
    });
    expect(response.status).toBe(201);
    return ((await response.json()) as { streamUrl: string }).streamUrl;
  }

  it('admits upgrades while the address has tokens, then answers 429 with Retry-After and closes', async () => {
    const client = { 'x-forwarded-for': '203.0.113.10' };
    const streamUrl = await startConversation(client['x-forwarded-for']);
    // The conversation took one of four tokens: three streams open, the fourth is refused.
    for (let index = 0; index < 3; index++) expect((await upgrade(streamUrl, client)).status, `stream ${index + 1}`).toBe(101);
    const refused = await upgrade(streamUrl, client);
    expect(refused).toMatchObject({ status: 429, statusMessage: 'Too Many Requests' });
    expect(Number(refused.retryAfter)).toBeGreaterThanOrEqual(1);
    expect(JSON.parse(refused.body ?? '')).toEqual({
      error: { code: 429, reason: 'rate_limited_ip', message: expect.any(String), retryAfterSeconds: Number(refused.retryAfter) },
    });

    const raw = await rawUpgrade(streamUrl, client);
    expect(raw).toMatch(/^HTTP\/1\.1 429 Too Many Requests\r\n/);
    expect(raw).toMatch(/\r\nRetry-After: \d+\r\n/);
    expect(raw).not.toMatch(/101 Switching Protocols/);

    // Another address has its own bucket.
    expect((await upgrade(streamUrl, { 'x-forwarded-for': '203.0.113.11' })).status).toBe(101);
  });

  it('shares the budget with the HTTP routes of the same address', async () => {
    const client = '203.0.113.20';
    const streamUrl = await startConversation(client);
    let status = 0;
    for (let tries = 0; status !== 429 && tries < 10; tries++) {
      status = (await fetch(`${app().url}/v3/widget/strings/en`, { headers: { 'x-forwarded-for': client } })).status;
    }
    expect(status).toBe(429);
    expect((await upgrade(streamUrl, { 'x-forwarded-for': client })).status).toBe(429);
  });

  it('the limit follows the forwarded address, not the proxy’s: many clients behind one proxy are not refused together', async () => {
    const streamUrl = await startConversation('203.0.113.30');
    const statuses = await Promise.all(
      ['203.0.113.31', '203.0.113.32', '203.0.113.33', '203.0.113.34', '203.0.113.35'].map((client) => upgrade(streamUrl, { 'x-forwarded-for': client })),
    );
    expect(statuses.map((outcome) => outcome.status)).toEqual([101, 101, 101, 101, 101]);
  });
});
