import { createConcurrentSink, createRunner, createSource, createUpdateFetcher, type RunnerHandle } from '@grammyjs/runner';
import type { Bot } from 'grammy';
import type { Update } from 'grammy/types';
import type { Logger } from 'pino';
import { loggableError } from './log-error.js';

export const allowedUpdates = ['message', 'edited_message', 'channel_post', 'edited_channel_post', 'callback_query', 'my_chat_member'] as const;

/** A long poll answered empty sooner than this came from a server that does not hold the request. */
const heldPollMs = 1_000;
const shortPollPauseMs = 250;

/**
 * Long polling with grammY's runner: updates of different chats run concurrently, those of one
 * chat in order (the bot's `sequentialize`). A server that answers `getUpdates` at once instead of
 * holding it (a local emulator) is polled at most four times a second instead of in a busy loop.
 */
export function startPolling(bot: Bot, logger: Logger): RunnerHandle {
  const fetchUpdates = createUpdateFetcher(bot, {
    fetch: { timeout: 30, allowed_updates: [...allowedUpdates] },
    retryInterval: 'exponential',
    maxRetryTime: 15 * 60 * 1000,
    silent: true,
  });
  const source = createSource<Update>({
    supply: async (batchSize, signal) => {
      const started = Date.now();
      const updates = await fetchUpdates(batchSize, signal);
      if (updates.length === 0 && Date.now() - started < heldPollMs) await pause(shortPollPauseMs, signal);
      return updates;
    },
  });
  const sink = createConcurrentSink<Update>(
    { consume: (update) => bot.handleUpdate(update) },
    async (error) => {
      logger.error({ error: loggableError(error) }, 'telegram: update failed');
    },
    { concurrency: 100 },
  );
  const runner = createRunner(source, sink);
  runner.start();
  return runner;
}

/** The runner hands out a polyfilled signal; this is the part of it `pause` uses. */
interface AbortSignalLike {
  addEventListener(type: 'abort', listener: () => void): void;
  removeEventListener(type: 'abort', listener: () => void): void;
}

function pause(ms: number, signal: AbortSignalLike): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(done, ms);
    signal.addEventListener('abort', done);
    function done() {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      resolve();
    }
  });
}
