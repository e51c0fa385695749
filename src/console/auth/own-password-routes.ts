// A console user changes their own password (mount at /console/api):
//
// `POST /me/password` `{ currentPassword, newPassword }`, with a session only (an API key cannot:
// it was made to act, not to hold the account). The current password is checked through the login
// throttle's gates, the new one by the one password policy; the new hash is stored, every OTHER
// session of the user ends (the repository announces it, src/console/auth/revocation-notices.ts),
// the one in use stays. Audited as password_changed or password_change_refused, never a password.
import express, { Router } from 'express';
import { z } from 'zod';
import type { ConsoleRepository } from '../../store/repositories/console.js';
import { principalFrom, refuse, type ConsoleAuth } from './auth.js';
import { hashPassword } from './password.js';
import { checkPassword, MAX_PASSWORD_LENGTH, MIN_PASSWORD_LENGTH } from './password-policy.js';
import { noStore, refuseInvalidBody } from './route-helpers.js';

export interface OwnPasswordRoutesDeps {
  auth: ConsoleAuth;
  console: ConsoleRepository;
}

/** The new password's length is the policy's to judge (too_short, too_long): zod only bounds the body. */
export const changeOwnPasswordBodySchema = z.strictObject({
  currentPassword: z
    .string()
    .min(1)
    .max(MAX_PASSWORD_LENGTH * 4),
  newPassword: z
    .string()
    .min(1)
    .max(MAX_PASSWORD_LENGTH * 4),
});

export function ownPasswordRouter(deps: OwnPasswordRoutesDeps): Router {
  const router = Router();
  router.post('/me/password', deps.auth.authenticate(), noStore, express.json({ limit: '16kb' }), async (req, res) => {
    const principal = principalFrom(res);
    if (principal.via !== 'session') return refuse(res, 403, 'session_required', 'log in with a password to change it; an API key cannot');
    const body = changeOwnPasswordBodySchema.safeParse(req.body);
    if (!body.success) return refuseInvalidBody(res, body.error);
    const user = await deps.console.findUserById(principal.userId);
    if (!user) return refuse(res, 401, 'unauthenticated', 'a valid API key or session is required');
    const audit = (action: string, data: Record<string, string>) =>
      deps.console.audit({
        organisationId: user.organisationId,
        actorUserId: user.id,
        action,
        targetType: 'user',
        targetId: user.id,
        data: { via: principal.via, ...data },
      });

    const check = await deps.auth.confirmPassword(user, body.data.currentPassword, req.ip ?? 'unknown');
    if (!check.ok) {
      await audit('password_change_refused', { reason: check.reason });
      if (check.reason === 'too_many_attempts') {
        res.setHeader('Retry-After', String(check.retryAfterSeconds));
        return refuse(res, 429, 'too_many_attempts', 'too many attempts; try again later', { retryAfterSeconds: check.retryAfterSeconds });
      }
      return refuse(res, 403, 'wrong_password', 'the current password is not right');
    }
    const problem = checkPassword(body.data.newPassword, [user.email, ...(user.displayName ? [user.displayName] : [])]);
    if (problem) {
      await audit('password_change_refused', { reason: 'weak_password', problem });
      return refuse(
        res,
        400,
        'weak_password',
        `the new password is refused (${problem}): at least ${MIN_PASSWORD_LENGTH} characters, not common, not repeated characters`,
        { problem },
      );
    }
    const keep: unknown = res.locals.sessionTokenHash;
    if (typeof keep !== 'string') throw new Error('a session caller without its token hash');
    if (!(await deps.console.setPassword(user.organisationId, user.id, await hashPassword(body.data.newPassword), keep))) {
      return refuse(res, 401, 'unauthenticated', 'a valid API key or session is required');
    }
    await audit('password_changed', { otherSessions: 'ended' });
    res.status(204).end();
  });
  return router;
}
