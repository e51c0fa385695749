// Reads a Server-Sent Events stream (the console's /console/api/events) in Node, with a way to
// wait for what is expected next.
export interface SseEvent {
  event: string;
  data: unknown;
}

export interface SseReader {
  readonly received: SseEvent[];
  next(predicate: (event: SseEvent) => boolean, timeoutMs?: number): Promise<SseEvent>;
  close(): void;
}

export async function openSse(url: string, headers: Record<string, string>): Promise<SseReader> {
  const controller = new AbortController();
  const response = await fetch(url, { headers: { accept: 'text/event-stream', ...headers }, signal: controller.signal });
  if (response.status !== 200 || !response.body) throw new Error(`the event stream answered ${response.status}`);
  const received: SseEvent[] = [];
  let wake: (() => void)[] = [];
  let ended = false;
  const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
  void (async () => {
    let buffer = '';
    try {
      for (;;) {
        const { value, done } = await reader.read();
        if (done) break;
        buffer += value;
        let end: number;
        while ((end = buffer.indexOf('\n\n')) >= 0) {
          const block = buffer.slice(0, end);
          buffer = buffer.slice(end + 2);
          let event = 'message';
          const data: string[] = [];
          for (const line of block.split('\n')) {
            if (line.startsWith('event:')) event = line.slice(6).trim();
            else if (line.startsWith('data:')) data.push(line.slice(5).trim());
          }
          if (data.length === 0) continue;
          received.push({ event, data: JSON.parse(data.join('\n')) as unknown });
          for (const fn of wake.splice(0)) fn();
        }
      }
    } catch {
      // Aborted by close().
    } finally {
      ended = true;
      for (const fn of wake.splice(0)) fn();
    }
  })();
  return {
    received,
    async next(predicate, timeoutMs = 30_000) {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const found = received.find(predicate);
        if (found) return found;
        if (ended) throw new Error('the event stream ended');
        const left = deadline - Date.now();
        if (left <= 0) throw new Error(`timed out; received: ${JSON.stringify(received.map((item) => item.data))}`);
        await new Promise<void>((resolve) => {
          const timer = setTimeout(resolve, left);
          wake.push(() => {
            clearTimeout(timer);
            resolve();
          });
        });
      }
    },
    close() {
      wake = [];
      controller.abort();
    },
  };
}
