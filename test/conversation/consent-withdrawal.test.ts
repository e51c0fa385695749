import { randomUUID } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import type { EngineContext, InboundEvent } from '../../src/engine/types.js';
import { buildReferralSnapshot } from '../../src/referral/build.js';
import { createConversationRepository } from '../../src/store/repositories/conversations.js';
import { createOrganisationRepository } from '../../src/store/repositories/organisations.js';
import { databaseKinds, useTestDatabase } from '../support/databases.js';
import { shippedEngine } from '../support/engine.js';
import { turnProcessorFor, webTurn } from '../support/turns.js';

let engine: EngineContext;
beforeAll(async () => ({ ctx: engine } = await shippedEngine()));

/** Something only this person could have typed, searched for in everything stored afterwards. */
const secret = `Rosenweg ${randomUUID().slice(0, 8)}`;

describe.each(databaseKinds)('consent withdrawal through the turn processor on %s', (kind) => {
  const database = useTestDatabase(kind);
  let organisationId: string;
  beforeAll(async () => {
    organisationId = (await createOrganisationRepository(database().prisma).ensureDemoOrganisation()).id;
  });

  /** Runs the person's inputs in order and returns the last outcome's message keys. */
  async function converse(ref: string, inputs: readonly (InboundEvent | string)[]) {
    const turns = turnProcessorFor(database(), engine);
    let keys: string[] = [];
    for (const input of inputs) {
      const outcome = await turns.process(webTurn(organisationId, ref, input));
      expect(outcome.ok, JSON.stringify(input)).toBe(true);
      keys = outcome.messages.map((message) => message.key);
    }
    return keys;
  }

  const consentAndAnswers: (InboundEvent | string)[] = [{ type: 'start' }, 'English', 'yes', '18 to 59', 'no', 'Germany'];

  it('after withdrawal typed words are kept only as a placeholder, answers leave the state, and the bot still helps', async () => {
    const ref = randomUUID();
    const conversations = createConversationRepository(database().prisma);
    const afterWithdrawal = await converse(ref, [...consentAndAnswers, 'withdraw my consent']);
    expect(afterWithdrawal).toEqual(['system:consent_withdrawn', 'system:erase_confirm']);

    const conversation = (await conversations.findByChannelRef('web', ref))!;
    expect(conversation.flowState).toMatchObject({ consent: 'withdrawn', answers: { consent: 'no' } });
    expect(JSON.stringify(conversation.flowState)).not.toMatch(/ageBand|hostCountry|18-59|DE/);
    const consents = await conversations.listConsents(conversation.id);
    expect(consents.map(({ granted, noticeVersion, channel, scopes }) => ({ granted, noticeVersion, channel, scopes }))).toEqual([
      { granted: true, noticeVersion: '2026-11-v1', channel: 'web', scopes: ['store_answers', 'share_with_counsellor'] },
      { granted: false, noticeVersion: '2026-11-v1', channel: 'web', scopes: [] },
    ]);

    // Erasure declined: the no-consent menu follows; a personal detail typed now is not kept.
    expect(await converse(ref, ['no'])).toEqual(['system:erase_cancelled', 'bot:intake.no_consent', 'bot:intake.general_menu']);
    expect(await converse(ref, [`I live at ${secret}`])).toEqual(['system:error.pick_a_choice', 'bot:intake.general_menu']);
    expect(await converse(ref, ['help'])).toEqual(['system:help', 'bot:intake.general_menu']);
    expect(await converse(ref, [{ type: 'choice', value: 'confidential' }])).toEqual(['system:faq.answer.confidential', 'bot:intake.general_menu']);
    expect(await converse(ref, ['questions'])).toEqual(['system:faq.intro']);

    const messages = await conversations.listMessages(conversation.id);
    const client = messages.filter((message) => message.author === 'client');
    // Typed before consent ("English", "yes") or after withdrawal ("no", the detail, "help",
    // "questions"): only the placeholder. A tapped button's value is kept, as before consent.
    const notAgreed = '(not kept: you had not agreed yet)';
    const withdrawnText = '(not kept: you had withdrawn your consent)';
    expect(client.map((message) => message.text)).toEqual([
      '/start',
      notAgreed,
      notAgreed,
      '18 to 59',
      'no',
      'Germany',
      'withdraw my consent',
      withdrawnText,
      withdrawnText,
      withdrawnText,
      'confidential',
      withdrawnText,
    ]);
    expect(
      client.filter((message) => message.text.includes('withdrawn your consent')).every((message) => message.textKey === 'system:not_kept_after_withdrawal'),
    ).toBe(true);

    // Nothing stored anywhere holds what was typed after the withdrawal.
    const stored = await database().prisma.$queryRawUnsafe<{ row: string }[]>(
      `SELECT row_to_json(m)::text AS row FROM "Message" m WHERE m."conversationId" = $1
       UNION ALL SELECT row_to_json(c)::text FROM "Conversation" c WHERE c.id = $1`,
      conversation.id,
    );
    expect(stored.length).toBeGreaterThan(2);
    for (const { row } of stored) expect(row).not.toContain(secret);
  });

  it('a counsellor asked for after withdrawal gets a referral without the earlier answers', async () => {
    const ref = randomUUID();
    const conversations = createConversationRepository(database().prisma);
    await converse(ref, [...consentAndAnswers, '/withdraw', 'no']);
    expect(await converse(ref, ['talk to a person'])).toEqual(['system:handoff_requested']);
    const conversation = (await conversations.findByChannelRef('web', ref))!;
    expect(conversation.status).toBe('queued');
    const snapshot = buildReferralSnapshot({
      conversation,
      consents: await conversations.listConsents(conversation.id),
      reason: 'client_request',
      programmes: [],
      now: new Date(),
    });
    expect(snapshot.consent.given).toBe(false);
    expect(snapshot.who).not.toHaveProperty('ageBand');
    expect(snapshot.where).toEqual({});
  });

  it('"start again" and a new yes record consent again, and typed answers are kept again', async () => {
    const ref = randomUUID();
    const conversations = createConversationRepository(database().prisma);
    await converse(ref, [...consentAndAnswers, 'withdraw my consent', 'no', 'start again', 'English']);
    expect(await converse(ref, ['yes'])).toContain('bot:intake.age_band');
    await converse(ref, ['60 or older', 'no', 'Germany']);

    const conversation = (await conversations.findByChannelRef('web', ref))!;
    expect(conversation.flowState).toMatchObject({ consent: 'given', answers: { ageBand: '60+', hostCountry: 'DE' } });
    expect((await conversations.listConsents(conversation.id)).map((consent) => consent.granted)).toEqual([true, false, true]);
    const client = (await conversations.listMessages(conversation.id)).filter((message) => message.author === 'client');
    expect(client.slice(-3).map((message) => message.text)).toEqual(['60 or older', 'no', 'Germany']);
  });

  it('accepting erasure right after withdrawing deletes the conversation', async () => {
    const ref = randomUUID();
    const conversations = createConversationRepository(database().prisma);
    await converse(ref, [...consentAndAnswers, 'withdraw my consent']);
    expect(await converse(ref, ['yes'])).toEqual(['system:erased']);
    expect(await conversations.findByChannelRef('web', ref)).toBeNull();
  });
});
