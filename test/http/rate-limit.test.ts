import { describe, expect, it } from 'vitest';
import { TokenBuckets } from '../../src/http/rate-limit.js';
import { useApp } from '../web/support.js';

describe('TokenBuckets', () => {
  it('allows a burst of the capacity, then refills evenly and says when the next token comes', () => {
    const buckets = new TokenBuckets({ capacity: 3, windowMs: 3000 });
    expect([0, 0, 0].map((at) => buckets.take('a', at).ok)).toEqual([true, true, true]);
    expect(buckets.take('a', 0)).toEqual({ ok: false, retryAfterMs: 1000 });
    expect(buckets.take('b', 0).ok).toBe(true);
    expect(buckets.take('a', 999).ok).toBe(false);
    expect(buckets.take('a', 2000).ok).toBe(true);
  });

  it('forgets full buckets when it holds too many keys', () => {
    const buckets = new TokenBuckets({ capacity: 1, windowMs: 1000 }, 2);
    for (const key of ['a', 'b', 'c']) buckets.take(key, 0);
    expect(buckets.take('a', 10_000).ok).toBe(true);
  });

  it('refuses settings that would switch it off', () => {
    expect(() => new TokenBuckets({ capacity: 0, windowMs: 1000 })).toThrow(RangeError);
  });
});

describe('rate limits on the public endpoints', () => {
  const app = useApp({ RATE_LIMIT_CONVERSATION_PER_10S: '3', RATE_LIMIT_IP_PER_MINUTE: '30' });

  const messageCount = async () => Number((await app().db.prisma.$queryRaw<{ count: bigint }[]>`SELECT count(*) AS count FROM "Message"`)[0]?.count ?? 0);

  it('answers 429 with Retry-After and a reason once a conversation posts too fast, and stores nothing', async () => {
    const started = await fetch(`${app().url}/v3/directline/conversations`, {
      method: 'POST',
      headers: { authorization: 'Bearer demo', 'content-type': 'application/json' },
      body: '{}',
    });
    const { conversationId, token } = (await started.json()) as { conversationId: string; token: string };
    const postText = (text: string) =>
      fetch(`${app().url}/v3/directline/conversations/${conversationId}/activities`, {
        method: 'POST',
        headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
        body: JSON.stringify({ type: 'message', text }),
      });
    for (const text of ['hello', 'help', 'hello again']) expect((await postText(text)).status).toBe(200);
    const before = await messageCount();
    const refused = await postText('one too many');
    expect(refused.status).toBe(429);
    expect(Number(refused.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
    expect(await refused.json()).toEqual({
      error: { code: 429, reason: 'rate_limited_conversation', message: expect.any(String), retryAfterSeconds: expect.any(Number) },
    });
    expect(await messageCount()).toBe(before);
  });

  it('limits one address across the widget routes and Direct Line', async () => {
    let status = 0;
    let tries = 0;
    while (status !== 429 && tries++ < 40) status = (await fetch(`${app().url}/v3/widget/strings/en`)).status;
    expect(status).toBe(429);
    const refused = await fetch(`${app().url}/v3/directline/conversations`, {
      method: 'POST',
      headers: { authorization: 'Bearer demo', 'content-type': 'application/json' },
      body: '{}',
    });
    expect(refused.status).toBe(429);
    expect((await refused.json()) as unknown).toMatchObject({ error: { reason: 'rate_limited_ip' } });
    // The health check and the console are not these endpoints.
    expect((await fetch(`${app().url}/healthz`)).status).toBe(200);
  });
});
