import WebSocket from 'ws';

/** One simulated person holding intake conversations over Direct Line: HTTP POST out, WebSocket in. */

interface Activity {
  type: string;
  id?: string;
  from?: { role?: string };
  text?: string;
  channelData?: { key?: string };
  suggestedActions?: { actions: { title: string; value?: { choice?: string; node?: string } }[] };
}

export interface TurnSample {
  ms: number;
  ok: boolean;
  /** Why a turn failed (`http 429`, `no reply`, ...), so a run's errors can be told apart. */
  error?: string;
}

/**
 * A typical person: agrees to the notice and wants a counsellor at the end, but says "no" to the
 * questions about safety, detention and earlier assistance ("yes" to safety raises an urgent
 * referral in every conversation, which is not what a campaign's crowd looks like).
 */
const preferredChoices = ['en', '18-59', 'asylum_rejected', 'no', '__done'];
const agreeing = ['yes', ...preferredChoices];

/** A plausible answer to a bot prompt, so conversations walk the whole intake. */
export function answerFor(prompt: Activity): { text: string; value?: { choice: string; node?: string } } {
  const actions = prompt.suggestedActions?.actions ?? [];
  if (actions.length > 0) {
    const preferred = /consent|offer_counsellor/.test(prompt.channelData?.key ?? '') ? agreeing : preferredChoices;
    const choice = preferred.map((value) => actions.find((action) => action.value?.choice === value)).find(Boolean) ?? actions[0]!;
    return { text: choice.title, value: { choice: choice.value?.choice ?? choice.title, ...(choice.value?.node ? { node: choice.value.node } : {}) } };
  }
  const key = prompt.channelData?.key ?? '';
  if (/city/.test(key)) return { text: 'Berlin' };
  if (/date|deadline/.test(key)) return { text: '01.03.2027' };
  if (/country|nationality/.test(key)) return { text: 'AF' };
  if (/ages/.test(key)) return { text: '5' };
  return { text: '1' };
}

export class Person {
  private socket?: WebSocket;
  private conversation?: { id: string; token: string };
  private waiting?: { resolve: (activity: Activity) => void };
  private lastPrompt?: Activity;
  private inbox: Activity[] = [];

  constructor(
    private readonly base: string,
    private readonly widgetKey: string,
  ) {}

  /** Starts a conversation and waits for the first question. */
  async start(): Promise<void> {
    this.close();
    // The last conversation's closing words must not pass for this one's first question.
    this.inbox = [];
    const response = await fetch(`${this.base}/v3/directline/conversations`, {
      method: 'POST',
      headers: { authorization: `Bearer ${this.widgetKey}` },
      signal: AbortSignal.timeout(10_000),
    });
    if (!response.ok) throw new Error(`start: http ${response.status}`);
    const body = (await response.json()) as { conversationId: string; token: string; streamUrl: string };
    this.conversation = { id: body.conversationId, token: body.token };
    const socket = new WebSocket(body.streamUrl);
    this.socket = socket;
    socket.on('message', (data) => this.receive(String(data)));
    await new Promise<void>((resolve, reject) => {
      socket.once('open', () => resolve());
      socket.once('error', reject);
    });
    this.lastPrompt = await this.nextPrompt(10_000);
  }

  /** Answers the last question; resolves with the time until the bot's first reply arrived. */
  async turn(timeoutMs = 10_000): Promise<TurnSample & { finished: boolean }> {
    if (!this.conversation || !this.lastPrompt) throw new Error('not started');
    const answer = answerFor(this.lastPrompt);
    this.inbox = [];
    const started = performance.now();
    const firstReply = this.nextBotActivity(timeoutMs);
    const post = fetch(`${this.base}/v3/directline/conversations/${this.conversation.id}/activities`, {
      method: 'POST',
      headers: { authorization: `Bearer ${this.conversation.token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ type: 'message', from: { id: 'bench' }, text: answer.text, ...(answer.value ? { value: answer.value } : {}) }),
      // A server that never answers must cost this person one error, not hang the run.
      signal: AbortSignal.timeout(timeoutMs),
    });
    const [response] = await Promise.all([post, firstReply]);
    const ms = performance.now() - started;
    if (!response.ok) return { ms, ok: false, finished: true, error: `http ${response.status}` };
    // The server writes a turn's replies to the socket before it answers the POST: a moment's
    // wait lets the last of them (the next question) land.
    await new Promise((resolve) => setTimeout(resolve, 2));
    const prompt = this.inbox.at(-1);
    this.lastPrompt = prompt && !isClosing(prompt) ? prompt : undefined;
    return { ms, ok: true, finished: this.lastPrompt === undefined };
  }

  close(): void {
    this.socket?.close();
    this.socket = undefined;
  }

  private receive(frame: string): void {
    if (!frame.trim()) return;
    const set = JSON.parse(frame) as { activities?: Activity[] };
    for (const activity of set.activities ?? []) {
      if (activity.type !== 'message' || activity.from?.role !== 'bot') continue;
      this.inbox.push(activity);
      if (this.waiting) {
        const { resolve } = this.waiting;
        this.waiting = undefined;
        resolve(activity);
      }
    }
  }

  private nextBotActivity(timeoutMs: number): Promise<Activity> {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error('no reply')), timeoutMs);
      this.waiting = {
        resolve: (activity) => {
          clearTimeout(timer);
          resolve(activity);
        },
      };
    });
  }

  /** Waits until the bot's messages settle and returns the last one, which asks the next question. */
  private async nextPrompt(timeoutMs: number): Promise<Activity> {
    const deadline = performance.now() + timeoutMs;
    let seen = -1;
    while (performance.now() < deadline) {
      if (this.inbox.length > 0 && this.inbox.length === seen) break;
      seen = this.inbox.length;
      await new Promise((resolve) => setTimeout(resolve, 30));
    }
    const last = this.inbox.at(-1);
    if (!last || isClosing(last)) throw new Error('conversation ended');
    return last;
  }
}

/** The bot's last words of an intake: nothing left to answer. */
function isClosing(activity: Activity): boolean {
  return /goodbye|finished|handoff/.test(activity.channelData?.key ?? '');
}
