import { createHmac, timingSafeEqual } from 'node:crypto';

/** How far a delivery's timestamp may lie from the receiver's clock before it is taken for a replay. */
export const defaultWebhookToleranceSeconds = 300;

/**
 * The value of `X-Homeward-Signature` for a raw body: `sha256=` and the hex HMAC-SHA256 of the
 * exact bytes sent, keyed with the endpoint's secret.
 *
 * @example
 * signWebhookBody('whsec_…', '{"id":"…","type":"referral.created",…}'); // 'sha256=5f2b…'
 */
export function signWebhookBody(secret: string, rawBody: string | Buffer): string {
  return `sha256=${createHmac('sha256', secret).update(rawBody).digest('hex')}`;
}

export type WebhookVerification = { ok: true } | { ok: false; reason: 'bad_signature' | 'bad_timestamp' | 'stale' };

/**
 * What a receiver does with a delivery (the README's example is this in five lines): the
 * signature must match the raw body (compared in constant time), and the body's `timestamp`
 * (seconds, the same as `X-Homeward-Timestamp`) must be within `toleranceSeconds` of now, so a
 * recorded delivery cannot be played again later. Deduplicate on the body's `id` as well:
 * delivery is at least once.
 *
 * @example
 * const check = verifyWebhook({ secret, rawBody: req.body, signature: req.get('x-homeward-signature') });
 * if (!check.ok) return res.status(401).end();
 */
export function verifyWebhook(input: {
  secret: string;
  rawBody: string | Buffer;
  signature: string | undefined;
  now?: Date;
  toleranceSeconds?: number;
}): WebhookVerification {
  const expected = Buffer.from(signWebhookBody(input.secret, input.rawBody));
  const given = Buffer.from(input.signature ?? '');
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) return { ok: false, reason: 'bad_signature' };
  let timestamp: unknown;
  try {
    timestamp = (JSON.parse(input.rawBody.toString()) as { timestamp?: unknown }).timestamp;
  } catch {
    return { ok: false, reason: 'bad_timestamp' };
  }
  if (typeof timestamp !== 'number' || !Number.isInteger(timestamp)) return { ok: false, reason: 'bad_timestamp' };
  const nowSeconds = Math.floor((input.now ?? new Date()).getTime() / 1000);
  if (Math.abs(nowSeconds - timestamp) > (input.toleranceSeconds ?? defaultWebhookToleranceSeconds)) return { ok: false, reason: 'stale' };
  return { ok: true };
}
