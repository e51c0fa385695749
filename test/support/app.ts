// The whole app for a test file: a free port, an in-memory database (restored from the run's
// migrated template, test/global-setup.ts), quiet logs, the checkout's flows and locales.
import { afterAll, beforeAll } from 'vitest';
import { startApp, type AppOptions, type RunningApp } from '../../src/app.js';
import { createConfig } from '../../src/config.js';
import { projectRoot } from './engine.js';
import { silentLogger } from './turns.js';

/**
 * Starts the app with `env` on top of `PORT=0` and `DATA_DIR=memory://`.
 *
 * @example
 * const app = await startTestApp({ RETENTION_INTERVAL_MINUTES: '0' });
 * try { await fetch(`${app.url}/healthz`); } finally { await app.close(); }
 */
export function startTestApp(env: Record<string, string> = {}, options: Partial<AppOptions> = {}): Promise<RunningApp> {
  return startApp(createConfig({ PORT: '0', DATA_DIR: 'memory://', ...env }), { logger: silentLogger, root: projectRoot, ...options });
}

/** One app for the enclosing block's tests (beforeAll/afterAll); the getter throws if it did not start. */
export function useTestApp(env: Record<string, string> = {}, options: Partial<AppOptions> = {}): () => RunningApp {
  let app: RunningApp | undefined;
  beforeAll(async () => {
    app = await startTestApp(env, options);
  });
  afterAll(async () => {
    await app?.close();
  });
  return () => {
    if (!app) throw new Error('the app did not start (see beforeAll)');
    return app;
  };
}
