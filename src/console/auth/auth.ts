import { randomBytes } from 'node:crypto';
import express, { Router, type Request, type RequestHandler, type Response } from 'express';
import { z } from 'zod';
import type { ConsoleRepository, ConsoleUser, UserRole } from '../../store/repositories/console.js';
import { dummyHash, verifyPassword } from './password.js';
import { SlidingWindowLimiter } from './rate-limit.js';
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
  lockout?: { maxFailures: number; windowMs: number; lockMs: number };
  /** Login attempts per IP address per window, before any account is looked at. */
  perIp?: { max: number; windowMs: number };
}

export type LoginResult =
  | { ok: true; user: ConsoleUser; sessionToken: string; csrfToken: string; expiresAt: Date }
  | { ok: false; reason: 'invalid_credentials' }
  | { ok: false; reason: 'locked'; retryAfterSeconds: number }
  | { ok: false; reason: 'too_many_attempts' };

export const loginBodySchema = z.strictObject({
  email: z.email().max(254),
  password: z.string().min(1).max(1024),
});

/**
 * Console authentication: login with lockout, sessions stored hashed in the database (logout
 * revokes at once), API keys, CSRF double-submit checks. Every login is audited.
 */
export class ConsoleAuth {
  private readonly now: () => Date;
  private readonly ipLimiter: SlidingWindowLimiter;
  private readonly lockout: { maxFailures: number; windowMs: number; lockMs: number };

  constructor(private readonly options: ConsoleAuthOptions) {
    this.now = options.clock ?? (() => new Date());
    this.lockout = options.lockout ?? { maxFailures: 5, windowMs: 15 * 60_000, lockMs: 15 * 60_000 };
    const perIp = options.perIp ?? { max: 30, windowMs: 15 * 60_000 };
    this.ipLimiter = new SlidingWindowLimiter(perIp.max, perIp.windowMs);
  }

  async login(email: string, password: string, ip: string): Promise<LoginResult> {
    const repo = this.options.repository;
    const now = this.now();
    if (!this.ipLimiter.take(ip, now.getTime())) {
      await repo.audit({ organisationId: null, actorUserId: null, action: 'login_failure', data: { reason: 'too_many_attempts' } });
      return { ok: false, reason: 'too_many_attempts' };
    }
    const key = `email:${email.toLowerCase()}`;
    const throttle = await repo.throttleState(key);
    const user = await repo.findUserByEmail(email);
    if (throttle?.lockedUntil && throttle.lockedUntil > now) {
      await repo.audit({ organisationId: user?.organisationId ?? null, actorUserId: user?.id ?? null, action: 'login_failure', data: { reason: 'locked' } });
      return { ok: false, reason: 'locked', retryAfterSeconds: Math.ceil((throttle.lockedUntil.getTime() - now.getTime()) / 1000) };
    }
    const valid = await verifyPassword(password, user?.passwordHash ?? (await dummyHash()));
    if (!user || !valid || !user.active) {
      const state = await repo.recordFailure(key, now, this.lockout);
      await repo.audit({
        organisationId: user?.organisationId ?? null,
        actorUserId: user?.id ?? null,
        action: 'login_failure',
        data: { reason: !user ? 'unknown_account' : !user.active ? 'inactive' : 'wrong_password', failures: state.failures },
      });
      if (state.lockedUntil && state.lockedUntil > now) return { ok: false, reason: 'locked', retryAfterSeconds: Math.ceil((state.lockedUntil.getTime() - now.getTime()) / 1000) };
      return { ok: false, reason: 'invalid_credentials' };
    }
    await repo.clearThrottle(key);
    const sessionToken = newToken(SESSION_PREFIX);
    const csrfToken = randomBytes(24).toString('base64url');
    const expiresAt = new Date(now.getTime() + (this.options.sessionTtlMs ?? 8 * 60 * 60_000));
    await repo.createSession({ userId: user.id, tokenHash: hashToken(sessionToken), csrfToken, expiresAt });
    await repo.audit({ organisationId: user.organisationId, actorUserId: user.id, action: 'login_success', data: { via: 'password' } });
    return { ok: true, user, sessionToken, csrfToken, expiresAt };
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
          if (!found) return refuse(res, 401, 'unauthenticated', 'a valid API key or session is required');
          res.locals.principal = principalOf(found.user, 'api_key');
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
        return next();
      } catch (error) {
        return next(error);
      }
    };
  }

  /** POST /login, POST /logout, GET /me; mount under /console/api. */
  routes(): Router {
    const router = Router();
    router.post('/login', express.json({ limit: '4kb' }), async (req, res, next) => {
      try {
        if (!this.sameOrigin(req)) return refuse(res, 403, 'csrf', 'cross-origin request refused');
        if (!req.is('application/json')) return refuse(res, 415, 'unsupported_media_type', 'send JSON');
        const body = loginBodySchema.safeParse(req.body);
        if (!body.success) return refuse(res, 400, 'invalid_body', 'email and password are required');
        const result = await this.login(body.data.email, body.data.password, req.ip ?? 'unknown');
        if (!result.ok) {
          if (result.reason === 'locked') {
            res.setHeader('Retry-After', String(result.retryAfterSeconds));
            return refuse(res, 429, 'locked', 'too many failed logins; try again later', { retryAfterSeconds: result.retryAfterSeconds });
          }
          if (result.reason === 'too_many_attempts') return refuse(res, 429, 'too_many_attempts', 'too many login attempts; try again later');
          return refuse(res, 401, 'invalid_credentials', 'wrong e-mail address or password');
        }
        const cookie = { sameSite: 'strict' as const, secure: this.options.secureCookies, path: '/console', expires: result.expiresAt };
        res.cookie(SESSION_COOKIE, result.sessionToken, { ...cookie, httpOnly: true });
        // Readable by the console's own script, which echoes it in the X-CSRF-Token header.
        res.cookie(CSRF_COOKIE, result.csrfToken, { ...cookie, httpOnly: false });
        res.json({ user: publicUser(result.user), csrfToken: result.csrfToken, expiresAt: result.expiresAt.toISOString() });
      } catch (error) {
        next(error);
      }
    });
    router.post('/logout', this.authenticate(), async (_req, res, next) => {
      try {
        const principal = principalFrom(res);
        const tokenHash: unknown = res.locals.sessionTokenHash;
        if (typeof tokenHash === 'string') await this.options.repository.deleteSession(tokenHash);
        await this.options.repository.audit({ organisationId: principal.organisationId, actorUserId: principal.userId, action: 'logout' });
        res.clearCookie(SESSION_COOKIE, { path: '/console' });
        res.clearCookie(CSRF_COOKIE, { path: '/console' });
        res.status(204).end();
      } catch (error) {
        next(error);
      }
    });
    router.get('/me', this.authenticate(), async (_req, res, next) => {
      try {
        const user = await this.options.repository.findUserById(principalFrom(res).userId);
        if (!user) return refuse(res, 401, 'unauthenticated', 'a valid API key or session is required');
        res.json({ user: publicUser(user), via: principalFrom(res).via });
      } catch (error) {
        next(error);
      }
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

export function readCookie(req: Request, name: string): string | undefined {
  const header = req.get('cookie');
  if (!header) return undefined;
  for (const part of header.split(';')) {
    const index = part.indexOf('=');
    if (index < 0) continue;
    if (part.slice(0, index).trim() === name) {
      try {
        return decodeURIComponent(part.slice(index + 1).trim());
      } catch {
        return undefined;
      }
    }
  }
  return undefined;
}

/** Console errors: JSON with a machine-readable reason, never any data. */
export function refuse(res: Response, status: number, reason: string, message: string, extra?: Record<string, unknown>): void {
  res.status(status).json({ error: { code: status, reason, message, ...extra } });
}
