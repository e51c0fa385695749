import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import type { TokenBuckets } from './rate-limit.js';

/**
 * The caller's address for a request express never sees (a WebSocket upgrade), by express's own
 * rule for `trust proxy` set to a number of hops: the addresses are the socket's peer followed by
 * `X-Forwarded-For` read from the right; the first `trustProxyHops` of them are proxies we trust,
 * so the caller is the next one (or the leftmost, when the header lists fewer). With 0 hops the
 * header is ignored: anyone can write it.
 *
 * @example
 * // socket peer 10.0.0.2 (our proxy), X-Forwarded-For: "198.51.100.9, 203.0.113.7"
 * upgradeClientAddress(req, 1) // '203.0.113.7'
 */
export function upgradeClientAddress(req: IncomingMessage, trustProxyHops: number): string {
  const peer = req.socket.remoteAddress ?? 'unknown';
  if (trustProxyHops <= 0) return peer;
  const header = req.headers['x-forwarded-for'];
  const forwarded = (Array.isArray(header) ? header.join(',') : (header ?? ''))
    .split(',')
    .map((part) => part.trim())
    .filter((part) => part !== '')
    .reverse();
  const chain = [peer, ...forwarded];
  return chain[Math.min(trustProxyHops, chain.length - 1)] ?? peer;
}

/**
 * Answers a refused upgrade as the HTTP routes answer a refused request (429, `Retry-After`, the
 * same JSON reason) on the raw socket, then closes it: no WebSocket handshake happens.
 */
export function refuseUpgradeRateLimited(socket: Duplex, retryAfterMs: number): void {
  const seconds = Math.max(1, Math.ceil(retryAfterMs / 1000));
  const body = JSON.stringify({
    error: { code: 429, reason: 'rate_limited_ip', message: `too many requests; try again in ${seconds} s`, retryAfterSeconds: seconds },
  });
  // The HTTP server no longer watches this socket: a client that resets it must not crash the process.
  socket.on('error', () => socket.destroy());
  socket.end(
    [
      'HTTP/1.1 429 Too Many Requests',
      `Retry-After: ${seconds}`,
      'Content-Type: application/json; charset=utf-8',
      `Content-Length: ${Buffer.byteLength(body)}`,
      'Connection: close',
      '',
      body,
    ].join('\r\n'),
    () => socket.destroy(),
  );
}

/**
 * A gate for `server.on('upgrade')` that takes a token from the same per-IP buckets as the public
 * HTTP routes, so opening streams counts against the same budget as posting to them. Returns false
 * (and has answered 429) when the address has none left.
 *
 * @example
 * const admit = upgradeRateLimit(perIp, config.trustProxyHops);
 * server.on('upgrade', (req, socket, head) => { if (admit(req, socket)) web.handleUpgrade(req, socket, head); });
 */
export function upgradeRateLimit(
  perIp: TokenBuckets,
  trustProxyHops: number,
  clock: () => number = Date.now,
): (req: IncomingMessage, socket: Duplex) => boolean {
  return (req, socket) => {
    const taken = perIp.take(upgradeClientAddress(req, trustProxyHops), clock());
    if (taken.ok) return true;
    refuseUpgradeRateLimited(socket, taken.retryAfterMs);
    return false;
  };
}
