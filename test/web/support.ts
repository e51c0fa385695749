// Shared by the web channel tests: a running app, Microsoft's DirectLineJS client in Node, and a
// collector that waits for activities.
import { createRequire } from 'node:module';
import { afterAll, beforeAll } from 'vitest';
import type { RunningApp } from '../../src/app.js';
import { startTestApp } from '../support/app.js';

export const tokenSecret = 'test-token-secret-of-at-least-32-characters';

/** Starts the whole app on a free port with an in-memory database for the enclosing block's tests. */
export function useApp(env: Record<string, string> = {}): () => RunningApp {
  let app: RunningApp | undefined;
  beforeAll(async () => {
    app = await startTestApp({ TOKEN_SECRET: tokenSecret, ...env });
  });
  afterAll(async () => {
    await app?.close();
  });
  return () => {
    if (!app) throw new Error('the app did not start (see beforeAll)');
    return app;
  };
}

const require = createRequire(import.meta.url);

/** DirectLineJS needs a browser's XMLHttpRequest and WebSocket before it loads. */
export async function loadDirectLine(): Promise<typeof import('botframework-directlinejs')> {
  Object.assign(globalThis, { XMLHttpRequest: require('xhr2') as unknown, WebSocket: require('ws') as unknown });
  return import('botframework-directlinejs');
}

export interface ReceivedActivity {
  id?: string;
  type: string;
  from: { id: string; role?: string };
  text?: string;
  locale?: string;
  channelData?: { key?: string; dir?: string; clientActivityID?: string };
  suggestedActions?: { actions: { type: string; title: string; value: { choice: string; node?: string } }[] };
}

/** Everything a client's `activity$` delivers, with a way to wait for what is expected next. */
export class Collector {
  readonly received: ReceivedActivity[] = [];
  private waiters: (() => void)[] = [];

  private failure: unknown;

  /** The client gave up (its activity$ errored): waiting fails at once instead of timing out. */
  fail(error: unknown): void {
    this.failure = error;
    for (const wake of this.waiters.splice(0)) wake();
  }

  push(activity: ReceivedActivity): void {
    this.received.push(activity);
    for (const wake of this.waiters.splice(0)) wake();
  }

  /** Resolves with the first activity (after `from` received ones) matching `predicate`. */
  async next(predicate: (activity: ReceivedActivity) => boolean, from = 0, timeoutMs = 10_000): Promise<ReceivedActivity> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const found = this.received.slice(from).find(predicate);
      if (found) return found;
      if (this.failure !== undefined) throw new Error(`the client failed: ${String(this.failure)}`);
      const left = deadline - Date.now();
      if (left <= 0) throw new Error(`timed out; received: ${JSON.stringify(this.received.map((a) => a.channelData?.key ?? `${a.from.role}:${a.text}`))}`);
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, left);
        this.waiters.push(() => {
          clearTimeout(timer);
          resolve();
        });
      });
    }
  }

  key(key: string, from = 0): Promise<ReceivedActivity> {
    return this.next((activity) => activity.channelData?.key === key, from);
  }
}

/** Counts what a rejected request must not have added. */
export async function rowCounts(app: RunningApp): Promise<{ conversations: number; messages: number }> {
  return { conversations: await app.db.prisma.conversation.count(), messages: await app.db.prisma.message.count() };
}
