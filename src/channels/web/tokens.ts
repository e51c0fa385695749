import { createHmac, timingSafeEqual } from 'node:crypto';
import { z } from 'zod';

/** Lifetime of a Direct Line token; DirectLineJS refreshes at half of it. */
export const tokenLifetimeSeconds = 30 * 60;
/** Lifetime of a resume ticket: how long a person can come back to the same conversation. */
export const resumeLifetimeSeconds = 30 * 24 * 60 * 60;

const prefix = 'hw1';

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
  return credential.startsWith(`${prefix}.`);
}

/**
 * HMAC-SHA256 signed tokens: `hw1.<claims as base64url JSON>.<signature>`. Stateless, so any
 * instance sharing TOKEN_SECRET accepts them. `now` is injectable for tests of expiry.
 *
 * @example
 * const tokens = createTokenService(config.tokenSecret);
 * const { token } = tokens.issueToken({ organisationId, conversationId, userId });
 * tokens.verify(token, 'token'); // { status: 'success', claims: {...} }
 */
export function createTokenService(secret: string, now: () => number = () => Date.now()): TokenService {
  const sign = (body: string) => createHmac('sha256', secret).update(`${prefix}.${body}`).digest();
  const encode = (claims: TokenClaims) => {
    const body = Buffer.from(JSON.stringify(claims)).toString('base64url');
    return `${prefix}.${body}.${sign(body).toString('base64url')}`;
  };
  const seconds = () => Math.floor(now() / 1000);

  return {
    issueToken(grant) {
      return { token: encode({ kind: 'token', ...grant, expiresAt: seconds() + tokenLifetimeSeconds }), expiresIn: tokenLifetimeSeconds };
    },
    issueResume(grant) {
      return encode({ kind: 'resume', ...grant, expiresAt: seconds() + resumeLifetimeSeconds });
    },
    verify(token, kind) {
      const parts = token.split('.');
      if (parts.length !== 3 || parts[0] !== prefix || !parts[1] || !parts[2]) return { status: 'fail', reason: 'malformed' };
      const expected = sign(parts[1]);
      const given = Buffer.from(parts[2], 'base64url');
      if (given.length !== expected.length || !timingSafeEqual(given, expected)) return { status: 'fail', reason: 'signature' };
      let json: unknown;
      try {
        json = JSON.parse(Buffer.from(parts[1], 'base64url').toString('utf8'));
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
