// A WebSocket client that writes whatever bytes it is told to, after a real upgrade handshake: the
// tool for checking that the server survives frames no well-behaved client would send.
import { createHash, randomBytes } from 'node:crypto';
import { connect, type Socket } from 'node:net';

const magic = '258EAFA5-E914-47DA-95CA-C5AB0DC85B11';

export interface RawFrame {
  fin: boolean;
  /** RSV1..RSV3 as three bits (0..7). */
  rsv: number;
  /** 0..15, reserved ones included. */
  opcode: number;
  /** Clients must mask; false sends the payload in clear. */
  masked: boolean;
  payload: Buffer;
  /** Announce this length instead of the payload's own (a frame that lies about its size). */
  declaredLength?: bigint;
}

/** One frame as bytes, exactly as described (RFC 6455 section 5.2), valid or not. */
export function encodeFrame(frame: RawFrame): Buffer {
  const length = frame.declaredLength ?? BigInt(frame.payload.length);
  const first = (frame.fin ? 0x80 : 0) | ((frame.rsv & 7) << 4) | (frame.opcode & 0x0f);
  const maskBit = frame.masked ? 0x80 : 0;
  let header: Buffer;
  if (length < 126n) header = Buffer.from([first, maskBit | Number(length)]);
  else if (length < 65_536n) {
    header = Buffer.alloc(4);
    header[0] = first;
    header[1] = maskBit | 126;
    header.writeUInt16BE(Number(length), 2);
  } else {
    header = Buffer.alloc(10);
    header[0] = first;
    header[1] = maskBit | 127;
    header.writeBigUInt64BE(length, 2);
  }
  if (!frame.masked) return Buffer.concat([header, frame.payload]);
  const mask = randomBytes(4);
  const body = Buffer.from(frame.payload);
  for (let i = 0; i < body.length; i++) body[i] = (body[i] ?? 0) ^ (mask[i % 4] ?? 0);
  return Buffer.concat([header, mask, body]);
}

export interface RawConnection {
  socket: Socket;
  /** Everything the server sent after the handshake's headers. */
  received(): Buffer;
  /** Resolves when the server closed the TCP connection, or after `ms`. */
  closedWithin(ms: number): Promise<boolean>;
}

/** Upgrades `url` (ws://) with a real handshake; rejects unless the server answers 101. */
export function openRawWebSocket(url: string): Promise<RawConnection> {
  const target = new URL(url);
  const key = randomBytes(16).toString('base64');
  const accept = createHash('sha1')
    .update(key + magic)
    .digest('base64');
  return new Promise((resolve, reject) => {
    const socket = connect(Number(target.port), target.hostname);
    let buffered = Buffer.alloc(0);
    let upgraded = false;
    let ended = false;
    const endWaiters: (() => void)[] = [];
    // Writes into a socket the server already closed fail with EPIPE/ECONNRESET: expected here.
    socket.on('error', () => undefined);
    socket.on('close', () => {
      ended = true;
      for (const wake of endWaiters.splice(0)) wake();
      if (!upgraded) reject(new Error(`no upgrade: ${buffered.toString('latin1').slice(0, 200)}`));
    });
    socket.on('data', (chunk: Buffer) => {
      buffered = Buffer.concat([buffered, chunk]);
      if (upgraded) return;
      const end = buffered.indexOf('\r\n\r\n');
      if (end < 0) return;
      const head = buffered.subarray(0, end).toString('latin1');
      buffered = buffered.subarray(end + 4);
      if (!head.startsWith('HTTP/1.1 101') || !head.toLowerCase().includes(`sec-websocket-accept: ${accept.toLowerCase()}`)) {
        socket.destroy();
        reject(new Error(`no upgrade: ${head.slice(0, 200)}`));
        return;
      }
      upgraded = true;
      resolve({
        socket,
        received: () => buffered,
        closedWithin: (ms) =>
          ended
            ? Promise.resolve(true)
            : new Promise((done) => {
                const timer = setTimeout(() => done(false), ms);
                endWaiters.push(() => {
                  clearTimeout(timer);
                  done(true);
                });
              }),
      });
    });
    socket.write(
      [
        `GET ${target.pathname}${target.search} HTTP/1.1`,
        `Host: ${target.host}`,
        'Upgrade: websocket',
        'Connection: Upgrade',
        `Sec-WebSocket-Key: ${key}`,
        'Sec-WebSocket-Version: 13',
        '',
        '',
      ].join('\r\n'),
    );
  });
}

export interface ServerFrame {
  opcode: number;
  payload: Buffer;
}

/** The complete frames the server sent (servers never mask); a trailing partial frame is left out. */
export function decodeServerFrames(bytes: Buffer): ServerFrame[] {
  const frames: ServerFrame[] = [];
  let at = 0;
  while (at + 2 <= bytes.length) {
    const opcode = (bytes[at] ?? 0) & 0x0f;
    let length = (bytes[at + 1] ?? 0) & 0x7f;
    let offset = at + 2;
    if (length === 126) {
      if (offset + 2 > bytes.length) break;
      length = bytes.readUInt16BE(offset);
      offset += 2;
    } else if (length === 127) {
      if (offset + 8 > bytes.length) break;
      length = Number(bytes.readBigUInt64BE(offset));
      offset += 8;
    }
    if (offset + length > bytes.length) break;
    frames.push({ opcode, payload: bytes.subarray(offset, offset + length) });
    at = offset + length;
  }
  return frames;
}

/** The status code of the server's close frame, if it sent one. */
export function closeCodeOf(bytes: Buffer): number | undefined {
  const close = decodeServerFrames(bytes).find((frame) => frame.opcode === 0x8);
  return close && close.payload.length >= 2 ? close.payload.readUInt16BE(0) : undefined;
}
