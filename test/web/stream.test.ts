// The WebSocket at streamUrl, read frame by frame: history after the watermark first, then live
// activities, each stored activity once, and keep-alive frames that are empty ActivitySets.
import { describe, expect, it, vi } from 'vitest';
import WebSocket from 'ws';
import { useApp } from './support.js';

const app = useApp();

interface Frame {
  activities?: { id: string; text?: string; from: { role: string }; channelData?: { key?: string } }[];
  watermark?: string;
}

class FrameReader {
  readonly frames: Frame[] = [];
  private wake: (() => void) | undefined;
  readonly socket: WebSocket;

  constructor(url: string) {
    this.socket = new WebSocket(url);
    this.socket.on('message', (data: Buffer) => {
      this.frames.push(JSON.parse(data.toString('utf8')) as Frame);
      this.wake?.();
    });
  }

  ids(): string[] {
    return this.frames.flatMap((frame) => (frame.activities ?? []).map((activity) => activity.id));
  }

  async until(condition: () => boolean, timeoutMs = 10_000): Promise<void> {
    const deadline = performance.now() + timeoutMs;
    while (!condition()) {
      const left = deadline - performance.now();
      if (left <= 0) throw new Error(`timed out; frames: ${JSON.stringify(this.frames).slice(0, 500)}`);
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, Math.min(left, 100));
        this.wake = () => {
          clearTimeout(timer);
          resolve();
        };
      });
    }
  }

  close(): void {
    this.socket.close();
  }
}

async function start(): Promise<{ conversationId: string; token: string; streamUrl: string }> {
  const response = await fetch(`${app().url}/v3/directline/conversations`, { method: 'POST', headers: { authorization: 'Bearer demo' } });
  expect(response.status).toBe(201);
  return (await response.json()) as { conversationId: string; token: string; streamUrl: string };
}

async function say(conversationId: string, token: string, text: string): Promise<string> {
  const response = await fetch(`${app().url}/v3/directline/conversations/${conversationId}/activities`, {
    method: 'POST',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    body: JSON.stringify({ type: 'message', text }),
  });
  expect(response.status).toBe(200);
  return ((await response.json()) as { id: string }).id;
}

describe('the Direct Line stream', () => {
  it('sends the history first, then each new activity once, with the watermark of the last', async () => {
    const { conversationId, token, streamUrl } = await start();
    const reader = new FrameReader(streamUrl);
    try {
      await reader.until(() => reader.ids().length >= 2);
      expect(reader.frames[0]).toMatchObject({
        watermark: '2',
        activities: [{ channelData: { key: 'bot:intake.welcome' } }, { channelData: { key: 'bot:intake.language' } }],
      });

      const id = await say(conversationId, token, 'English');
      await reader.until(() => reader.frames.some((frame) => frame.activities?.some((activity) => activity.channelData?.key === 'bot:intake.consent')));
      const ids = reader.ids();
      expect(new Set(ids).size).toBe(ids.length);
      expect(ids).toContain(id);
      const last = reader.frames.at(-1);
      expect(last?.watermark).toBe(String(Number(last?.activities?.at(-1)?.id.split('|')[1])));

      // A second stream from watermark 2 gets exactly what came after it.
      const later = new FrameReader(`${streamUrl}&watermark=2`);
      await later.until(() => later.ids().length >= ids.length - 2);
      expect(later.ids()).toEqual(ids.slice(2));
      later.close();
    } finally {
      reader.close();
    }
  });

  it("delivers a proactive message (a counsellor's reply) to the open stream through the saved reference", async () => {
    const { conversationId, streamUrl } = await start();
    const reader = new FrameReader(streamUrl);
    try {
      await reader.until(() => reader.ids().length >= 2);
      const conversation = await app().conversations.findByChannelRef('web', conversationId);
      if (!conversation) throw new Error('the conversation was not stored');
      expect(conversation.channelData).toMatchObject({
        conversationReference: { channelId: 'directline', conversation: { id: conversationId }, bot: { id: 'homeward' } },
      });
      const committed = await app().conversations.commitTurn({
        conversationId: conversation.id,
        expectedVersion: conversation.version,
        locale: conversation.locale,
        flowState: conversation.flowState,
        messages: [{ author: 'counsellor', text: 'Hello, I am Sara, a counsellor.', locale: 'en' }],
      });
      if (!committed.ok) throw new Error('the counsellor message was not stored');
      expect(await app().web.proactive.deliver(committed.conversation, committed.messages)).toBe('sent');
      await reader.until(() => reader.ids().length >= 3);
      expect(reader.frames.at(-1)).toMatchObject({
        watermark: String(committed.messages[0]?.seq),
        activities: [
          { id: `${conversationId}|${String(committed.messages[0]?.seq).padStart(7, '0')}`, text: 'Hello, I am Sara, a counsellor.', from: { role: 'bot' } },
        ],
      });
    } finally {
      reader.close();
    }
  });

  it('sends an empty ActivitySet as keep-alive while nothing happens', async () => {
    vi.useFakeTimers({ toFake: ['setInterval', 'clearInterval'], shouldAdvanceTime: true });
    const { streamUrl } = await start();
    const reader = new FrameReader(streamUrl);
    try {
      await reader.until(() => reader.frames.length >= 1);
      vi.advanceTimersByTime(31_000);
      await reader.until(() => reader.frames.length >= 3);
      expect(reader.frames.slice(1, 3)).toEqual([{ activities: [] }, { activities: [] }]);
    } finally {
      reader.close();
      vi.useRealTimers();
    }
  });
});
