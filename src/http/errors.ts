import type { ErrorRequestHandler, RequestHandler } from 'express';
import type { Logger } from 'pino';

/** An error whose status and message are safe to show to the caller. */
export class HttpError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly details?: unknown,
  ) {
    super(message);
    this.name = 'HttpError';
  }
}

export const notFound: RequestHandler = (_req, _res, next) => next(new HttpError(404, 'not found'));

/** Last handler: known errors keep their status; anything else is logged and answered with a bare 500. */
export function errorHandler(logger: Logger): ErrorRequestHandler {
  return (error: unknown, req, res, _next) => {
    const status = error instanceof HttpError ? error.status : bodyParserStatus(error);
    if (status === 500) logger.error({ err: error, method: req.method, path: loggablePath(req.path) }, 'unhandled error in request');
    if (res.headersSent) return;
    const message = error instanceof HttpError ? error.message : status === 500 ? 'internal error' : (error as Error).message;
    res.status(status).json({ error: { code: status, message, ...(error instanceof HttpError && error.details ? { details: error.details } : {}) } });
  };
}

/**
 * A request path (or URL) as a log may keep it: a Direct Line conversation id is replaced by `:id`
 * and a credential in the query (the stream's `?t=<token>`) by `[redacted]`.
 *
 * @example loggablePath('/v3/directline/conversations/Zx3f/stream?t=hw2.abc') // '/v3/directline/conversations/:id/stream?t=[redacted]'
 */
export function loggablePath(path: string): string {
  return path.replace(/\/conversations\/[^/?#]+/g, '/conversations/:id').replace(/([?&](?:t|token)=)[^&#]*/gi, '$1[redacted]');
}

/** express.json() errors carry a status (400 malformed, 413 too large). */
function bodyParserStatus(error: unknown): number {
  if (typeof error === 'object' && error !== null && 'status' in error && typeof error.status === 'number' && error.status >= 400 && error.status < 500) {
    return error.status;
  }
  return 500;
}
