// The one polling wait of the tests. The clock is read with performance.now(), which fake timers
// leave alone (some tests fake Date), and the wait between checks is a real timer.
import { setTimeout as sleep } from 'node:timers/promises';

/**
 * Checks `check` until it returns something other than undefined and resolves with it; fails
 * after `timeoutMs` naming `description`. For events that arrive by themselves, wake a waiter
 * instead (the collectors in test/web/support.ts and test/handoff/sse.ts do).
 *
 * @example
 * const sent = await waitFor(() => api.sent.find((call) => call.method === 'sendMessage'), 'the reply');
 * await waitFor(() => issued.mock.calls.length > 0 || undefined, 'a token refresh');
 */
export async function waitFor<T>(check: () => Promise<T | undefined> | T | undefined, description: string, timeoutMs = 30_000): Promise<T> {
  const deadline = performance.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value !== undefined) return value;
    if (performance.now() > deadline) throw new Error(`timed out waiting for ${description}`);
    await sleep(25);
  }
}
