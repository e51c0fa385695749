import type { RequestHandler } from 'express';
import type { OriginPolicy } from './origins.js';

/**
 * CORS for the Direct Line routes, which NGO pages call cross-origin. A preflight carries no
 * credentials, so it is answered for any origin some organisation allows; the request itself is
 * then held to its own organisation's origins by the authoriser (403 otherwise).
 *
 * No cache here: `allowedOrigins` is the organisation repository's, which caches the rules and
 * drops them when an admin changes them, so a newly allowed origin works at once and a removed one
 * is refused at once (on other instances within its short TTL). A second cache here would keep a
 * removed origin working after the change.
 */
export function directLineCors(deps: { allowedOrigins(): Promise<string[][]>; origins: OriginPolicy }): RequestHandler {
  const knownOrigin = async (origin: string) => deps.origins.allowedByAny(origin, await deps.allowedOrigins());

  return async (req, res, next) => {
    const origin = req.get('origin');
    if (origin === undefined) return next();
    res.vary('Origin');
    if (await knownOrigin(origin)) {
      res.setHeader('Access-Control-Allow-Origin', origin);
      res.setHeader('Access-Control-Expose-Headers', 'Retry-After');
    }
    if (req.method !== 'OPTIONS') return next();
    if (!res.getHeader('Access-Control-Allow-Origin')) {
      res.status(403).json({ error: { code: 403, message: 'this origin may not use Homeward' } });
      return;
    }
    res.setHeader('Access-Control-Allow-Methods', 'GET, POST, OPTIONS');
    res.setHeader('Access-Control-Allow-Headers', 'Authorization, Content-Type, x-ms-bot-agent, x-requested-with');
    res.setHeader('Access-Control-Max-Age', '600');
    res.status(204).end();
  };
}
