import express, { Router, type Request, type Response } from 'express';
import { z } from 'zod';
import type { ConsoleRepository, ListedUser } from '../../store/repositories/console.js';
import { principalFrom, refuse, type ConsoleAuth } from '../auth/auth.js';
import { displayNameSchema } from '../auth/own-profile-routes.js';
import { hashPassword } from '../auth/password.js';
import { adminOnly, noStore, refuseInvalidBody } from '../auth/route-helpers.js';
import { createUserAccount, generatePassword } from './user-accounts.js';

export interface UsersRoutesDeps {
  auth: ConsoleAuth;
  console: ConsoleRepository;
  clock?: () => Date;
}

const roleSchema = z.enum(['counsellor', 'admin']);

export const userIdParamsSchema = z.strictObject({ id: z.uuid() });
export const createUserBodySchema = z.strictObject({ email: z.email().max(254), displayName: displayNameSchema.optional(), role: roleSchema });
export const changeUserBodySchema = z
  .strictObject({ role: roleSchema.optional(), active: z.boolean().optional(), displayName: displayNameSchema.nullable().optional() })
  .refine((change) => change.role !== undefined || change.active !== undefined || change.displayName !== undefined, 'role, active or displayName');
/** The new password is always generated: an admin never chooses (or sees twice) another person's password. */
export const resetPasswordBodySchema = z.union([z.strictObject({}), z.undefined()]);

/**
 * Admin-only people management (mount at /console/api), scoped to the caller's organisation:
 *
 * - `GET /admin/users`: everyone with a console login.
 * - `POST /admin/users` `{ email, displayName?, role }`: creates the user with a generated password,
 *   answered once (201 `{ user, password }`); Homeward sends no e-mail, the admin hands it over.
 * - `PATCH /admin/users/:id` `{ role?, active?, displayName? }`: deactivation ends their sessions and
 *   revokes their API keys at once; 409 `last_admin` when no active admin would remain.
 * - `POST /admin/users/:id/password`: a new generated password, answered once; their sessions end.
 *
 * Audited as user_created, user_updated, user_deactivated, password_reset (ids and roles only).
 */
export function usersAdminRouter(deps: UsersRoutesDeps): Router {
  const router = Router();
  const now = deps.clock ?? (() => new Date());
  const guard = [deps.auth.authenticate(), adminOnly, noStore, express.json({ limit: '4kb' })];

  router.get('/admin/users', ...guard, async (_req, res) => {
    res.json({ users: (await deps.console.listUsers(principalFrom(res).organisationId)).map(userJson) });
  });

  router.post('/admin/users', ...guard, async (req, res) => {
    const body = createUserBodySchema.safeParse(req.body);
    if (!body.success) return refuseInvalidBody(res, body.error);
    const principal = principalFrom(res);
    const password = generatePassword();
    const user = await createUserAccount(
      deps.console,
      {
        organisationId: principal.organisationId,
        email: body.data.email,
        role: body.data.role,
        password,
        ...(body.data.displayName ? { displayName: body.data.displayName } : {}),
      },
      { userId: principal.userId, via: principal.via },
    );
    if (!user) return refuse(res, 409, 'email_taken', 'a user with this e-mail address exists already');
    const listed = (await deps.console.listUsers(principal.organisationId)).find((item) => item.id === user.id);
    if (!listed) throw new Error('a user just created is not listed');
    res.status(201).json({ user: userJson(listed), password });
  });

  router.patch('/admin/users/:id', ...guard, async (req, res) => {
    const id = userIdOf(req, res);
    if (!id) return;
    const body = changeUserBodySchema.safeParse(req.body);
    if (!body.success) return refuseInvalidBody(res, body.error);
    const principal = principalFrom(res);
    const { role, active, displayName } = body.data;
    const result = await deps.console.changeUser(
      principal.organisationId,
      id,
      { ...(role !== undefined ? { role } : {}), ...(active !== undefined ? { active } : {}), ...(displayName !== undefined ? { displayName } : {}) },
      now(),
    );
    if (!result.ok) {
      if (result.reason === 'last_admin') return refuse(res, 409, 'last_admin', 'the organisation must keep at least one active administrator');
      return refuse(res, 404, 'not_found', 'no such user');
    }
    const deactivated = result.before.active && !result.user.active;
    await deps.console.audit({
      organisationId: principal.organisationId,
      actorUserId: principal.userId,
      action: deactivated ? 'user_deactivated' : 'user_updated',
      targetType: 'user',
      targetId: result.user.id,
      data: {
        role: result.user.role,
        previousRole: result.before.role,
        active: result.user.active,
        displayNameChanged: result.before.displayName !== result.user.displayName,
        via: principal.via,
      },
    });
    res.json({ user: userJson(result.user) });
  });

  router.post('/admin/users/:id/password', ...guard, async (req, res) => {
    const id = userIdOf(req, res);
    if (!id) return;
    const body = resetPasswordBodySchema.safeParse(req.body);
    if (!body.success) return refuseInvalidBody(res, body.error);
    const principal = principalFrom(res);
    const password = generatePassword();
    // An admin resetting their own password keeps the session they are using; every other one ends.
    const own: unknown = res.locals.sessionTokenHash;
    const keep = id.toLowerCase() === principal.userId && typeof own === 'string' ? own : undefined;
    if (!(await deps.console.setPassword(principal.organisationId, id, await hashPassword(password), keep)))
      return refuse(res, 404, 'not_found', 'no such user');
    await deps.console.audit({
      organisationId: principal.organisationId,
      actorUserId: principal.userId,
      action: 'password_reset',
      targetType: 'user',
      targetId: id.toLowerCase(),
      data: { via: principal.via },
    });
    res.json({ password });
  });
  return router;
}

function userJson(user: ListedUser) {
  return { id: user.id, email: user.email, displayName: user.displayName, role: user.role, active: user.active, createdAt: user.createdAt.toISOString() };
}

/** A malformed id is "not found", like another organisation's user: no hint either way. */
function userIdOf(req: Request, res: Response): string | undefined {
  const params = userIdParamsSchema.safeParse(req.params);
  if (params.success) return params.data.id;
  refuse(res, 404, 'not_found', 'no such user');
  return undefined;
}
