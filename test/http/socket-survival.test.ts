// The HTTP server and the console's live stream (Server-Sent Events) survive bytes that are not
// HTTP and clients that vanish mid-stream (issue 15, Critical 1): that socket ends, nothing else.
import { connect, type Socket } from 'node:net';
import { describe, expect, it } from 'vitest';
import { hashPassword } from '../../src/console/auth/password.js';
import { createConsoleRepository } from '../../src/store/repositories/console.js';
import { loginToConsole } from '../support/console.js';
import { useApp } from '../web/support.js';

const app = useApp({ RATE_LIMIT_IP_PER_MINUTE: '1000000' });

/** Writes `bytes` on a fresh connection and returns everything the server said before closing. */
function exchange(bytes: string | Buffer, timeoutMs = 5_000): Promise<{ answer: string; closed: boolean }> {
  const { port, hostname } = new URL(app().url);
  return new Promise((resolve) => {
    const socket = connect(Number(port), hostname);
    let answer = '';
    socket.on('error', () => undefined);
    socket.on('data', (chunk: Buffer) => (answer += chunk.toString('latin1')));
    const timer = setTimeout(() => {
      socket.destroy();
      resolve({ answer, closed: false });
    }, timeoutMs);
    socket.on('close', () => {
      clearTimeout(timer);
      resolve({ answer, closed: true });
    });
    socket.write(bytes);
  });
}

async function assertHealthy(): Promise<void> {
  expect((await fetch(`${app().url}/healthz`)).status).toBe(200);
}

describe('the HTTP server given bytes that are not HTTP', () => {
  it.each([
    { name: 'a malformed request line', bytes: 'GARBAGE\r\n\r\n', status: 400 },
    { name: 'NUL bytes', bytes: Buffer.alloc(64, 0), status: 400 },
    { name: 'a header without a colon', bytes: 'GET / HTTP/1.1\r\nHost x\r\n\r\n', status: 400 },
    { name: 'a bad Content-Length', bytes: 'POST /v3/directline/conversations HTTP/1.1\r\nHost: x\r\nContent-Length: -5\r\n\r\n', status: 400 },
    { name: 'headers of 100 KiB', bytes: `GET / HTTP/1.1\r\nHost: x\r\nX-Big: ${'a'.repeat(100 * 1024)}\r\n\r\n`, status: 431 },
  ])('$name: answered $status in the error shape, closed, and the server keeps serving', async ({ bytes, status }) => {
    const { answer, closed } = await exchange(bytes);
    expect(answer.startsWith(`HTTP/1.1 ${status} `)).toBe(true);
    const body = JSON.parse(answer.slice(answer.indexOf('\r\n\r\n') + 4)) as { error: { code: number; message: string } };
    expect(body.error.code).toBe(status);
    expect(closed).toBe(true);
    await assertHealthy();
  });

  it('a client that resets the connection half-way through a request changes nothing', async () => {
    const { port, hostname } = new URL(app().url);
    const socket: Socket = connect(Number(port), hostname);
    socket.on('error', () => undefined);
    await new Promise<void>((resolve) => socket.once('connect', () => resolve()));
    socket.write('POST /v3/directline/conversations HTTP/1.1\r\nHost: x\r\nContent-Length: 1000\r\n\r\n{"user":');
    await new Promise((resolve) => setTimeout(resolve, 100));
    socket.resetAndDestroy();
    await assertHealthy();
  });
});

describe('the console live stream when the console vanishes', () => {
  it('a reset mid-stream, then events for its organisation: the server keeps serving and the other streams keep receiving', async () => {
    const demo = await app().organisations.findByWidgetKey('demo');
    if (!demo) throw new Error('no demo organisation');
    await createConsoleRepository(app().db.prisma).createUser({
      organisationId: demo.id,
      email: 'sse@example.org',
      passwordHash: await hashPassword('a long enough password'),
      role: 'counsellor',
    });
    const session = await loginToConsole(app().url, 'sse@example.org', 'a long enough password');

    const { port, hostname } = new URL(app().url);
    const vanishing = connect(Number(port), hostname);
    vanishing.on('error', () => undefined);
    let head = '';
    await new Promise<void>((resolve) => {
      vanishing.on('data', (chunk: Buffer) => {
        head += chunk.toString('latin1');
        if (head.includes('event: ready')) resolve();
      });
      vanishing.write(`GET /console/api/events HTTP/1.1\r\nHost: ${hostname}\r\nCookie: ${session.cookie}\r\nAccept: text/event-stream\r\n\r\n`);
    });
    expect(head.startsWith('HTTP/1.1 200')).toBe(true);

    const watcher = await fetch(`${app().url}/console/api/events`, { headers: { cookie: session.cookie } });
    const reader = watcher.body!.getReader();
    vanishing.resetAndDestroy();
    await new Promise((resolve) => setTimeout(resolve, 100));
    const conversationId = '00000000-0000-4000-8000-000000000001';
    app().handoffEvents.publish({
      type: 'outbox_enqueued',
      organisationId: demo.id,
      conversationId,
      outboxId: '00000000-0000-4000-8000-000000000002',
      channel: 'web',
    });

    let seen = '';
    while (!seen.includes(conversationId)) {
      const { value, done } = await reader.read();
      if (done) throw new Error(`the stream ended; seen: ${seen}`);
      seen += new TextDecoder().decode(value);
    }
    await reader.cancel();
    await assertHealthy();
  });
});
