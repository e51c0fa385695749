import { fileURLToPath } from 'node:url';
import { Router, type Request, type Response } from 'express';
import { z } from 'zod';
import { buildWidgetBundle, type WidgetBundle } from '../../channels/web/widget/bundle.js';
import { HttpError } from '../../http/errors.js';
import { escapeHtml } from '../../text/escape-html.js';
import type { Localisation } from '../../i18n/index.js';
import { consoleStyles } from './styles.js';

export const consoleEntry = fileURLToPath(new URL('./client/main.ts', import.meta.url));

export const consoleTextsParamsSchema = z.strictObject({ lng: z.string().regex(/^[a-z]{2,3}$/) });

/** What `/console/texts/:lng` answers: the console's texts and the canned replies, in one language. */
export interface ConsoleTexts {
  lng: string;
  /** Languages the console is translated into, each named in itself. */
  languages: { code: string; name: string }[];
  texts: Record<string, unknown>;
  canned: { id: string; text: string }[];
}

/**
 * The console's pages: one HTML shell at `/console` (no inline script: the server's CSP allows
 * only our own files), its script bundled once at start-up like the widget's, its stylesheet, and
 * its texts. Everything else the pages show comes from the authenticated API.
 */
export function createConsolePagesRouter(deps: { localisation: Pick<Localisation, 'resources' | 'translatorFor' | 'baseLocale'> }): Router {
  // Built on first request, not at start-up: most instances' starts (and tests) never serve a console page.
  let bundle: Promise<WidgetBundle> | undefined;
  const getBundle = () =>
    (bundle ??= buildWidgetBundle(consoleEntry).catch((error: unknown) => {
      bundle = undefined;
      throw error;
    }));
  const { resources, baseLocale } = deps.localisation;
  const languages = Object.keys(resources).filter((lng) => resources[lng]?.console !== undefined);
  const cannedIds = Object.keys(asRecord(asRecord(resources[baseLocale]?.handoff).canned));
  const router = Router();

  router.get('/console', (_req, res) => {
    res.type('html').setHeader('Cache-Control', 'no-cache');
    res.send(shell(String(asRecord(asRecord(resources[baseLocale]?.console).login).title ?? 'Console')));
  });
  router.get('/console/console.js', async (req, res) => sendAsset(req, res, await getBundle(), 'application/javascript; charset=utf-8'));
  router.get('/console/console.css', (_req, res) => {
    res.type('text/css; charset=utf-8').setHeader('Cache-Control', 'no-cache');
    res.send(consoleStyles);
  });
  router.get('/console/texts/:lng', (req, res) => {
    const params = consoleTextsParamsSchema.safeParse(req.params);
    if (!params.success) throw new HttpError(400, 'not a language code');
    const lng = languages.includes(params.data.lng) ? params.data.lng : baseLocale;
    const t = deps.localisation.translatorFor(lng);
    const body: ConsoleTexts = {
      lng,
      languages: languages.map((code) => ({ code, name: new Intl.DisplayNames([code], { type: 'language' }).of(code) ?? code })),
      // Missing keys fall back to the base language's, key by key.
      texts: merge(asRecord(resources[baseLocale]?.console), asRecord(resources[lng]?.console)),
      canned: cannedIds.map((id) => ({ id, text: t(`handoff:canned.${id}`) })),
    };
    res.setHeader('Cache-Control', 'no-cache');
    res.json(body);
  });
  return router;
}

function shell(title: string): string {
  const escaped = escapeHtml(title);
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escaped}</title>
<link rel="stylesheet" href="/console/console.css">
<script src="/console/console.js" defer></script>
</head>
<body>
<a class="skip" href="#main">${escaped}</a>
<header class="top"><span class="brand">${escaped}</span><nav aria-label="${escaped}"></nav></header>
<main id="main" tabindex="-1"><p>${escaped}</p></main>
<div id="notice" class="notice" role="status" aria-live="polite"></div>
</body>
</html>
`;
}

function sendAsset(req: Request, res: Response, bundle: WidgetBundle, type: string): void {
  res.setHeader('ETag', bundle.etag);
  res.setHeader('Cache-Control', 'no-cache');
  res.setHeader('Vary', 'Accept-Encoding');
  res.type(type);
  if (req.headers['if-none-match']?.split(/\s*,\s*/).includes(bundle.etag)) {
    res.status(304).end();
    return;
  }
  const gzip = /\bgzip\b/.test(String(req.headers['accept-encoding'] ?? ''));
  if (gzip) res.setHeader('Content-Encoding', 'gzip');
  res.send(gzip ? bundle.gzip : bundle.js);
}

function asRecord(value: unknown): Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : {};
}

function merge(base: Record<string, unknown>, over: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = { ...base };
  for (const [key, value] of Object.entries(over)) {
    out[key] = typeof value === 'object' && value !== null && typeof base[key] === 'object' ? merge(asRecord(base[key]), asRecord(value)) : value;
  }
  return out;
}
