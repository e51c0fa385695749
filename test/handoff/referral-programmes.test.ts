// The referral's eligibility section covers the programmes the organisation offers, as the
// conversation explained them to the person, not the whole catalogue.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningApp } from '../../src/app.js';
import { createInProcessEvents } from '../../src/handoff/events.js';
import { HandoffService } from '../../src/handoff/service.js';
import { createConversationRepository } from '../../src/store/repositories/conversations.js';
import { createReferralRepository } from '../../src/store/repositories/referrals.js';
import { silentLogger } from '../support/turns.js';
import { conversationWith, fullAnswers, localesAndCatalogue, newOrganisation } from './support.js';
import { startTestApp } from '../support/app.js';

let app: RunningApp;

beforeAll(async () => {
  app = await startTestApp({ RETENTION_INTERVAL_MINUTES: '0' });
}, 120_000);

afterAll(async () => {
  await app?.close();
});

async function eligibilityOf(service: HandoffService, organisationId: string): Promise<string[]> {
  const conversation = await conversationWith(app.db, organisationId, fullAnswers);
  const { referral } = await service.handoffRequested(conversation, 'intake_completed');
  const record = await service.record(organisationId, referral.id);
  return (record?.eligibility ?? []).map((outcome) => outcome.programme);
}

describe('the referral record and the programmes an organisation offers', () => {
  it('evaluates only the offered programmes, per organisation, and every programme where none is turned off', async () => {
    const { programmes } = await localesAndCatalogue();
    const catalogue = programmes.map((programme) => programme.id);
    expect(catalogue.length).toBeGreaterThan(2);
    const [off, alsoOff] = catalogue;
    const narrow = await newOrganisation(app.db, 'Narrow');
    const full = await newOrganisation(app.db, 'Full');
    await app.organisations.setDisabledProgrammes(narrow, [off!, alsoOff!]);

    // Through the app's own wiring: the same setting the conversation read.
    expect(await eligibilityOf(app.handoff, narrow)).toEqual(catalogue.filter((id) => id !== off && id !== alsoOff));
    expect(await eligibilityOf(app.handoff, full)).toEqual(catalogue);
  });

  it('still creates the referral, over the whole catalogue, when the setting cannot be read', async () => {
    const { localisation, programmes } = await localesAndCatalogue();
    const errors: unknown[] = [];
    const logger = silentLogger.child({});
    logger.error = ((...args: unknown[]) => void errors.push(args)) as typeof logger.error;
    const service = new HandoffService({
      referrals: createReferralRepository(app.db.prisma),
      conversations: createConversationRepository(app.db.prisma),
      programmes,
      i18n: localisation.i18n,
      translatorFor: localisation.translatorFor,
      events: createInProcessEvents(),
      logger,
      disabledProgrammesOf: () => Promise.reject(new Error('database away')),
    });
    const organisationId = await newOrganisation(app.db, 'Unreadable');
    expect(await eligibilityOf(service, organisationId)).toEqual(programmes.map((programme) => programme.id));
    expect(errors).toHaveLength(1);
  });
});
