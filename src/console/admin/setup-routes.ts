import { randomBytes } from 'node:crypto';
import express, { Router } from 'express';
import { z } from 'zod';
import type { Localisation } from '../../i18n/index.js';
import type { ConsoleRepository } from '../../store/repositories/console.js';
import { demoOrganisation, type OrganisationRecord, type OrganisationRepository } from '../../store/repositories/organisations.js';
import { isUniqueViolation } from '../../store/repositories/records.js';
import { refuse } from '../auth/auth.js';
import { noStore, refuseInvalidBody } from '../auth/route-helpers.js';
import { checkPassword, MAX_PASSWORD_LENGTH, MIN_PASSWORD_LENGTH, type PasswordProblem } from '../auth/password-policy.js';
import { hashToken, safeEqual } from '../auth/tokens.js';
import { organisationSettingsSchema } from './organisation-settings.js';
import { createUserAccount } from './user-accounts.js';

/** How long the first-run link works; a restart while nobody has a login gives a new one. */
export const SETUP_TOKEN_TTL_MS = 24 * 60 * 60_000;

/**
 * The one-time secret of the first-run setup. It exists only while the database has no console
 * user at start; only its hash is kept, in memory (a restart issues a new one), and it closes for
 * good at the first completed setup or after its time is up.
 */
export class SetupGate {
  private busy = false;

  private constructor(
    private tokenHash: string | null,
    private readonly expiresAt: Date,
  ) {}

  /**
   * Opens the gate when no console user exists, answering the token to put in the setup link once;
   * otherwise a closed gate and no token.
   * @example const { gate, token } = await SetupGate.open(consoleRepository, new Date());
   */
  static async open(repo: Pick<ConsoleRepository, 'countUsers'>, now: Date, ttlMs = SETUP_TOKEN_TTL_MS): Promise<{ gate: SetupGate; token: string | null }> {
    if ((await repo.countUsers()) > 0) return { gate: new SetupGate(null, now), token: null };
    const token = randomBytes(32).toString('base64url');
    return { gate: new SetupGate(hashToken(token), new Date(now.getTime() + ttlMs)), token };
  }

  get closed(): boolean {
    return this.tokenHash === null;
  }

  /** Compares hashes of equal length in constant time, so the answer's timing tells nothing about the token. */
  check(token: string, now: Date): 'ok' | 'wrong' | 'expired' | 'closed' {
    if (this.tokenHash === null) return 'closed';
    if (!safeEqual(hashToken(token), this.tokenHash)) return 'wrong';
    return now < this.expiresAt ? 'ok' : 'expired';
  }

  /** One setup at a time: two tabs submitting at once must not create two first admins. */
  begin(): boolean {
    if (this.busy || this.closed) return false;
    this.busy = true;
    return true;
  }

  end(): void {
    this.busy = false;
  }

  close(): void {
    this.tokenHash = null;
  }
}

/** The link the server logs at start: a URL fragment, so the token never reaches an access log. */
export function setupUrl(baseUrl: string, token: string): string {
  return `${baseUrl.replace(/\/+$/, '')}/console#/setup/${token}`;
}

/** Any string up to the policy's limit; `checkPassword` judges it once the body is valid. */
export const setupPasswordSchema = z.string().min(1).max(MAX_PASSWORD_LENGTH);

export const setupTokenSchema = z.string().min(1).max(200);

/** `POST /console/api/setup`; `organisation.kind: 'demo'` adopts the demo organisation instead of creating one. */
export function setupBodySchema(languages: readonly string[]) {
  const settings = organisationSettingsSchema(languages).shape;
  return z.strictObject({
    token: setupTokenSchema,
    organisation: z.discriminatedUnion('kind', [
      z.strictObject({ kind: z.literal('new'), name: settings.name, defaultLanguage: settings.defaultLanguage, timeZone: settings.timeZone }),
      z.strictObject({ kind: z.literal('demo') }),
    ]),
    admin: z.strictObject({ email: z.email().max(254), displayName: z.string().trim().min(1).max(200), password: setupPasswordSchema }),
  });
}

export interface SetupRoutesDeps {
  gate: SetupGate;
  console: Pick<ConsoleRepository, 'countUsers' | 'createUser' | 'audit'>;
  organisations: Pick<OrganisationRepository, 'create' | 'findByWidgetKey' | 'updateSettings'>;
  localisation: Pick<Localisation, 'locales'>;
  clock?: () => Date;
}

/**
 * The first-run setup (mount at /console/api), for the person holding the link the server logged:
 *
 * - `GET /setup`: whether setup is open (200 with the client languages and the demo organisation,
 *   if there is one) or not (410 `setup_done`).
 * - `POST /setup` `{ token, organisation, admin }`: creates (or adopts the demo) organisation and
 *   its first admin; 201. The page then logs in through the ordinary login route.
 *
 * Refused with 410 as soon as any console user exists, whatever the token: from then on admins
 * are made by admins (or `npm run admin -- user:create`). No CSRF token exists before a login:
 * the setup token in the JSON body is the proof that the request comes from the link's holder.
 * Audited as `setup_completed` and `user_created` (ids and kinds only).
 */
export function setupRouter(deps: SetupRoutesDeps): Router {
  const router = Router();
  const now = deps.clock ?? (() => new Date());
  const languages = deps.localisation.locales.map((locale) => locale.code);
  const bodySchema = setupBodySchema(languages);
  const languageList = deps.localisation.locales.map(({ code, nativeName, dir, draft }) => ({ code, nativeName, dir, draft: draft === true }));

  /** True (and the gate closed for good) once somebody has a login. */
  const done = async (): Promise<boolean> => {
    if (deps.gate.closed) return true;
    if ((await deps.console.countUsers()) === 0) return false;
    deps.gate.close();
    return true;
  };
  const refuseDone = (res: express.Response) => refuse(res, 410, 'setup_done', 'the setup is complete: log in, or ask an administrator');

  router.get('/setup', noStore, async (_req, res) => {
    if (await done()) return refuseDone(res);
    const demo = await deps.organisations.findByWidgetKey(demoOrganisation.widgetKey);
    res.json({ languages: languageList, demoOrganisation: demo ? { name: demo.name } : null });
  });

  router.post('/setup', noStore, express.json({ limit: '8kb' }), async (req, res) => {
    if (await done()) return refuseDone(res);
    if (!req.is('application/json')) return refuse(res, 415, 'unsupported_media_type', 'send JSON');
    // The token first: without it nobody learns anything about the rest of the body.
    const token = setupTokenSchema.safeParse(typeof req.body === 'object' && req.body !== null ? (req.body as Record<string, unknown>).token : undefined);
    const verdict = token.success ? deps.gate.check(token.data, now()) : 'wrong';
    if (verdict === 'closed') return refuseDone(res);
    if (verdict === 'expired') return refuse(res, 403, 'setup_token_expired', 'the setup link has expired: restart the server for a new one');
    if (verdict === 'wrong') return refuse(res, 403, 'invalid_setup_token', 'the setup link is not valid');
    const body = bodySchema.safeParse(req.body);
    if (!body.success) {
      const password = (req.body as { admin?: { password?: unknown } }).admin?.password;
      if (body.error.issues.some((issue) => issue.path.join('.') === 'admin.password') && typeof password === 'string')
        return refuseWeak(res, checkPassword(password) ?? 'too_long');
      return refuseInvalidBody(res, body.error);
    }
    // The one password policy (src/console/auth/password-policy.ts), the person's own address and name included.
    const problem = checkPassword(body.data.admin.password, [body.data.admin.email, body.data.admin.displayName]);
    if (problem) return refuseWeak(res, problem);
    if (!deps.gate.begin()) return refuse(res, 409, 'setup_in_progress', 'another setup is being completed');
    try {
      // Again inside the gate: a user made meanwhile (CLI, another instance) closes the setup.
      if (await done()) return refuseDone(res);
      const { organisation: wanted, admin } = body.data;
      const organisation =
        wanted.kind === 'demo' ? await deps.organisations.findByWidgetKey(demoOrganisation.widgetKey) : await createOrganisation(deps.organisations, wanted);
      if (!organisation) return refuse(res, 409, 'no_demo_organisation', 'there is no demo organisation to adopt');
      const user = await createUserAccount(
        deps.console,
        { organisationId: organisation.id, email: admin.email, displayName: admin.displayName, role: 'admin', password: admin.password },
        { userId: null, via: 'setup' },
      );
      if (!user) return refuse(res, 409, 'email_taken', 'a user with this e-mail address exists already');
      deps.gate.close();
      await deps.console.audit({
        organisationId: organisation.id,
        actorUserId: user.id,
        action: 'setup_completed',
        targetType: 'organisation',
        targetId: organisation.id,
        data: { organisation: wanted.kind, via: 'setup' },
      });
      res
        .status(201)
        .json({ organisation: { id: organisation.id, name: organisation.name, widgetKey: organisation.widgetKey }, user: { id: user.id, email: user.email } });
    } finally {
      deps.gate.end();
    }
  });
  return router;
}

/** 400 `weak_password` with `problem`, the rule that failed (the page says it from `console:password_policy.<problem>`). */
function refuseWeak(res: express.Response, problem: PasswordProblem): void {
  refuse(res, 400, 'weak_password', `the password is refused (${problem}): at least ${MIN_PASSWORD_LENGTH} characters, not common, not repeated characters`, {
    problem,
  });
}

/** A new organisation, its public widget key made from its name ("Rückkehr Berlin" -> "ruckkehr-berlin"). */
async function createOrganisation(
  organisations: SetupRoutesDeps['organisations'],
  wanted: { name: string; defaultLanguage: string; timeZone: string },
): Promise<OrganisationRecord> {
  const base = widgetKeyFrom(wanted.name);
  for (let attempt = 0; attempt < 5; attempt++) {
    const widgetKey = attempt === 0 ? base : `${base.slice(0, 40)}-${randomBytes(3).toString('hex')}`;
    try {
      const created = await organisations.create({ name: wanted.name, widgetKey, defaultLocale: wanted.defaultLanguage });
      await organisations.updateSettings(created.id, { timeZone: wanted.timeZone });
      return created;
    } catch (error) {
      if (!isUniqueViolation(error)) throw error;
    }
  }
  throw new Error('no free widget key for the new organisation');
}

/** Lower-case letters, digits and dashes, as `org:create --key` accepts them. */
export function widgetKeyFrom(name: string): string {
  const slug = name
    .normalize('NFKD')
    .replace(/\p{M}/gu, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 48)
    .replace(/-+$/, '');
  return slug.length >= 2 ? slug : 'organisation';
}
