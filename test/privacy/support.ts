// Repositories with encryption, a handoff service and the privacy services over a test database.
import { randomBytes, randomUUID } from 'node:crypto';
import { z } from 'zod';
import { createInProcessEvents, type HandoffEvent } from '../../src/handoff/events.js';
import { HandoffService } from '../../src/handoff/service.js';
import { Erasure } from '../../src/privacy/erasure.js';
import { createFieldCipher, type FieldCipher } from '../../src/crypto/field-cipher.js';
import { RetentionJob } from '../../src/privacy/retention.js';
import type { Database } from '../../src/store/client.js';
import { Prisma } from '../../src/store/generated/client.js';
import { createConsoleRepository } from '../../src/store/repositories/console.js';
import { createConversationRepository, type StoredConversation } from '../../src/store/repositories/conversations.js';
import { createOutboxRepository } from '../../src/store/repositories/outbox.js';
import { createPrivacyRepository } from '../../src/store/repositories/privacy.js';
import { createReferralRepository } from '../../src/store/repositories/referrals.js';
import { localesAndCatalogue } from '../handoff/support.js';
import { silentLogger } from '../support/turns.js';

export function newCipher(key: Buffer = randomBytes(32), previous: Buffer[] = []): FieldCipher {
  return createFieldCipher({ current: key, previous });
}

export async function privacyFixture(db: Database, cipher: FieldCipher, start = new Date('2026-11-30T10:00:00Z')) {
  const { localisation, programmes } = await localesAndCatalogue();
  const conversations = createConversationRepository(db.prisma, { cipher });
  const referrals = createReferralRepository(db.prisma, { cipher });
  const outbox = createOutboxRepository(db.prisma, { cipher });
  const privacy = createPrivacyRepository(db.prisma);
  const events: HandoffEvent[] = [];
  const bus = createInProcessEvents();
  bus.subscribe((event) => events.push(event));
  const clock = { now: start };
  const handoff = new HandoffService({
    referrals,
    conversations,
    programmes,
    i18n: localisation.i18n,
    translatorFor: localisation.translatorFor,
    events: bus,
    logger: silentLogger,
    clock: () => clock.now,
  });
  const erasure = new Erasure({ privacy, events: bus, logger: silentLogger, clock: () => clock.now });
  const retention = new RetentionJob({ privacy, logger: silentLogger, clock: () => clock.now });
  return { conversations, referrals, outbox, privacy, handoff, erasure, retention, events, clock, console: createConsoleRepository(db.prisma) };
}
export type PrivacyFixture = Awaited<ReturnType<typeof privacyFixture>>;

export interface Person {
  conversation: StoredConversation;
  referralId: string;
  /** Strings that identify the person: none may appear in the database in clear. */
  secrets: string[];
  /** The channel's chat id: kept in clear (it routes incoming messages), gone after erasure. */
  channelRef: string;
}

/**
 * A person who consented, told their story (with a name, a city and a health detail), was handed to
 * a counsellor who wrote back and took a note: rows in every table a person can reach.
 */
export async function personWithCase(fx: PrivacyFixture, organisationId: string, userId: string, marker = randomUUID().slice(0, 8)): Promise<Person> {
  const secrets = [`Amina${marker}`, `Zwickau${marker}`, `insulin${marker}`, `note${marker}`, `counsellor${marker}`, `Tigray${marker}`];
  const [name, city, health, note, reply, tapped] = secrets as [string, string, string, string, string, string];
  const answers = {
    hostCountry: 'DE',
    hostCity: city,
    nationality: 'AF',
    returnCountry: 'AF',
    ageBand: '18-59',
    legalStatus: 'asylum_rejected',
    wishes: ['travel'],
    vulnerabilities: ['medical_needs'],
    medicalDetails: health,
  };
  const conversation = await fx.conversations.create({
    organisationId,
    channel: 'telegram',
    channelRef: `chat-${randomUUID()}`,
    locale: 'en',
    flowState: { v: 1, flow: 'intake', node: 'age_band', awaiting: true, finished: false, answers, consent: 'given' },
  });
  const turn = await fx.conversations.commitTurn({
    conversationId: conversation.id,
    expectedVersion: conversation.version,
    locale: 'en',
    flowState: { v: 1, flow: 'intake', node: 'age_band', awaiting: true, finished: false, answers, consent: 'given' },
    status: 'queued',
    messages: [
      { author: 'client', text: `My name is ${name}, I need ${health}` },
      { author: 'client', text: 'ET', payload: { event: 'choice', label: tapped } },
      { author: 'bot', text: `Thank you, ${name}`, textKey: 'system:help', textParams: { name } },
    ],
    consent: { noticeVersion: '2026-11-v1', granted: true, scopes: ['store_answers', 'share_with_counsellor'] },
    deliveryKey: `update-${marker}`,
  });
  if (!turn.ok) throw new Error('the setup turn did not commit');
  const { referral } = await fx.handoff.handoffRequested(turn.conversation, 'client_request');
  const actor = { userId, organisationId, role: 'counsellor' as const };
  const claimed = await fx.handoff.claim(actor, referral.id);
  if (!claimed.ok) throw new Error('the setup claim failed');
  const sent = await fx.handoff.sendMessage(actor, referral.id, `Hello, I am ${reply}`);
  if (!sent.ok) throw new Error('the setup message failed');
  await fx.handoff.addNote(actor, referral.id, `${note}: ${name} from ${city}`);
  const current = await fx.conversations.findById(conversation.id);
  if (!current) throw new Error('the conversation vanished');
  return { conversation: current, referralId: referral.id, secrets, channelRef: conversation.channelRef };
}

/** Every model of the schema, from the generated client: a new table is checked without anyone listing it. */
export const allModels: string[] = Object.values(Prisma.ModelName);

const dumpSchema = z.array(z.object({ row: z.string() }));

/** Each row of a table as its JSON text, read with SQL past the repositories. */
export async function rawRows(db: Database, model: string): Promise<string[]> {
  if (!/^[A-Za-z]+$/.test(model)) throw new Error(`not a model name: ${model}`);
  return dumpSchema.parse(await db.prisma.$queryRawUnsafe(`SELECT row_to_json(t)::text AS row FROM "${model}" t`)).map((item) => item.row);
}

export async function newUser(db: Database, organisationId: string, role: 'counsellor' | 'admin' = 'counsellor') {
  const user = await createConsoleRepository(db.prisma).createUser({
    organisationId,
    email: `${randomUUID()}@example.org`,
    passwordHash: 'x',
    role,
    displayName: 'Anna',
  });
  if (!user) throw new Error('user not created');
  return user;
}
