import type { RequestHandler } from 'express';

export interface HealthSource {
  databaseKind: 'pglite' | 'postgres';
  /** A real query with a deadline of its own; throws when the database does not answer in time. */
  probe(): Promise<{ migrations: number }>;
}

/**
 * `GET /healthz`: 200 with the database's state when it answers its query in time, 503 when it
 * is down, locked or slow (a load balancer then stops sending people to this instance). Never
 * cached; the answer names no error, only that the database is unavailable.
 * @example app.get('/healthz', healthHandler({ databaseKind: db.kind, probe: () => db.probe(2_000) }, Date.now()));
 */
export function healthHandler(source: HealthSource, startedAt: number): RequestHandler {
  return async (_req, res) => {
    const uptimeSeconds = Math.round((Date.now() - startedAt) / 1000);
    res.setHeader('Cache-Control', 'no-store');
    try {
      const { migrations } = await source.probe();
      res.json({ status: 'ok', database: { kind: source.databaseKind, status: 'ok', migrations }, uptimeSeconds });
    } catch {
      res.status(503).json({ status: 'degraded', database: { kind: source.databaseKind, status: 'unavailable' }, uptimeSeconds });
    }
  };
}
