// Funnel milestones (Conversation.intakeCompletedAt, Conversation.eligibilityOutcomes), written by
// the turn processor in the turn's own transaction, only after consent; and the organisation's
// offered programmes deciding what a conversation's explanation covers.
import { randomUUID } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import { TurnProcessor } from '../../src/conversation/turn-processor.js';
import type { EngineContext, InboundEvent } from '../../src/engine/types.js';
import { createConversationRepository } from '../../src/store/repositories/conversations.js';
import { createOrganisationRepository, type OrganisationRepository } from '../../src/store/repositories/organisations.js';
import { databaseKinds, useTestDatabase, type TestDatabase } from '../support/databases.js';
import { shippedEngine } from '../support/engine.js';
import { silentLogger, webTurn } from '../support/turns.js';

let engine: EngineContext;
beforeAll(async () => ({ ctx: engine } = await shippedEngine()));

type Said = InboundEvent | string;
const choice = (value: string): InboundEvent => ({ type: 'choice', value });

const consented: Said[] = [{ type: 'start' }, 'English', 'yes'];
/** An Afghan family of four in Germany, asylum refused (as in test/engine/transcript.test.ts): both German programmes fit. */
const familyInGermany: Said[] = [
  ...consented,
  '18 to 59',
  'no',
  'germany',
  'Berlin',
  'Afghanistan',
  'Afghanistan',
  'My asylum application was refused',
  'yes',
  '15.01.2027',
  '2',
  '2',
  '4, 9',
  choice('medical_needs'),
  choice('__done'),
  'no',
  'no',
  'no', // nobody is pressuring them
  choice('travel'),
  choice('__done'),
  'I prefer not to say', // in their own words: optional
];

describe.each(databaseKinds)('milestones on %s', (kind) => {
  const database = useTestDatabase(kind);
  let organisationId: string;
  let settings: OrganisationRepository;
  let turns: TurnProcessor;

  beforeAll(async () => {
    const db: TestDatabase = database();
    organisationId = (await createOrganisationRepository(db.prisma).create({ name: 'NGO', widgetKey: `ngo-${randomUUID().slice(0, 8)}` })).id;
    settings = createOrganisationRepository(db.prisma);
    turns = new TurnProcessor({
      conversations: createConversationRepository(db.prisma),
      engine,
      chooseLocale: (_preferences, fallback) => fallback,
      defaultLocaleOf: async () => 'en',
      logger: silentLogger,
      disabledProgrammesOf: (id) => settings.disabledProgrammesOf(id),
    });
  });

  async function say(ref: string, steps: readonly Said[]): Promise<string[]> {
    const texts: string[] = [];
    for (const said of steps) {
      const outcome = await turns.process(webTurn(organisationId, ref, said));
      expect(outcome.ok, `after ${JSON.stringify(said)}`).toBe(true);
      texts.push(...outcome.messages.map((message) => message.text));
    }
    return texts;
  }

  const milestones = async (ref: string) => {
    const conversation = await createConversationRepository(database().prisma).findByChannelRef('web', ref);
    return database().prisma.conversation.findUniqueOrThrow({
      where: { id: conversation!.id },
      select: { intakeCompletedAt: true, eligibilityOutcomes: true },
    });
  };

  it("records nothing before the explanation, then the completion and each explained programme's outcome code", async () => {
    await settings.setDisabledProgrammes(organisationId, []);
    const ref = randomUUID();
    await say(ref, familyInGermany.slice(0, -1));
    expect(await milestones(ref)).toEqual({ intakeCompletedAt: null, eligibilityOutcomes: null });

    const texts = await say(ref, familyInGermany.slice(-1));
    expect(texts.some((text) => text.includes('• StarthilfePlus, extra money from the German government'))).toBe(true);
    const after = await milestones(ref);
    expect(after.intakeCompletedAt).toBeInstanceOf(Date);
    // Codes only, for the programmes of the person's host country that the bot explained.
    expect(after.eligibilityOutcomes).toEqual({ 'de-perspektive-heimat': 'eligible', 'de-reag-garp': 'eligible', 'de-starthilfeplus': 'eligible' });
  });

  it('keeps the first completion time when the flow ends and when the person goes through it again', async () => {
    await settings.setDisabledProgrammes(organisationId, []);
    const ref = randomUUID();
    await say(ref, familyInGermany);
    const first = await milestones(ref);
    expect(first.intakeCompletedAt).toBeInstanceOf(Date);

    // "No" to the offer of a counsellor ends the flow: a second completion signal, ignored.
    await say(ref, ['no']);
    expect((await milestones(ref)).intakeCompletedAt).toEqual(first.intakeCompletedAt);

    // Again from the start, while the organisation no longer offers StarthilfePlus: the outcomes
    // follow the latest explanation, the completion time stays the first.
    await settings.setDisabledProgrammes(organisationId, ['de-starthilfeplus']);
    const texts = await say(ref, ['restart', ...familyInGermany.slice(1)]);
    expect(texts.some((text) => text.includes('• REAG/GARP, help from the German government'))).toBe(true);
    expect(texts.some((text) => text.includes('StarthilfePlus'))).toBe(false);
    const again = await milestones(ref);
    expect(again.eligibilityOutcomes).toEqual({ 'de-perspektive-heimat': 'eligible', 'de-reag-garp': 'eligible' });
    expect(again.intakeCompletedAt).toEqual(first.intakeCompletedAt);
  });

  it('removes the outcome codes when the person withdraws consent, keeping only that the intake was completed', async () => {
    await settings.setDisabledProgrammes(organisationId, []);
    const ref = randomUUID();
    await say(ref, familyInGermany);
    const completed = (await milestones(ref)).intakeCompletedAt;
    expect((await milestones(ref)).eligibilityOutcomes).not.toBeNull();

    await say(ref, [{ type: 'intent', intent: 'withdraw' }]);
    expect(await milestones(ref)).toEqual({ intakeCompletedAt: completed, eligibilityOutcomes: null });
  });

  it('records nothing without consent, even when the flow runs to its end', async () => {
    const ref = randomUUID();
    const texts = await say(ref, [{ type: 'start' }, 'English', 'no', choice('finish')]);
    expect(texts.some((text) => text.includes('We will not keep'))).toBe(true);
    const conversation = await createConversationRepository(database().prisma).findByChannelRef('web', ref);
    expect(conversation?.flowState).toMatchObject({ finished: true, consent: 'declined' });
    expect(await milestones(ref)).toEqual({ intakeCompletedAt: null, eligibilityOutcomes: null });
  });
});
