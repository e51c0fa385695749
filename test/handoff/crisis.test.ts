// A danger phrase in the person's language, at any point: the emergency numbers at once, in their
// language, and an urgent referral at the top of the queue.
import { randomUUID } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import { TurnProcessor } from '../../src/conversation/turn-processor.js';
import { contactsFor, formatContacts } from '../../src/handoff/emergency-contacts.js';
import { sampleEmergencyContacts } from '../../src/safety/emergency-numbers.js';
import { createTurnHandoffPort } from '../../src/handoff/turn-port.js';
import { createOrganisationRepository } from '../../src/store/repositories/organisations.js';
import { useTestDatabase } from '../support/databases.js';
import { shippedEngine } from '../support/engine.js';
import { silentLogger, webTurn } from '../support/turns.js';
import { conversationWith, handoffFixture, newOrganisation, type HandoffFixture } from './support.js';

/** One phrase from each language's `intent.safety` list, and the words of the 112 label there. */
const crises: [locale: string, phrase: string, label: string][] = [
  ['en', 'I am in danger', 'Emergency (police, ambulance, fire brigade)'],
  ['fr', 'je suis en danger', 'Urgences (police, ambulance, pompiers)'],
  ['es', 'estoy en peligro', 'Emergencias (policía, ambulancia, bomberos)'],
  ['ru', 'меня бьют', 'Экстренные службы (полиция, скорая помощь, пожарные)'],
  ['uk', 'я в небезпеці', 'Екстрені служби (поліція, швидка допомога, пожежники)'],
  ['ar', 'أنا في خطر', 'الطوارئ (الشرطة، الإسعاف، الإطفاء)'],
  ['fa', 'من در خطر هستم', 'اورژانس (پلیس، آمبولانس، آتش‌نشانی)'],
  ['tr', 'tehlikedeyim', 'Acil durum (polis, ambulans, itfaiye)'],
];

describe('crisis response', () => {
  const database = useTestDatabase('pglite');
  let organisationId: string;
  let fx: HandoffFixture;
  let turns: TurnProcessor;

  beforeAll(async () => {
    const db = database();
    const organisations = createOrganisationRepository(db.prisma);
    organisationId = (await organisations.ensureDemoOrganisation()).id;
    fx = await handoffFixture(db, new Date(), { emergencyContactsOf: (id) => organisations.emergencyContactsOf(id) });
    const { ctx: engine } = await shippedEngine();
    turns = new TurnProcessor({
      conversations: fx.conversations,
      engine,
      chooseLocale: (preferences, fallback) => preferences.find((lng) => engine.locales.some((info) => info.code === lng)) ?? fallback,
      defaultLocaleOf: async () => 'en',
      logger: silentLogger,
      handoff: createTurnHandoffPort(fx.service, fx.referrals, silentLogger),
    });
  });

  it.each(crises)('in %s, "%s" sends the emergency numbers at once and raises an urgent referral at the top of the queue', async (locale, phrase, label) => {
    // Someone already waiting with an ordinary request.
    const waiting = await turns.process(webTurn(organisationId, randomUUID(), { type: 'start' }, [locale]));
    await turns.process(webTurn(organisationId, waiting.conversation.channelRef, { type: 'intent', intent: 'handoff' }, [locale]));

    const ref = randomUUID();
    expect((await turns.process(webTurn(organisationId, ref, { type: 'start' }, [locale]))).conversation.locale).toBe(locale);
    const said = await turns.process(webTurn(organisationId, ref, phrase, [locale]));
    const keys = said.messages.map((message) => message.key);
    // The numbers first, then when a counsellor can answer; the last message carries the only button ("continue").
    expect(keys[0]).toBe('handoff:emergency_contacts');
    expect(keys[1]).toMatch(/^handoff:safety_(open|closed|closed_unknown)$/);
    expect(said.messages.at(-1)?.choices.map((choice) => choice.value)).toEqual(['pause:continue']);
    expect(keys.some((key) => key.startsWith('handoff:queued'))).toBe(false);
    const contacts = said.messages.find((message) => message.key === 'handoff:emergency_contacts')!;
    // No host country yet (nothing answered): every number the organisation set, 112 with its label in the
    // person's language; a line that rings in one country only says which, in the person's language.
    const countryIn = (code: string) => new Intl.DisplayNames([locale], { type: 'region' }).of(code);
    expect(contacts.text).toContain(`${label}: 112`);
    expect(contacts.text).toContain(`TelefonSeelsorge (${countryIn('DE')}): 0800 111 0 111`);
    // Stored in the same order the person read them (the transcript and a reconnecting widget show the same).
    const storedKeys = said.stored.filter((message) => message.author !== 'client').map((message) => message.textKey);
    expect(storedKeys).toEqual(keys);

    const referral = await fx.referrals.findOpenByConversation(said.conversation.id);
    expect(referral).toMatchObject({ status: 'new', priority: 'urgent' });
    const queue = await fx.service.list(organisationId, ['new']);
    expect(queue[0]?.priority).toBe('urgent');
    expect(queue.findIndex((item) => item.id === referral!.id)).toBeLessThan(queue.findIndex((item) => item.conversationId === waiting.conversation.id));
  });

  it.each([
    ['en', 'Is it dangerous to travel back in winter?'],
    ['fr', 'Le voyage est-il dangereux pour les enfants ?'],
    ['es', 'Mi hermano trabaja en urgencias en Madrid'],
  ])('in %s, a harmless sentence with a similar word raises no alarm: "%s"', async (locale, sentence) => {
    const ref = randomUUID();
    await turns.process(webTurn(organisationId, ref, { type: 'start' }, [locale]));
    const said = await turns.process(webTurn(organisationId, ref, sentence, [locale]));
    expect(said.messages.map((message) => message.key)).not.toContain('handoff:emergency_contacts');
    expect(await fx.referrals.findOpenByConversation(said.conversation.id)).toBeNull();
  });

  it("names the country beside a number that rings in only one of the organisation's countries, while the host country is not known", () => {
    const unknownCountry = { flowState: {} };
    const { contacts, country } = contactsFor(sampleEmergencyContacts, unknownCountry, 'suicide');
    expect(country).toBeNull();
    const lines = formatContacts(contacts, (key) => (key === 'handoff:emergency_label.general' ? 'Notruf' : key), 'de').split('\n');
    // 112 rings everywhere: once, without a country. 142 rings in Austria only, 0800 111 0 111 in Germany only.
    expect(lines.filter((line) => line.endsWith(': 112'))).toEqual(['Notruf: 112']);
    expect(lines).toContain('Telefonseelsorge (Österreich): 142');
    expect(lines).toContain('TelefonSeelsorge (Deutschland): 0800 111 0 111');
  });

  it('sends the numbers of the host country the person gave, and 112 when the organisation set none', async () => {
    const db = database();
    const demo = await conversationWith(db, organisationId, { hostCountry: 'FR' }, { locale: 'fr' });
    const inFrance = await fx.service.handoffRequested(demo, 'safety_concern');
    expect(inFrance.emergency?.notice.text).toContain('3114 Prévention du suicide: 3114');
    expect(inFrance.emergency?.notice.text).not.toContain('TelefonSeelsorge');
    // The host country is known: its lines only, and no country named beside them.
    expect(inFrance.emergency?.notice.text).not.toContain('(France)');
    expect(sampleEmergencyContacts.FR?.[0]).toEqual({ labelKey: 'handoff:emergency_label.general', number: '112' });

    const bare = await conversationWith(db, await newOrganisation(db, 'No numbers'), { hostCountry: 'NL' }, { locale: 'en' });
    const fallback = await fx.service.handoffRequested(bare, 'safety_concern');
    expect(fallback.emergency?.notice.text).toBe('If you are in danger, call one of these numbers now:\nEmergency (police, ambulance, fire brigade): 112');
    expect(fallback.referral.priority).toBe('urgent');
    // Any other reason sends no numbers.
    const ordinary = await conversationWith(db, organisationId, {}, { locale: 'en' });
    expect((await fx.service.handoffRequested(ordinary, 'client_request')).emergency).toBeUndefined();
  });
});
