// Microsoft's own Direct Line client (botframework-directlinejs) holds whole conversations with
// the server, over WebSocket and over polling, the way Web Chat would.
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import type { DirectLine } from 'botframework-directlinejs';
import { seqOfActivityId } from '../../src/channels/web/bridge.js';
import { Collector, loadDirectLine, useApp, type ReceivedActivity } from './support.js';
import { waitFor } from '../support/wait.js';

let directLine: Awaited<ReturnType<typeof loadDirectLine>>;
beforeAll(async () => {
  directLine = await loadDirectLine();
});

const app = useApp();
const domain = () => `${app().url}/v3/directline`;

const open: { client: DirectLine; stop(): void }[] = [];
afterEach(() => {
  for (const { client, stop } of open.splice(0)) {
    stop();
    client.end();
  }
});

function connect(options: ConstructorParameters<typeof directLine.DirectLine>[0]): { client: DirectLine; collector: Collector } {
  const client = new directLine.DirectLine({ domain: domain(), pollingInterval: 200, ...options });
  const collector = new Collector();
  const subscription = client.activity$.subscribe(
    (activity) => collector.push(activity as ReceivedActivity),
    (error: unknown) => collector.fail(error),
  );
  open.push({ client, stop: () => subscription.unsubscribe() });
  return { client, collector };
}

function post(client: DirectLine, activity: Record<string, unknown>): Promise<string> {
  return new Promise((resolve, reject) => {
    client.postActivity({ type: 'message', from: { id: 'ignored' }, ...activity } as Parameters<DirectLine['postActivity']>[0]).subscribe((id: unknown) => {
      if (typeof id === 'string' && id !== 'retry') resolve(id);
      else reject(new Error(`post failed: ${String(id)}`));
    }, reject);
  });
}

/** Taps the button with `choice` on a bot message, as Web Chat sends a messageBack. */
function tap(client: DirectLine, message: ReceivedActivity, choice: string, userId: string): Promise<string> {
  const action = message.suggestedActions?.actions.find((candidate) => candidate.value.choice === choice);
  if (!action) throw new Error(`no button "${choice}" on ${message.channelData?.key}`);
  return post(client, { from: { id: userId }, text: action.title, value: action.value, channelData: { clientActivityID: `tap-${choice}` } });
}

/** What the widget does: the widget key buys a token and a resume ticket (with `resume`, for the same conversation). */
async function generate(body: { user?: { id: string }; resume?: string }): Promise<{ token: string; resume: string; conversationId: string }> {
  const response = await fetch(`${domain()}/tokens/generate`, {
    method: 'POST',
    headers: { authorization: 'Bearer demo', 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  expect(response.status).toBe(200);
  return (await response.json()) as { token: string; resume: string; conversationId: string };
}

// Both with a token: the widget key is public, so it opens new conversations only (issue 15). A
// DirectLineJS given it as `secret` would send it on every call and be refused past the start.
const transports = [
  { name: 'WebSocket, with a token from the widget key', webSocket: true },
  { name: 'polling, with a token from the widget key', webSocket: false },
] as const;

describe.each(transports)('DirectLineJS over $name', ({ webSocket }) => {
  it('holds the intake conversation, then reconnects from a watermark without duplicates', async () => {
    const userId = `user-${webSocket ? 'websocket' : 'polling'}`;
    const grant = await generate({ user: { id: userId } });
    const credentials = { token: grant.token };
    const { client, collector } = connect({ ...credentials, webSocket });

    const welcome = await collector.key('bot:intake.welcome');
    expect(welcome).toMatchObject({ type: 'message', from: { id: 'homeward', role: 'bot' }, locale: 'en', channelData: { dir: 'ltr' } });
    const language = await collector.key('bot:intake.language');
    const englishId = await tap(client, language, 'en', userId);
    const consent = await collector.key('bot:intake.consent');
    await tap(client, consent, 'yes', userId);
    const age = await collector.key('bot:intake.age_band');
    await tap(client, age, '18-59', userId);
    const safety = await collector.key('bot:counselling.safety');
    await tap(client, safety, 'no', userId);
    const host = await collector.key('bot:intake.host_country');
    const typedId = await post(client, { from: { id: userId }, text: 'Germany' });
    const hostSeq = seqOfActivityId(host.id ?? '') ?? Infinity;
    const afterHost = await collector.next((activity) => activity.from.role === 'bot' && (seqOfActivityId(activity.id ?? '') ?? -1) > hostSeq);
    expect(afterHost.channelData?.key).not.toBe('bot:intake.host_country');

    // The client's own activities come back with the ids the server returned for them.
    const own = await collector.next((activity) => activity.id === typedId);
    expect(own).toMatchObject({ type: 'message', from: { id: userId, role: 'user' }, text: 'Germany' });
    expect(await collector.next((activity) => activity.id === englishId)).toMatchObject({
      from: { role: 'user' },
      text: 'English',
      channelData: { clientActivityID: 'tap-en' },
    });

    const conversationId = (welcome.id ?? '').split('|')[0] ?? '';
    const stored = await app().conversations.findByChannelRef('web', conversationId);
    expect(stored?.flowState).toMatchObject({ consent: 'given', answers: { ageBand: '18-59', safetyConcern: 'no', hostCountry: 'DE' } });
    const lastId = `${conversationId}|${String((stored?.nextSeq ?? 0) - 1).padStart(7, '0')}`;
    await collector.next((activity) => activity.id === lastId);

    const ids = collector.received.map((activity) => activity.id ?? '');
    expect(new Set(ids).size).toBe(ids.length);
    const seqs = ids.map((id) => seqOfActivityId(id) ?? -1);
    expect(seqs).toEqual([...seqs].sort((a, b) => a - b));

    // Coming back with the watermark of the consent question: everything after it, once.
    const watermark = String(seqOfActivityId(consent.id ?? ''));
    expect(conversationId).toBe(grant.conversationId);
    const resumed = { token: (await generate({ resume: grant.resume })).token };
    const second = connect({ ...resumed, conversationId, watermark, webSocket });
    await second.collector.next((activity) => activity.id === lastId);
    const replayed = second.collector.received.map((activity) => activity.id ?? '');
    expect(new Set(replayed).size).toBe(replayed.length);
    expect(replayed).toEqual(ids.filter((id) => (seqOfActivityId(id) ?? -1) > Number(watermark)));
  });
});

describe('DirectLineJS token refresh', () => {
  it('refreshes its token before it expires and keeps talking after the first token expired', async () => {
    // Intervals and the clock run on (shouldAdvanceTime) and can jump: DirectLineJS refreshes every 15 minutes with setInterval.
    vi.useFakeTimers({ toFake: ['setInterval', 'clearInterval', 'Date'], shouldAdvanceTime: true });
    try {
      const grant = await generate({ user: { id: 'refreshing-user' } });
      const issued = vi.spyOn(app().web.tokens, 'issueToken');
      const { client, collector } = connect({ token: grant.token, webSocket: true });
      const language = await collector.key('bot:intake.language');
      issued.mockClear();

      const startedAt = Date.now();
      vi.advanceTimersByTime(16 * 60 * 1000);
      await until(() => issued.mock.calls.length > 0);
      // The server answered; give the client a moment to take the new token.
      await new Promise((resolve) => setTimeout(resolve, 1000));
      // Past the first token's 30 minutes (the clock only: no further refresh runs): only the refreshed token works.
      vi.setSystemTime(startedAt + 31 * 60 * 1000);
      const stale = await fetch(`${domain()}/conversations/${grant.conversationId}/activities`, { headers: { authorization: `Bearer ${grant.token}` } });
      expect(stale.status).toBe(403);
      await tap(client, language, 'en', 'refreshing-user');
      await collector.key('bot:intake.consent');
      issued.mockRestore();
    } finally {
      vi.useRealTimers();
    }
  });
});

/** Waits in real time (the fake clock does not move by itself). */
async function until(condition: () => boolean, timeoutMs = 10_000): Promise<void> {
  await waitFor(() => condition() || undefined, 'the condition', timeoutMs);
}
