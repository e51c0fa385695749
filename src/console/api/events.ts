import { Router } from 'express';
import type { HandoffEvent, HandoffEvents } from '../../handoff/events.js';
import { credentialFrom, principalFrom, type ConsoleAuth } from '../auth/auth.js';

export interface ConsoleEventsDeps {
  auth: ConsoleAuth;
  events: HandoffEvents;
  keepAliveMs?: number;
  /**
   * How long one look at the credential holds before the next event is written: a revocation
   * notice closes the stream at once anyway; this bounds a notice lost between instances.
   */
  recheckMs?: number;
}

/** An event as a console receives it: its own organisation's only, so the organisation id is dropped. */
export type ConsoleEvent = DistributiveOmit<HandoffEvent, 'organisationId'>;
type DistributiveOmit<T, K extends PropertyKey> = T extends unknown ? Omit<T, K> : never;

/**
 * `GET /console/api/events`: Server-Sent Events of the caller's organisation (`event: handoff`,
 * data one `ConsoleEvent` as JSON), from whichever instance they happened on. No history: a
 * console re-reads the queue or transcript on `ready` (sent on every (re)connection).
 *
 * The stream lives only as long as its credential: a logout, password change, deactivation or
 * revoked key (announced by any instance) or the session's expiry ends it at once with
 * `event: ended` (`{ reason }`), and each event is written only after a look at the credential
 * at most `recheckMs` old.
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
    const credential = credentialFrom(res);
    const recheckMs = deps.recheckMs ?? 1_000;
    let checkedAt = Date.now();
    let closed = false;
    // Events are written in order, each after its credential check.
    let tail: Promise<void> = Promise.resolve();

    const close = (reason: 'revoked' | 'expired') => {
      if (closed) return;
      closed = true;
      cleanUp();
      // Told why before the end, so the console goes to its login page instead of reconnecting.
      if (!res.writableEnded) res.end(`event: ended\ndata: ${JSON.stringify({ reason })}\n\n`);
    };
    const stillValid = async () => {
      if (Date.now() - checkedAt < recheckMs) return true;
      const valid = await deps.auth.stillValid(credential);
      checkedAt = Date.now();
      return valid;
    };
    const unsubscribe = deps.events.subscribe((event) => {
      if (event.organisationId !== organisationId || closed) return;
      const { organisationId: _own, ...rest } = event;
      tail = tail
        .then(async () => {
          if (closed) return;
          if (!(await stillValid())) return close('revoked');
          if (!closed && !res.writableEnded) res.write(`event: handoff\ndata: ${JSON.stringify(rest)}\n\n`);
        })
        // A failed look at the database is not a revocation: the stream ends and the console reconnects.
        .catch(() => {
          if (!closed) {
            closed = true;
            cleanUp();
            res.end();
          }
        });
    });
    const keepAlive = setInterval(() => res.write(': keep-alive\n\n'), deps.keepAliveMs ?? 15_000);
    let stopWatching = () => {};
    const cleanUp = () => {
      clearInterval(keepAlive);
      unsubscribe();
      stopWatching();
    };
    stopWatching = deps.auth.watch(credential, close);
    const stop = () => {
      closed = true;
      cleanUp();
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
