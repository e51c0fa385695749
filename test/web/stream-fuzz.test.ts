// No byte sequence on a Direct Line stream stops the server (issue 15, Critical 1). Raw frames of
// every shape (sizes around and far past the 4 KiB limit, every opcode, invalid UTF-8, unmasked,
// fragments out of order, RSV bits, bad close codes) go to the real server after a real upgrade;
// afterwards it still answers /healthz and a fresh conversation works from start to reply.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { closeCodeOf, encodeFrame, openRawWebSocket, type RawFrame } from './raw-websocket.js';
import { useApp } from './support.js';

// Hundreds of requests from 127.0.0.1 in seconds: this test is about frames, not the limits.
const app = useApp({ RATE_LIMIT_IP_PER_MINUTE: '1000000' });
const maxPayload = 4096;

interface Started {
  conversationId: string;
  token: string;
  streamUrl: string;
}

async function start(): Promise<Started> {
  const response = await fetch(`${app().url}/v3/directline/conversations`, { method: 'POST', headers: { authorization: 'Bearer demo' } });
  expect(response.status).toBe(201);
  return (await response.json()) as Started;
}

/** The server is still whole: health answers, and a new conversation gets its welcome and takes a message. */
async function assertStillServing(): Promise<void> {
  const health = await fetch(`${app().url}/healthz`);
  expect(health.status).toBe(200);
  const { conversationId, token } = await start();
  const url = `${app().url}/v3/directline/conversations/${conversationId}/activities`;
  const posted = await fetch(url, {
    method: 'POST',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    body: JSON.stringify({ type: 'message', from: { id: 'u' }, text: 'hello' }),
  });
  expect(posted.status).toBe(200);
  const { id } = (await posted.json()) as { id: string };
  const read = await fetch(url, { headers: { authorization: `Bearer ${token}` } });
  const { activities } = (await read.json()) as { activities: { id: string; from: { role: string } }[] };
  expect(activities.some((activity) => activity.from.role === 'bot')).toBe(true);
  // Stored: the message is in the transcript under the id the post returned.
  expect(activities.map((activity) => activity.id)).toContain(id);
}

/** Sends `frames` on a fresh stream and returns the server's close code (undefined: it sent none within the wait). */
async function sendOnStream(frames: readonly RawFrame[], waitMs = 1_500): Promise<number | undefined> {
  const { streamUrl } = await start();
  const connection = await openRawWebSocket(streamUrl);
  for (const frame of frames) {
    if (connection.socket.destroyed) break;
    connection.socket.write(encodeFrame(frame));
  }
  await connection.closedWithin(waitMs);
  const code = closeCodeOf(connection.received());
  connection.socket.destroy();
  return code;
}

const text = (payload: Buffer | string, change: Partial<RawFrame> = {}): RawFrame => ({
  fin: true,
  rsv: 0,
  opcode: 0x1,
  masked: true,
  payload: typeof payload === 'string' ? Buffer.from(payload, 'utf8') : payload,
  ...change,
});

describe('a Direct Line stream given bytes that break the protocol', () => {
  it.each([
    { name: 'a text frame one byte over the limit', frames: [text(Buffer.alloc(maxPayload + 1, 0x61))], code: 1009 },
    { name: 'a frame announcing 2^63 bytes', frames: [text(Buffer.alloc(0), { declaredLength: 2n ** 63n })], code: 1009 },
    { name: '8 bytes of invalid UTF-8', frames: [text(Buffer.from([0xff, 0xfe, 0xc0, 0xaf, 0xed, 0xa0, 0x80, 0xf8]))], code: 1007 },
    { name: 'an unmasked client frame', frames: [text('{}', { masked: false })], code: 1002 },
    { name: 'a reserved data opcode', frames: [text('x', { opcode: 0x3 })], code: 1002 },
    { name: 'a reserved control opcode', frames: [text('x', { opcode: 0xb })], code: 1002 },
    { name: 'RSV1 without an extension', frames: [text('x', { rsv: 4 })], code: 1002 },
    { name: 'a continuation with nothing to continue', frames: [text('x', { opcode: 0x0 })], code: 1002 },
    { name: 'a new text frame inside a fragmented one', frames: [text('a', { fin: false }), text('b')], code: 1002 },
    { name: 'a fragmented ping', frames: [text('p', { opcode: 0x9, fin: false })], code: 1002 },
    { name: 'a ping of 126 bytes', frames: [text(Buffer.alloc(126), { opcode: 0x9 })], code: 1002 },
    { name: 'a close frame with code 999', frames: [text(Buffer.from([0x03, 0xe7]), { opcode: 0x8 })], code: 1002 },
    { name: 'a close frame with a 1-byte body', frames: [text(Buffer.from([0x03]), { opcode: 0x8 })], code: 1002 },
    {
      name: 'fragments adding up past the limit',
      frames: [text(Buffer.alloc(3000, 0x61), { fin: false }), text(Buffer.alloc(3000, 0x61), { opcode: 0x0 })],
      code: 1009,
    },
  ])('$name: closed with $code, and the server keeps serving', async ({ frames, code }) => {
    expect(await sendOnStream(frames)).toBe(code);
    await assertStillServing();
  });

  it('a client that resets the connection in the middle of the handshake changes nothing', async () => {
    const { streamUrl } = await start();
    const connection = await openRawWebSocket(streamUrl);
    connection.socket.resetAndDestroy();
    await assertStillServing();
  });

  /** Payloads of the sizes that matter (small, around the limit, far past it) and contents that do (text, broken UTF-8, any bytes). */
  const payload = fc
    .tuple(
      fc.oneof(
        fc.integer({ min: 0, max: 130 }),
        fc.integer({ min: maxPayload - 8, max: maxPayload + 8 }),
        fc.integer({ min: 65_530, max: 65_540 }),
        fc.constant(1_048_576),
      ),
      fc.constantFrom('text', 'invalid-utf8', 'random', 'close-code'),
      fc.integer({ min: 0, max: 0xffff }),
    )
    .map(([size, kind, closeCode]) => {
      switch (kind) {
        case 'text':
          return Buffer.alloc(size, 'é{}');
        case 'invalid-utf8':
          return Buffer.alloc(size, Buffer.from([0xc3, 0x28, 0xff]));
        case 'close-code': {
          const body = Buffer.alloc(Math.min(size, 125));
          if (body.length >= 2) body.writeUInt16BE(closeCode, 0);
          return body;
        }
        default:
          return Buffer.from(Array.from({ length: Math.min(size, 5000) }, (_, i) => (i * 131 + size) & 0xff));
      }
    });
  const frame: fc.Arbitrary<RawFrame> = fc.record({
    fin: fc.boolean(),
    rsv: fc.oneof({ weight: 3, arbitrary: fc.constant(0) }, { weight: 1, arbitrary: fc.integer({ min: 1, max: 7 }) }),
    opcode: fc.oneof({ weight: 3, arbitrary: fc.constantFrom(0x0, 0x1, 0x2, 0x8, 0x9, 0xa) }, { weight: 1, arbitrary: fc.integer({ min: 0, max: 15 }) }),
    masked: fc.oneof({ weight: 4, arbitrary: fc.constant(true) }, { weight: 1, arbitrary: fc.constant(false) }),
    payload,
  });

  it('any sequence of raw frames: the server closes that stream at most, with a protocol close code, and keeps serving', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(frame, { minLength: 1, maxLength: 4 }), async (frames) => {
        const code = await sendOnStream(frames, 400);
        // The codes ws uses for a client's fault, or a normal close the client asked for; never 1011 (our failure).
        if (code !== undefined) expect([1000, 1002, 1005, 1007, 1008, 1009]).toContain(code);
        await assertStillServing();
      }),
      { numRuns: 40 },
    );
  }, 300_000);
});
