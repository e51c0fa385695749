import { Router } from 'express';
import type { ConsoleAuth } from '../auth/auth.js';
import { adminOnly } from '../auth/route-helpers.js';
import type { Localisation } from '../../i18n/index.js';

/**
 * `GET /console/api/locales` (admins): the client languages with their native names, direction
 * and review status, so an organisation sees which translations are still drafts awaiting a
 * native speaker. Nothing else depends on the status.
 */
export function localesConsoleRouter(deps: { auth: ConsoleAuth; localisation: Localisation }): Router {
  const router = Router();
  router.get('/locales', deps.auth.authenticate(), adminOnly, (_req, res) => {
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
