// The outbox table (claim, lease, order, unreachable) on both databases, and the sender's pacing.
import { beforeAll, describe, expect, it } from 'vitest';
import { OutboxSender } from '../../src/channels/telegram/outbox-sender.js';
import { createConversationRepository } from '../../src/store/repositories/conversations.js';
import { createOrganisationRepository } from '../../src/store/repositories/organisations.js';
import { createOutboxRepository, type ClaimedOutboxMessage, type OutboxRepository } from '../../src/store/repositories/outbox.js';
import { databaseKinds, useTestDatabase, type TestDatabase } from '../support/databases.js';
import { silentLogger } from '../support/turns.js';
import { waitFor } from './support.js';

async function newConversation(db: TestDatabase): Promise<string> {
  const organisation = await createOrganisationRepository(db.prisma).ensureDemoOrganisation();
  const conversation = await createConversationRepository(db.prisma).create({
    organisationId: organisation.id,
    channel: 'telegram',
    channelRef: String(Math.floor(Math.random() * 1e9)),
    locale: 'en',
    flowState: {},
  });
  return conversation.id;
}

const text = (t: string) => ({ text: t });

describe.each(databaseKinds)('the outbox on %s', (kind) => {
  const database = useTestDatabase(kind);
  let outbox: OutboxRepository;
  beforeAll(() => {
    outbox = createOutboxRepository(database().prisma);
  });

  it('hands out the oldest message of each conversation only, and hides claimed ones for the lease', async () => {
    const [a, b] = [await newConversation(database()), await newConversation(database())];
    await outbox.enqueue([
      { conversationId: a, channel: 'telegram', payload: text('a1') },
      { conversationId: a, channel: 'telegram', payload: text('a2') },
    ]);
    await outbox.enqueue({ conversationId: b, channel: 'telegram', payload: text('b1') });

    const first = await outbox.claimDue('telegram', { limit: 10, leaseMs: 60_000 });
    const mine = first.filter((message) => [a, b].includes(message.conversationId));
    expect(mine.map((message) => message.payload?.text).sort()).toEqual(['a1', 'b1']);
    expect(mine.every((message) => message.attempts === 1)).toBe(true);
    // a2 waits for a1 (order within a chat); a1 and b1 are leased.
    expect((await outbox.claimDue('telegram', { limit: 10, leaseMs: 60_000 })).filter((message) => [a, b].includes(message.conversationId))).toEqual([]);

    const a1 = mine.find((message) => message.payload?.text === 'a1')!;
    await outbox.markSent(a1.id);
    const next = (await outbox.claimDue('telegram', { limit: 10, leaseMs: 60_000 })).filter((message) => message.conversationId === a);
    expect(next.map((message) => message.payload?.text)).toEqual(['a2']);
    expect(await outbox.countByStatus(a)).toEqual({ pending: 1, sent: 1, failed: 0 });
  });

  it('gives a message whose lease ran out to the next claimer (a sender that died mid-send)', async () => {
    const c = await newConversation(database());
    await outbox.enqueue({ conversationId: c, channel: 'telegram', payload: text('lost?') });
    const claimed = (await outbox.claimDue('telegram', { limit: 50, leaseMs: 1 })).filter((message) => message.conversationId === c);
    expect(claimed).toHaveLength(1);
    const again = await waitFor(async () => {
      const found = (await outbox.claimDue('telegram', { limit: 50, leaseMs: 60_000 })).filter((message) => message.conversationId === c);
      return found.length > 0 ? found : undefined;
    }, 'the lease to run out');
    expect(again.map((message) => [message.payload?.text, message.attempts])).toEqual([['lost?', 2]]);
  });

  it('never gives one message to two concurrent claimers', async () => {
    const conversations = await Promise.all(Array.from({ length: 12 }, () => newConversation(database())));
    await outbox.enqueue(conversations.map((conversationId) => ({ conversationId, channel: 'telegram' as const, payload: text('once') })));
    const claims = await Promise.all(Array.from({ length: 4 }, () => outbox.claimDue('telegram', { limit: 5, leaseMs: 60_000 })));
    const ids = claims
      .flat()
      .filter((message) => conversations.includes(message.conversationId))
      .map((message) => message.id);
    expect(new Set(ids).size).toBe(ids.length);
  });

  it('skips unreachable conversations until they are reachable again, and retries failures later', async () => {
    const d = await newConversation(database());
    await outbox.enqueue({ conversationId: d, channel: 'telegram', payload: text('later') });
    await outbox.setUnreachable(d, new Date());
    const mineOf = async () => (await outbox.claimDue('telegram', { limit: 50, leaseMs: 60_000 })).filter((message) => message.conversationId === d);
    expect(await mineOf()).toEqual([]);
    await outbox.setUnreachable(d, null);
    const [claimed] = await mineOf();
    expect(claimed).toBeDefined();
    await outbox.markFailed(claimed!.id, 'network', new Date(Date.now() + 60_000));
    expect(await mineOf()).toEqual([]);
    await outbox.markFailed(claimed!.id, 'given up', null);
    expect(await outbox.countByStatus(d)).toEqual({ pending: 0, sent: 0, failed: 1 });
  });
});

describe('the outbox sender', () => {
  const database = useTestDatabase('pglite');

  it('sends every message once, in order per chat, at most one per chat per interval, and stops cleanly', async () => {
    const outbox = createOutboxRepository(database().prisma);
    const [a, b] = [await newConversation(database()), await newConversation(database())];
    await outbox.enqueue([1, 2, 3].map((n) => ({ conversationId: a, channel: 'telegram' as const, payload: text(`a${n}`) })));
    await outbox.enqueue([1, 2].map((n) => ({ conversationId: b, channel: 'telegram' as const, payload: text(`b${n}`) })));

    const sent: { conversationId: string; text: string; at: number }[] = [];
    const sender = new OutboxSender({
      outbox,
      logger: silentLogger,
      perChatIntervalMs: 150,
      pollIntervalMs: 50,
      send: async (message: ClaimedOutboxMessage & { payload: { text: string } }, beforeSend) => {
        await beforeSend();
        sent.push({ conversationId: message.conversationId, text: message.payload.text, at: Date.now() });
        return { status: 'sent' };
      },
    });
    sender.start();
    try {
      await waitFor(() => (sent.length >= 5 ? true : undefined), 'five messages sent');
    } finally {
      await sender.stop();
    }
    const of = (id: string) => sent.filter((entry) => entry.conversationId === id);
    expect(of(a).map((entry) => entry.text)).toEqual(['a1', 'a2', 'a3']);
    expect(of(b).map((entry) => entry.text)).toEqual(['b1', 'b2']);
    for (const list of [of(a), of(b)]) {
      for (let i = 1; i < list.length; i++) expect(list[i]!.at - list[i - 1]!.at).toBeGreaterThanOrEqual(145);
    }
    expect(await outbox.countByStatus(a)).toEqual({ pending: 0, sent: 3, failed: 0 });
  });

  it('marks a conversation unreachable when the person blocked the bot, and keeps its messages', async () => {
    const outbox = createOutboxRepository(database().prisma);
    const c = await newConversation(database());
    await outbox.enqueue([
      { conversationId: c, channel: 'telegram', payload: text('one') },
      { conversationId: c, channel: 'telegram', payload: text('two') },
    ]);
    let attempts = 0;
    const sender = new OutboxSender({
      outbox,
      logger: silentLogger,
      pollIntervalMs: 20,
      send: async () => {
        attempts++;
        return { status: 'blocked' };
      },
    });
    sender.start();
    try {
      await waitFor(
        async () => ((await database().prisma.conversation.findUniqueOrThrow({ where: { id: c } })).unreachableAt ? true : undefined),
        'unreachable',
      );
      // Several idle polls pass; nothing more is tried for this chat.
      const polls = Date.now();
      await waitFor(() => (Date.now() - polls > 200 ? true : undefined), 'a few polls');
    } finally {
      await sender.stop();
    }
    expect(attempts).toBe(1);
    expect(await outbox.countByStatus(c)).toEqual({ pending: 2, sent: 0, failed: 0 });
  });
});
