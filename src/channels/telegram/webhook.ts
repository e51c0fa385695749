import { createHash, timingSafeEqual } from 'node:crypto';
import express, { type RequestHandler, type Router } from 'express';
import type { Bot } from 'grammy';
import type { Update } from 'grammy/types';
import type { Logger } from 'pino';
import { clientAddress, refuseRateLimited, type TokenBuckets } from '../../http/rate-limit.js';
import { isTelegramUpdate } from './update.js';
import { loggableError } from './log-error.js';

export const secretHeader = 'x-telegram-bot-api-secret-token';

/** Compares in constant time; hashing first makes the lengths equal, so nothing leaks through them. */
export function secretMatches(given: string | undefined, expected: string): boolean {
  if (given === undefined) return false;
  const digest = (value: string) => createHash('sha256').update(value, 'utf8').digest();
  return timingSafeEqual(digest(given), digest(expected));
}

export interface WebhookLimits {
  /** Requests without the right secret, per IP address (guessing the secret). */
  perIp: TokenBuckets;
  /** Updates per chat: a flood from one person. */
  perChat: TokenBuckets;
}

/**
 * The webhook route: refuses a request without the right secret (401) before reading its body,
 * refuses a body that is not an update (400), and answers 200 once the update was handled. A
 * failed update is logged and still answered 200: Telegram would otherwise resend it forever.
 *
 * Limits: every update comes from Telegram's few addresses, so requests with the right secret
 * are not limited per IP (that would throttle every person at once) but per chat; an update over
 * the chat's limit is dropped unread and answered 200, since a 429 makes Telegram redeliver it
 * and hold up everyone's updates behind it. Requests without the secret are limited per IP (429).
 */
export function webhookRouter(bot: Bot, options: { path: string; secret: string; logger: Logger; limits?: WebhookLimits; clock?: () => number }): Router {
  const router = express.Router();
  const now = options.clock ?? Date.now;
  const checkSecret: RequestHandler = (req, res, next) => {
    if (secretMatches(req.get(secretHeader), options.secret)) return next();
    const taken = options.limits?.perIp.take(clientAddress(req), now());
    if (taken && !taken.ok) return refuseRateLimited(res, 'ip', taken.retryAfterMs);
    res.status(401).json({ error: { code: 401, message: 'unauthorized' } });
  };
  const handle: RequestHandler = async (req, res) => {
    const body: unknown = req.body;
    if (!isTelegramUpdate(body)) {
      res.status(400).json({ error: { code: 400, message: 'not a Telegram update' } });
      return;
    }
    const chatId = chatOf(body);
    const taken = chatId === undefined ? undefined : options.limits?.perChat.take(String(chatId), now());
    if (taken && !taken.ok) {
      options.logger.warn({ updateId: body.update_id }, 'telegram: update dropped, the chat is over its rate limit');
      res.status(200).json({ ok: true, dropped: 'rate_limited_conversation' });
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

function chatOf(update: Update): number | undefined {
  const message = update.message ?? update.edited_message ?? update.channel_post ?? update.edited_channel_post;
  return message?.chat.id ?? update.callback_query?.message?.chat.id ?? update.callback_query?.from.id ?? update.my_chat_member?.chat.id;
}
