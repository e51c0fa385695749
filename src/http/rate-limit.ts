import type { Request, RequestHandler, Response } from 'express';
import type { RateLimit } from '../config.js';

export type TakeResult = { ok: true } | { ok: false; retryAfterMs: number };

/** What is limited: the caller's address, or one conversation whoever posts to it. */
export type RateLimitScope = 'ip' | 'conversation';

/**
 * Token buckets per key (an IP address, a conversation id) in this process's memory. Each instance
 * limits on its own: with several instances a client gets at most that many times the limit,
 * which is enough to stop a flood and never needs a shared store.
 *
 * @example
 * const perIp = new TokenBuckets({ capacity: 300, windowMs: 60_000 });
 * perIp.take('203.0.113.7', Date.now()); // { ok: true }
 */
export class TokenBuckets {
  private readonly buckets = new Map<string, { tokens: number; at: number }>();
  private readonly perMs: number;

  constructor(
    readonly limit: RateLimit,
    /** Keys kept before full buckets are forgotten; a bucket that refilled says nothing a new one would not. */
    private readonly maxKeys = 50_000,
  ) {
    if (!(limit.capacity >= 1) || !(limit.windowMs > 0)) throw new RangeError('a rate limit needs a capacity of at least 1 and a positive window');
    this.perMs = limit.capacity / limit.windowMs;
  }

  /** Takes one token; when none is left, says how long until one is (nothing is taken then). */
  take(key: string, now: number): TakeResult {
    const bucket = this.buckets.get(key);
    const tokens = bucket ? Math.min(this.limit.capacity, bucket.tokens + (now - bucket.at) * this.perMs) : this.limit.capacity;
    if (tokens < 1) {
      this.buckets.set(key, { tokens, at: now });
      return { ok: false, retryAfterMs: Math.ceil((1 - tokens) / this.perMs) };
    }
    this.buckets.set(key, { tokens: tokens - 1, at: now });
    if (this.buckets.size > this.maxKeys) this.prune(now);
    return { ok: true };
  }

  private prune(now: number): void {
    for (const [key, bucket] of this.buckets) {
      if (bucket.tokens + (now - bucket.at) * this.perMs >= this.limit.capacity) this.buckets.delete(key);
    }
    // Still too many (a flood from many addresses): forget the oldest, which only makes the limit kinder to them.
    for (const key of this.buckets.keys()) {
      if (this.buckets.size <= this.maxKeys) break;
      this.buckets.delete(key);
    }
  }
}

/** Refuses with 429, `Retry-After` in whole seconds and a JSON reason; nothing of the request was read or stored. */
export function refuseRateLimited(res: Response, scope: RateLimitScope, retryAfterMs: number): void {
  const seconds = Math.max(1, Math.ceil(retryAfterMs / 1000));
  res.setHeader('Retry-After', String(seconds));
  res.status(429).json({
    error: {
      code: 429,
      reason: scope === 'ip' ? 'rate_limited_ip' : 'rate_limited_conversation',
      message: `too many requests; try again in ${seconds} s`,
      retryAfterSeconds: seconds,
    },
  });
}

/**
 * Middleware that takes a token for the request's key before anything else runs. A request
 * without a key (`keyOf` returns undefined) is not limited by this bucket.
 *
 * @example app.use('/v3/widget', rateLimit(perIp, 'ip', (req) => req.ip));
 */
export function rateLimit(
  buckets: TokenBuckets,
  scope: RateLimitScope,
  keyOf: (req: Request) => string | undefined,
  clock: () => number = Date.now,
): RequestHandler {
  return (req, res, next) => {
    const key = keyOf(req);
    if (key === undefined) return next();
    const taken = buckets.take(key, clock());
    if (taken.ok) return next();
    refuseRateLimited(res, scope, taken.retryAfterMs);
  };
}

/** The caller's address as express sees it (behind proxies, see TRUST_PROXY_HOPS). */
export const clientAddress = (req: Request): string => req.ip ?? req.socket.remoteAddress ?? 'unknown';
