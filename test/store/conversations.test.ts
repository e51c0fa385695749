import { randomUUID } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  createConversationRepository,
  type ConversationRepository,
  type NewMessage,
  type StoredConversation,
} from '../../src/store/repositories/conversations.js';
import { createOrganisationRepository, demoOrganisation } from '../../src/store/repositories/organisations.js';
import { databaseKinds, useTestDatabase } from '../support/databases.js';

describe.each(databaseKinds)('store repositories on %s', (kind) => {
  const db = useTestDatabase(kind);
  let conversations: ConversationRepository;
  let organisationId: string;

  beforeAll(async () => {
    conversations = createConversationRepository(db().prisma);
    organisationId = (await createOrganisationRepository(db().prisma).ensureDemoOrganisation()).id;
  });

  const newConversation = (channelRef = randomUUID()) =>
    conversations.create({ organisationId, channel: 'web', channelRef, locale: 'en', flowState: { v: 1, node: 'start' } });

  const say = (text: string): NewMessage => ({ author: 'client', text });

  describe('organisations', () => {
    it('ensureDemoOrganisation is idempotent, also when called at once', async () => {
      const organisations = createOrganisationRepository(db().prisma);
      const all = await Promise.all([1, 2, 3].map(() => organisations.ensureDemoOrganisation()));
      expect(new Set(all.map((org) => org.id)).size).toBe(1);
      expect(all[0]).toMatchObject(demoOrganisation);
      expect(await organisations.findByWidgetKey('demo')).toEqual(all[0]);
      expect(await organisations.findById(organisationId)).toEqual(all[0]);
    });

    it('creates and finds organisations; unknown ids are null', async () => {
      const organisations = createOrganisationRepository(db().prisma);
      const created = await organisations.create({ name: 'Ngo', widgetKey: `w-${randomUUID()}` });
      expect(created).toMatchObject({ name: 'Ngo', defaultLocale: 'en', allowedOrigins: [] });
      expect(await organisations.findById(created.id)).toEqual(created);
      expect(await organisations.findById(randomUUID())).toBeNull();
      expect(await organisations.findById('not-a-uuid')).toBeNull();
    });
  });

  describe('conversations', () => {
    it('create is idempotent on (channel, channelRef), also under a race', async () => {
      const channelRef = randomUUID();
      const created = await Promise.all([1, 2, 3, 4, 5].map(() => newConversation(channelRef)));
      expect(new Set(created.map((c) => c.id)).size).toBe(1);
      const found = await conversations.findByChannelRef('web', channelRef);
      expect(found).toMatchObject({ id: created[0]?.id, version: 0, nextSeq: 0, status: 'bot', flowState: { v: 1, node: 'start' } });
      expect(await conversations.findByChannelRef('telegram', channelRef)).toBeNull();
    });

    it('commitTurn stores the state and the messages in order', async () => {
      const conv = await newConversation();
      const first = await conversations.commitTurn({
        conversationId: conv.id,
        expectedVersion: 0,
        locale: 'fr',
        flowState: { v: 1, node: 'ask_country' },
        status: 'queued',
        messages: [
          say('bonjour'),
          { author: 'bot', text: 'Bienvenue', textKey: 'welcome', textParams: { name: 'A' }, locale: 'fr', payload: { choices: ['a'] } },
          { author: 'bot', text: 'Pays ?', textKey: 'ask.country' },
        ],
      });
      expect(first.ok).toBe(true);
      if (!first.ok) return;
      expect(first.version).toBe(1);
      expect(first.conversation).toMatchObject({ version: 1, nextSeq: 3, locale: 'fr', status: 'queued', flowState: { node: 'ask_country' } });
      expect(first.messages.map((m) => [m.seq, m.author, m.text])).toEqual([
        [0, 'client', 'bonjour'],
        [1, 'bot', 'Bienvenue'],
        [2, 'bot', 'Pays ?'],
      ]);
      expect(first.messages[1]).toMatchObject({ textKey: 'welcome', textParams: { name: 'A' }, locale: 'fr', payload: { choices: ['a'] } });
      expect(first.messages[0]).toMatchObject({ textKey: null, textParams: null, locale: null, payload: null });

      const second = await conversations.commitTurn({
        conversationId: conv.id,
        expectedVersion: 1,
        locale: 'fr',
        flowState: { v: 1, node: 'next' },
        messages: [say('Maroc')],
      });
      expect(second).toMatchObject({ ok: true, version: 2, messages: [{ seq: 3, text: 'Maroc' }] });

      const all = await conversations.listMessages(conv.id);
      expect(all.map((m) => m.seq)).toEqual([0, 1, 2, 3]);
      expect((await conversations.listMessages(conv.id, { afterSeq: 1, limit: 1 })).map((m) => m.seq)).toEqual([2]);
      expect(await conversations.findById(conv.id)).toMatchObject({ version: 2, nextSeq: 4, status: 'queued' });
    });

    it('a stale expectedVersion conflicts and stores nothing', async () => {
      const conv = await newConversation();
      await conversations.commitTurn({ conversationId: conv.id, expectedVersion: 0, locale: 'en', flowState: { n: 1 }, messages: [say('one')] });
      const before = await conversations.findById(conv.id);

      const stale = await conversations.commitTurn({
        conversationId: conv.id,
        expectedVersion: 0,
        locale: 'de',
        flowState: { n: 'stale' },
        status: 'closed',
        messages: [say('two'), say('three')],
        consent: { noticeVersion: '1', granted: true, scopes: ['store_answers'] },
      });
      expect(stale).toEqual({ ok: false, reason: 'conflict' });
      expect(await conversations.findById(conv.id)).toEqual(before);
      expect((await conversations.listMessages(conv.id)).map((m) => m.text)).toEqual(['one']);
      expect(await conversations.listConsents(conv.id)).toEqual([]);

      const missing = await conversations.commitTurn({ conversationId: randomUUID(), expectedVersion: 0, locale: 'en', flowState: {}, messages: [] });
      expect(missing).toEqual({ ok: false, reason: 'conflict' });
    });

    it('of 20 parallel commits from the same version exactly one wins', async () => {
      const conv = await newConversation();
      const results = await Promise.all(
        Array.from({ length: 20 }, (_, i) =>
          conversations.commitTurn({
            conversationId: conv.id,
            expectedVersion: 0,
            locale: 'en',
            flowState: { winner: i },
            messages: [say(`a${i}`), say(`b${i}`)],
          }),
        ),
      );
      const winners = results.flatMap((result, i) => (result.ok ? [i] : []));
      expect(winners).toHaveLength(1);
      const winner = winners[0];
      expect(results.filter((r) => !r.ok)).toHaveLength(19);
      const stored = await conversations.findById(conv.id);
      expect(stored).toMatchObject({ version: 1, nextSeq: 2, flowState: { winner } });
      expect((await conversations.listMessages(conv.id)).map((m) => m.text)).toEqual([`a${winner}`, `b${winner}`]);
    });

    it('a failing commit rolls back the whole turn', async () => {
      const conv = await newConversation();
      const failing = conversations.commitTurn({
        conversationId: conv.id,
        expectedVersion: 0,
        locale: 'en',
        flowState: { n: 1 },
        messages: [say('kept?')],
        // The database rejects the text: PostgreSQL text cannot hold NUL characters.
        consent: { noticeVersion: 'v\u0000', granted: true, scopes: [] },
      });
      await expect(failing).rejects.toThrow();
      expect(await conversations.findById(conv.id)).toMatchObject({ version: 0, nextSeq: 0 });
      expect(await conversations.listMessages(conv.id)).toEqual([]);
    });

    it('records consent with the turn, with the conversation channel by default', async () => {
      const conv = await newConversation();
      const result = await conversations.commitTurn({
        conversationId: conv.id,
        expectedVersion: 0,
        locale: 'en',
        flowState: {},
        messages: [],
        consent: { noticeVersion: '2026-01', granted: true, scopes: ['store_answers', 'share_with_counsellor'] },
      });
      expect(result).toMatchObject({ ok: true, version: 1, messages: [] });
      await conversations.recordConsent({ conversationId: conv.id, noticeVersion: '2026-01', granted: false, scopes: [], channel: 'telegram' });
      expect(await conversations.listConsents(conv.id)).toMatchObject([
        { noticeVersion: '2026-01', granted: true, scopes: ['store_answers', 'share_with_counsellor'], channel: 'web' },
        { granted: false, scopes: [], channel: 'telegram' },
      ]);
    });

    it('erase removes the conversation with its messages, consents and referrals', async () => {
      const conv: StoredConversation = await newConversation();
      const other = await newConversation();
      for (const c of [conv, other]) {
        await conversations.commitTurn({
          conversationId: c.id,
          expectedVersion: 0,
          locale: 'en',
          flowState: {},
          messages: [say('personal data')],
          consent: { noticeVersion: '1', granted: true, scopes: ['store_answers'] },
        });
      }
      await db().prisma.referral.create({ data: { organisationId, conversationId: conv.id, record: { v: 1 } } });

      expect(await conversations.erase(conv.id)).toBe(true);
      expect(await conversations.findById(conv.id)).toBeNull();
      expect(await db().prisma.message.count({ where: { conversationId: conv.id } })).toBe(0);
      expect(await db().prisma.consent.count({ where: { conversationId: conv.id } })).toBe(0);
      expect(await db().prisma.referral.count({ where: { conversationId: conv.id } })).toBe(0);
      expect(await conversations.listMessages(other.id)).toHaveLength(1);
      expect(await conversations.erase(conv.id)).toBe(false);
    });
  });
});
