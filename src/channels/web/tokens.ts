import { createCipheriv, createDecipheriv, createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { z } from 'zod';

/** Lifetime of a Direct Line token; DirectLineJS refreshes at half of it. */
export const tokenLifetimeSeconds = 30 * 60;
/** Lifetime of a resume ticket: how long a person can come back to the same conversation. */
export const resumeLifetimeSeconds = 30 * 24 * 60 * 60;

/** Sealed tokens and tickets (AES-256-GCM): nothing in them is readable outside the server. */
const prefix = 'hw2';
/** Signed-only, readable claims: issued before tickets were sealed. Verified until they expire (30 days at most). */
const legacyPrefix = 'hw1';

/**
 * What a token or resume ticket grants: one conversation of one organisation, for one user id.
 * `kind` keeps the two apart, so a long-lived ticket is never accepted where a token is expected.
 */
const claimsSchema = z.strictObject({
  kind: z.enum(['token', 'resume']),
  organisationId: z.string().min(1).max(64),
  conversationId: z.string().min(1).max(64),
  userId: z.string().min(1).max(128),
  /** Seconds since the epoch. */
  expiresAt: z.number().int(),
});
export type TokenClaims = z.infer<typeof claimsSchema>;
export type TokenKind = TokenClaims['kind'];
export type TokenGrant = Omit<TokenClaims, 'kind' | 'expiresAt'>;

export type VerifyResult = { status: 'success'; claims: TokenClaims } | { status: 'fail'; reason: 'malformed' | 'signature' | 'kind' | 'expired' };

export interface TokenService {
  /** A Direct Line token for one conversation, valid for `tokenLifetimeSeconds`. */
  issueToken(grant: TokenGrant): { token: string; expiresIn: number };
  /** A resume ticket: lets the widget key fetch a fresh token for the same conversation later. */
  issueResume(grant: TokenGrant): string;
  verify(token: string, kind: TokenKind): VerifyResult;
}

/** Whether a bearer credential has the shape of our tokens (anything else is treated as a widget key). */
export function looksLikeToken(credential: string): boolean {
  return credential.startsWith(`${prefix}.`) || credential.startsWith(`${legacyPrefix}.`);
}

/**
 * Tokens and resume tickets, sealed with AES-256-GCM under a key derived from TOKEN_SECRET:
 * `hw2.<nonce + ciphertext>.<tag>`. The tag makes them unforgeable and the encryption opaque, so
 * a ticket kept in a browser's localStorage, or a token in a stream URL, shows no conversation id.
 * Stateless, so any instance sharing TOKEN_SECRET accepts them. `now` is injectable for tests.
 *
 * @example
 * const tokens = createTokenService(config.tokenSecret);
 * const { token } = tokens.issueToken({ organisationId, conversationId, userId });
 * tokens.verify(token, 'token'); // { status: 'success', claims: {...} }
 */
export function createTokenService(secret: string, now: () => number = () => Date.now()): TokenService {
  const sealKey = createHmac('sha256', secret).update('homeward/direct-line-token-seal').digest();
  const aad = Buffer.from(prefix);
  const encode = (claims: TokenClaims) => {
    const nonce = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', sealKey, nonce);
    cipher.setAAD(aad);
    const body = Buffer.concat([nonce, cipher.update(JSON.stringify(claims), 'utf8'), cipher.final()]);
    return `${prefix}.${body.toString('base64url')}.${cipher.getAuthTag().toString('base64url')}`;
  };
  const seconds = () => Math.floor(now() / 1000);

  /** The claims' JSON, or why there is none. */
  const open = (token: string): { json: string } | { reason: 'malformed' | 'signature' } => {
    const parts = token.split('.');
    if (parts.length !== 3 || !parts[1] || !parts[2]) return { reason: 'malformed' };
    if (parts[0] === legacyPrefix) return openLegacy(secret, parts[1], parts[2]);
    if (parts[0] !== prefix) return { reason: 'malformed' };
    const body = Buffer.from(parts[1], 'base64url');
    const tag = Buffer.from(parts[2], 'base64url');
    if (body.length <= 12 || tag.length !== 16) return { reason: 'malformed' };
    try {
      const decipher = createDecipheriv('aes-256-gcm', sealKey, body.subarray(0, 12));
      decipher.setAAD(aad);
      decipher.setAuthTag(tag);
      return { json: Buffer.concat([decipher.update(body.subarray(12)), decipher.final()]).toString('utf8') };
    } catch {
      return { reason: 'signature' };
    }
  };

  return {
    issueToken(grant) {
      return { token: encode({ kind: 'token', ...grant, expiresAt: seconds() + tokenLifetimeSeconds }), expiresIn: tokenLifetimeSeconds };
    },
    issueResume(grant) {
      return encode({ kind: 'resume', ...grant, expiresAt: seconds() + resumeLifetimeSeconds });
    },
    verify(token, kind) {
      const opened = open(token);
      if ('reason' in opened) return { status: 'fail', reason: opened.reason };
      let json: unknown;
      try {
        json = JSON.parse(opened.json);
      } catch {
        return { status: 'fail', reason: 'malformed' };
      }
      const parsed = claimsSchema.safeParse(json);
      if (!parsed.success) return { status: 'fail', reason: 'malformed' };
      if (parsed.data.kind !== kind) return { status: 'fail', reason: 'kind' };
      if (parsed.data.expiresAt <= seconds()) return { status: 'fail', reason: 'expired' };
      return { status: 'success', claims: parsed.data };
    },
  };
}

/** `hw1.<claims as base64url JSON>.<HMAC-SHA256>`: how tokens were issued before they were sealed. */
function openLegacy(secret: string, body: string, signature: string): { json: string } | { reason: 'signature' } {
  const expected = createHmac('sha256', secret).update(`${legacyPrefix}.${body}`).digest();
  const given = Buffer.from(signature, 'base64url');
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) return { reason: 'signature' };
  return { json: Buffer.from(body, 'base64url').toString('utf8') };
}
