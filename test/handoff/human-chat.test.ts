import { randomUUID } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import { TurnProcessor } from '../../src/conversation/turn-processor.js';
import { createTurnHandoffPort, mostSevere } from '../../src/handoff/turn-port.js';
import { createConsoleRepository } from '../../src/store/repositories/console.js';
import { createOrganisationRepository } from '../../src/store/repositories/organisations.js';
import { databaseKinds, useTestDatabase } from '../support/databases.js';
import { join } from 'node:path';
import { createEngineContext } from '../../src/engine/context.js';
import { defaultEntryFlow } from '../../src/config.js';
import { loadFlows } from '../../src/flows/load.js';
import { projectRoot, shippedSafetyDetector } from '../support/engine.js';
import { silentLogger, webTurn } from '../support/turns.js';
import { handoffFixture, localesAndCatalogue } from './support.js';

/** The shipped flows without the locale checks, which other work in progress may fail for a while. */
async function engineOnly() {
  const { localisation, programmes } = await localesAndCatalogue();
  return { ctx: createEngineContext(loadFlows(join(projectRoot, 'flows')).flows, localisation, defaultEntryFlow, shippedSafetyDetector(), programmes) };
}

describe.each(databaseKinds)('while a counsellor owns the chat, on %s', (kind) => {
  const database = useTestDatabase(kind);
  let organisationId: string;
  beforeAll(async () => {
    organisationId = (await createOrganisationRepository(database().prisma).ensureDemoOrganisation()).id;
  });

  it('the bot stays silent, the person’s words reach the counsellor, global commands still work', async () => {
    const db = database();
    const { ctx: engine } = await engineOnly();
    const fx = await handoffFixture(db);
    const turns = new TurnProcessor({
      conversations: fx.conversations,
      engine,
      chooseLocale: () => 'en',
      defaultLocaleOf: async () => 'en',
      logger: silentLogger,
      handoff: createTurnHandoffPort(fx.service, fx.referrals, silentLogger),
    });
    const ref = randomUUID();
    for (const said of [{ type: 'start' as const }, 'English', 'yes']) expect((await turns.process(webTurn(organisationId, ref, said))).ok).toBe(true);

    const asked = await turns.process(webTurn(organisationId, ref, { type: 'intent', intent: 'handoff' }));
    expect(asked.conversation.status).toBe('queued');
    expect(asked.messages.map((message) => message.key)).toEqual(['system:handoff_requested', 'handoff:queued_no_estimate']);
    expect(asked.stored.map((message) => message.seq)).toEqual([...asked.stored.keys()].map((index) => asked.stored[0]!.seq + index));
    const referral = await fx.referrals.findOpenByConversation(asked.conversation.id);
    expect(referral).toMatchObject({ status: 'new', priority: 'normal' });

    const user = await createConsoleRepository(db.prisma).createUser({
      organisationId,
      email: `${randomUUID()}@example.org`,
      passwordHash: 'unused',
      role: 'counsellor',
    });
    const actor = { userId: user!.id, organisationId, role: 'counsellor' as const };
    expect((await fx.service.claim(actor, referral!.id)).ok).toBe(true);

    const silent = await turns.process(webTurn(organisationId, ref, 'Are you there? My name is Amira.'));
    expect(silent).toMatchObject({ ok: true, messages: [], events: [] });
    expect(silent.stored).toMatchObject([{ author: 'client', text: 'Are you there? My name is Amira.' }]);
    expect(silent.conversation.status).toBe('human');
    expect(fx.events.at(-1)).toMatchObject({
      type: 'client_message',
      referralId: referral!.id,
      text: 'Are you there? My name is Amira.',
      seq: silent.stored[0]!.seq,
    });

    // "Talk to a person" is already answered: no second reply.
    expect((await turns.process(webTurn(organisationId, ref, 'talk to a person'))).messages).toEqual([]);
    expect((await turns.process(webTurn(organisationId, ref, { type: 'choice', value: 'something' }))).messages).toEqual([]);
    // Global commands still work.
    const help = await turns.process(webTurn(organisationId, ref, 'help'));
    expect(help.messages[0]?.key).toBe('system:help');
    expect(help.conversation.status).toBe('human');

    // The counsellor hands back: the bot answers again.
    expect((await fx.service.handBack(actor, referral!.id)).ok).toBe(true);
    const resumed = await turns.process(webTurn(organisationId, ref, '18 to 59'));
    expect(resumed.messages.length).toBeGreaterThan(0);
    expect(resumed.conversation.status).toBe('bot');
  });

  it('the person cancels: the queued referral is cancelled, the bot answers again; a counsellor-owned chat too', async () => {
    const db = database();
    const { ctx: engine } = await engineOnly();
    const fx = await handoffFixture(db);
    const turns = new TurnProcessor({
      conversations: fx.conversations,
      engine,
      chooseLocale: () => 'en',
      defaultLocaleOf: async () => 'en',
      logger: silentLogger,
      handoff: createTurnHandoffPort(fx.service, fx.referrals, silentLogger),
    });
    const ref = randomUUID();
    for (const said of [{ type: 'start' as const }, 'English', 'yes']) await turns.process(webTurn(organisationId, ref, said));
    const nothing = await turns.process(webTurn(organisationId, ref, 'cancel'));
    expect(nothing.messages.map((message) => message.key)).toEqual(['system:nothing_to_cancel', 'bot:intake.age_band']);

    const asked = await turns.process(webTurn(organisationId, ref, 'talk to a person'));
    expect(asked.conversation.status).toBe('queued');
    const queued = (await fx.referrals.findOpenByConversation(asked.conversation.id))!;

    const cancelled = await turns.process(webTurn(organisationId, ref, 'never mind'));
    expect(cancelled.messages.map((message) => message.key)).toEqual(['system:handoff_cancelled', 'bot:intake.age_band']);
    expect(cancelled.events).toContainEqual({ type: 'handoff_cancel_requested' });
    expect(cancelled.conversation.status).toBe('bot');
    expect((await fx.conversations.findById(asked.conversation.id))?.status).toBe('bot');
    expect(await fx.service.find(organisationId, queued.id)).toMatchObject({ status: 'cancelled' });
    expect(await fx.referrals.findOpenByConversation(asked.conversation.id)).toBeNull();
    expect(fx.events).toContainEqual(expect.objectContaining({ type: 'referral_updated', referralId: queued.id, change: 'cancelled', status: 'cancelled' }));
    // The reply told the person; nothing more is queued for their channel.
    expect(await db.prisma.outboxMessage.count({ where: { conversationId: asked.conversation.id } })).toBe(0);
    expect((await turns.process(webTurn(organisationId, ref, '18 to 59'))).messages.map((message) => message.key)).toEqual([
      'bot:counselling.safety_why',
      'bot:counselling.safety',
    ]);

    // Asked again and claimed: "/cancel" still reaches the bot while a counsellor owns the chat.
    await turns.process(webTurn(organisationId, ref, { type: 'intent', intent: 'handoff' }));
    const second = (await fx.referrals.findOpenByConversation(asked.conversation.id))!;
    expect(second.id).not.toBe(queued.id);
    const user = await createConsoleRepository(db.prisma).createUser({
      organisationId,
      email: `${randomUUID()}@example.org`,
      passwordHash: 'unused',
      role: 'counsellor',
    });
    expect((await fx.service.claim({ userId: user!.id, organisationId, role: 'counsellor' }, second.id)).ok).toBe(true);
    const fromHuman = await turns.process(webTurn(organisationId, ref, '/cancel'));
    expect(fromHuman.messages[0]?.key).toBe('system:handoff_cancelled');
    expect(fromHuman.conversation.status).toBe('bot');
    expect(await fx.service.find(organisationId, second.id)).toMatchObject({ status: 'cancelled' });
  });

  it('a turn computed before a claim does not write the old status back', async () => {
    const db = database();
    const { ctx: engine } = await engineOnly();
    const fx = await handoffFixture(db);
    const turns = new TurnProcessor({
      conversations: fx.conversations,
      engine,
      chooseLocale: () => 'en',
      defaultLocaleOf: async () => 'en',
      logger: silentLogger,
      handoff: createTurnHandoffPort(fx.service, fx.referrals, silentLogger),
    });
    const ref = randomUUID();
    for (const said of [{ type: 'start' as const }, 'English', 'yes', { type: 'intent' as const, intent: 'handoff' as const }])
      await turns.process(webTurn(organisationId, ref, said));
    const conversation = (await fx.conversations.findByChannelRef('web', ref))!;
    const referral = (await fx.referrals.findOpenByConversation(conversation.id))!;
    const user = await createConsoleRepository(db.prisma).createUser({
      organisationId,
      email: `${randomUUID()}@example.org`,
      passwordHash: 'unused',
      role: 'counsellor',
    });
    expect((await fx.service.claim({ userId: user!.id, organisationId, role: 'counsellor' }, referral.id)).ok).toBe(true);
    // A commit from the version read before the claim loses: the claim bumped the version.
    const stale = await fx.conversations.commitTurn({
      conversationId: conversation.id,
      expectedVersion: conversation.version,
      locale: 'en',
      flowState: conversation.flowState,
      status: 'queued',
      messages: [],
    });
    expect(stale).toEqual({ ok: false, reason: 'conflict' });
    expect((await fx.conversations.findById(conversation.id))?.status).toBe('human');
  });
});

describe('several handoff reasons in one turn', () => {
  it('uses the most severe', () => {
    expect(mostSevere(['client_request', 'safety_concern'])).toBe('safety_concern');
    expect(mostSevere(['intake_completed', 'unaccompanied_minor'])).toBe('unaccompanied_minor');
    expect(mostSevere(['intake_completed', 'pressure'])).toBe('pressure');
    expect(mostSevere(['something_new'])).toBe('something_new');
  });
});
