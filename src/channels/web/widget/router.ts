import { createHash } from 'node:crypto';
import { Router, type Request, type Response } from 'express';
import { z } from 'zod';
import { HttpError } from '../../../http/errors.js';
import type { Localisation } from '../../../i18n/index.js';
import type { OrganisationRepository } from '../../../store/repositories/organisations.js';
import type { OriginPolicy } from '../origins.js';
import { buildWidgetBundle, type WidgetBundle } from './bundle.js';
import { demoPage } from './demo-page.js';
import { widgetConfigFor, widgetStringsFor } from './look.js';

export interface WidgetRouterDependencies {
  localisation: Localisation;
  organisations: OrganisationRepository;
  /** Says whether the embedding page's site may use the key (and remembers a refusal for the admin). */
  origins: OriginPolicy;
  /** The organisation the demo page at `/` shows. */
  demoWidgetKey?: string;
}

export const widgetConfigQuerySchema = z.object({ key: z.string().min(1).max(200) });
export const widgetStringsParamsSchema = z.object({ lng: z.string().regex(/^[a-zA-Z]{2,3}(-[a-zA-Z0-9]{2,8})*$/) });

/** Seconds a browser may keep /widget.js before asking again (the URL is not versioned). */
const scriptMaxAge = 600;
const textsMaxAge = 300;

/**
 * The widget's public routes: `/widget.js`, its config and texts under `/v3/widget`, and the demo
 * page at `/`. Builds the browser bundle once, so the returned promise settles after esbuild ran.
 *
 * @example app.use(await createWidgetRouter({ localisation, organisations }));
 */
export async function createWidgetRouter(deps: WidgetRouterDependencies): Promise<Router> {
  const bundle = await buildWidgetBundle();
  const router = Router();

  router.get('/widget.js', (req, res) => sendBundle(req, res, bundle));

  router.get('/v3/widget/config', async (req, res) => {
    const query = widgetConfigQuerySchema.safeParse(req.query);
    if (!query.success) throw new HttpError(400, 'the widget key is missing or malformed');
    const organisation = await deps.organisations.findByWidgetKey(query.data.key);
    if (!organisation) throw new HttpError(404, 'no organisation has this widget key');
    // A browser sends Origin on the widget's cross-origin fetch; none means our own page or not a browser.
    const origin = req.get('origin');
    const enabled = origin === undefined || deps.origins.allows(origin, organisation);
    res.vary('Origin');
    sendRevalidated(req, res, JSON.stringify({ ...widgetConfigFor(organisation, deps.localisation), enabled }));
  });

  router.get('/v3/widget/strings/:lng', (req, res) => {
    const params = widgetStringsParamsSchema.safeParse(req.params);
    if (!params.success) throw new HttpError(400, 'not a language code');
    publicResource(res, textsMaxAge);
    res.json(widgetStringsFor(params.data.lng, deps.localisation));
  });

  router.get('/', (_req, res) => {
    res.type('html').setHeader('Cache-Control', 'no-cache');
    res.send(demoPage(deps.localisation.translatorFor('en'), 'en', 'ltr', deps.demoWidgetKey ?? 'demo'));
  });

  return router;
}

/** Texts and looks are public and the widget runs on other sites' pages. */
function publicResource(res: Response, maxAge: number): void {
  res.setHeader('Access-Control-Allow-Origin', '*');
  res.setHeader('Cross-Origin-Resource-Policy', 'cross-origin');
  res.setHeader('Cache-Control', `public, max-age=${maxAge}`);
}

/**
 * A look an admin just changed must show at the next page load, so the config is never used
 * unchecked (`no-cache`); its ETag makes an unchanged config cost an empty 304.
 */
function sendRevalidated(req: Request, res: Response, json: string): void {
  const etag = `"${createHash('sha256').update(json).digest('base64url').slice(0, 27)}"`;
  res.setHeader('Access-Control-Allow-Origin', '*');
  res.setHeader('Cross-Origin-Resource-Policy', 'cross-origin');
  res.setHeader('Cache-Control', 'public, no-cache');
  res.setHeader('ETag', etag);
  if (matchesEtag(req.headers['if-none-match'], etag)) {
    res.status(304).end();
    return;
  }
  res.type('application/json; charset=utf-8').send(json);
}

/** `If-None-Match` lists ETags, possibly weak (`W/"…"`, compared weakly as RFC 9110 asks) or `*`. */
function matchesEtag(header: string | undefined, etag: string): boolean {
  if (header === undefined) return false;
  return header.split(',').some((candidate) => {
    const tag = candidate.trim();
    return tag === '*' || tag.replace(/^W\//, '') === etag;
  });
}

function sendBundle(req: Request, res: Response, bundle: WidgetBundle): void {
  publicResource(res, scriptMaxAge);
  res.setHeader('Vary', 'Accept-Encoding');
  res.setHeader('ETag', bundle.etag);
  res.type('application/javascript; charset=utf-8');
  if (req.headers['if-none-match']?.split(/\s*,\s*/).includes(bundle.etag)) {
    res.status(304).end();
    return;
  }
  const accepted = String(req.headers['accept-encoding'] ?? '');
  const encoding = acceptsEncoding(accepted, 'br') ? 'br' : acceptsEncoding(accepted, 'gzip') ? 'gzip' : 'identity';
  if (encoding !== 'identity') res.setHeader('Content-Encoding', encoding);
  res.send(encoding === 'br' ? bundle.brotli : encoding === 'gzip' ? bundle.gzip : bundle.js);
}

function acceptsEncoding(header: string, name: string): boolean {
  return header.split(',').some((part) => {
    const [coding, ...params] = part.trim().split(';');
    if (coding?.trim().toLowerCase() !== name) return false;
    const q = params.map((param) => param.trim()).find((param) => param.startsWith('q='));
    return q === undefined || Number(q.slice(2)) > 0;
  });
}
