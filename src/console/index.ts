import type { Express } from 'express';
import { referralJsonSchema } from '../referral/record.js';
import { consoleOpenApi } from './api/openapi.js';
import { consoleApiRouter, type ConsoleApiDeps } from './api/routes.js';

export type { ConsoleApiDeps };

/** Mounts GET /schemas/referral.json, GET /console/api/openapi.json and the console API. */
export function mountConsole(app: Express, deps: ConsoleApiDeps): void {
  app.get('/schemas/referral.json', (_req, res) => {
    res.type('application/schema+json').json(referralJsonSchema());
  });
  app.get('/console/api/openapi.json', (_req, res) => {
    res.json(consoleOpenApi());
  });
  app.use('/console/api', consoleApiRouter(deps));
}
