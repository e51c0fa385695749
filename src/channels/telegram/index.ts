import type { RunnerHandle } from '@grammyjs/runner';
import type { Bot } from 'grammy';
import type { Router } from 'express';
import type { Logger } from 'pino';
import type { TelegramConfig } from '../../config.js';
import type { Localisation } from '../../i18n/index.js';
import { createTelegramBot, type TelegramBotDeps } from './bot.js';
import { registerCommands } from './commands.js';
import { deliverOutboxMessage } from './deliver.js';
import { OutboxSender } from './outbox-sender.js';
import { allowedUpdates, startPolling } from './polling.js';
import { webhookRouter, type WebhookLimits } from './webhook.js';
import type { OutboxRepository } from '../../store/repositories/outbox.js';
import { loggableError } from './log-error.js';

export type TelegramChannelDeps = Omit<TelegramBotDeps, 'token' | 'apiRoot' | 'outbox' | 'sender'> & {
  outbox: OutboxRepository;
  localisation: Localisation;
  logger: Logger;
  /** Outbox sender tuning (tests poll faster). */
  outboxPollIntervalMs?: number;
  /** Webhook mode: rate limits on the route (src/channels/telegram/webhook.ts). */
  webhookLimits?: WebhookLimits;
};

export interface TelegramChannel {
  readonly mode: 'polling' | 'webhook';
  readonly bot: Bot;
  /** Webhook mode: the route Telegram posts to; mount it before the 404 handler. */
  readonly router?: Router;
  /** Resolves once the bot is known to Telegram and receiving (or, if Telegram is unreachable, keeps trying in the background). */
  start(): Promise<void>;
  stop(): Promise<void>;
  /** Call after enqueueing outbox messages, so they go out now rather than at the next poll. */
  wakeOutbox(): void;
}

const retryStartMs = 30_000;

/** Telegram in the configured mode, with its outbox sender. */
export function createTelegramChannel(config: Exclude<TelegramConfig, { mode: 'off' }>, deps: TelegramChannelDeps): TelegramChannel {
  const { logger, localisation } = deps;
  const inFlight = new Set<Promise<unknown>>();
  const talkToPerson = (locale: string) => localisation.translatorFor(locale)('telegram:keyboard.talk_to_person');
  const sender = new OutboxSender({
    outbox: deps.outbox,
    logger,
    ...(deps.outboxPollIntervalMs !== undefined ? { pollIntervalMs: deps.outboxPollIntervalMs } : {}),
    // The bot's replies are stored as the Bot API call itself; a counsellor's text is channel-neutral.
    send: (message, beforeSend) =>
      deliverOutboxMessage(bot.api, message, {
        talkToPersonLabel: talkToPerson(message.locale),
        counsellorLabel: localisation.translatorFor(message.locale)('telegram:counsellor_label'),
        beforeSend,
      }),
  });
  const bot = createTelegramBot({
    ...deps,
    token: config.token,
    inFlight,
    sender,
    onReachable: () => sender.wake(),
    ...(config.apiRoot ? { apiRoot: config.apiRoot } : {}),
  });
  const router =
    config.mode === 'webhook'
      ? webhookRouter(bot, {
          path: new URL(config.webhookUrl).pathname,
          secret: config.webhookSecret,
          logger,
          ...(deps.webhookLimits ? { limits: deps.webhookLimits } : {}),
        })
      : undefined;

  let runner: RunnerHandle | undefined;
  let retryTimer: NodeJS.Timeout | undefined;
  let stopped = false;

  async function connect(): Promise<void> {
    await bot.init();
    if (config.mode === 'webhook') {
      await bot.api.setWebhook(config.webhookUrl, { secret_token: config.webhookSecret, allowed_updates: [...allowedUpdates] });
    } else {
      // Telegram refuses getUpdates while a webhook is set.
      await bot.api.deleteWebhook();
    }
    await registerCommands(bot.api, localisation, logger);
    if (stopped) return;
    if (config.mode === 'polling') poll();
    sender.start();
    logger.info({ mode: config.mode, bot: bot.botInfo.username }, 'telegram: receiving');
  }

  function poll(): void {
    runner = startPolling(bot, logger);
    // The runner gives up after long failures of getUpdates; polling starts again a bit later.
    runner.task()?.catch((error: unknown) => {
      if (stopped) return;
      logger.error({ error: loggableError(error), retryInMs: retryStartMs }, 'telegram: polling stopped; restarting');
      retryTimer = setTimeout(poll, retryStartMs);
    });
  }

  async function attempt(): Promise<void> {
    try {
      await connect();
    } catch (error) {
      if (stopped) return;
      logger.error({ error: loggableError(error), retryInMs: retryStartMs }, 'telegram: could not reach the Bot API; retrying');
      retryTimer = setTimeout(() => void attempt(), retryStartMs);
    }
  }

  return {
    mode: config.mode,
    bot,
    ...(router ? { router } : {}),
    start: attempt,
    async stop() {
      stopped = true;
      clearTimeout(retryTimer);
      await sender.stop();
      await runner?.stop();
      // The runner does not wait for updates it handed out; they finish before the database closes.
      await Promise.allSettled([...inFlight]);
    },
    wakeOutbox: () => sender.wake(),
  };
}
