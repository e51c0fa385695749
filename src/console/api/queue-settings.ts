import { Router } from 'express';
import type { OrganisationRepository } from '../../store/repositories/organisations.js';
import { principalFrom, refuse, type ConsoleAuth } from '../auth/auth.js';
import { settingsFromRecord } from '../admin/organisation-settings.js';

/**
 * `GET /console/api/queue-settings` (any console user): what the queue view needs of the
 * organisation settings an admin sets, today the minutes of waiting after which a referral is
 * marked amber and red (`queueWait`).
 */
export function queueSettingsRouter(deps: { auth: ConsoleAuth; organisations: Pick<OrganisationRepository, 'settingsOf'> }): Router {
  const router = Router();
  router.get('/queue-settings', deps.auth.authenticate(), async (_req, res) => {
    const record = await deps.organisations.settingsOf(principalFrom(res).organisationId);
    if (!record) return refuse(res, 404, 'not_found', 'the organisation does not exist');
    res.setHeader('Cache-Control', 'no-store');
    res.json({ queueWait: settingsFromRecord(record).queueWait });
  });
  return router;
}
