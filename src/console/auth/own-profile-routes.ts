// A console user sets their own display name (mount at /console/api):
//
// `PATCH /me` `{ displayName }` (null clears it): the name the person in the chat sees above this
// counsellor's messages ("Amira · Counsellor") and in the notice that they joined, so a counsellor
// chooses it themselves rather than showing their e-mail address. Sessions only, like the own
// password (an API key was made to act, not to hold the account). Audited as
// display_name_changed, without the name. An admin sets anyone's with PATCH /admin/users/:id.
import express, { Router } from 'express';
import { z } from 'zod';
import type { ConsoleRepository } from '../../store/repositories/console.js';
import { principalFrom, refuse, type ConsoleAuth } from './auth.js';
import { noStore, refuseInvalidBody } from './route-helpers.js';

export interface OwnProfileRoutesDeps {
  auth: ConsoleAuth;
  console: ConsoleRepository;
  clock?: () => Date;
}

/**
 * A console user's display name: what colleagues see, and the person in the chat above the
 * counsellor's messages ("Amira · Counsellor"). One line: no control characters, no line breaks.
 */
export const displayNameSchema = z
  .string()
  .trim()
  .min(1)
  .max(200)
  .regex(/^[^\p{Cc}\p{Zl}\p{Zp}]*$/u, 'one line without control characters');

export const changeOwnProfileBodySchema = z.strictObject({ displayName: displayNameSchema.nullable() });

export function ownProfileRouter(deps: OwnProfileRoutesDeps): Router {
  const router = Router();
  const now = deps.clock ?? (() => new Date());
  router.patch('/me', deps.auth.authenticate(), noStore, express.json({ limit: '16kb' }), async (req, res) => {
    const principal = principalFrom(res);
    if (principal.via !== 'session') return refuse(res, 403, 'session_required', 'log in with a password to change your account; an API key cannot');
    const body = changeOwnProfileBodySchema.safeParse(req.body);
    if (!body.success) return refuseInvalidBody(res, body.error);
    // Role and active stay as they are, so the last-admin rule cannot refuse this.
    const result = await deps.console.changeUser(principal.organisationId, principal.userId, { displayName: body.data.displayName }, now());
    if (!result.ok) return refuse(res, 401, 'unauthenticated', 'a valid API key or session is required');
    await deps.console.audit({
      organisationId: principal.organisationId,
      actorUserId: principal.userId,
      action: 'display_name_changed',
      targetType: 'user',
      targetId: principal.userId,
      data: { via: principal.via, cleared: body.data.displayName === null },
    });
    const { user } = result;
    res.json({ user: { id: user.id, email: user.email, displayName: user.displayName, role: user.role, organisationId: principal.organisationId } });
  });
  return router;
}
