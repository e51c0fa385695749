import express, { Router } from 'express';
import { z } from 'zod';
import { principalFrom, refuse, type ConsoleAuth } from '../auth/auth.js';
import { adminOnly, noStore } from '../auth/route-helpers.js';
import type { ConsoleRepository } from '../../store/repositories/console.js';
import type { PrivacyRepository } from '../../store/repositories/privacy.js';

export interface PrivacyRoutesDeps {
  auth: ConsoleAuth;
  console: ConsoleRepository;
  privacy: PrivacyRepository;
}

export const auditQuerySchema = z.strictObject({ limit: z.coerce.number().int().min(1).max(500).default(100) });
export const retentionBodySchema = z
  .strictObject({ closedDays: z.int().min(1).max(3650).optional(), idleDays: z.int().min(1).max(3650).optional() })
  .refine((value) => value.closedDays !== undefined || value.idleDays !== undefined, 'closedDays, idleDays or both');

/**
 * Admin-only console routes (mount at /console/api): the organisation's audit trail, and its
 * retention periods with the counts of what retention deleted. Reading the audit is audited too.
 */
export function privacyConsoleRouter(deps: PrivacyRoutesDeps): Router {
  const router = Router();

  router.get('/audit', deps.auth.authenticate(), adminOnly, noStore, async (req, res) => {
    const query = auditQuerySchema.safeParse(req.query);
    if (!query.success) return refuse(res, 400, 'invalid_query', 'the query is not valid');
    const principal = principalFrom(res);
    const entries = await deps.console.listAudit(principal.organisationId, query.data.limit);
    await deps.console.audit({ organisationId: principal.organisationId, actorUserId: principal.userId, action: 'audit_viewed', data: { via: principal.via } });
    res.json({
      entries: entries.map((entry) => ({
        id: entry.id,
        at: entry.createdAt.toISOString(),
        actorUserId: entry.actorUserId,
        action: entry.action,
        targetType: entry.targetType ?? null,
        targetId: entry.targetId ?? null,
        data: entry.data ?? null,
      })),
    });
  });

  router.get('/privacy/retention', deps.auth.authenticate(), adminOnly, noStore, async (_req, res) => {
    const { organisationId } = principalFrom(res);
    const policy = (await deps.privacy.retentionPolicies()).find((item) => item.organisationId === organisationId);
    res.json({ closedDays: policy?.closedDays ?? null, idleDays: policy?.idleDays ?? null, deleted: await deps.privacy.retentionStats(organisationId) });
  });

  router.put('/privacy/retention', deps.auth.authenticate(), adminOnly, express.json({ limit: '1kb' }), async (req, res) => {
    const body = retentionBodySchema.safeParse(req.body);
    if (!body.success) return refuse(res, 400, 'invalid_body', 'the body is not valid');
    const principal = principalFrom(res);
    const { closedDays, idleDays } = body.data;
    await deps.privacy.setRetention(principal.organisationId, {
      ...(closedDays !== undefined ? { closedDays } : {}),
      ...(idleDays !== undefined ? { idleDays } : {}),
    });
    await deps.console.audit({
      organisationId: principal.organisationId,
      actorUserId: principal.userId,
      action: 'retention_changed',
      data: { closedDays: closedDays ?? null, idleDays: idleDays ?? null, via: principal.via },
    });
    const policy = (await deps.privacy.retentionPolicies()).find((item) => item.organisationId === principal.organisationId);
    res.json({ closedDays: policy?.closedDays ?? null, idleDays: policy?.idleDays ?? null });
  });
  return router;
}
