import { Router } from 'express';
import type { HandoffEvent, HandoffEvents } from '../../handoff/events.js';
import { principalFrom, type ConsoleAuth } from '../auth/auth.js';

export interface ConsoleEventsDeps {
  auth: ConsoleAuth;
  events: HandoffEvents;
  keepAliveMs?: number;
}

/** An event as a console receives it: its own organisation's only, so the organisation id is dropped. */
export type ConsoleEvent = DistributiveOmit<HandoffEvent, 'organisationId'>;
type DistributiveOmit<T, K extends PropertyKey> = T extends unknown ? Omit<T, K> : never;

/**
 * `GET /console/api/events`: Server-Sent Events of the caller's organisation (`event: handoff`,
 * data one `ConsoleEvent` as JSON), from whichever instance they happened on. No history: a
 * console re-reads the queue or transcript on `ready` (sent on every (re)connection).
 */
export function consoleEventsRouter(deps: ConsoleEventsDeps): Router {
  const router = Router();
  router.get('/events', deps.auth.authenticate(), (req, res) => {
    const { organisationId } = principalFrom(res);
    res.writeHead(200, {
      'Content-Type': 'text/event-stream; charset=utf-8',
      'Cache-Control': 'no-store',
      Connection: 'keep-alive',
      // Proxies (nginx) would otherwise hold events back in a buffer.
      'X-Accel-Buffering': 'no',
    });
    res.write('retry: 2000\n\nevent: ready\ndata: {}\n\n');
    const unsubscribe = deps.events.subscribe((event) => {
      if (event.organisationId !== organisationId || res.writableEnded) return;
      const { organisationId: _own, ...rest } = event;
      res.write(`event: handoff\ndata: ${JSON.stringify(rest)}\n\n`);
    });
    const keepAlive = setInterval(() => res.write(': keep-alive\n\n'), deps.keepAliveMs ?? 15_000);
    const stop = () => {
      clearInterval(keepAlive);
      unsubscribe();
    };
    req.on('close', stop);
    res.on('close', stop);
    // A console that vanished mid-write (reset, proxy gone) errors its response: that ends this stream only.
    res.on('error', () => {
      stop();
      res.destroy();
    });
  });
  return router;
}
