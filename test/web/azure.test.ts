// /api/messages for Azure Bot Service: on only with an app id and password, and then closed to
// requests without a valid Bot Framework JWT (no network needed to refuse these).
import { describe, expect, it, vi } from 'vitest';
import { ConfigError, createConfig } from '../../src/config.js';
import { rowCounts, useApp } from './support.js';

const activity = {
  type: 'message',
  id: 'a1',
  channelId: 'webchat',
  serviceUrl: 'https://webchat.botframework.com/',
  conversation: { id: 'conv-1' },
  from: { id: 'user-1' },
  recipient: { id: 'bot' },
  text: 'hello',
};

function postMessages(url: string, authorization?: string): Promise<Response> {
  return fetch(`${url}/api/messages`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(authorization ? { authorization } : {}) },
    body: JSON.stringify(activity),
  });
}

describe('configuration', () => {
  const production = { NODE_ENV: 'production', TOKEN_SECRET: 'p'.repeat(40), DATA_ENCRYPTION_KEY: `${'k'.repeat(43)}=` };

  it('turns the route on only with both the app id and the password', () => {
    expect(createConfig({ MICROSOFT_APP_ID: 'id', MICROSOFT_APP_PASSWORD: 'secret', MICROSOFT_APP_TENANT_ID: 'tenant' }).azureBot).toEqual({
      appId: 'id',
      appPassword: 'secret',
      tenantId: 'tenant',
      organisationKey: 'demo',
    });
    expect(createConfig({ MICROSOFT_APP_ID: 'id' }).azureBot).toBeUndefined();
    expect(createConfig({}).azureBot).toBeUndefined();
  });

  it('in production, requires both or neither, and the organisation they serve', () => {
    // Only the MICROSOFT_* problems: other variables production requires are not this test's business.
    const problems = (env: Record<string, string>) => {
      try {
        createConfig(env);
        return [];
      } catch (error) {
        if (!(error instanceof ConfigError)) throw error;
        return error.problems.filter((problem) => problem.startsWith('MICROSOFT_'));
      }
    };
    expect(problems({ ...production, MICROSOFT_APP_ID: 'id' })).toContainEqual(expect.stringMatching(/^MICROSOFT_APP_PASSWORD: is required/));
    expect(problems({ ...production, MICROSOFT_APP_PASSWORD: 'secret' })).toEqual([expect.stringMatching(/^MICROSOFT_APP_ID: is required/)]);
    expect(problems({ ...production, MICROSOFT_APP_ID: 'id', MICROSOFT_APP_PASSWORD: 'secret' })).toEqual([
      expect.stringMatching(/^MICROSOFT_APP_ORGANISATION_KEY: is required/),
    ]);
    expect(problems({ ...production, MICROSOFT_APP_ID: 'id', MICROSOFT_APP_PASSWORD: 'secret', MICROSOFT_APP_ORGANISATION_KEY: 'ngo' })).toEqual([]);
    expect(problems(production)).toEqual([]);
  });
});

describe('with MICROSOFT_APP_ID and MICROSOFT_APP_PASSWORD', () => {
  const app = useApp({ MICROSOFT_APP_ID: '00000000-0000-0000-0000-000000000001', MICROSOFT_APP_PASSWORD: 'not-a-real-password' });

  it('refuses a request without a Bot Framework JWT, or with a malformed one, with 401 and stores nothing', async () => {
    const before = await rowCounts(app());
    // botbuilder prints the refusals it makes itself (JWT-shaped tokens) to stderr.
    // Restored whatever happens: app files share their worker (vitest.config.ts), so a console left
    // silenced would hide the next file's errors.
    const printed = vi.spyOn(console, 'error').mockImplementation(() => undefined);
    try {
      expect((await postMessages(app().url)).status).toBe(401);
      expect((await postMessages(app().url, 'Bearer not.a.jwt')).status).toBe(401);
      expect((await postMessages(app().url, 'Basic dXNlcjpwYXNz')).status).toBe(401);
      // Shaped like a JWT, so botbuilder's own validation refuses it.
      expect((await postMessages(app().url, 'Bearer eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJ4In0.c2lnbmF0dXJl')).status).toBe(401);
    } finally {
      printed.mockRestore();
    }
    expect(await rowCounts(app())).toEqual(before);
  });
});

describe('without them', () => {
  const app = useApp();

  it('has no /api/messages route', async () => {
    expect((await postMessages(app().url)).status).toBe(404);
  });
});
