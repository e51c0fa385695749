import { randomBytes } from 'node:crypto';
import express, { Router, type Request, type RequestHandler, type Response } from 'express';
import { parse as parseCookie } from 'cookie';
import { z } from 'zod';
import type { ConsoleRepository, ConsoleUser, UserRole } from '../../store/repositories/console.js';
import { dummyHash, verifyPassword } from './password.js';
import { loginGates, throttlePolicy, type ThrottlePolicy } from './login-throttle.js';
import { createInProcessRevocations, revokes, type Credential, type Revocations } from './revocations.js';
import { API_KEY_PREFIX, hashToken, newToken, safeEqual, SESSION_PREFIX } from './tokens.js';

/** Who is calling the console API: a user of one organisation, by session cookie or API key. */
export interface Principal {
  userId: string;
  organisationId: string;
  role: UserRole;
  via: 'session' | 'api_key';
}

export const SESSION_COOKIE = 'hw_session';
export const CSRF_COOKIE = 'hw_csrf';
export const CSRF_HEADER = 'x-csrf-token';

export interface ConsoleAuthOptions {
  repository: ConsoleRepository;
  /** Secure cookies (HTTPS only) in production. */
  secureCookies: boolean;
  /** Origins allowed on state-changing requests besides the request's own (PUBLIC_URL). */
  trustedOrigins?: readonly string[];
  clock?: () => Date;
  sessionTtlMs?: number;
  /**
   * Notices of ended credentials, which close live streams; the repository given should publish
   * them (src/console/auth/revocation-notices.ts). In-process when not given.
   */
  revocations?: Revocations;
  /** Free attempts and longest delays of the login throttle's gates (src/console/auth/login-throttle.ts). */
  throttle?: Partial<ThrottlePolicy>;
}

export type LoginResult =
  | { ok: true; user: ConsoleUser; sessionToken: string; csrfToken: string; expiresAt: Date }
  | { ok: false; reason: 'invalid_credentials' }
  /** Too many attempts from this address, or on this account from it (or from everywhere): wait and retry. */
  | { ok: false; reason: 'too_many_attempts'; retryAfterSeconds: number };

export type PasswordCheck = { ok: true } | { ok: false; reason: 'wrong_password' } | { ok: false; reason: 'too_many_attempts'; retryAfterSeconds: number };

export const loginBodySchema = z.strictObject({
  email: z.email().max(254),
  password: z.string().min(1).max(1024),
});

/**
 * Console authentication: login with a throttle of progressive delays (no lock a stranger can set), sessions stored hashed in the database (logout
 * revokes at once), API keys, CSRF double-submit checks. Every login is audited.
 */
export class ConsoleAuth {
  private readonly now: () => Date;
  private readonly policy: ThrottlePolicy;
  private readonly revocations: Revocations;

  constructor(private readonly options: ConsoleAuthOptions) {
    this.now = options.clock ?? (() => new Date());
    this.policy = throttlePolicy(options.throttle);
    this.revocations = options.revocations ?? createInProcessRevocations();
  }

  /**
   * Calls `onEnd` once when the credential ends: a notice from any instance names it, or a session
   * reaches its expiry. Returns the function that stops watching.
   * @example
   * const stop = auth.watch(credentialFrom(res), () => res.end());
   */
  watch(credential: Credential, onEnd: (reason: 'revoked' | 'expired') => void): () => void {
    let ended = false;
    const end = (reason: 'revoked' | 'expired') => {
      if (ended) return;
      ended = true;
      stop();
      onEnd(reason);
    };
    const unsubscribe = this.revocations.subscribe((notice) => {
      if (revokes(notice, credential)) end('revoked');
    });
    let expiry: NodeJS.Timeout | undefined;
    if (credential.via === 'session') {
      // setTimeout holds at most ~24.8 days; sessions last hours. Re-armed if it fires early.
      const arm = () => {
        const left = credential.expiresAt.getTime() - this.now().getTime();
        if (left <= 0) return end('expired');
        expiry = setTimeout(arm, Math.min(left, 2 ** 31 - 1));
        expiry.unref();
      };
      arm();
    }
    const stop = () => {
      unsubscribe();
      clearTimeout(expiry);
    };
    return stop;
  }

  /** Whether the credential still holds (not revoked, not expired, its user active): a fresh look at the database. */
  async stillValid(credential: Credential): Promise<boolean> {
    const now = this.now();
    if (credential.via === 'session') return (await this.options.repository.findSession(credential.tokenHash, now)) !== null;
    return (await this.options.repository.findApiKey(credential.tokenHash, now)) !== null;
  }

  /**
   * Checks a password login. The attempt is counted before the password is looked at (one SQL
   * statement, src/store/repositories/login-throttle.ts), so parallel guesses cannot slip past the
   * count, and a right password does not wipe what others' attempts counted.
   * @example
   * const result = await auth.login('anna@ngo.example', 'her password', req.ip);
   * if (result.ok) setCookies(result.sessionToken, result.csrfToken);
   */
  async login(email: string, password: string, ip: string): Promise<LoginResult> {
    const repo = this.options.repository;
    const now = this.now();
    const gates = loginGates(this.policy, email, ip);
    const verdict = await repo.takeLoginAttempt(gates, now);
    if (!verdict.allowed) {
      const known = await repo.findUserByEmail(email);
      await repo.audit({
        organisationId: known?.organisationId ?? null,
        actorUserId: known?.id ?? null,
        action: 'login_failure',
        data: { reason: 'too_many_attempts', gate: verdict.gate },
      });
      return { ok: false, reason: 'too_many_attempts', retryAfterSeconds: Math.ceil(verdict.retryAfterMs / 1000) };
    }
    const user = await repo.findUserByEmail(email);
    const valid = await verifyPassword(password, user?.passwordHash ?? (await dummyHash()));
    if (!user || !valid || !user.active) {
      await repo.audit({
        organisationId: user?.organisationId ?? null,
        actorUserId: user?.id ?? null,
        action: 'login_failure',
        data: { reason: !user ? 'unknown_account' : !user.active ? 'inactive' : 'wrong_password', attempts: verdict.pairCount },
      });
      return { ok: false, reason: 'invalid_credentials' };
    }
    await repo.settleLoginSuccess(gates, verdict.pairCount);
    const sessionToken = newToken(SESSION_PREFIX);
    const csrfToken = randomBytes(24).toString('base64url');
    const expiresAt = new Date(now.getTime() + (this.options.sessionTtlMs ?? 8 * 60 * 60_000));
    await repo.createSession({ userId: user.id, tokenHash: hashToken(sessionToken), csrfToken, expiresAt });
    await repo.audit({ organisationId: user.organisationId, actorUserId: user.id, action: 'login_success', data: { via: 'password' } });
    return { ok: true, user, sessionToken, csrfToken, expiresAt };
  }

  /**
   * Checks the password of a user who is already logged in (before they change it), through the
   * same throttle gates as a login from that address: a stolen session gives no faster guesses.
   * @example
   * const check = await auth.confirmPassword(user, body.currentPassword, req.ip);
   */
  async confirmPassword(user: ConsoleUser, password: string, ip: string): Promise<PasswordCheck> {
    const repo = this.options.repository;
    const gates = loginGates(this.policy, user.email, ip);
    const verdict = await repo.takeLoginAttempt(gates, this.now());
    if (!verdict.allowed) return { ok: false, reason: 'too_many_attempts', retryAfterSeconds: Math.ceil(verdict.retryAfterMs / 1000) };
    if (!(await verifyPassword(password, user.passwordHash))) return { ok: false, reason: 'wrong_password' };
    await repo.settleLoginSuccess(gates, verdict.pairCount);
    return { ok: true };
  }

  /**
   * Resolves the caller; refuses with 401 when unauthenticated and 403 when a cookie-authenticated
   * state-changing request lacks the CSRF token or comes from a foreign origin.
   */
  authenticate(): RequestHandler {
    return async (req, res, next) => {
      try {
        const authorization = req.get('authorization');
        if (authorization !== undefined) {
          const match = /^Bearer\s+(\S+)$/i.exec(authorization);
          const token = match?.[1];
          const found = token?.startsWith(API_KEY_PREFIX) ? await this.options.repository.findApiKey(hashToken(token), this.now()) : null;
          if (!found || !token) return refuse(res, 401, 'unauthenticated', 'a valid API key or session is required');
          res.locals.principal = principalOf(found.user, 'api_key');
          credentials.set(res, { via: 'api_key', userId: found.user.id, tokenHash: hashToken(token), keyId: found.keyId });
          return next();
        }
        const token = readCookie(req, SESSION_COOKIE);
        const session = token ? await this.options.repository.findSession(hashToken(token), this.now()) : null;
        if (!session) return refuse(res, 401, 'unauthenticated', 'a valid API key or session is required');
        if (isStateChanging(req.method)) {
          if (!this.sameOrigin(req)) return refuse(res, 403, 'csrf', 'cross-origin request refused');
          const header = req.get(CSRF_HEADER) ?? '';
          if (!safeEqual(header, session.csrfToken)) return refuse(res, 403, 'csrf', 'missing or wrong CSRF token');
        }
        res.locals.principal = principalOf(session.user, 'session');
        res.locals.sessionTokenHash = hashToken(token ?? '');
        credentials.set(res, { via: 'session', userId: session.user.id, tokenHash: hashToken(token ?? ''), expiresAt: session.expiresAt });
        return next();
      } catch (error) {
        return next(error);
      }
    };
  }

  /** POST /login, POST /logout, GET /me; mount under /console/api. */
  routes(): Router {
    const router = Router();
    router.post('/login', express.json({ limit: '4kb' }), async (req, res) => {
      if (!this.sameOrigin(req)) return refuse(res, 403, 'csrf', 'cross-origin request refused');
      if (!req.is('application/json')) return refuse(res, 415, 'unsupported_media_type', 'send JSON');
      const body = loginBodySchema.safeParse(req.body);
      if (!body.success) return refuse(res, 400, 'invalid_body', 'email and password are required');
      const result = await this.login(body.data.email, body.data.password, req.ip ?? 'unknown');
      if (!result.ok) {
        if (result.reason === 'too_many_attempts') {
          res.setHeader('Retry-After', String(result.retryAfterSeconds));
          return refuse(res, 429, 'too_many_attempts', 'too many login attempts; try again later', { retryAfterSeconds: result.retryAfterSeconds });
        }
        return refuse(res, 401, 'invalid_credentials', 'wrong e-mail address or password');
      }
      const cookie = { sameSite: 'strict' as const, secure: this.options.secureCookies, path: '/console', expires: result.expiresAt };
      res.cookie(SESSION_COOKIE, result.sessionToken, { ...cookie, httpOnly: true });
      // Readable by the console's own script, which echoes it in the X-CSRF-Token header.
      res.cookie(CSRF_COOKIE, result.csrfToken, { ...cookie, httpOnly: false });
      res.json({ user: publicUser(result.user), csrfToken: result.csrfToken, expiresAt: result.expiresAt.toISOString() });
    });
    router.post('/logout', this.authenticate(), async (_req, res) => {
      const principal = principalFrom(res);
      const tokenHash: unknown = res.locals.sessionTokenHash;
      if (typeof tokenHash === 'string') await this.options.repository.deleteSession(tokenHash);
      await this.options.repository.audit({ organisationId: principal.organisationId, actorUserId: principal.userId, action: 'logout' });
      res.clearCookie(SESSION_COOKIE, { path: '/console' });
      res.clearCookie(CSRF_COOKIE, { path: '/console' });
      res.status(204).end();
    });
    router.get('/me', this.authenticate(), async (_req, res) => {
      const user = await this.options.repository.findUserById(principalFrom(res).userId);
      if (!user) return refuse(res, 401, 'unauthenticated', 'a valid API key or session is required');
      res.json({ user: publicUser(user), via: principalFrom(res).via });
    });
    return router;
  }

  /** An Origin (or, without one, a Referer) must be our own; requests without either pass (non-browser clients). */
  private sameOrigin(req: Request): boolean {
    const origin = req.get('origin') ?? refererOrigin(req.get('referer'));
    if (origin === undefined) return true;
    const own = `${req.protocol}://${req.get('host') ?? ''}`;
    return origin === own || (this.options.trustedOrigins ?? []).includes(origin);
  }
}

export function principalFrom(res: Response): Principal {
  const principal: unknown = res.locals.principal;
  if (!isPrincipal(principal)) throw new Error('principalFrom used on a route without authenticate()');
  return principal;
}

/** The credential `authenticate()` accepted, for connections that outlive the request's check. */
export function credentialFrom(res: Response): Credential {
  const credential = credentials.get(res);
  if (!credential) throw new Error('credentialFrom used on a route without authenticate()');
  return credential;
}

/** Kept beside the response rather than in `res.locals`, so it needs no cast to read back. */
const credentials = new WeakMap<Response, Credential>();

function isPrincipal(value: unknown): value is Principal {
  return typeof value === 'object' && value !== null && 'userId' in value && 'organisationId' in value && 'role' in value;
}

function principalOf(user: ConsoleUser, via: Principal['via']): Principal {
  return { userId: user.id, organisationId: user.organisationId, role: user.role, via };
}

function publicUser(user: ConsoleUser) {
  return { id: user.id, email: user.email, displayName: user.displayName, role: user.role, organisationId: user.organisationId };
}

function isStateChanging(method: string): boolean {
  return !['GET', 'HEAD', 'OPTIONS'].includes(method.toUpperCase());
}

function refererOrigin(referer: string | undefined): string | undefined {
  if (!referer) return undefined;
  try {
    return new URL(referer).origin;
  } catch {
    return 'invalid';
  }
}

/** One cookie of the request, by the `cookie` package (RFC 6265 parsing, as express itself uses). */
export function readCookie(req: Request, name: string): string | undefined {
  const header = req.get('cookie');
  return header ? parseCookie(header)[name] : undefined;
}

/** Console errors: JSON with a machine-readable reason, never any data. */
export function refuse(res: Response, status: number, reason: string, message: string, extra?: Record<string, unknown>): void {
  res.status(status).json({ error: { code: status, reason, message, ...extra } });
}
