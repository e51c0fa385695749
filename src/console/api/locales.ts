import { Router } from 'express';
import { principalFrom, refuse, type ConsoleAuth } from '../auth/auth.js';
import type { Localisation } from '../../i18n/index.js';

/**
 * `GET /console/api/locales` (admins): the client languages with their native names, direction
 * and review status, so an organisation sees which translations are still drafts awaiting a
 * native speaker. Nothing else depends on the status.
 */
export function localesConsoleRouter(deps: { auth: ConsoleAuth; localisation: Localisation }): Router {
  const router = Router();
  router.get('/locales', deps.auth.authenticate(), (_req, res) => {
    if (principalFrom(res).role !== 'admin') return refuse(res, 403, 'admins_only', 'only an administrator of the organisation may do this');
    res.json({
      locales: deps.localisation.locales.map((locale) => ({
        code: locale.code,
        nativeName: locale.nativeName,
        dir: locale.dir,
        status: deps.localisation.meta.get(locale.code)?.status ?? 'draft',
      })),
    });
  });
  return router;
}
