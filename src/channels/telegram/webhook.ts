import { createHash, timingSafeEqual } from 'node:crypto';
import express, { type RequestHandler, type Router } from 'express';
import type { Bot } from 'grammy';
import type { Logger } from 'pino';
import { isTelegramUpdate } from './update.js';
import { loggableError } from './log-error.js';

export const secretHeader = 'x-telegram-bot-api-secret-token';

/** Compares in constant time; hashing first makes the lengths equal, so nothing leaks through them. */
export function secretMatches(given: string | undefined, expected: string): boolean {
  if (given === undefined) return false;
  const digest = (value: string) => createHash('sha256').update(value, 'utf8').digest();
  return timingSafeEqual(digest(given), digest(expected));
}

/**
 * The webhook route: refuses a request without the right secret (401) before reading its body,
 * refuses a body that is not an update (400), and answers 200 once the update was handled. A
 * failed update is logged and still answered 200: Telegram would otherwise resend it forever.
 */
export function webhookRouter(bot: Bot, options: { path: string; secret: string; logger: Logger }): Router {
  const router = express.Router();
  const checkSecret: RequestHandler = (req, res, next) => {
    if (secretMatches(req.get(secretHeader), options.secret)) return next();
    res.status(401).json({ error: { code: 401, message: 'unauthorized' } });
  };
  const handle: RequestHandler = async (req, res) => {
    const body: unknown = req.body;
    if (!isTelegramUpdate(body)) {
      res.status(400).json({ error: { code: 400, message: 'not a Telegram update' } });
      return;
    }
    if (!bot.isInited()) {
      // A webhook left from an earlier run can call before `getMe` answered: Telegram retries a 503.
      res.status(503).json({ error: { code: 503, message: 'starting' } });
      return;
    }
    try {
      await bot.handleUpdate(body);
    } catch (error) {
      options.logger.error({ error: loggableError(error), updateId: body.update_id }, 'telegram: webhook update failed');
    }
    res.status(200).json({ ok: true });
  };
  router.post(options.path, checkSecret, express.json({ limit: '1mb' }), handle);
  return router;
}
