import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';

/** A random bearer secret; only `hashToken` of it is stored. */
export function newToken(prefix: string): string {
  return `${prefix}${randomBytes(32).toString('base64url')}`;
}

/** SHA-256 is enough here: the tokens are 256 random bits, not guessable passwords. */
export function hashToken(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

export function safeEqual(a: string, b: string): boolean {
  const left = Buffer.from(a);
  const right = Buffer.from(b);
  return left.length === right.length && timingSafeEqual(left, right);
}

export const API_KEY_PREFIX = 'hwk_';
export const SESSION_PREFIX = 'hws_';
