import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { createEngineContext } from '../../src/engine/context.js';
import type { EngineContext } from '../../src/engine/types.js';
import { loadFlows } from '../../src/flows/load.js';
import { createConversationRepository } from '../../src/store/repositories/conversations.js';
import { createOrganisationRepository } from '../../src/store/repositories/organisations.js';
import { databaseKinds, useTestDatabase } from '../support/databases.js';
import { projectRoot, shippedEngine, shippedSafetyDetector } from '../support/engine.js';
import { turnProcessorFor, webTurn } from '../support/turns.js';

let engine: EngineContext;
beforeAll(async () => ({ ctx: engine } = await shippedEngine()));

describe.each(databaseKinds)('turn processing on %s', (kind) => {
  const database = useTestDatabase(kind);
  let organisationId: string;
  beforeAll(async () => {
    organisationId = (await createOrganisationRepository(database().prisma).ensureDemoOrganisation()).id;
  });

  /** Transcript table: what the person sends, and a fragment of each bot message in order. */
  const intake: [string | { type: 'start' }, string[]][] = [
    [{ type: 'start' }, ['Hello. I am Homeward', 'Which language']],
    ['English', ['Before we start', 'Do you agree that we keep your answers?']],
    ['yes', ['I will now ask some questions', 'We ask because', 'How old are you?']],
    ['18 to 59', ['if you are in danger', 'Is anyone hurting you']],
    ['no', ['In which country are you now?']],
    ['Germany', ['We ask so that a counsellor can tell you about an office near you', 'In which city or town do you live now?']],
  ];

  it('stores every turn: state, bot messages with key and text, client text only after consent', async () => {
    const turns = turnProcessorFor(database(), engine);
    const ref = randomUUID();
    for (const [said, expected] of intake) {
      const outcome = await turns.process(webTurn(organisationId, ref, said));
      expect(outcome.ok).toBe(true);
      expect(outcome.messages.map((message) => message.text)).toHaveLength(expected.length);
      expected.forEach((fragment, index) => expect(outcome.messages[index]?.text).toContain(fragment));
    }
    const conversations = createConversationRepository(database().prisma);
    const conversation = await conversations.findByChannelRef('web', ref);
    expect(conversation).toMatchObject({ version: intake.length, status: 'bot', locale: 'en' });
    expect(conversation?.flowState).toMatchObject({
      flow: 'counselling',
      node: 'host_city',
      answers: { ageBand: '18-59', hostCountry: 'DE' },
      consent: 'given',
    });

    const messages = await conversations.listMessages(conversation!.id);
    expect(messages.map((message) => message.seq)).toEqual(messages.map((_, index) => index));
    const clientTexts = messages.filter((message) => message.author === 'client').map((message) => message.text);
    // "English" and "yes" were typed before consent: only the fact that the person wrote is kept.
    const notKept = '(not kept: you had not agreed yet)';
    expect(clientTexts).toEqual(['/start', notKept, notKept, '18 to 59', 'no', 'Germany']);
    expect(messages.filter((message) => message.author === 'client').map((message) => JSON.stringify(message))).not.toContainEqual(
      expect.stringContaining('English'),
    );
    const bot = messages.filter((message) => message.author === 'bot');
    expect(bot[0]).toMatchObject({ textKey: 'bot:intake.welcome', locale: 'en' });
    expect(bot.find((message) => message.textKey === 'bot:intake.consent')?.payload).toMatchObject({
      choices: [
        { value: 'yes', label: 'Yes' },
        { value: 'no', label: 'No' },
      ],
    });
    expect(await conversations.listConsents(conversation!.id)).toMatchObject([{ granted: true, noticeVersion: '2026-11-v1', channel: 'web' }]);
  });

  it('a delivery repeated by the channel (or received by two instances) is processed once', async () => {
    const instances = [turnProcessorFor(database(), engine), turnProcessorFor(database(), engine)];
    const ref = randomUUID();
    await instances[0]!.process(webTurn(organisationId, ref, { type: 'start' }));
    const delivery = { ...webTurn(organisationId, ref, 'English'), deliveryKey: `update-${ref}` };
    const outcomes = await Promise.all([instances[0]!.process(delivery), instances[1]!.process(delivery), instances[0]!.process(delivery)]);
    expect(outcomes.filter((outcome) => !outcome.duplicate)).toHaveLength(1);
    expect(outcomes.filter((outcome) => outcome.duplicate).every((outcome) => outcome.messages.length === 0)).toBe(true);
    const conversation = await createConversationRepository(database().prisma).findByChannelRef('web', ref);
    expect(conversation?.version).toBe(2);
  });

  it('a new server instance on the same database continues where the person left off', async () => {
    const ref = randomUUID();
    const first = turnProcessorFor(database(), engine);
    for (const [said] of intake.slice(0, 3)) await first.process(webTurn(organisationId, ref, said));
    const restarted = turnProcessorFor(database(), engine);
    const outcome = await restarted.process(webTurn(organisationId, ref, '60 or older'));
    // After age comes "are you safe now?", with why it is asked (the EU return counselling order).
    expect(outcome.messages.map((message) => message.key)).toEqual(['bot:counselling.safety_why', 'bot:counselling.safety']);
    expect(outcome.conversation.flowState).toMatchObject({ node: 'safety', answers: { ageBand: '60+' } });
  });

  it("picks the first language from the channel's preferences", async () => {
    const turns = turnProcessorFor(database(), engine);
    const outcome = await turns.process(webTurn(organisationId, randomUUID(), { type: 'start' }, ['ar', 'en']));
    expect(outcome.conversation.locale).toBe('ar');
    expect(outcome.messages[0]?.text).toContain('مرحبًا');
  });

  it('a handoff request queues the conversation', async () => {
    const turns = turnProcessorFor(database(), engine);
    const ref = randomUUID();
    await turns.process(webTurn(organisationId, ref, { type: 'start' }));
    const outcome = await turns.process(webTurn(organisationId, ref, 'talk to a person'));
    expect(outcome.conversation.status).toBe('queued');
    expect((await createConversationRepository(database().prisma).findByChannelRef('web', ref))?.status).toBe('queued');
  });

  it('erasing deletes the conversation and its messages', async () => {
    const turns = turnProcessorFor(database(), engine);
    const ref = randomUUID();
    for (const [said] of intake.slice(0, 4)) await turns.process(webTurn(organisationId, ref, said));
    const conversations = createConversationRepository(database().prisma);
    const id = (await conversations.findByChannelRef('web', ref))!.id;
    await turns.process(webTurn(organisationId, ref, 'delete my data'));
    const outcome = await turns.process(webTurn(organisationId, ref, 'yes'));
    expect(outcome.messages.map((message) => message.key)).toEqual(['system:erased']);
    expect(await conversations.findByChannelRef('web', ref)).toBeNull();
    expect(await conversations.listMessages(id)).toEqual([]);
    expect(await conversations.listConsents(id)).toEqual([]);
  });

  it('a turn that fails leaves the stored state unchanged and asks the person, in their language, to try again', async () => {
    // A flow whose branch has no step for the answer: the engine fails mid-turn.
    const broken = loadFlows(join(projectRoot, 'test', 'fixtures', 'flows', 'failing'));
    const brokenEngine = createEngineContext(broken.flows, (await shippedEngine()).localisation, 'failing', shippedSafetyDetector());
    const turns = turnProcessorFor(database(), brokenEngine);
    const ref = randomUUID();
    await turns.process(webTurn(organisationId, ref, { type: 'start' }, ['ar']));
    const conversations = createConversationRepository(database().prisma);
    const before = await conversations.findByChannelRef('web', ref);
    const outcome = await turns.process(webTurn(organisationId, ref, 'نعم'));
    expect(outcome.ok).toBe(false);
    expect(outcome.messages.map((message) => message.key)).toEqual(['system:error.try_again']);
    expect(outcome.messages[0]?.text).toContain('عذرًا');
    const after = await conversations.findByChannelRef('web', ref);
    expect(after).toEqual(before);
    expect(await conversations.listMessages(before!.id)).toHaveLength(before!.nextSeq);
  });

  it('parallel turns at one conversation from several instances: none lost, none applied twice', async () => {
    const instances = Array.from({ length: 4 }, () => turnProcessorFor(database(), engine));
    const ref = randomUUID();
    for (const [said] of intake.slice(0, 3)) await instances[0]!.process(webTurn(organisationId, ref, said));
    const conversations = createConversationRepository(database().prisma);
    const before = (await conversations.findByChannelRef('web', ref))!;

    const count = 20;
    const outcomes = await Promise.all(
      Array.from({ length: count }, (_, index) => instances[index % instances.length]!.process(webTurn(organisationId, ref, `not an age ${index}`))),
    );
    expect(outcomes.every((outcome) => outcome.ok)).toBe(true);

    const after = (await conversations.findByChannelRef('web', ref))!;
    expect(after.version).toBe(before.version + count);
    const messages = await conversations.listMessages(after.id, { afterSeq: before.nextSeq - 1 });
    const clientTexts = messages.filter((message) => message.author === 'client').map((message) => message.text);
    expect(clientTexts.sort()).toEqual(Array.from({ length: count }, (_, index) => `not an age ${index}`).sort());
    // Each turn stored its client message followed directly by its own re-ask.
    expect(messages).toHaveLength(count * 3);
    messages.forEach((message, index) => expect(message.author).toBe(index % 3 === 0 ? 'client' : 'bot'));
    expect(messages.map((message) => message.seq)).toEqual(messages.map((_, index) => before.nextSeq + index));
  });
});
