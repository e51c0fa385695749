// Admins create API keys that act as a chosen user of their organisation (token shown once, only
// its hash stored), list them without the token, and revoke them: refused from the next request on.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hashToken } from '../../src/console/auth/tokens.js';
import { useTestDatabase } from '../support/databases.js';
import { startPeopleHarness, type Caller, type PeopleHarness } from './admin-people-support.js';

const keys = '/console/api/admin/api-keys';

interface KeyJson {
  id: string;
  prefix: string;
  userId: string;
  userEmail: string;
  createdAt: string;
  lastUsedAt: string | null;
  revokedAt: string | null;
}

describe('admin API keys routes', () => {
  const database = useTestDatabase('pglite');
  let hx: PeopleHarness;

  beforeAll(async () => {
    hx = await startPeopleHarness(database());
  });
  afterAll(async () => {
    await hx?.close();
  });

  async function createKey(caller: Caller, userId: string): Promise<{ key: KeyJson; token: string }> {
    const answer = await hx.request('POST', keys, caller, { userId });
    expect(answer.status).toBe(201);
    return answer.json as { key: KeyJson; token: string };
  }

  const listKeys = async (caller: Caller) => ((await hx.request('GET', keys, caller)).json as { keys: KeyJson[] }).keys;

  it('refuses counsellors on every API key route with 403 admins_only', async () => {
    const { organisationId, admin, caller: adminCaller } = await hx.orgWithAdmin();
    const counsellor = await hx.user(organisationId, 'counsellor');
    const { key } = await createKey(adminCaller, admin.id);
    const caller = await hx.login(counsellor.email);
    const attempts = [
      await hx.request('GET', keys, caller),
      await hx.request('POST', keys, caller, { userId: counsellor.id }),
      await hx.request('POST', `${keys}/${key.id}/revoke`, caller, {}),
    ];
    for (const answer of attempts) {
      expect(answer.status).toBe(403);
      expect(answer.json).toMatchObject({ error: { reason: 'admins_only' } });
    }
    expect((await listKeys(adminCaller)).map((item) => item.revokedAt)).toEqual([null]);
  });

  it('lives through create (token once), use, list without the token, and revoke (refused at once)', async () => {
    const { organisationId, admin, caller } = await hx.orgWithAdmin();
    const counsellor = await hx.user(organisationId, 'counsellor');
    const { key, token } = await createKey(caller, counsellor.id);
    expect(token).toMatch(/^hwk_[A-Za-z0-9_-]{43}$/);
    expect(key).toMatchObject({ userId: counsellor.id, userEmail: counsellor.email, prefix: token.slice(0, 10), lastUsedAt: null, revokedAt: null });

    // Only the hash is stored.
    const stored = await database().prisma.apiKey.findUnique({ where: { id: key.id } });
    expect(stored?.tokenHash).toBe(hashToken(token));
    expect(JSON.stringify(stored)).not.toContain(token);

    // The key acts as its user, with their role.
    const me = await hx.request('GET', '/console/api/me', { key: token });
    expect(me.status).toBe(200);
    expect(me.json).toMatchObject({ user: { id: counsellor.id, role: 'counsellor' }, via: 'api_key' });
    expect((await hx.request('GET', keys, { key: token })).status).toBe(403);

    const listed = await hx.request('GET', keys, caller);
    expect(listed.text).not.toContain(token);
    expect(listed.text).not.toContain(hashToken(token));
    const [row] = (listed.json as { keys: KeyJson[] }).keys;
    expect(row).toMatchObject({ id: key.id, prefix: key.prefix });
    expect(row?.lastUsedAt).not.toBeNull();

    const revoked = await hx.request('POST', `${keys}/${key.id}/revoke`, caller, {});
    expect(revoked.status).toBe(200);
    expect((revoked.json as { key: KeyJson }).key.revokedAt).not.toBeNull();
    const refused = await hx.request('GET', '/console/api/me', { key: token });
    expect(refused.status).toBe(401);
    expect(refused.json).toMatchObject({ error: { reason: 'unauthenticated' } });
    // Revoking twice is harmless and audited once.
    expect((await hx.request('POST', `${keys}/${key.id}/revoke`, caller)).status).toBe(200);

    const audit = await hx.repo.listAudit(organisationId);
    expect(audit.filter((item) => item.action === 'api_key_created' && item.targetId === key.id)).toEqual([
      expect.objectContaining({ actorUserId: admin.id, data: expect.objectContaining({ ownerUserId: counsellor.id, ownerRole: 'counsellor' }) }),
    ]);
    expect(audit.filter((item) => item.action === 'api_key_revoked' && item.targetId === key.id)).toHaveLength(1);
    expect(JSON.stringify(audit)).not.toContain(token);
    expect(JSON.stringify(audit)).not.toContain(hashToken(token));
  });

  it('keeps to the organisation: no keys for, of or seen by another one', async () => {
    const { caller } = await hx.orgWithAdmin();
    const other = await hx.orgWithAdmin();
    const { key: theirs, token } = await createKey(other.caller, other.admin.id);
    const forStranger = await hx.request('POST', keys, caller, { userId: other.admin.id });
    expect(forStranger.status).toBe(404);
    expect(forStranger.json).toMatchObject({ error: { reason: 'user_not_found' } });
    expect((await hx.request('POST', `${keys}/${theirs.id}/revoke`, caller, {})).status).toBe(404);
    expect((await hx.request('POST', `${keys}/not-a-uuid/revoke`, caller, {})).status).toBe(404);
    expect(await listKeys(caller)).toEqual([]);
    expect((await hx.request('GET', '/console/api/me', { key: token })).status).toBe(200);
  });

  it('refuses invalid bodies and keys for a deactivated user', async () => {
    const { organisationId, caller } = await hx.orgWithAdmin();
    const counsellor = await hx.user(organisationId, 'counsellor');
    for (const body of [{}, { userId: 'nope' }, { userId: counsellor.id, token: 'hwk_mine' }]) {
      expect((await hx.request('POST', keys, caller, body)).status).toBe(400);
    }
    expect((await hx.request('PATCH', `/console/api/admin/users/${counsellor.id}`, caller, { active: false })).status).toBe(200);
    const inactive = await hx.request('POST', keys, caller, { userId: counsellor.id });
    expect(inactive.status).toBe(409);
    expect(inactive.json).toMatchObject({ error: { reason: 'user_inactive' } });
    expect(await listKeys(caller)).toEqual([]);
  });

  it('deactivating the owner revokes their keys at once, and reactivating does not bring them back', async () => {
    const { organisationId, caller } = await hx.orgWithAdmin();
    const counsellor = await hx.user(organisationId, 'counsellor');
    const { key, token } = await createKey(caller, counsellor.id);
    expect((await hx.request('GET', '/console/api/me', { key: token })).status).toBe(200);
    expect((await hx.request('PATCH', `/console/api/admin/users/${counsellor.id}`, caller, { active: false })).status).toBe(200);
    expect((await hx.request('GET', '/console/api/me', { key: token })).status).toBe(401);
    expect((await listKeys(caller)).find((item) => item.id === key.id)?.revokedAt).not.toBeNull();
    expect((await hx.request('PATCH', `/console/api/admin/users/${counsellor.id}`, caller, { active: true })).status).toBe(200);
    expect((await hx.request('GET', '/console/api/me', { key: token })).status).toBe(401);
  });
});
