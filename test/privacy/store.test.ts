// Encryption at rest, key rotation, erasure and retention against the real store, on PGlite and PostgreSQL.
import { randomBytes, randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { createFieldCipher, isSealed, keyIdOf, noEncryption } from '../../src/crypto/field-cipher.js';
import { createConversationRepository } from '../../src/store/repositories/conversations.js';
import { createOrganisationRepository } from '../../src/store/repositories/organisations.js';
import { sealedColumns } from '../../src/store/repositories/privacy.js';
import { createWebhookRepository } from '../../src/store/repositories/webhooks.js';
import { databaseKinds, openTestDatabase, useTestDatabase } from '../support/databases.js';
import { newOrganisation } from '../handoff/support.js';
import { allModels, newCipher, newUser, personWithCase, privacyFixture, rawRows } from './support.js';

const DAY = 24 * 60 * 60 * 1000;

describe.each(databaseKinds)('privacy in the store (%s)', (kind) => {
  const database = useTestDatabase(kind);

  it('the database alone does not reveal who anyone is: no name, answer, text or note in clear in any table', async () => {
    const db = database();
    const cipher = newCipher();
    const fx = await privacyFixture(db, cipher);
    const org = await newOrganisation(db);
    const user = await newUser(db, org);
    const person = await personWithCase(fx, org, user.id);

    // Callers see plaintext.
    const messages = await fx.conversations.listMessages(person.conversation.id);
    expect(messages.map((m) => m.text).join(' ')).toContain(person.secrets[0]);
    expect(messages.find((m) => m.author === 'bot')?.textParams).toEqual({ name: person.secrets[0] });
    expect(JSON.stringify(person.conversation.flowState)).toContain(person.secrets[1]);
    const record = await fx.handoff.record(org, person.referralId);
    expect(JSON.stringify(record)).toContain(person.secrets[1]);
    expect(JSON.stringify(record?.notes)).toContain(person.secrets[3]);

    // The raw rows do not, in any table (the channel's chat id is the one identifier kept in clear, see README).
    expect(messages.find((m) => m.text === 'ET')?.payload).toEqual({ event: 'choice', label: person.secrets[5] });
    // The chat id (a Telegram account) is found by its keyed hash and read back, never stored in clear.
    expect((await fx.conversations.findByChannelRef('telegram', person.channelRef))?.id).toBe(person.conversation.id);
    expect(person.conversation.channelRef).toBe(person.channelRef);
    for (const model of allModels) {
      for (const row of await rawRows(db, model)) {
        for (const secret of [...person.secrets, person.channelRef]) expect(row, `${model} holds "${secret}" in clear`).not.toContain(secret);
      }
    }
    const [message] = await rawRows(db, 'Message');
    expect(JSON.parse(message ?? '{}')).toMatchObject({ text: expect.stringMatching(/^hwe1\./) });
    const [referral] = await rawRows(db, 'Referral');
    // Queue columns stay queryable.
    expect(JSON.parse(referral ?? '{}')).toMatchObject({
      status: 'claimed',
      priority: expect.any(String),
      organisationId: org,
      record: expect.stringMatching(/^hwe1\./),
    });
  });

  it('a value moved to another column or row field does not decrypt', async () => {
    const cipher = newCipher();
    const sealed = cipher.seal('message.text', 'Amina');
    expect(() => cipher.open('referral.record', sealed)).toThrow(/failed authentication/);
  });

  it('rotates every sealed column to a new key; old values stay readable until then; clear values get sealed', async () => {
    // Its own database: the other tests' rows are under keys this one does not know, and rotation
    // rightly stops at a value it cannot open.
    const db = await openTestDatabase(kind);
    try {
      const oldKey = randomBytes(32);
      const newKey = randomBytes(32);
      const before = await privacyFixture(db, createFieldCipher({ current: oldKey }));
      const org = await newOrganisation(db);
      const user = await newUser(db, org);
      const person = await personWithCase(before, org, user.id);
      const webhook = await createWebhookRepository(db.prisma, { cipher: createFieldCipher({ current: oldKey }) }).create({
        organisationId: org,
        url: 'https://cms.example.org/hook',
        events: ['referral.created'],
        secret: 'whsec_rotated',
        createdByUserId: user.id,
      });
      // A row written before encryption existed.
      const legacy = await createConversationRepository(db.prisma, { cipher: noEncryption }).create({
        organisationId: org,
        channel: 'web',
        channelRef: `legacy-${person.referralId}`,
        locale: 'en',
        flowState: { v: 1, note: 'legacy-plain' },
      });

      const rotated = createFieldCipher({ current: newKey, previous: [oldKey] });
      const after = await privacyFixture(db, rotated);
      // Before the rotation, the new key's repositories read old values and find old chat ids.
      expect(JSON.stringify((await after.conversations.findById(person.conversation.id))?.flowState)).toContain(person.secrets[1]);
      expect((await after.conversations.findByChannelRef('telegram', person.channelRef))?.id).toBe(person.conversation.id);

      const report = await after.privacy.rotateKeys(rotated, { batchSize: 2 });
      expect(report.map((r) => r.column)).toEqual(['Conversation.channelRef', ...sealedColumns.map((c) => `${c.table}.${c.column}`)]);
      expect(report.reduce((sum, r) => sum + r.rewritten, 0)).toBeGreaterThan(5);
      expect((await after.privacy.rotateKeys(rotated)).every((r) => r.rewritten === 0)).toBe(true);

      // Only the new key is needed now.
      const onlyNew = await privacyFixture(db, createFieldCipher({ current: newKey }));
      expect(JSON.stringify((await onlyNew.conversations.findById(person.conversation.id))?.flowState)).toContain(person.secrets[1]);
      expect((await onlyNew.conversations.listMessages(person.conversation.id)).map((m) => m.text).join(' ')).toContain(person.secrets[0]);
      expect(JSON.stringify(await onlyNew.handoff.record(org, person.referralId))).toContain(person.secrets[3]);
      expect((await onlyNew.conversations.findById(legacy.id))?.flowState).toEqual({ v: 1, note: 'legacy-plain' });
      expect((await onlyNew.conversations.findByChannelRef('web', legacy.channelRef))?.id).toBe(legacy.id);
      expect((await onlyNew.conversations.findByChannelRef('telegram', person.channelRef))?.id).toBe(person.conversation.id);
      const rawRefs = (await rawRows(db, 'Conversation')).map((row) => JSON.parse(row) as { channelRef: string; channelAddress: string });
      expect(rawRefs.every((row) => row.channelRef.startsWith(`hwi1.${keyIdOf(newKey)}.`) && row.channelAddress.startsWith(`hwe1.${keyIdOf(newKey)}.`))).toBe(
        true,
      );
      for (const { table, column } of sealedColumns) {
        for (const row of await rawRows(db, table)) {
          const value: unknown = (JSON.parse(row) as Record<string, unknown>)[column];
          if (value === null || value === undefined) continue;
          expect(isSealed(value), `${table}.${column}`).toBe(true);
          expect(String(value).split('.')[1]).toBe(keyIdOf(newKey));
        }
      }
      expect((await rawRows(db, 'Webhook')).length).toBe(1);
      // The webhook's signing secret opens with the new key alone (the sender reads it to sign).
      await createWebhookRepository(db.prisma, { cipher: createFieldCipher({ current: newKey }) }).enqueue({
        organisationId: org,
        eventId: randomUUID(),
        type: 'referral.created',
        orderKey: webhook.id,
        data: {},
        occurredAt: new Date(),
      });
      const claimed = await createWebhookRepository(db.prisma, { cipher: createFieldCipher({ current: newKey }) }).claimDue({ limit: 5, leaseMs: 1000 });
      expect(claimed.map((delivery) => delivery.secret)).toEqual(['whsec_rotated']);
      // And the old key alone no longer opens anything.
      const onlyOld = await privacyFixture(db, createFieldCipher({ current: oldKey }));
      await expect(onlyOld.conversations.findById(person.conversation.id)).rejects.toThrow(/not configured/);
    } finally {
      await db.close();
    }
  });

  it('erasure deletes everything about the person in every table, keeps an audit row without personal data, and tells consoles', async () => {
    const db = database();
    const fx = await privacyFixture(db, newCipher());
    const org = await newOrganisation(db);
    const user = await newUser(db, org);
    const gone = await personWithCase(fx, org, user.id);
    const stays = await personWithCase(fx, org, user.id);
    // A console view of the referral, as the API audits it.
    await fx.console.audit({ organisationId: org, actorUserId: user.id, action: 'referral_viewed', targetType: 'referral', targetId: gone.referralId });
    await fx.console.audit({ organisationId: org, actorUserId: user.id, action: 'referral_viewed', targetType: 'referral', targetId: stays.referralId });

    expect(await fx.erasure.erase(gone.conversation.id)).toBe(true);
    expect(await fx.erasure.erase(gone.conversation.id)).toBe(false);

    const ids = [gone.conversation.id, gone.referralId, gone.channelRef];
    for (const model of allModels) {
      for (const row of await rawRows(db, model)) {
        // The audit included: it keeps that a counsellor viewed a referral, no longer which.
        for (const id of ids) expect(row, `${model} still mentions the erased person`).not.toContain(id);
      }
    }
    // The other person is untouched.
    expect(await fx.conversations.findById(stays.conversation.id)).not.toBeNull();
    expect((await fx.conversations.listMessages(stays.conversation.id)).length).toBeGreaterThan(2);
    expect(await fx.handoff.record(org, stays.referralId)).not.toBeNull();

    const audit = await fx.console.listAudit(org);
    const erased = audit.find((entry) => entry.action === 'person_erased');
    expect(erased?.data).toMatchObject({ channel: 'telegram', referrals: 1, via: 'person' });
    expect(erased?.targetId).toBeUndefined();
    const views = audit.filter((entry) => entry.action === 'referral_viewed');
    expect(views.map((entry) => entry.targetId ?? null).sort()).toEqual([null, stays.referralId].sort());
    expect(fx.events).toContainEqual({
      type: 'conversation_erased',
      organisationId: org,
      conversationId: gone.conversation.id,
      referralIds: [gone.referralId],
    });
    expect(await fx.privacy.retentionStats(org)).toEqual([
      expect.objectContaining({ day: '2026-11-30', erasures: 1, conversationsDeleted: 1, referralsDeleted: 1 }),
    ]);
  });

  it('retention deletes what is past its time at a fixed clock, keeps the rest, and leaves only counts', async () => {
    const db = database();
    const now = new Date('2027-06-01T03:00:00Z');
    const fx = await privacyFixture(db, newCipher(), now);
    const org = await newOrganisation(db);
    const other = await newOrganisation(db, 'Other');
    const user = await newUser(db, org);
    const ago = (days: number) => new Date(now.getTime() - days * DAY);
    const touch = (id: string, at: Date) => db.prisma.$executeRaw`UPDATE "Conversation" SET "updatedAt" = ${at} WHERE id = ${id}::uuid`;
    const bare = async (organisationId: string, idleDays: number) => {
      const c = await fx.conversations.create({ organisationId, channel: 'web', channelRef: `r-${Math.random()}`, locale: 'en', flowState: { v: 1 } });
      await fx.conversations.commitTurn({
        conversationId: c.id,
        expectedVersion: 0,
        locale: 'en',
        flowState: { v: 1 },
        messages: [{ author: 'client', text: 'hi' }],
      });
      await touch(c.id, ago(idleDays));
      return c.id;
    };
    const closedCase = async (closedDaysAgo: number) => {
      fx.clock.now = ago(closedDaysAgo);
      const person = await personWithCase(fx, org, user.id);
      const closed = await fx.handoff.close({ userId: user.id, organisationId: org, role: 'counsellor' }, person.referralId, 'done');
      expect(closed.ok).toBe(true);
      await touch(person.conversation.id, ago(closedDaysAgo));
      fx.clock.now = now;
      return person;
    };

    const idleOld = await bare(org, 31);
    const idleRecent = await bare(org, 29);
    const idleOtherOrg = await bare(other, 45);
    const closedOld = await closedCase(91);
    const closedRecent = await closedCase(89);
    // Still waiting for a counsellor after 100 days: never deleted by retention.
    fx.clock.now = ago(100);
    const open = await personWithCase(fx, org, user.id);
    await touch(open.conversation.id, ago(100));
    // An old closed referral whose person came back yesterday: the referral goes, the chat stays.
    const returning = await closedCase(120);
    await touch(returning.conversation.id, ago(1));
    fx.clock.now = now;
    await fx.privacy.setRetention(other, { idleDays: 60 });

    const results = await fx.retention.runOnce();
    const mine = results.find((r) => r.organisationId === org);
    expect(mine).toMatchObject({ conversationsDeleted: 2, referralsDeleted: 2 });

    const exists = async (id: string) => (await fx.conversations.findById(id)) !== null;
    expect(await exists(idleOld)).toBe(false);
    expect(await exists(idleRecent)).toBe(true);
    expect(await exists(idleOtherOrg)).toBe(true);
    expect(await exists(closedOld.conversation.id)).toBe(false);
    expect(await exists(closedRecent.conversation.id)).toBe(true);
    expect(await exists(open.conversation.id)).toBe(true);
    expect(await exists(returning.conversation.id)).toBe(true);
    expect(await fx.handoff.find(org, returning.referralId)).toBeNull();
    expect(await fx.handoff.find(org, open.referralId)).not.toBeNull();
    // Nothing of the deleted conversations remains anywhere.
    for (const model of allModels) {
      for (const row of await rawRows(db, model)) {
        for (const id of [idleOld, closedOld.conversation.id, closedOld.conversation.channelRef]) expect(row, model).not.toContain(id);
      }
    }
    const [stat] = await fx.privacy.retentionStats(org);
    expect(stat).toMatchObject({ day: '2027-06-01', conversationsDeleted: 2, referralsDeleted: 2, messagesDeleted: expect.any(Number), erasures: 0 });
    expect(stat?.messagesDeleted).toBeGreaterThan(4);
    expect(Object.keys(stat ?? {}).sort()).toEqual(['conversationsDeleted', 'day', 'erasures', 'messagesDeleted', 'organisationId', 'referralsDeleted']);

    // A second run at the same time finds nothing more; the defaults are 90 and 30 days.
    expect((await fx.retention.runOnce()).every((r) => r.conversationsDeleted === 0 && r.referralsDeleted === 0)).toBe(true);
    expect((await fx.privacy.retentionPolicies()).find((p) => p.organisationId === org)).toMatchObject({ closedDays: 90, idleDays: 30 });
    expect(await createOrganisationRepository(db.prisma).findById(org)).not.toBeNull();
  });
});
