import { afterAll, describe, expect, it } from 'vitest';
import type { RunningApp } from '../../src/app.js';
import { webTurn } from '../support/turns.js';
import { startTestApp } from '../support/app.js';

let app: RunningApp | undefined;
afterAll(async () => {
  await app?.close();
});

describe('the console in the running app', () => {
  // Start-up checks every flow and locale: slow on a busy machine.
  it('serves the schema and the OpenAPI document, guards the API, and turns a request for a person into a referral', { timeout: 120_000 }, async () => {
    app = await startTestApp();
    expect((await fetch(`${app.url}/schemas/referral.json`)).status).toBe(200);
    expect((await fetch(`${app.url}/console/api/openapi.json`)).status).toBe(200);
    expect((await fetch(`${app.url}/console/api/referrals`)).status).toBe(401);

    const demo = (await app.organisations.findByWidgetKey('demo'))!;
    const created: string[] = [];
    app.handoffEvents.subscribe((event) => {
      if (event.type === 'referral_created') created.push(event.referralId);
    });
    const ref = crypto.randomUUID();
    await app.turns.process(webTurn(demo.id, ref, { type: 'start' }));
    const outcome = await app.turns.process(webTurn(demo.id, ref, { type: 'intent', intent: 'handoff' }));
    expect(outcome.messages.at(-1)?.key).toMatch(/^handoff:queued/);
    expect(created).toHaveLength(1);
    expect((await app.handoff.list(demo.id, ['new'])).map((referral) => referral.id)).toEqual(created);
  });
});
