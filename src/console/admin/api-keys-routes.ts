import express, { Router } from 'express';
import { z } from 'zod';
import type { ConsoleRepository, ListedApiKey } from '../../store/repositories/console.js';
import { principalFrom, refuse, type ConsoleAuth } from '../auth/auth.js';
import { adminOnly, noStore, refuseInvalidBody } from '../auth/route-helpers.js';
import { API_KEY_PREFIX, hashToken, newToken } from '../auth/tokens.js';

export interface ApiKeysRoutesDeps {
  auth: ConsoleAuth;
  console: ConsoleRepository;
  clock?: () => Date;
}

export const apiKeyIdParamsSchema = z.strictObject({ id: z.uuid() });
/** The key acts as this user of the organisation, with their role; the admin picks (often themselves). */
export const createApiKeyBodySchema = z.strictObject({ userId: z.uuid() });
const emptyBodySchema = z.union([z.strictObject({}), z.undefined()]);

/**
 * Admin-only API keys (mount at /console/api), scoped to the caller's organisation:
 *
 * - `GET /admin/api-keys`: every key with its prefix, owner, dates; never the token.
 * - `POST /admin/api-keys` `{ userId }`: a new key acting as that active user; the token is in this
 *   answer only (201 `{ key, token }`), the database keeps its SHA-256.
 * - `POST /admin/api-keys/:id/revoke`: refused (401) from the next request on; kept in the list as revoked.
 *
 * Audited as api_key_created and api_key_revoked (key and owner ids, never the token).
 */
export function apiKeysAdminRouter(deps: ApiKeysRoutesDeps): Router {
  const router = Router();
  const now = deps.clock ?? (() => new Date());
  const guard = [deps.auth.authenticate(), adminOnly, noStore, express.json({ limit: '1kb' })];

  router.get('/admin/api-keys', ...guard, async (_req, res) => {
    res.json({ keys: (await deps.console.listApiKeys(principalFrom(res).organisationId)).map(keyJson) });
  });

  router.post('/admin/api-keys', ...guard, async (req, res) => {
    const body = createApiKeyBodySchema.safeParse(req.body);
    if (!body.success) return refuseInvalidBody(res, body.error);
    const principal = principalFrom(res);
    const owner = await deps.console.findUserById(body.data.userId);
    if (!owner || owner.organisationId !== principal.organisationId) return refuse(res, 404, 'user_not_found', 'no such user');
    if (!owner.active) return refuse(res, 409, 'user_inactive', 'the user is deactivated');
    const token = newToken(API_KEY_PREFIX);
    const { id } = await deps.console.createApiKey({ userId: owner.id, tokenHash: hashToken(token), prefix: token.slice(0, API_KEY_PREFIX.length + 6) });
    await deps.console.audit({
      organisationId: principal.organisationId,
      actorUserId: principal.userId,
      action: 'api_key_created',
      targetType: 'api_key',
      targetId: id,
      data: { ownerUserId: owner.id, ownerRole: owner.role, via: principal.via },
    });
    const key = (await deps.console.listApiKeys(principal.organisationId)).find((item) => item.id === id);
    if (!key) throw new Error('an API key just created is not listed');
    res.status(201).json({ key: keyJson(key), token });
  });

  router.post('/admin/api-keys/:id/revoke', ...guard, async (req, res) => {
    const params = apiKeyIdParamsSchema.safeParse(req.params);
    if (!params.success) return refuse(res, 404, 'not_found', 'no such API key');
    const body = emptyBodySchema.safeParse(req.body);
    if (!body.success) return refuseInvalidBody(res, body.error);
    const principal = principalFrom(res);
    const outcome = await deps.console.revokeApiKey(principal.organisationId, params.data.id, now());
    if (outcome === 'not_found') return refuse(res, 404, 'not_found', 'no such API key');
    if (outcome === 'revoked') {
      await deps.console.audit({
        organisationId: principal.organisationId,
        actorUserId: principal.userId,
        action: 'api_key_revoked',
        targetType: 'api_key',
        targetId: params.data.id.toLowerCase(),
        data: { via: principal.via },
      });
    }
    const key = (await deps.console.listApiKeys(principal.organisationId)).find((item) => item.id === params.data.id.toLowerCase());
    res.json({ key: key ? keyJson(key) : null });
  });
  return router;
}

function keyJson(key: ListedApiKey) {
  return {
    id: key.id,
    prefix: key.prefix,
    userId: key.userId,
    userEmail: key.userEmail,
    createdAt: key.createdAt.toISOString(),
    lastUsedAt: key.lastUsedAt?.toISOString() ?? null,
    revokedAt: key.revokedAt?.toISOString() ?? null,
  };
}
