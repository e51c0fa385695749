// Before consent nothing the person sent is stored or relayed as sent: typed words (also while a
// counsellor owns the chat, e.g. after a safety alarm), button values the bot never offered and
// languages it does not ship become a placeholder; what the bot offered is kept as tapped.
import { randomUUID } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import { TurnProcessor } from '../../src/conversation/turn-processor.js';
import type { EngineContext, InboundEvent } from '../../src/engine/types.js';
import { createTurnHandoffPort } from '../../src/handoff/turn-port.js';
import { createConsoleRepository } from '../../src/store/repositories/console.js';
import { handoffFixture, newOrganisation } from '../handoff/support.js';
import { allModels, rawRows } from '../privacy/support.js';
import { databaseKinds, useTestDatabase } from '../support/databases.js';
import { shippedEngine } from '../support/engine.js';
import { silentLogger, webTurn } from '../support/turns.js';

let engine: EngineContext;
beforeAll(async () => ({ ctx: engine } = await shippedEngine()));

describe.each(databaseKinds)('before consent, on %s', (kind) => {
  const database = useTestDatabase(kind);

  async function setup() {
    const db = database();
    const fx = await handoffFixture(db);
    const organisationId = await newOrganisation(db);
    const turns = new TurnProcessor({
      conversations: fx.conversations,
      engine,
      chooseLocale: () => 'en',
      defaultLocaleOf: async () => 'en',
      logger: silentLogger,
      handoff: createTurnHandoffPort(fx.service, fx.referrals, silentLogger),
    });
    const ref = randomUUID();
    const say = async (input: InboundEvent | string) => {
      const outcome = await turns.process(webTurn(organisationId, ref, input));
      expect(outcome.ok, JSON.stringify(input)).toBe(true);
      return outcome;
    };
    return { db, fx, organisationId, say };
  }
  type Setup = Awaited<ReturnType<typeof setup>>;

  /** No table holds `text` anywhere (the store runs without a data key here, so it would be readable). */
  async function expectStoredNowhere(env: Setup, text: string) {
    for (const model of allModels) for (const row of await rawRows(env.db, model)) expect(row, `${model} holds what the person sent`).not.toContain(text);
  }

  const placeholder = () => engine.translatorFor('en')('system:not_kept_before_consent');

  it('with a counsellor in the chat after a safety alarm, typed words reach neither the console nor the store; the alarm still works', {
    timeout: 60_000,
  }, async () => {
    const env = await setup();
    const secret = `Amina ${randomUUID().slice(0, 8)}`;
    await env.say({ type: 'start' });
    const alarm = await env.say(`I am in danger, I am ${secret}`);
    expect(alarm.events).toContainEqual({ type: 'handoff_requested', reason: 'safety_concern', category: 'threat_to_life' });
    expect(alarm.conversation.flowState).toMatchObject({ consent: 'unknown' });
    const referral = await env.fx.referrals.findOpenByConversation(alarm.conversation.id);
    expect(referral?.priority).toBe('urgent');

    const user = await createConsoleRepository(env.db.prisma).createUser({
      organisationId: env.organisationId,
      email: `${randomUUID()}@example.org`,
      passwordHash: 'unused',
      role: 'counsellor',
    });
    expect((await env.fx.service.claim({ userId: user!.id, organisationId: env.organisationId, role: 'counsellor' }, referral!.id)).ok).toBe(true);

    const eventsBefore = env.fx.events.length;
    const written = await env.say(`My address is ${secret} street`);
    expect(written.messages).toEqual([]);
    expect(written.stored).toMatchObject([{ author: 'client', text: placeholder(), textKey: 'system:not_kept_before_consent' }]);
    const relayed = env.fx.events.slice(eventsBefore);
    expect(relayed).toEqual([expect.objectContaining({ type: 'client_message', referralId: referral!.id, seq: written.stored[0]!.seq, text: placeholder() })]);

    // Danger is still heard in human mode before consent, and what was said is not kept either.
    const again = await env.say(`someone is hurting me, ${secret}`);
    // With a counsellor in the chat the numbers come first; there is no questionnaire to pause.
    expect(again.messages.map((message) => message.key)).toEqual(['handoff:emergency_contacts', 'handoff:safety_counsellor_on_chat']);
    await expectStoredNowhere(env, secret);
    expect(JSON.stringify(env.fx.events)).not.toContain(secret);
  });

  it('a forged button value or language is stored as a placeholder; offered buttons and shipped languages as tapped', { timeout: 60_000 }, async () => {
    const env = await setup();
    const forged = `Amina lives at Rosenweg ${randomUUID().slice(0, 8)}`;
    const welcome = await env.say({ type: 'start' });
    const languageQuestion = welcome.messages.find((message) => message.choices.some((choice) => choice.value === 'en'));
    expect(languageQuestion).toBeDefined();

    const forgedChoice = await env.say({ type: 'choice', value: forged, ...(languageQuestion?.node ? { node: languageQuestion.node } : {}) });
    expect(forgedChoice.stored[0]).toMatchObject({ author: 'client', text: placeholder(), payload: { event: 'choice', redacted: true } });
    const forgedLocale = await env.say({ type: 'locale', locale: `xx-${forged}`.slice(0, 35) });
    expect(forgedLocale.stored[0]).toMatchObject({ author: 'client', text: placeholder(), payload: { event: 'locale', redacted: true } });

    const shipped = await env.say({ type: 'locale', locale: 'fr' });
    expect(shipped.stored[0]).toMatchObject({ author: 'client', text: 'fr', payload: { event: 'locale' } });
    const tapped = await env.say({ type: 'choice', value: 'en', ...(languageQuestion?.node ? { node: languageQuestion.node } : {}) });
    expect(tapped.stored[0]).toMatchObject({ author: 'client', text: 'en', payload: { event: 'choice' } });
    expect(tapped.conversation.locale).toBe('en');
    const consentQuestion = tapped.messages.find((message) => message.key === 'bot:intake.consent');
    expect(consentQuestion?.choices.map((choice) => choice.value)).toContain('yes');

    // A value that was a button once, but not of the question it claims to answer: a placeholder too.
    const wrongNode = await env.say({ type: 'choice', value: 'en', node: consentQuestion?.node ?? 'consent' });
    expect(wrongNode.stored[0]).toMatchObject({ text: placeholder() });
    // An intent button is a fixed list, kept as tapped.
    const help = await env.say({ type: 'choice', value: 'intent:help' });
    expect(help.stored[0]).toMatchObject({ text: 'intent:help' });

    await expectStoredNowhere(env, forged.slice(0, 20));
    await expectStoredNowhere(env, 'Rosenweg');
  });
});
