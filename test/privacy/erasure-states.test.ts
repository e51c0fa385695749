// "Delete my data" in every state a conversation can be in (with the bot, waiting in the queue,
// with a counsellor who wrote and took notes, after the counsellor closed it), on both channels and
// both databases: the person gets the answer, the console is told, and afterwards no row of any
// table names the person, their chat, their conversation or their referral.
import { randomUUID } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import { TurnProcessor, type TurnOutcome } from '../../src/conversation/turn-processor.js';
import type { EngineContext, InboundEvent } from '../../src/engine/types.js';
import { createTurnHandoffPort } from '../../src/handoff/turn-port.js';
import { noEncryption } from '../../src/crypto/field-cipher.js';
import type { ChannelName } from '../../src/store/repositories/conversations.js';
import { newOrganisation } from '../handoff/support.js';
import { databaseKinds, useTestDatabase } from '../support/databases.js';
import { shippedEngine } from '../support/engine.js';
import { silentLogger } from '../support/turns.js';
import { allModels, newUser, privacyFixture, rawRows } from './support.js';

type Stage = 'bot' | 'queued' | 'human' | 'closed';
const stages: Stage[] = ['bot', 'queued', 'human', 'closed'];
const channels: ChannelName[] = ['web', 'telegram'];

let engine: EngineContext;
beforeAll(async () => ({ ctx: engine } = await shippedEngine()));

describe.each(databaseKinds)('erasure in every state of a conversation, on %s', (kind) => {
  const database = useTestDatabase(kind);

  /** Turn processor, handoff and erasure wired as the app wires them; without a data key, so anything left over would be readable. */
  async function setup() {
    const db = database();
    const fx = await privacyFixture(db, noEncryption);
    const organisationId = await newOrganisation(db);
    const user = await newUser(db, organisationId);
    const turns = new TurnProcessor({
      conversations: fx.conversations,
      engine,
      chooseLocale: () => 'en',
      defaultLocaleOf: async () => 'en',
      logger: silentLogger,
      handoff: createTurnHandoffPort(fx.handoff, fx.referrals, silentLogger),
      erasure: fx.erasure,
    });
    return { db, fx, organisationId, actor: { userId: user.id, organisationId, role: 'counsellor' as const }, turns };
  }
  type Setup = Awaited<ReturnType<typeof setup>>;

  /** A person who consented and told something about themselves, brought to `stage`. */
  async function personAt(env: Setup, channel: ChannelName, stage: Stage) {
    const { fx, organisationId, actor, turns } = env;
    const marker = randomUUID().slice(0, 8);
    const secrets = { told: `Amina${marker}`, reply: `counsellor-words-${marker}`, note: `note-${marker}` };
    const channelRef = channel === 'telegram' ? String(700_000_000 + Math.floor(Math.random() * 1e8)) : randomUUID();
    let update = 0;
    const say = async (input: InboundEvent | string): Promise<TurnOutcome> => {
      const outcome = await turns.process({
        organisationId,
        channel,
        channelRef,
        preferredLocales: ['en'],
        event: typeof input === 'string' ? { type: 'text', text: input } : input,
        ...(channel === 'telegram' ? { deliveryKey: `${channelRef}:${++update}` } : {}),
      });
      expect(outcome.ok, JSON.stringify(input)).toBe(true);
      return outcome;
    };
    for (const input of [{ type: 'start' } as const, 'English', 'yes', `My name is ${secrets.told}`]) await say(input);
    const conversation = await fx.conversations.findByChannelRef(channel, channelRef);
    if (!conversation) throw new Error('no conversation');
    expect(conversation.flowState).toMatchObject({ consent: 'given' });

    let referralId: string | undefined;
    if (stage !== 'bot') {
      await say({ type: 'intent', intent: 'handoff' });
      referralId = (await fx.referrals.findOpenByConversation(conversation.id))?.id;
      if (!referralId) throw new Error('no referral');
    }
    if (stage === 'human' || stage === 'closed') {
      expect((await fx.handoff.claim(actor, referralId!)).ok).toBe(true);
      expect((await fx.handoff.sendMessage(actor, referralId!, `Hello, I am ${secrets.reply}`)).ok).toBe(true);
      expect((await fx.handoff.addNote(actor, referralId!, `${secrets.note}: ${secrets.told}`)).ok).toBe(true);
      // The person answers the counsellor: this goes to the counsellor, not the bot.
      expect((await say(`Thank you, ${secrets.told} here`)).messages).toEqual([]);
      // Console views as the API audits them, one with the id in capitals as a URL may carry it.
      await fx.console.audit({ organisationId, actorUserId: actor.userId, action: 'referral_viewed', targetType: 'referral', targetId: referralId! });
      await fx.console.audit({
        organisationId,
        actorUserId: actor.userId,
        action: 'transcript_viewed',
        targetType: 'referral',
        targetId: referralId!.toUpperCase(),
      });
    }
    if (stage === 'closed') expect((await fx.handoff.close(actor, referralId!, 'done')).ok).toBe(true);

    const current = (await fx.conversations.findById(conversation.id))!;
    expect(current.status).toBe(stage === 'closed' ? 'bot' : stage);
    if (stage === 'human') expect(await outboxRows(env, conversation.id)).toBeGreaterThan(0);
    return { conversationId: conversation.id, channelRef, referralId, secrets, say };
  }

  const outboxRows = (env: Setup, conversationId: string) => env.db.prisma.outboxMessage.count({ where: { conversationId } });

  /** Every row of every table, lower-cased, so an id in capitals is found as well. */
  async function everyRow(env: Setup): Promise<{ model: string; row: string }[]> {
    const rows: { model: string; row: string }[] = [];
    for (const model of allModels) for (const row of await rawRows(env.db, model)) rows.push({ model, row: row.toLowerCase() });
    return rows;
  }

  for (const channel of channels) {
    it.each(stages)(
      `on ${channel}, in state "%s": the person is answered, consoles are told, and nothing names them afterwards`,
      { timeout: 60_000 },
      async (stage) => {
        const env = await setup();
        const gone = await personAt(env, channel, stage);
        const stays = await personAt(env, channel, stage);
        const eventsBefore = env.fx.events.length;

        const asked = await gone.say('delete my data');
        expect(asked.messages.map((message) => message.key)).toEqual(['system:erase_confirm']);
        const prompt = asked.messages[0]!;
        // On the web the button is tapped (with the prompt it belongs to); on Telegram "yes" is typed.
        const answer: InboundEvent =
          channel === 'web' ? { type: 'choice', value: 'yes', ...(prompt.node ? { node: prompt.node } : {}) } : { type: 'text', text: 'yes' };
        const done = await gone.say(answer);
        expect(done.messages.map((message) => message.key)).toEqual(['system:erased']);
        expect(done.events).toContainEqual({ type: 'erasure_requested' });

        expect(await env.fx.conversations.findById(gone.conversationId)).toBeNull();
        expect(await outboxRows(env, gone.conversationId)).toBe(0);
        const named = [gone.conversationId, gone.channelRef, ...(gone.referralId ? [gone.referralId] : []), ...Object.values(gone.secrets)].map((text) =>
          text.toLowerCase(),
        );
        for (const { model, row } of await everyRow(env))
          for (const text of named) expect(row, `${model} still names the erased person (${text})`).not.toContain(text);

        // The audit says that an erasure happened, once, and not whose.
        const audit = await env.fx.console.listAudit(env.organisationId, 500);
        const erased = audit.filter((entry) => entry.action === 'person_erased');
        expect(erased).toHaveLength(1);
        expect(erased[0]).toMatchObject({ actorUserId: null, data: { channel, referrals: stage === 'bot' ? 0 : 1, via: 'person' } });
        expect(erased[0]?.targetId).toBeUndefined();
        if (stage === 'human' || stage === 'closed') {
          // The counsellor's views of the erased referral stay in the audit, pointing at nothing; the other person's still point at theirs.
          const views = audit.filter((entry) => entry.action === 'referral_viewed' || entry.action === 'transcript_viewed');
          expect(views).toHaveLength(4);
          expect(views.filter((entry) => entry.targetId === undefined)).toHaveLength(2);
          expect(views.filter((entry) => entry.targetId?.toLowerCase() === stays.referralId)).toHaveLength(2);
        }

        // Consoles are told, so the queue drops the referral and an open view says it was erased.
        expect(env.fx.events.slice(eventsBefore)).toContainEqual({
          type: 'conversation_erased',
          organisationId: env.organisationId,
          conversationId: gone.conversationId,
          referralIds: gone.referralId ? [gone.referralId] : [],
        });

        // The other person is untouched, and the same chat starts afresh when the person writes again.
        const other = await env.fx.conversations.findById(stays.conversationId);
        expect(other?.status).toBe(stage === 'closed' ? 'bot' : stage);
        expect((await env.fx.conversations.listMessages(stays.conversationId)).some((message) => message.text.includes(stays.secrets.told))).toBe(true);
        if (stays.referralId) expect(await env.fx.handoff.find(env.organisationId, stays.referralId)).not.toBeNull();
        await gone.say({ type: 'start' });
        const fresh = await env.fx.conversations.findByChannelRef(channel, gone.channelRef);
        expect(fresh?.id).not.toBe(gone.conversationId);
        expect(fresh?.flowState).toMatchObject({ consent: 'unknown' });
      },
    );
  }

  it('while a counsellor owns the chat, a "yes" typed after the counsellor wrote goes to the counsellor and erases nothing; the button still erases', {
    timeout: 60_000,
  }, async () => {
    const env = await setup();
    const person = await personAt(env, 'telegram', 'human');
    const asked = await person.say('delete my data');
    expect(asked.messages.map((message) => message.key)).toEqual(['system:erase_confirm']);
    const referralId = person.referralId!;
    expect((await env.fx.handoff.sendMessage(env.actor, referralId, 'Shall I book the appointment?')).ok).toBe(true);

    const typed = await person.say('yes');
    expect(typed.messages).toEqual([]);
    expect(typed.stored).toMatchObject([{ author: 'client', text: 'yes' }]);
    expect(await env.fx.conversations.findById(person.conversationId)).not.toBeNull();
    expect(env.fx.events.at(-1)).toMatchObject({ type: 'client_message', referralId, text: 'yes' });

    const tapped = await person.say({ type: 'choice', value: 'yes', ...(asked.messages[0]?.node ? { node: asked.messages[0].node } : {}) });
    expect(tapped.messages.map((message) => message.key)).toEqual(['system:erased']);
    expect(await env.fx.conversations.findById(person.conversationId)).toBeNull();
  });

  it('while a counsellor owns the chat, "no" to the erasure keeps everything and a language choice changes the language', { timeout: 60_000 }, async () => {
    const env = await setup();
    const person = await personAt(env, 'web', 'human');
    await person.say('delete my data');
    const declined = await person.say('no');
    expect(declined.messages[0]?.key).toBe('system:erase_cancelled');
    expect(await env.fx.conversations.findById(person.conversationId)).toMatchObject({ status: 'human' });

    const asked = await person.say({ type: 'intent', intent: 'language' });
    expect(asked.messages.map((message) => message.key)).toEqual(['system:choose_language']);
    const chosen = await person.say({ type: 'choice', value: 'fr', ...(asked.messages[0]?.node ? { node: asked.messages[0].node } : {}) });
    expect(chosen.conversation).toMatchObject({ locale: 'fr', status: 'human' });
    // With the prompt answered, the person's words go to the counsellor again.
    expect((await person.say('merci')).messages).toEqual([]);
  });
});
