import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomUUID } from 'node:crypto';
import { afterAll, describe, expect, it } from 'vitest';
import { startApp, StartupError, type RunningApp } from '../../src/app.js';
import { createConfig } from '../../src/config.js';
import { projectRoot } from '../support/engine.js';
import { silentLogger, webTurn } from '../support/turns.js';

const started: RunningApp[] = [];
afterAll(async () => {
  await Promise.all(started.map((app) => app.close()));
});

async function start(env: Record<string, string>, root = projectRoot) {
  const app = await startApp(createConfig({ PORT: '0', ...env }), { logger: silentLogger, root });
  started.push(app);
  return app;
}

describe('the server with the embedded database', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'homeward-'));

  it('answers /healthz with the database status once migrations ran, and a restart keeps every conversation', async () => {
    const first = await start({ DATA_DIR: dataDir });
    const response = await fetch(`${first.url}/healthz`);
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({ status: 'ok', database: { kind: 'pglite', status: 'ok', migrations: expect.any(Number) } });
    expect(response.headers.get('x-content-type-options')).toBe('nosniff');

    const demo = await first.organisations.findByWidgetKey('demo');
    expect(demo).not.toBeNull();
    const ref = randomUUID();
    await first.turns.process(webTurn(demo!.id, ref, { type: 'start' }));
    await first.turns.process(webTurn(demo!.id, ref, 'English'));
    await first.close();
    started.pop();

    const second = await start({ DATA_DIR: dataDir });
    const conversation = await second.conversations.findByChannelRef('web', ref);
    expect(conversation).toMatchObject({ version: 2, flowState: { node: 'consent', awaiting: true } });
    const outcome = await second.turns.process(webTurn(demo!.id, ref, 'yes'));
    expect(outcome.messages.at(-1)?.key).toBe('bot:intake.age_band');
  });

  it('answers unknown routes with a JSON 404', async () => {
    const app = await start({ DATA_DIR: 'memory://' });
    const response = await fetch(`${app.url}/no/such/page`);
    expect(response.status).toBe(404);
    expect(await response.json()).toEqual({ error: { code: 404, message: 'not found' } });
  });
});

describe('start-up with a broken flow', () => {
  it('stops with the file, node and reason', async () => {
    const root = mkdtempSync(join(tmpdir(), 'homeward-root-'));
    const { cpSync } = await import('node:fs');
    cpSync(join(projectRoot, 'locales'), join(root, 'locales'), { recursive: true });
    cpSync(join(projectRoot, 'test', 'fixtures', 'flows', 'broken'), join(root, 'flows'), { recursive: true });
    await expect(start({ DATA_DIR: 'memory://' }, root)).rejects.toThrow(StartupError);
    await expect(start({ DATA_DIR: 'memory://' }, root)).rejects.toThrow(/intake\.yaml node "ask_age": goes to unknown node "nowhere"/);
  });
});
