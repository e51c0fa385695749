import { Router } from 'express';
import type { HandoffService } from '../../handoff/service.js';
import type { ConsoleRepository } from '../../store/repositories/console.js';
import { principalFrom, type ConsoleAuth } from '../auth/auth.js';

export interface CounsellorsDeps {
  auth: ConsoleAuth;
  console: Pick<ConsoleRepository, 'listUsers'>;
  handoff: Pick<HandoffService, 'openCountsByAssignee'>;
}

/**
 * `GET /console/api/counsellors` (any console user): the active colleagues of the caller's
 * organisation a referral can be transferred to, with how many open referrals each holds, so the
 * one who hands a chat on sees who is free. No other organisation's users, no inactive ones.
 */
export function counsellorsRouter(deps: CounsellorsDeps): Router {
  const router = Router();
  router.get('/counsellors', deps.auth.authenticate(), async (_req, res) => {
    const { organisationId } = principalFrom(res);
    const [users, counts] = await Promise.all([deps.console.listUsers(organisationId), deps.handoff.openCountsByAssignee(organisationId)]);
    res.setHeader('Cache-Control', 'no-store');
    res.json({
      counsellors: users
        .filter((user) => user.active)
        .map((user) => ({ id: user.id, email: user.email, displayName: user.displayName, role: user.role, openReferrals: counts.get(user.id) ?? 0 })),
    });
  });
  return router;
}
