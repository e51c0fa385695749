// A handoff service over a real test database, organisations and conversations in a known state.
import { randomUUID } from 'node:crypto';
import { createInProcessEvents, type HandoffEvent, type HandoffEvents } from '../../src/handoff/events.js';
import { HandoffService, type HandoffServiceDeps } from '../../src/handoff/service.js';
import type { Database } from '../../src/store/client.js';
import { createConversationRepository, type StoredConversation } from '../../src/store/repositories/conversations.js';
import { createOrganisationRepository } from '../../src/store/repositories/organisations.js';
import { createReferralRepository } from '../../src/store/repositories/referrals.js';
import { join } from 'node:path';
import { loadCatalogue } from '../../src/eligibility/catalogue.js';
import { createLocalisation, type Localisation } from '../../src/i18n/index.js';
import type { Programme } from '../../src/eligibility/programme.js';
import { projectRoot } from '../support/engine.js';
import { silentLogger } from '../support/turns.js';

export interface HandoffFixture {
  service: HandoffService;
  events: HandoffEvent[];
  /** The bus the service publishes on, for routes that subscribe (the console's event stream). */
  bus: HandoffEvents;
  conversations: ReturnType<typeof createConversationRepository>;
  referrals: ReturnType<typeof createReferralRepository>;
  clock: { now: Date };
}

export async function handoffFixture(
  db: Database,
  start = new Date('2026-11-30T10:00:00Z'),
  extra: Pick<HandoffServiceDeps, 'emergencyContactsOf'> = {},
): Promise<HandoffFixture> {
  const { localisation, programmes } = await localesAndCatalogue();
  const conversations = createConversationRepository(db.prisma);
  const referrals = createReferralRepository(db.prisma);
  const events: HandoffEvent[] = [];
  const bus = createInProcessEvents();
  bus.subscribe((event) => events.push(event));
  const clock = { now: start };
  const service = new HandoffService({
    referrals,
    conversations,
    programmes,
    i18n: localisation.i18n,
    translatorFor: localisation.translatorFor,
    events: bus,
    logger: silentLogger,
    clock: () => clock.now,
    ...extra,
  });
  return { service, events, bus, conversations, referrals, clock };
}

export async function newOrganisation(db: Database, name = 'Org'): Promise<string> {
  const org = await createOrganisationRepository(db.prisma).create({ name, widgetKey: `k-${randomUUID()}` });
  return org.id;
}

/** A conversation whose person consented and answered `answers` (or did not consent, with `consent: false`). */
export async function conversationWith(
  db: Database,
  organisationId: string,
  answers: Record<string, string | number | boolean | string[]> = {},
  options: { consent?: boolean; locale?: string; channel?: 'web' | 'telegram'; at?: { flow: string; node: string }; status?: 'bot' | 'queued' } = {},
): Promise<StoredConversation> {
  const conversations = createConversationRepository(db.prisma);
  const consent = options.consent ?? true;
  const conversation = await conversations.create({
    organisationId,
    channel: options.channel ?? 'web',
    channelRef: randomUUID(),
    locale: options.locale ?? 'en',
    flowState: {
      v: 1,
      flow: options.at?.flow ?? 'intake',
      node: options.at?.node ?? 'age_band',
      awaiting: true,
      finished: false,
      answers,
      consent: consent ? 'given' : 'declined',
    },
  });
  await conversations.recordConsent({
    conversationId: conversation.id,
    noticeVersion: '2026-11-v1',
    granted: consent,
    scopes: consent ? ['store_answers', 'share_with_counsellor'] : [],
    channel: conversation.channel,
  });
  const status = options.status ?? 'queued';
  await db.prisma.conversation.update({ where: { id: conversation.id }, data: { status } });
  return { ...conversation, status };
}

export const fullAnswers = {
  hostCountry: 'DE',
  hostCity: 'Berlin',
  nationality: 'AF',
  returnCountry: 'AF',
  returnRegion: 'Herat',
  ageBand: '18-59',
  legalStatus: 'asylum_rejected',
  hasDepartureDeadline: 'yes',
  departureDeadline: '2027-01-15',
  householdAdults: 1,
  householdMinors: 0,
  vulnerabilities: ['medical_needs'],
  priorReturnAssistance: 'no',
  detained: 'no',
  pressured: 'no',
  wishes: ['travel', 'business'],
  inTheirWords: '  My mother is ill in Herat, and I am afraid of the debts we still have there.  ',
};

let shared: Promise<{ localisation: Localisation; programmes: Programme[] }> | undefined;

/**
 * The shipped locales and programme catalogue, without the flow checks: these tests need texts and
 * programmes, and should not fail while another language is being added.
 */
export function localesAndCatalogue(): Promise<{ localisation: Localisation; programmes: Programme[] }> {
  shared ??= (async () => ({
    localisation: await createLocalisation(join(projectRoot, 'locales')),
    programmes: loadCatalogue(join(projectRoot, 'flows', 'programmes')).programmes,
  }))();
  return shared;
}
