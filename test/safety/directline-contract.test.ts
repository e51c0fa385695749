// Issue 14's contract, checked from outside: the real app, Microsoft's Direct Line client with the
// demo widget key, a conversation that has only said "hello" (English by default), then a phrase
// from the safety corpus in another language. An alarm gets a reply that is not "did not
// understand" and, within a few seconds, an urgent referral in the console queue of the demo
// organisation; a calm sentence raises no referral; a question about danger in the country of
// return raises no urgent one. Phrases are read from test/safety/corpus/ at test time, never from
// the lexicon.
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { DirectLine } from 'botframework-directlinejs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seqOfActivityId } from '../../src/channels/web/bridge.js';
import { hashPassword } from '../../src/console/auth/password.js';
import { pseudonymFor } from '../../src/crypto/pseudonym.js';
import { createConsoleRepository } from '../../src/store/repositories/console.js';
import { callConsole, loginToConsole, type ConsoleSession } from '../support/console.js';
import { projectRoot } from '../support/engine.js';
import { Collector, loadDirectLine, useApp, type ReceivedActivity } from '../web/support.js';
import { corpusLanguages, loadCorpus, safetyCategories, type CorpusFile } from './corpus/corpus.js';

/** Client languages across scripts and directions (Latin, Arabic, Persian, Cyrillic, Ethiopic), plus German as a host-country language. */
const defaultSample = ['en', 'ar', 'fa', 'tr', 'es', 'ru', 'ur', 'so', 'ti', 'de'];

/** `SAFETY_CONTRACT_LANGUAGES=all` (or a comma-separated list) plays more files through the app; unknown codes fail at once. */
function sampledLanguagesFrom(setting: string | undefined): string[] {
  if (!setting) return defaultSample;
  const chosen = setting === 'all' ? [...corpusLanguages] : setting.split(',').map((code) => code.trim());
  const unknown = chosen.filter((code) => !(corpusLanguages as readonly string[]).includes(code));
  if (unknown.length > 0) throw new Error(`SAFETY_CONTRACT_LANGUAGES names languages without a corpus file: ${unknown.join(', ')}`);
  return chosen;
}

const sampledLanguages = sampledLanguagesFrom(process.env.SAFETY_CONTRACT_LANGUAGES);

interface Sample {
  language: string;
  kind: 'alarm' | 'calm' | 'returnSafety';
  text: string;
  category?: string;
}

/**
 * Two alarms of two different categories, one calm sentence and one return question per language.
 * The categories and lines rotate with the language's place in the list, so together the sample
 * covers every category and different lines of each file.
 */
function samplesOf(language: string, place: number, corpus: CorpusFile): Sample[] {
  const pick = <T>(items: readonly T[], index: number): T => items[index % items.length]!;
  const alarms = [0, 3].map((offset) => {
    const category = pick(safetyCategories, place + offset);
    const ofCategory = corpus.alarms.filter((alarm) => alarm.category === category);
    const alarm = pick(ofCategory, place);
    return { language, kind: 'alarm' as const, text: alarm.text, category };
  });
  return [
    ...alarms,
    { language, kind: 'calm', text: pick(corpus.calm, place * 5).text },
    { language, kind: 'returnSafety', text: pick(corpus.returnSafety, place).text },
  ];
}

const samples = sampledLanguages.flatMap((language, place) => samplesOf(language, place, loadCorpus(language)));

/** The English texts that say "I did not understand your answer" (system:error.*): a heard alarm never gets one of these. */
const notUnderstood = Object.values((JSON.parse(readFileSync(join(projectRoot, 'locales/en/system.json'), 'utf8')) as { error: Record<string, string> }).error);

const app = useApp();
const domain = () => `${app().url}/v3/directline`;
let directLine: Awaited<ReturnType<typeof loadDirectLine>>;
let counsellor: ConsoleSession;

beforeAll(async () => {
  directLine = await loadDirectLine();
  const demo = await app().organisations.ensureDemoOrganisation();
  const email = `counsellor-${randomUUID()}@example.org`;
  const password = 'a long enough password for the contract test';
  const user = await createConsoleRepository(app().db.prisma).createUser({
    organisationId: demo.id,
    email,
    passwordHash: await hashPassword(password),
    role: 'counsellor',
  });
  expect(user).not.toBeNull();
  counsellor = await loginToConsole(app().url, email, password);
});

const open: { client: DirectLine; stop(): void }[] = [];
// After all, not each: the tests run side by side, and one finishing must not close another's connection.
afterAll(() => {
  for (const { client, stop } of open.splice(0)) {
    stop();
    client.end();
  }
});

interface QueueRow {
  id: string;
  priority: string;
}

/** The new referrals of one conversation, as a counsellor of the demo organisation finds them by its pseudonym. */
async function newReferralsOf(pseudonym: string): Promise<QueueRow[]> {
  const answer = await callConsole(app().url, 'GET', `/console/api/referrals?status=new&q=${pseudonym}`, counsellor);
  expect(answer.status, answer.text).toBe(200);
  return (answer.json as { referrals: QueueRow[] }).referrals;
}

/** Polls one conversation's referrals until one satisfies `wanted`, or `withinMs` passes. */
async function referralAppearing(pseudonym: string, wanted: (row: QueueRow) => boolean, withinMs: number): Promise<QueueRow | undefined> {
  const deadline = Date.now() + withinMs;
  for (;;) {
    const found = (await newReferralsOf(pseudonym)).find(wanted);
    if (found || Date.now() >= deadline) return found;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

interface ContractConversation {
  /** Posts `text` and returns the bot's first message in answer to it. */
  say(text: string): Promise<ReceivedActivity>;
  /** The pseudonym its referrals carry in the console queue (so tests running side by side see only their own). */
  pseudonym: string;
}

/** A widget conversation with the demo key, as Web Chat opens it, that has said "hello" and had its answer. */
async function conversationAfterHello(): Promise<ContractConversation> {
  const userId = `contract-${randomUUID()}`;
  const grant = await fetch(`${domain()}/tokens/generate`, {
    method: 'POST',
    headers: { authorization: 'Bearer demo', 'content-type': 'application/json' },
    body: JSON.stringify({ user: { id: userId } }),
  });
  expect(grant.status).toBe(200);
  const { token, conversationId } = (await grant.json()) as { token: string; conversationId: string };
  const client = new directLine.DirectLine({ domain: domain(), token, webSocket: true });
  const collector = new Collector();
  const subscription = client.activity$.subscribe(
    (activity) => collector.push(activity as ReceivedActivity),
    (error: unknown) => collector.fail(error),
  );
  open.push({ client, stop: () => subscription.unsubscribe() });
  await collector.key('bot:intake.language');

  async function say(text: string): Promise<ReceivedActivity> {
    const id = await new Promise<string>((resolve, reject) => {
      client.postActivity({ type: 'message', from: { id: userId }, text } as Parameters<DirectLine['postActivity']>[0]).subscribe((posted: unknown) => {
        if (typeof posted === 'string' && posted !== 'retry') resolve(posted);
        else reject(new Error(`post failed: ${String(posted)}`));
      }, reject);
    });
    const seq = seqOfActivityId(id) ?? Infinity;
    // Later messages of the same turn do not matter: the contract reads the first answer and the queue.
    return collector.next((activity) => activity.from.role === 'bot' && (seqOfActivityId(activity.id ?? '') ?? -1) > seq);
  }

  await say('hello');
  const stored = await app().conversations.findByChannelRef('web', conversationId);
  if (!stored) throw new Error(`no stored conversation for Direct Line conversation ${conversationId}`);
  return { say, pseudonym: pseudonymFor(stored.id) };
}

/** What a reply says, for failure messages: its keys, or its texts. */
const described = (reply: ReceivedActivity) => JSON.stringify(reply.channelData?.key ?? reply.text);

async function expectAlarmHeard(text: string): Promise<void> {
  const conversation = await conversationAfterHello();
  const reply = await conversation.say(text);
  expect(
    reply.channelData?.key?.startsWith('system:error.') || notUnderstood.includes(reply.text ?? ''),
    `the phrase was not heard: the reply was ${described(reply)}`,
  ).toBe(false);
  const urgent = await referralAppearing(conversation.pseudonym, (row) => row.priority === 'urgent', 5_000);
  expect(urgent, `no urgent referral within 5 s; the reply was ${described(reply)}`).toBeDefined();
}

/**
 * Phrases the lexicon does not yet handle correctly. They run as expected failures (`it.fails`), so a
 * gap stays visible in every run and a phrase that starts passing fails here until it is moved out.
 * Empty since the lexicon round of 2026-12-02 (the 8 missed alarms and 2 false alarms listed when the
 * lexicon landed are all handled); the held-out corpus (`npm run safety:eval`) says where it is weak.
 */
const knownGaps: ReadonlySet<string> = new Set<string>([]);
const itUnlessGap = (text: string) => (knownGaps.has(text) ? it.fails : it);

// Side by side: each test reads only its own conversation's referrals (by pseudonym), so they cannot see each other's.
describe.concurrent('the Direct Line safety contract (issue 14)', () => {
  // The harness itself: a phrase today's list already knows passes, so a failure below is the lexicon's, not the test's.
  it('hears "i am in danger" after "hello": an answer that is not "did not understand", and an urgent referral in the console', async () => {
    await expectAlarmHeard('i am in danger');
  });

  for (const { language, category, text } of samples.filter((sample) => sample.kind === 'alarm')) {
    itUnlessGap(text)(`${language} alarm (${category}) typed into an English chat: "${text}"`, async () => {
      await expectAlarmHeard(text);
    });
  }

  for (const { language, text } of samples.filter((sample) => sample.kind === 'calm'))
    itUnlessGap(text)(`${language} calm sentence raises no referral: "${text}"`, async () => {
      const conversation = await conversationAfterHello();
      const reply = await conversation.say(text);
      // The turn's referral, if any, is stored before its reply is sent: a moment more only catches a late one.
      const raised = await referralAppearing(conversation.pseudonym, () => true, 500);
      expect(raised, `a referral was raised; the reply was ${described(reply)}`).toBeUndefined();
    });

  it.each(samples.filter((sample) => sample.kind === 'returnSafety'))(
    '$language question about the country of return is not an emergency: "$text"',
    async ({ text }) => {
      const conversation = await conversationAfterHello();
      const reply = await conversation.say(text);
      const urgent = await referralAppearing(conversation.pseudonym, (row) => row.priority === 'urgent', 500);
      expect(urgent, `an urgent referral was raised; the reply was ${described(reply)}`).toBeUndefined();
    },
  );
});
