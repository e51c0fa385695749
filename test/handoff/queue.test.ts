import { describe, expect, it } from 'vitest';
import type { Actor } from '../../src/handoff/service.js';
import { outboxPayloadSchema } from '../../src/handoff/outbox.js';
import { createConsoleRepository } from '../../src/store/repositories/console.js';
import type { Database } from '../../src/store/client.js';
import { databaseKinds, useTestDatabase } from '../support/databases.js';
import { conversationWith, handoffFixture, newOrganisation } from './support.js';

async function counsellor(db: Database, organisationId: string, role: 'counsellor' | 'admin' = 'counsellor'): Promise<Actor> {
  const user = await createConsoleRepository(db.prisma).createUser({
    organisationId,
    email: `${crypto.randomUUID()}@example.org`,
    passwordHash: 'unused',
    role,
  });
  if (!user) throw new Error('user not created');
  return { userId: user.id, organisationId, role };
}

const minutes = (n: number) => n * 60_000;

describe.each(databaseKinds)('the queue on %s', (kind) => {
  const database = useTestDatabase(kind);

  it('orders by priority, first come first served within a level, and tells each person their place', async () => {
    const db = database();
    const fx = await handoffFixture(db);
    const organisationId = await newOrganisation(db);
    const start = fx.clock.now.getTime();
    const requests: [string, Record<string, string | number | string[]>, string][] = [
      ['normal-1', {}, 'client_request'],
      ['elevated', { vulnerabilities: ['pregnant'] }, 'client_request'],
      ['urgent', {}, 'safety_concern'],
      ['normal-2', {}, 'intake_completed'],
      ['high', { ageBand: '16-17', unaccompaniedMinor: 'yes' }, 'unaccompanied_minor'],
    ];
    const ids = new Map<string, string>();
    for (const [index, [label, answers, reason]] of requests.entries()) {
      fx.clock.now = new Date(start + minutes(index));
      const conversation = await conversationWith(db, organisationId, answers);
      const { referral, notice } = await fx.service.handoffRequested(conversation, reason);
      ids.set(label, referral.id);
      expect(notice?.key).toBe('handoff:queued_no_estimate');
    }
    const list = await fx.service.list(organisationId, ['new']);
    expect(list.map((referral) => [...ids].find(([, id]) => id === referral.id)?.[0])).toEqual(['urgent', 'high', 'elevated', 'normal-1', 'normal-2']);
    const positions = await Promise.all(list.map(async (referral) => (await fx.service.queueInfo(referral)).position));
    expect(positions).toEqual([1, 2, 3, 4, 5]);
    // Another organisation's queue is its own.
    expect(await fx.service.list(await newOrganisation(db, 'Other'))).toEqual([]);
  });

  it('estimates a rough wait from recent claims, and says when there is not enough data', async () => {
    const db = database();
    const fx = await handoffFixture(db);
    const organisationId = await newOrganisation(db);
    const actor = await counsellor(db, organisationId);
    const waits = [minutes(4), minutes(12), minutes(20)];
    let last = null;
    for (const wait of waits) {
      const created = fx.clock.now;
      const { referral, queue } = await fx.service.handoffRequested(await conversationWith(db, organisationId), 'client_request');
      expect(queue.wait).toEqual({ kind: 'not_enough_data' });
      fx.clock.now = new Date(created.getTime() + wait);
      expect((await fx.service.claim(actor, referral.id)).ok).toBe(true);
      last = referral;
    }
    expect(last).not.toBeNull();
    const { queue, notice } = await fx.service.handoffRequested(await conversationWith(db, organisationId), 'client_request');
    // The median of 4, 12 and 20 minutes.
    expect(queue.wait).toEqual({ kind: 'estimate', minutes: 15, samples: 3 });
    expect(notice?.key).toBe('handoff:queued');
    expect(notice?.text).toContain('about 15 minutes');
  });

  it('tells the person outside office hours when the office opens again, in their language', async () => {
    const db = database();
    // Saturday 28 Nov 2026, 11:00 in Berlin.
    const fx = await handoffFixture(db, new Date('2026-11-28T10:00:00Z'));
    const organisationId = await newOrganisation(db);
    const { notice, queue } = await fx.service.handoffRequested(await conversationWith(db, organisationId), 'client_request');
    expect(queue.office).toEqual({ open: false, opensAt: new Date('2026-11-30T08:00:00Z') });
    expect(notice?.key).toBe('handoff:queued_office_closed');
    expect(notice?.text).toMatch(/Monday, November 30 at 09:00/);
    const arabic = await fx.service.handoffRequested(await conversationWith(db, organisationId, {}, { locale: 'ar' }), 'client_request');
    expect(arabic.notice?.text).toContain('مستشار');
  });

  it('keeps one open referral per conversation, raising (never lowering) its priority', async () => {
    const db = database();
    const fx = await handoffFixture(db);
    const organisationId = await newOrganisation(db);
    const conversation = await conversationWith(db, organisationId);
    const results = await Promise.all([
      fx.service.handoffRequested(conversation, 'client_request'),
      fx.service.handoffRequested(conversation, 'client_request'),
    ]);
    expect(new Set(results.map((result) => result.referral.id)).size).toBe(1);
    expect(results.filter((result) => result.created)).toHaveLength(1);
    const urgent = await fx.service.handoffRequested(conversation, 'safety_concern');
    expect(urgent.referral.priority).toBe('urgent');
    const again = await fx.service.handoffRequested(conversation, 'client_request');
    expect(again.referral).toMatchObject({ id: urgent.referral.id, priority: 'urgent' });
    expect(await db.prisma.referral.count({ where: { conversationId: conversation.id } })).toBe(1);
  });

  it('lets exactly one of two simultaneous claims win, every time', async () => {
    const db = database();
    const fx = await handoffFixture(db);
    const organisationId = await newOrganisation(db);
    const anna = await counsellor(db, organisationId);
    const ben = await counsellor(db, organisationId);
    for (let round = 0; round < 8; round++) {
      const { referral } = await fx.service.handoffRequested(await conversationWith(db, organisationId), 'client_request');
      const results = await Promise.all([fx.service.claim(anna, referral.id), fx.service.claim(ben, referral.id)]);
      const winners = results.filter((result) => result.ok);
      expect(winners).toHaveLength(1);
      const loser = results.find((result) => !result.ok);
      expect(loser).toMatchObject({ ok: false, reason: 'conflict', status: 'claimed' });
      const stored = await db.prisma.referral.findUniqueOrThrow({ where: { id: referral.id } });
      expect(stored.status).toBe('claimed');
      expect([anna.userId, ben.userId]).toContain(stored.assignedUserId);
      expect(await db.prisma.referralEvent.count({ where: { referralId: referral.id, type: 'claimed' } })).toBe(1);
      const conversation = await db.prisma.conversation.findUniqueOrThrow({ where: { id: referral.conversationId } });
      expect(conversation.status).toBe('human');
    }
  });

  it('runs a referral through its statuses with who and when, telling the person through the outbox', async () => {
    const db = database();
    const fx = await handoffFixture(db);
    const organisationId = await newOrganisation(db);
    const anna = await counsellor(db, organisationId);
    const ben = await counsellor(db, organisationId);
    const conversation = await conversationWith(db, organisationId, {}, { channel: 'telegram' });
    const { referral } = await fx.service.handoffRequested(conversation, 'client_request');

    expect(await fx.service.sendMessage(anna, referral.id, 'too early')).toMatchObject({ ok: false, reason: 'wrong_status' });
    expect((await fx.service.claim(anna, referral.id)).ok).toBe(true);
    expect(await fx.service.sendMessage(ben, referral.id, 'not mine')).toEqual({ ok: false, reason: 'not_assignee' });
    const sent = await fx.service.sendMessage(anna, referral.id, 'Hello, I am Anna.');
    expect(sent.ok).toBe(true);
    expect(await fx.service.setStatus(anna, referral.id, { status: 'in_progress' })).toMatchObject({ ok: true, value: { status: 'in_progress' } });
    expect(await fx.service.setStatus(anna, referral.id, { status: 'referred', provider: 'IOM Berlin' })).toMatchObject({
      ok: true,
      value: { status: 'referred' },
    });
    expect(await fx.service.handBack(anna, referral.id)).toMatchObject({ ok: true });
    expect((await db.prisma.conversation.findUniqueOrThrow({ where: { id: conversation.id } })).status).toBe('bot');
    expect(await fx.service.close(ben, referral.id, 'not mine')).toEqual({ ok: false, reason: 'not_assignee' });
    expect(await fx.service.close(anna, referral.id, 'return organised')).toMatchObject({ ok: true, value: { status: 'closed' } });
    expect(await fx.service.close(anna, referral.id, 'twice')).toMatchObject({ ok: false, reason: 'wrong_status', status: 'closed' });

    const record = await fx.service.record(organisationId, referral.id);
    expect(record?.history.map((entry) => [entry.type, entry.actorUserId])).toEqual([
      ['created', null],
      ['claimed', anna.userId],
      ['message_sent', anna.userId],
      ['status_changed', anna.userId],
      ['status_changed', anna.userId],
      ['handed_back', anna.userId],
      ['closed', anna.userId],
    ]);
    expect(record?.history[4]?.data).toEqual({ status: 'referred', provider: 'IOM Berlin' });
    expect(record?.history.at(-1)?.data).toEqual({ reason: 'return organised' });
    expect(record?.closedAt).not.toBeNull();

    const outbox = await db.prisma.outboxMessage.findMany({ where: { conversationId: conversation.id }, orderBy: { createdAt: 'asc' } });
    expect(outbox.every((row) => row.channel === 'telegram')).toBe(true);
    const payloads = outbox.map((row) => outboxPayloadSchema.parse(row.payload));
    expect(payloads.map((payload) => payload.key ?? payload.text)).toEqual([
      'handoff:counsellor_joined',
      'Hello, I am Anna.',
      'handoff:handed_back',
      'handoff:closed',
    ]);
    const messages = await fx.conversations.listMessages(conversation.id);
    expect(messages.map((message) => message.author)).toEqual(['system', 'system', 'counsellor', 'system', 'system']);
    expect(messages.map((message) => message.seq)).toEqual([0, 1, 2, 3, 4]);

    // Closed: a new request makes a new referral.
    const next = await fx.service.handoffRequested(conversation, 'client_request');
    expect(next.created).toBe(true);
    expect(next.referral.id).not.toBe(referral.id);
    expect(fx.events.map((event) => event.type)).toContain('outbox_enqueued');
  });

  it('after a hand-back, a new request goes to the same counsellor, who takes the chat again', async () => {
    const db = database();
    const fx = await handoffFixture(db);
    const organisationId = await newOrganisation(db);
    const anna = await counsellor(db, organisationId);
    const ben = await counsellor(db, organisationId);
    const conversation = await conversationWith(db, organisationId);
    const { referral } = await fx.service.handoffRequested(conversation, 'client_request');
    expect((await fx.service.claim(anna, referral.id)).ok).toBe(true);
    expect((await fx.service.handBack(anna, referral.id)).ok).toBe(true);
    const again = await fx.service.handoffRequested(conversation, 'client_request');
    expect(again).toMatchObject({ created: false, referral: { id: referral.id, status: 'claimed', assignedUserId: anna.userId } });
    expect(again.notice?.key).toBe('handoff:counsellor_told');
    expect(fx.events.at(-1)).toMatchObject({ type: 'referral_updated', change: 'handoff_requested_again', assignedUserId: anna.userId });
    expect(await fx.service.claim(ben, referral.id)).toMatchObject({ ok: false, reason: 'conflict' });
    expect(await fx.service.claim(anna, referral.id)).toMatchObject({ ok: true });
    expect((await db.prisma.conversation.findUniqueOrThrow({ where: { id: conversation.id } })).status).toBe('human');
  });

  it('lets the person cancel, and the chat goes back to the bot', async () => {
    const db = database();
    const fx = await handoffFixture(db);
    const organisationId = await newOrganisation(db);
    const conversation = await conversationWith(db, organisationId);
    const { referral } = await fx.service.handoffRequested(conversation, 'client_request');
    expect(await fx.service.cancelByPerson(conversation.id)).toMatchObject({ ok: true, value: { status: 'cancelled' } });
    expect((await db.prisma.conversation.findUniqueOrThrow({ where: { id: conversation.id } })).status).toBe('bot');
    expect(await fx.service.cancelByPerson(conversation.id)).toEqual({ ok: false, reason: 'not_found' });
    expect(fx.events.at(-2)).toMatchObject({ type: 'referral_updated', referralId: referral.id, change: 'cancelled', status: 'cancelled' });
  });
});
