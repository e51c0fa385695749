// A counsellor's message to a Telegram conversation goes through the outbox and reaches the chat
// (telegram-test-api emulator) under the counsellor's label, and the person's answer reaches the
// counsellor as an event; while a counsellor owns the chat "talk to a person" is off the keyboard.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningApp } from '../../src/app.js';
import { escapeHtml } from '../../src/channels/telegram/format.js';
import { hashPassword } from '../../src/console/auth/password.js';
import type { HandoffEvent } from '../../src/handoff/events.js';
import { createConsoleRepository } from '../../src/store/repositories/console.js';
import { startEmulator, type Emulator } from './emulator.js';
import { replyKeyboardLabels, waitFor } from './support.js';
import { startTestApp } from '../support/app.js';

const token = '222222:handoff-relay-token';
let emulator: Emulator;
let app: RunningApp | undefined;

beforeAll(async () => {
  emulator = await startEmulator();
  app = await startTestApp({ TELEGRAM_BOT_TOKEN: token, TELEGRAM_API_ROOT: emulator.apiRoot });
}, 120_000);

afterAll(async () => {
  // The app first: its poller talks to the emulator.
  await app?.close();
  await emulator?.stop();
});

describe('the handoff relay on Telegram', () => {
  it('delivers a counsellor message through the outbox and relays the answer live', { timeout: 180_000 }, async () => {
    const running = app!;
    const events: HandoffEvent[] = [];
    running.handoffEvents.subscribe((event) => events.push(event));
    const client = emulator.client(token, 80_001, 'en');
    await client.command('/start');
    await waitFor(async () => ((await client.received()).length > 0 ? true : undefined), 'the welcome');
    await client.send('Talk to a person');
    const created = await waitFor(() => events.find((event) => event.type === 'referral_created'), 'the referral');

    const user = await createConsoleRepository(running.db.prisma).createUser({
      organisationId: created.organisationId,
      email: 'tg-counsellor@example.org',
      passwordHash: await hashPassword('a long enough password'),
      role: 'counsellor',
    });
    const actor = { userId: user!.id, organisationId: created.organisationId, role: 'counsellor' as const };
    const referralId = created.type === 'referral_created' ? created.referralId : '';
    expect((await running.handoff.claim(actor, referralId)).ok).toBe(true);
    const sent = await running.handoff.sendMessage(actor, referralId, 'Hello <b>on</b> Telegram');
    expect(sent.ok).toBe(true);

    const expected = escapeHtml('Hello <b>on</b> Telegram');
    await waitFor(
      async () =>
        (await client.received()).some((message) => message.text.includes(expected) || message.text.includes('Hello <b>on</b> Telegram')) ? true : undefined,
      'the counsellor message in the chat',
    );
    await waitFor(async () => ((await running.outbox.countByStatus(created.conversationId)).pending === 0 ? true : undefined), 'the outbox drained');
    const counts = await running.outbox.countByStatus(created.conversationId);
    const joined = escapeHtml(running.localisation.translatorFor('en')('handoff:counsellor_joined'));
    const received = await client.received();
    // Every message in the chat went out through the outbox: the bot's replies as well as the
    // counsellor's joining notice and message.
    expect(counts).toEqual({ pending: 0, sent: received.length, failed: 0 });
    expect(received.filter((message) => message.text.includes(joined))).toHaveLength(1);
    // Once, and as plain text under the label: the counsellor's markup is escaped, not interpreted.
    expect(received.filter((message) => message.text.includes('Telegram'))).toEqual([
      expect.objectContaining({ text: expect.stringMatching(/^<b>Counsellor<\/b>\nHello (<b>|&lt;b&gt;)on/) }),
    ]);

    // The person never agreed to data storage: the counsellor is told they wrote, not what.
    await client.send('My answer to the counsellor');
    const withheld = running.localisation.translatorFor('en')('system:not_kept_before_consent');
    await waitFor(() => events.find((event) => event.type === 'client_message' && event.text === withheld), 'the answer as an event');
    expect(events.filter((event) => JSON.stringify(event).includes('My answer to the counsellor'))).toEqual([]);
  });

  it('labels the counsellor by display name, and keeps "talk to a person" off the keyboard while they own the chat', { timeout: 180_000 }, async () => {
    const running = app!;
    const events: HandoffEvent[] = [];
    const unsubscribe = running.handoffEvents.subscribe((event) => events.push(event));
    const client = emulator.client(token, 80_002, 'en');
    await client.command('/start');
    await waitFor(async () => ((await client.received()).length > 0 ? true : undefined), 'the welcome');
    await client.send('Talk to a person');
    const created = await waitFor(() => events.find((event) => event.type === 'referral_created'), 'the referral');
    unsubscribe();
    // A name with markup in it: the label is escaped like any text, with the project's one helper.
    const name = 'Amira <A&B>';
    const user = await createConsoleRepository(running.db.prisma).createUser({
      organisationId: created.organisationId,
      email: 'tg-amira@example.org',
      displayName: name,
      passwordHash: await hashPassword('a long enough password'),
      role: 'counsellor',
    });
    const actor = { userId: user!.id, organisationId: created.organisationId, role: 'counsellor' as const };
    const referralId = created.type === 'referral_created' ? created.referralId : '';
    const t = running.localisation.translatorFor('en');
    const before = (await client.received()).length;

    expect((await running.handoff.claim(actor, referralId)).ok).toBe(true);
    expect((await running.handoff.sendMessage(actor, referralId, 'Hello, I can help you with your papers.')).ok).toBe(true);
    const label = `<b>${escapeHtml(`${name} · ${t('telegram:counsellor_label')}`)}</b>`;
    const [joined, message] = await waitFor(async () => {
      const all = (await client.received()).slice(before);
      return all.length >= 2 ? all : undefined;
    }, 'the joining notice and the message');
    expect(joined?.text).toBe(escapeHtml(t('handoff:counsellor_joined_named', { name })));
    expect(message?.text).toBe(`${label}\nHello, I can help you with your papers.`);
    expect(message?.parseMode).toBe('HTML');
    // A person owns the chat: no "talk to a person" under the text field.
    for (const sent of [joined, message]) expect(sent?.markup).toEqual({ remove_keyboard: true });

    // The bot still answers a command while the counsellor owns the chat, and leaves the button off.
    await client.command('/help');
    // The help, then the open question again (the chat was still at the language question).
    const answers = await waitFor(async () => {
      const all = (await client.received()).slice(before + 2);
      return all.at(-1)?.text === escapeHtml(t('bot:intake.language')) ? all : undefined;
    }, 'the answer to /help, ending with the open question');
    expect(answers.length).toBeGreaterThan(1);
    for (const answer of answers) expect(replyKeyboardLabels(answer.markup)).toEqual([]);

    // Handed back: the person is told, and the button is back.
    expect((await running.handoff.handBack(actor, referralId)).ok).toBe(true);
    const [handedBack] = await waitFor(async () => {
      const all = (await client.received()).slice(before + 2 + answers.length);
      return all.length >= 1 ? all : undefined;
    }, 'the hand-back notice');
    expect(handedBack?.text).toBe(escapeHtml(t('handoff:handed_back')));
    expect(replyKeyboardLabels(handedBack?.markup)).toEqual([t('telegram:keyboard.talk_to_person')]);
  });
});
