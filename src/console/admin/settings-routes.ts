import express, { Router, type Request, type Response } from 'express';
import { z } from 'zod';
import type { Localisation } from '../../i18n/index.js';
import type { ConsoleRepository } from '../../store/repositories/console.js';
import type { OrganisationRepository } from '../../store/repositories/organisations.js';
import type { OriginPolicy } from '../../channels/web/origins.js';
import { contentSecurityPolicy } from '../../http/security.js';
import { principalFrom, refuse, type ConsoleAuth } from '../auth/auth.js';
import { adminOnly, noStore } from '../auth/route-helpers.js';
import { qrSvg, telegramLink, widgetSnippet } from './embedding.js';
import { changedFields, organisationSettingsPatchSchema, settingsFromRecord, updateFromPatch } from './organisation-settings.js';
import { widgetPreviewPage } from './widget-preview.js';
import { fieldIssues } from '../../validation/zod-issues.js';

export interface AdminSettingsDeps {
  auth: ConsoleAuth;
  console: ConsoleRepository;
  organisations: OrganisationRepository;
  localisation: Pick<Localisation, 'locales' | 'translatorFor' | 'resources' | 'baseLocale'>;
  /** PUBLIC_URL: where embedders load the widget from; else the request's own origin. */
  publicUrl?: string;
  /** Recently refused sites per organisation (`refusedOrigins` in the settings answer); none listed without it. */
  origins?: Pick<OriginPolicy, 'refused'>;
}

export const previewQuerySchema = z.strictObject({
  lng: z
    .string()
    .regex(/^[a-z]{2,3}$/)
    .optional(),
});

/**
 * The organisation settings and the embedding page's data, for admins of one organisation:
 *
 * - `GET|PATCH /console/api/admin/organisation`: the settings; a PATCH is audited as
 *   `organisation_settings_changed` with the names of the changed fields (never their values) and
 *   takes effect at once (allowed origins included: see `allowedOriginsTtlMs`). The GET also lists
 *   the sites recently refused (`refusedOrigins`, latest first, at most 20), so an admin sees which
 *   site tried to use the widget before it was added.
 * - `GET /console/api/admin/embedding`: the script tag, the Telegram link and its QR code (SVG).
 * - `GET /console/admin/widget-preview`: a page with this organisation's widget, framed by the
 *   console (same origin only).
 */
export function adminSettingsRouter(deps: AdminSettingsDeps): Router {
  const router = Router();
  const languages = deps.localisation.locales.map((locale) => locale.code);
  const patchSchema = organisationSettingsPatchSchema(languages);
  const baseUrl = (req: Request): string => deps.publicUrl ?? `${req.protocol}://${req.get('host') ?? 'localhost'}`;
  // `draft`: the form marks languages nobody has reviewed yet, the ones `hideDraftLanguages` hides.
  const languageList = deps.localisation.locales.map(({ code, nativeName, dir, draft }) => ({ code, nativeName, dir, draft: draft === true }));

  router.get('/console/api/admin/organisation', deps.auth.authenticate(), adminOnly, noStore, async (_req, res) => {
    const { organisationId } = principalFrom(res);
    const record = await deps.organisations.settingsOf(organisationId);
    if (!record) return refuse(res, 404, 'not_found', 'the organisation does not exist');
    const refusedOrigins = (deps.origins?.refused(organisationId) ?? []).map((entry) => ({
      origin: entry.origin,
      count: entry.count,
      lastSeen: entry.lastSeen.toISOString(),
    }));
    res.json({ settings: settingsFromRecord(record), languages: languageList, refusedOrigins });
  });

  router.patch('/console/api/admin/organisation', deps.auth.authenticate(), adminOnly, noStore, express.json({ limit: '64kb' }), async (req, res) => {
    const body = patchSchema.safeParse(req.body);
    if (!body.success) return refuse(res, 400, 'invalid_body', 'the settings are not valid', { issues: fieldIssues(body.error) });
    const principal = principalFrom(res);
    const record = await deps.organisations.settingsOf(principal.organisationId);
    if (!record) return refuse(res, 404, 'not_found', 'the organisation does not exist');
    const changed = changedFields(settingsFromRecord(record), body.data);
    if (changed.length > 0) {
      const update = updateFromPatch(Object.fromEntries(changed.map((field) => [field, body.data[field]])));
      await deps.organisations.updateSettings(principal.organisationId, update);
      await deps.console.audit({
        organisationId: principal.organisationId,
        actorUserId: principal.userId,
        action: 'organisation_settings_changed',
        targetType: 'organisation',
        targetId: principal.organisationId,
        data: { fields: changed.join(','), via: principal.via },
      });
    }
    const stored = await deps.organisations.settingsOf(principal.organisationId);
    res.json({ settings: stored ? settingsFromRecord(stored) : null, changed });
  });

  router.get('/console/api/admin/embedding', deps.auth.authenticate(), adminOnly, noStore, async (req, res) => {
    const record = await deps.organisations.settingsOf(principalFrom(res).organisationId);
    if (!record) return refuse(res, 404, 'not_found', 'the organisation does not exist');
    const link = record.telegramBotUsername ? telegramLink(record.telegramBotUsername, record.widgetKey) : null;
    res.json({
      widgetKey: record.widgetKey,
      snippet: widgetSnippet(baseUrl(req), record.widgetKey),
      previewPath: '/console/admin/widget-preview',
      telegram: link && record.telegramBotUsername ? { username: record.telegramBotUsername, link, qrSvg: await qrSvg(link) } : null,
    });
  });

  router.get('/console/admin/widget-preview', deps.auth.authenticate(), adminOnly, async (req, res: Response) => {
    const query = previewQuerySchema.safeParse(req.query);
    if (!query.success) return refuse(res, 400, 'invalid_query', 'the query is not valid');
    const record = await deps.organisations.settingsOf(principalFrom(res).organisationId);
    if (!record) return refuse(res, 404, 'not_found', 'the organisation does not exist');
    // The page's own line is console text, in the console's language (which need not be a client language).
    const wanted = query.data.lng ?? deps.localisation.baseLocale;
    const lng = deps.localisation.resources[wanted]?.console !== undefined ? wanted : deps.localisation.baseLocale;
    // The app's policy forbids framing everywhere; this one page may be framed by the console itself.
    res.setHeader('X-Frame-Options', 'SAMEORIGIN');
    res.setHeader('Content-Security-Policy', contentSecurityPolicy({ frameAncestors: "'self'", ...(deps.publicUrl ? { publicUrl: deps.publicUrl } : {}) }));
    res.setHeader('Cache-Control', 'no-store');
    res.type('html').send(widgetPreviewPage(deps.localisation.translatorFor(lng), lng, record.widgetKey));
  });

  return router;
}
