import type { RequestHandler } from 'express';

export interface HealthSource {
  databaseKind: 'pglite' | 'postgres';
  /** Answers with the number of applied migrations; throws when the database does not answer. */
  appliedMigrations(): Promise<number>;
}

/** `GET /healthz`: 200 with the database's state when it answers, 503 when it does not. */
export function healthHandler(source: HealthSource, startedAt: number): RequestHandler {
  return async (_req, res) => {
    const uptimeSeconds = Math.round((Date.now() - startedAt) / 1000);
    try {
      const migrations = await source.appliedMigrations();
      res.json({ status: 'ok', database: { kind: source.databaseKind, status: 'ok', migrations }, uptimeSeconds });
    } catch {
      res.status(503).json({ status: 'degraded', database: { kind: source.databaseKind, status: 'unavailable' }, uptimeSeconds });
    }
  };
}
