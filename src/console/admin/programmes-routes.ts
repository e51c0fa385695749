import express, { Router, type Response } from 'express';
import { z } from 'zod';
import { CaseSchema } from '../../eligibility/case.js';
import { fieldIssues } from '../../validation/zod-issues.js';
import { RESULT_KEYS } from '../../eligibility/keys.js';
import type { Programme } from '../../eligibility/programme.js';
import type { Localisation } from '../../i18n/index.js';
import type { ConsoleRepository } from '../../store/repositories/console.js';
import { principalFrom, refuse, type ConsoleAuth } from '../auth/auth.js';
import { adminOnly, noStore } from '../auth/route-helpers.js';
import type { OrganisationRepository } from '../../store/repositories/organisations.js';
import { programmeView, tryCase, type ViewLanguages } from './programmes-view.js';

export interface ProgrammesRoutesDeps {
  auth: ConsoleAuth;
  console: ConsoleRepository;
  /** The loaded catalogue (flows/programmes). */
  programmes: readonly Programme[];
  settings: Pick<OrganisationRepository, 'disabledProgrammesOf' | 'setDisabledProgrammes'>;
  localisation: Pick<Localisation, 'translatorFor' | 'hasKey' | 'baseLocale'>;
  /** Today's date for departure deadlines in "try a case"; the system clock by default (tests fix it). */
  clock?: () => Date;
}

/** `?lng=de`: the admin's console language. */
export const programmesQuerySchema = z.strictObject({
  lng: z
    .string()
    .regex(/^[a-z]{2,3}$/)
    .optional(),
});
/** The programmes the organisation offers; every other programme of the catalogue is turned off. */
export const programmesPatchSchema = z.strictObject({ active: z.array(z.string().min(1).max(100)).max(200) });
/** A hand-made case, exactly as the referral record and `npm run -s eligibility` take it. */
export const programmeCaseSchema = CaseSchema;

/**
 * Admin-only console routes (mount at /console/api): the programme catalogue with its rules and
 * amounts in words, which programmes the organisation offers, and "try a case" against the
 * evaluator. A tried case is neither stored nor audited, only the fact that one was tried.
 */
export function programmesConsoleRouter(deps: ProgrammesRoutesDeps): Router {
  const router = Router();
  const known = new Set(deps.programmes.map((programme) => programme.id));

  function languages(lng: string | undefined): ViewLanguages {
    const wanted = lng ?? deps.localisation.baseLocale;
    // The eligibility texts exist in fewer languages than the console: English where they are missing.
    const textLng = deps.localisation.hasKey(wanted, RESULT_KEYS.outcome.eligible) ? wanted : deps.localisation.baseLocale;
    return { lng: wanted, textLng, t: deps.localisation.translatorFor(textLng) };
  }

  async function sendCatalogue(res: Response, organisationId: string, lng: string | undefined): Promise<void> {
    const disabled = new Set(await deps.settings.disabledProgrammesOf(organisationId));
    const view = languages(lng);
    res.json({
      lng: view.lng,
      textLng: view.textLng,
      programmes: deps.programmes.map((programme) => programmeView(programme, !disabled.has(programme.id), view)),
    });
  }

  router.get('/admin/programmes', deps.auth.authenticate(), adminOnly, noStore, async (req, res) => {
    const query = programmesQuerySchema.safeParse(req.query);
    if (!query.success) return refuse(res, 400, 'invalid_query', 'the query is not valid');
    await sendCatalogue(res, principalFrom(res).organisationId, query.data.lng);
  });

  router.patch('/admin/programmes', deps.auth.authenticate(), adminOnly, express.json({ limit: '8kb' }), noStore, async (req, res) => {
    const query = programmesQuerySchema.safeParse(req.query);
    if (!query.success) return refuse(res, 400, 'invalid_query', 'the query is not valid');
    const body = programmesPatchSchema.safeParse(req.body);
    if (!body.success) return refuse(res, 400, 'invalid_body', 'the body is not valid');
    const unknown = body.data.active.filter((id) => !known.has(id));
    if (unknown.length > 0) return refuse(res, 400, 'unknown_programme', 'the catalogue has no programme with this id', { unknown });
    const active = new Set(body.data.active);
    const disabled = deps.programmes.map((programme) => programme.id).filter((id) => !active.has(id));
    const principal = principalFrom(res);
    await deps.settings.setDisabledProgrammes(principal.organisationId, disabled);
    await deps.console.audit({
      organisationId: principal.organisationId,
      actorUserId: principal.userId,
      action: 'programmes_changed',
      data: { disabled: disabled.join(','), active: active.size, via: principal.via },
    });
    await sendCatalogue(res, principal.organisationId, query.data.lng);
  });

  router.post('/admin/programmes/try', deps.auth.authenticate(), adminOnly, express.json({ limit: '8kb' }), noStore, async (req, res) => {
    const query = programmesQuerySchema.safeParse(req.query);
    if (!query.success) return refuse(res, 400, 'invalid_query', 'the query is not valid');
    const parsed = programmeCaseSchema.safeParse(req.body);
    if (!parsed.success) return refuse(res, 400, 'invalid_body', 'the case is not valid', { issues: fieldIssues(parsed.error) });
    const principal = principalFrom(res);
    const disabled = new Set(await deps.settings.disabledProgrammesOf(principal.organisationId));
    const view = languages(query.data.lng);
    const results = tryCase(parsed.data, deps.programmes, (id) => !disabled.has(id), view, (deps.clock ?? (() => new Date()))().toISOString().slice(0, 10));
    // Only that a case was tried: the case itself may describe a real person.
    await deps.console.audit({
      organisationId: principal.organisationId,
      actorUserId: principal.userId,
      action: 'programme_case_tried',
      data: { via: principal.via },
    });
    res.json({ lng: view.lng, textLng: view.textLng, results });
  });
  return router;
}
