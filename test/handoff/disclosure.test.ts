// The disclosure path end to end (engine, turn processor, handoff, a real database): a person in
// danger reads the numbers for their host country and the danger first, then the honest word on
// when a counsellor can answer, then only "continue"; the referral keeps what matters.
import { randomUUID } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import { TurnProcessor } from '../../src/conversation/turn-processor.js';
import type { RenderedMessage } from '../../src/conversation/render.js';
import type { EngineContext } from '../../src/engine/types.js';
import { sampleEmergencyContacts } from '../../src/safety/emergency-numbers.js';
import type { Actor } from '../../src/handoff/service.js';
import { createTurnHandoffPort } from '../../src/handoff/turn-port.js';
import { referralSnapshotSchema } from '../../src/referral/record.js';
import type { SafetyCategory, SafetyDetector } from '../../src/safety/types.js';
import { createConsoleRepository } from '../../src/store/repositories/console.js';
import { createOrganisationRepository } from '../../src/store/repositories/organisations.js';
import type { Database } from '../../src/store/client.js';
import { databaseKinds, useTestDatabase } from '../support/databases.js';
import { shippedEngine } from '../support/engine.js';
import { silentLogger, webTurn } from '../support/turns.js';
import { conversationWith, handoffFixture, newOrganisation, type HandoffFixture } from './support.js';

/** A few fixed phrases, one per category: the lexicon detector is tested on its own (test/safety/). */
const fixturePhrases: Record<string, SafetyCategory> = {
  'i want to end my life': 'suicide',
  'my husband beats me': 'violence',
  'they took my passport and lock me in': 'trafficking',
  'they said they will kill me': 'threat_to_life',
  'my little brother is in danger': 'child_at_risk',
  'my friend stopped breathing': 'medical',
};
const fixtureDetector: SafetyDetector = {
  detect: (text) => {
    const category = fixturePhrases[text.trim().toLowerCase()];
    return category ? { category, language: 'en' } : undefined;
  },
  asksAboutSafetyOfReturn: (text) => /safe to go back/i.test(text),
};

// Monday 30 Nov 2026, 11:00 in Berlin (open) and Saturday 28 Nov, 11:00 (closed until Monday 09:00).
const monday = new Date('2026-11-30T10:00:00Z');
const saturday = new Date('2026-11-28T10:00:00Z');

async function counsellor(db: Database, organisationId: string): Promise<Actor> {
  const user = await createConsoleRepository(db.prisma).createUser({
    organisationId,
    email: `${randomUUID()}@example.org`,
    passwordHash: 'unused',
    role: 'counsellor',
  });
  if (!user) throw new Error('user not created');
  return { userId: user.id, organisationId, role: 'counsellor' };
}

const choiceValues = (message: RenderedMessage | undefined) => message?.choices.map((choice) => choice.value) ?? [];

describe.each(databaseKinds)('the disclosure path on %s', (kind) => {
  const database = useTestDatabase(kind);
  let organisationId: string;
  let fx: HandoffFixture;
  let turns: TurnProcessor;

  beforeAll(async () => {
    const db = database();
    const organisations = createOrganisationRepository(db.prisma);
    organisationId = await newOrganisation(db, 'Shipped defaults');
    await organisations.setEmergencyContacts(organisationId, sampleEmergencyContacts);
    fx = await handoffFixture(db, monday, { emergencyContactsOf: (id) => organisations.emergencyContactsOf(id) });
    const { ctx } = await shippedEngine();
    const engine: EngineContext = { ...ctx, safety: fixtureDetector };
    turns = new TurnProcessor({
      conversations: fx.conversations,
      engine,
      chooseLocale: (preferences, fallback) => preferences.find((lng) => engine.locales.some((info) => info.code === lng)) ?? fallback,
      defaultLocaleOf: async () => 'en',
      logger: silentLogger,
      handoff: createTurnHandoffPort(fx.service, fx.referrals, silentLogger),
    });
  });

  /** Someone who answered their age, that they were safe, and their host country; the flow waits at the city. */
  async function personIn(country: string, locale: string) {
    return conversationWith(
      database(),
      organisationId,
      { ageBand: '18-59', safetyConcern: 'no', hostCountry: country },
      { locale, at: { flow: 'counselling', node: 'host_city' }, status: 'bot' },
    );
  }

  it.each([
    [
      'suicide',
      'i want to end my life',
      'DE',
      'en',
      ['Emergency (police, ambulance, fire brigade): 112', 'TelefonSeelsorge: 0800 111 0 111'],
      ['Hilfetelefon', 'Nummer gegen Kummer'],
      'I am asking a counsellor to join this chat now.',
    ],
    [
      'violence',
      'my husband beats me',
      'FR',
      'fr',
      ['Urgences (police, ambulance, pompiers): 112', '3919 Violences Femmes Info: 3919'],
      ['3114'],
      'Je demande maintenant à un conseiller',
    ],
    [
      'trafficking',
      'they took my passport and lock me in',
      'IT',
      'ar',
      ['الطوارئ (الشرطة، الإسعاف، الإطفاء): 112', 'Numero Verde Antitratta: 800 290 290'],
      ['1522'],
      'أطلب الآن من مستشار',
    ],
    [
      'child_at_risk',
      'my little brother is in danger',
      'DE',
      'ru',
      ['112', 'Nummer gegen Kummer: 116 111'],
      ['Hilfetelefon', 'TelefonSeelsorge'],
      'Я прошу консультанта подключиться к этому чату прямо сейчас',
    ],
    [
      'medical',
      'my friend stopped breathing',
      'ES',
      'es',
      ['Emergencias (policía, ambulancia, bomberos): 112'],
      ['024', '016'],
      'Estoy pidiendo ahora a un asesor',
    ],
    ['threat_to_life', 'they said they will kill me', 'AT', 'tr', ['112', 'Telefonseelsorge: 142'], ['Frauenhelpline'], 'Şimdi bir danışmandan'],
  ] as const)(
    '%s: the general number, then the line for the danger, then when a counsellor answers, then only "continue" (%s, %s, %s)',
    async (category, phrase, country, locale, shown, hidden, counsellorWords) => {
      fx.clock.now = monday;
      const person = await personIn(country, locale);
      const said = await turns.process(webTurn(organisationId, person.channelRef, phrase, [locale]));

      expect(said.messages.map((message) => message.key)).toEqual([
        'handoff:emergency_contacts',
        'handoff:safety_open',
        'system:safety_path.continue_when_ready',
      ]);
      const [numbers, counsellorNotice, last] = said.messages;
      const lines = numbers!.text.split('\n').slice(1);
      expect(lines[0]).toContain('112');
      for (const text of shown) expect(numbers!.text).toContain(text);
      for (const text of hidden) expect(numbers!.text).not.toContain(text);
      expect(counsellorNotice!.text).toContain(counsellorWords);
      // The questionnaire stopped: the last message carries the only button.
      expect(choiceValues(last)).toEqual(['pause:continue']);

      const referral = await fx.referrals.findOpenByConversation(person.id);
      expect(referral?.priority).toBe('urgent');
      const record = referralSnapshotSchema.parse(referral?.record);
      expect(record).toMatchObject({ handoffReason: 'safety_concern', urgency: { safetyConcern: true, safetyCategories: [category] } });
    },
  );

  it('out of office hours says when someone can answer and the number to call until then, never "now"', async () => {
    fx.clock.now = saturday;
    for (const [locale, words] of [
      ['en', /nobody can answer here before Monday, November 30 at 09:00.*If you are in danger now, call 112\./],
      ['fr', /personne ne peut répondre ici avant lundi 30 novembre.*09:00.*appelez le 112\./],
    ] as const) {
      const person = await personIn('DE', locale);
      const said = await turns.process(webTurn(organisationId, person.channelRef, 'i want to end my life', [locale]));
      const notice = said.messages.find((message) => message.key === 'handoff:safety_closed');
      expect(notice?.text).toMatch(words);
      expect(said.messages.map((message) => message.key)).not.toContain('handoff:safety_open');
    }
    fx.clock.now = monday;
  });

  it('"continue" brings back the question that waited, with its buttons; other words are heard, not parsed', async () => {
    const person = await personIn('DE', 'en');
    await turns.process(webTurn(organisationId, person.channelRef, 'my husband beats me'));
    const heard = await turns.process(webTurn(organisationId, person.channelRef, 'he is coming home soon'));
    expect(heard.messages.map((message) => message.key)).toEqual(['system:safety_path.heard', 'system:safety_path.continue_when_ready']);
    const resumed = await turns.process(webTurn(organisationId, person.channelRef, { type: 'choice', value: 'pause:continue', node: 'host_city#pause' }));
    const question = resumed.messages.at(-1);
    expect(question?.node).toBe('host_city');
    expect(choiceValues(question)).toContain('prefer_not_to_say');
  });

  it('a "yes" to "is anyone hurting you" gets every number of the host country first, and the next question keeps its buttons', async () => {
    const person = await conversationWith(database(), organisationId, { ageBand: '18-59' }, { at: { flow: 'counselling', node: 'safety' }, status: 'bot' });
    const said = await turns.process(webTurn(organisationId, person.channelRef, 'yes'));
    expect(said.messages.map((message) => message.key)).toEqual([
      'handoff:emergency_contacts',
      'handoff:safety_open',
      'system:safety_path.continue_when_ready',
    ]);
    const resumed = await turns.process(webTurn(organisationId, person.channelRef, 'Continue with the questions'));
    expect(resumed.messages.at(-1)?.node).toBe('host_country');
    expect(choiceValues(resumed.messages.at(-1))).toContain('DE');
    expect((await fx.referrals.findOpenByConversation(person.id))?.priority).toBe('urgent');
  });

  it('a question about the safety of return is answered honestly and offers a counsellor at normal priority', async () => {
    const person = await personIn('DE', 'en');
    const said = await turns.process(webTurn(organisationId, person.channelRef, 'Is it safe to go back to Syria?'));
    expect(said.messages.map((message) => message.key)).toEqual(['system:safety_path.return_question', 'system:safety_path.return_question_continue']);
    expect(said.messages[0]?.text).toContain('I cannot promise you that it is safe');
    expect(choiceValues(said.messages.at(-1))).toEqual(['intent:handoff', 'pause:continue']);
    expect(await fx.referrals.findOpenByConversation(person.id)).toBeNull();
    await turns.process(webTurn(organisationId, person.channelRef, { type: 'choice', value: 'intent:handoff' }));
    expect((await fx.referrals.findOpenByConversation(person.id))?.priority).toBe('normal');
  });

  it('a request made again keeps the first reason and the safety concern; every reason in order; the priority only rises', async () => {
    const person = await personIn('DE', 'en');
    await fx.service.handoffRequested(person, 'client_request');
    await db().prisma.conversation.update({ where: { id: person.id }, data: { status: 'queued' } });
    await turns.process(webTurn(organisationId, person.channelRef, 'i want to end my life'));
    await turns.process(webTurn(organisationId, person.channelRef, { type: 'intent', intent: 'handoff' }));
    const referral = await fx.referrals.findOpenByConversation(person.id);
    expect(referral?.priority).toBe('urgent');
    expect(referralSnapshotSchema.parse(referral?.record)).toMatchObject({
      handoffReason: 'client_request',
      handoffReasons: ['client_request', 'safety_concern', 'client_request'],
      priority: { level: 'urgent', cause: 'safety_concern' },
      urgency: { safetyConcern: true, safetyCategories: ['suicide'] },
    });
  });

  it('a crisis while a counsellor owns the chat marks the referral urgent in the console at once, and asks nothing', async () => {
    const person = await personIn('DE', 'en');
    const { referral } = await fx.service.handoffRequested(person, 'client_request');
    expect(referral.priority).toBe('normal');
    const anna = await counsellor(db(), organisationId);
    expect((await fx.service.claim(anna, referral.id)).ok).toBe(true);
    const before = fx.events.length;

    const said = await turns.process(webTurn(organisationId, person.channelRef, 'my husband beats me'));
    expect(said.messages.map((message) => message.key)).toEqual(['handoff:emergency_contacts', 'handoff:safety_counsellor_on_chat']);
    expect(said.messages.flatMap((message) => message.choices)).toEqual([]);
    expect(fx.events.slice(before)).toContainEqual(
      expect.objectContaining({ type: 'referral_updated', referralId: referral.id, priority: 'urgent', change: 'handoff_requested_again' }),
    );
    expect((await fx.referrals.findOpenByConversation(person.id))?.priority).toBe('urgent');
  });

  function db() {
    return database();
  }
});
