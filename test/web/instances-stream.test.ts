// Two instances on one PostgreSQL schema, no sticky sessions: the person's WebSocket is on
// instance B while every post goes to instance A. What A stores reaches B's stream over
// LISTEN/NOTIFY: every activity once, in transcript order, nothing lost.
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { startApp, type RunningApp } from '../../src/app.js';
import { activityId, storedToActivity } from '../../src/channels/web/bridge.js';
import { createConfig } from '../../src/config.js';
import { testPostgresUrl } from '../support/databases.js';
import { projectRoot } from '../support/engine.js';
import { silentLogger } from '../support/turns.js';
import { tokenSecret } from './support.js';

const pgSchema = `test_${randomBytes(6).toString('hex')}`;
const apps: RunningApp[] = [];
let a: RunningApp;
let b: RunningApp;

const start = async () => {
  const app = await startApp(createConfig({ PORT: '0', DATABASE_URL: testPostgresUrl, TOKEN_SECRET: tokenSecret }), {
    logger: silentLogger,
    root: projectRoot,
    pgSchema,
  });
  apps.push(app);
  return app;
};

beforeAll(async () => {
  // One after the other: the first applies the migrations.
  a = await start();
  b = await start();
}, 180_000);

afterAll(async () => {
  await Promise.all(apps.map((app) => app.close()));
  const admin = new pg.Client({ connectionString: testPostgresUrl });
  await admin.connect();
  await admin.query(`DROP SCHEMA IF EXISTS "${pgSchema}" CASCADE`);
  await admin.end();
}, 60_000);

interface Frame {
  activities?: { id: string; type: string; name?: string; text?: string; from: { role: string }; channelData?: { key?: string } }[];
  watermark?: string;
}

/** Every frame of one stream, and a wait for a condition on them. */
function readFrames(url: string) {
  const frames: Frame[] = [];
  const socket = new WebSocket(url);
  socket.on('message', (data: Buffer) => frames.push(JSON.parse(data.toString('utf8')) as Frame));
  const ids = () => frames.flatMap((frame) => (frame.activities ?? []).map((activity) => activity.id));
  const until = async (condition: () => boolean, what: string, timeoutMs = 30_000) => {
    const deadline = Date.now() + timeoutMs;
    while (!condition()) {
      if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}; ids: ${JSON.stringify(ids())}`);
      await new Promise((resolve) => setTimeout(resolve, 25));
    }
  };
  return { frames, ids, until, close: () => socket.close() };
}

describe("a person's stream on another instance than their posts", () => {
  it('gets every reply of the turns A runs on B, once and in order', { timeout: 120_000 }, async () => {
    const opened = await fetch(`${a.url}/v3/directline/conversations`, { method: 'POST', headers: { authorization: 'Bearer demo' } });
    expect(opened.status).toBe(201);
    const { conversationId, token, streamUrl } = (await opened.json()) as { conversationId: string; token: string; streamUrl: string };
    // The load balancer sent the WebSocket to B.
    const onB = new URL(streamUrl);
    onB.host = new URL(b.url).host;
    const stream = readFrames(onB.toString());
    try {
      await stream.until(() => stream.ids().length >= 2, 'the welcome from the history');

      const post = async (activity: Record<string, unknown>) => {
        const response = await fetch(`${a.url}/v3/directline/conversations/${conversationId}/activities`, {
          method: 'POST',
          headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
          body: JSON.stringify({ from: { id: 'person-1' }, ...activity }),
        });
        expect(response.status).toBe(200);
      };
      // Three posts, each one a turn on A with its replies.
      await post({ type: 'message', text: 'English' });
      await post({ type: 'message', text: 'help' });
      await post({ type: 'message', text: 'help' });

      // What the transcript holds is what B's stream must have sent: each activity once, in order.
      const conversation = (await a.conversations.findByChannelRef('web', conversationId))!;
      const stored = await a.conversations.listMessages(conversation.id);
      const expected = stored
        .map((message) => storedToActivity(message, { conversationId, directionOf: () => 'ltr' }))
        .flatMap((activity) => (activity ? [activity.id] : []));
      expect(stored.filter((message) => message.author === 'bot').length).toBeGreaterThanOrEqual(5);
      await stream.until(() => stream.ids().length >= expected.length, 'every stored activity on B');
      // A little longer: nothing doubled arrives late.
      await new Promise((resolve) => setTimeout(resolve, 500));
      expect(stream.ids()).toEqual(expected);
      expect(stream.frames.at(-1)?.watermark).toBe(String(stored.at(-1)?.seq));
      expect(stream.ids().at(-1)).toBe(activityId(conversationId, stored.at(-1)!.seq));
    } finally {
      stream.close();
    }
  });

  it("carries a live-only activity (the widget's typing echo) across as well", { timeout: 60_000 }, async () => {
    const opened = await fetch(`${a.url}/v3/directline/conversations`, { method: 'POST', headers: { authorization: 'Bearer demo' } });
    const { conversationId, token, streamUrl } = (await opened.json()) as { conversationId: string; token: string; streamUrl: string };
    const onB = new URL(streamUrl);
    onB.host = new URL(b.url).host;
    const stream = readFrames(onB.toString());
    try {
      await stream.until(() => stream.ids().length >= 2, 'the welcome from the history');
      const response = await fetch(`${a.url}/v3/directline/conversations/${conversationId}/activities`, {
        method: 'POST',
        headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
        body: JSON.stringify({ type: 'typing', from: { id: 'person-1' } }),
      });
      expect(response.status).toBe(200);
      await stream.until(() => stream.frames.some((frame) => frame.activities?.some((activity) => activity.type === 'typing')), 'the typing activity on B');
    } finally {
      stream.close();
    }
  });
});
