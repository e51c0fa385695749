// GET /v3/widget/config is revalidated on every page load (no-cache + ETag), so a look an admin
// changes shows at once on the NGO's site, while an unchanged look costs an empty 304.
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningApp } from '../../src/app.js';
import { startTestApp } from '../support/app.js';

const widgetKey = `look-${randomUUID().slice(0, 8)}`;
let app: RunningApp;
let organisationId: string;

beforeAll(async () => {
  app = await startTestApp({ RETENTION_INTERVAL_MINUTES: '0' });
  organisationId = (await app.organisations.create({ name: 'NGO', widgetKey })).id;
}, 120_000);

afterAll(async () => {
  await app?.close();
});

function getConfig(ifNoneMatch?: string): Promise<Response> {
  return fetch(`${app.url}/v3/widget/config?key=${widgetKey}`, { headers: ifNoneMatch ? { 'if-none-match': ifNoneMatch } : {} });
}

describe('GET /v3/widget/config caching', () => {
  it('is never used unchecked, answers 304 while the look is unchanged, and the new look at once after a change', async () => {
    const first = await getConfig();
    expect(first.status).toBe(200);
    const cacheControl = first.headers.get('cache-control') ?? '';
    expect(cacheControl).toMatch(/\bno-cache\b/);
    expect(cacheControl).not.toMatch(/max-age=[1-9]/);
    expect(first.headers.get('access-control-allow-origin')).toBe('*');
    const etag = first.headers.get('etag');
    expect(etag).toMatch(/^"[^"]+"$/);
    await first.json();

    const unchanged = await getConfig(etag!);
    expect(unchanged.status).toBe(304);
    expect(await unchanged.text()).toBe('');
    expect(unchanged.headers.get('etag')).toBe(etag);
    // A browser may send the tag back weak, or among others.
    expect((await getConfig(`"other", W/${etag}`)).status).toBe(304);
    expect((await getConfig('"something-else"')).status).toBe(200);

    expect(await app.organisations.updateSettings(organisationId, { widgetLook: { colour: '#1d4ed8', position: 'left' } })).toBe(true);
    const changed = await getConfig(etag!);
    expect(changed.status).toBe(200);
    expect(changed.headers.get('etag')).not.toBe(etag);
    const body = (await changed.json()) as { look: { colour: string; position: string } };
    expect(body.look).toMatchObject({ colour: '#1d4ed8', position: 'left' });
    expect((await getConfig(changed.headers.get('etag')!)).status).toBe(304);
  }, 60_000);
});
