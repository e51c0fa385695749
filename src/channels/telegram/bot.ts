import { autoRetry } from '@grammyjs/auto-retry';
import { sequentialize } from '@grammyjs/runner';
import { Bot, type Context } from 'grammy';
import type { UserFromGetMe } from 'grammy/types';
import type { Logger } from 'pino';
import { maxInboundTextLength } from '../../conversation/inbound.js';
import type { TurnProcessor } from '../../conversation/turn-processor.js';
import type { Localisation } from '../../i18n/index.js';
import type { ConversationRepository } from '../../store/repositories/conversations.js';
import type { OrganisationRepository } from '../../store/repositories/organisations.js';
import type { OutboxRepository } from '../../store/repositories/outbox.js';
import { deliver, deliverOutboxMessage, type DeliveryResult, type OutgoingMessage } from './deliver.js';
import { OutboxSender } from './outbox-sender.js';
import { prepareMessages, toOutboxPayload } from './prepared.js';
import { RecentKeys } from './recent-keys.js';
import { classifyUpdate, updateSchema, type TelegramInput } from './update.js';
import { loggableError } from './log-error.js';

export interface TelegramBotDeps {
  token: string;
  /** Another Bot API server (a local one, or an emulator in tests). */
  apiRoot?: string;
  /** Skips `getMe` at start; tests preset it. */
  botInfo?: UserFromGetMe;
  turns: Pick<TurnProcessor, 'process'>;
  conversations: Pick<ConversationRepository, 'findByChannelRef'>;
  organisations: Pick<OrganisationRepository, 'findByWidgetKey' | 'findDefault'>;
  /** The bot's replies go through the outbox: stored in the turn's commit, sent from there once. */
  outbox: Pick<OutboxRepository, 'setUnreachable' | 'claimDue' | 'markSent' | 'markFailed' | 'enqueue' | 'enqueueForDelivery'>;
  /**
   * The channel's outbox sender (src/channels/telegram/index.ts), so a reply and the sender loop
   * share one pace; without it the bot sends its replies with a sender of its own (tests).
   */
  sender?: Pick<OutboxSender, 'flush'>;
  localisation: Localisation;
  logger: Logger;
  /** Called when a chat became reachable again, so held-back outbox messages go out now. */
  onReachable?: () => void;
  /**
   * Fault tests only: runs after a turn's commit stored its reply in the outbox and before any of
   * it is sent (test/telegram/crash.test.ts kills the process here, the window a crash loses most in).
   */
  afterTurnCommitted?: (conversationId: string) => void;
  /** Updates being handled, so a shutdown can wait for them before the database closes. */
  inFlight?: Set<Promise<unknown>>;
}

/** The bot's numeric id: the part of the token before the colon. */
export function botIdOf(token: string): string {
  return token.slice(0, token.indexOf(':'));
}

/**
 * The Telegram adapter: a grammY bot whose only door is `bot.handleUpdate(update)`, used alike by
 * long polling, the webhook and tests. It translates updates into turns and turn results into Bot
 * API calls; everything else happens in the turn processor.
 *
 * @example
 * const bot = createTelegramBot({ token, turns, conversations, organisations, outbox, localisation, logger });
 * await bot.init();
 * await bot.handleUpdate(update);
 */
export function createTelegramBot(deps: TelegramBotDeps): Bot {
  const bot = new Bot(deps.token, {
    ...(deps.botInfo ? { botInfo: deps.botInfo } : {}),
    ...(deps.apiRoot ? { client: { apiRoot: deps.apiRoot } } : {}),
  });
  // Retries 429 (after Telegram's retry_after), 5xx and network errors; gives up after a few tries
  // so a turn's replies are never held back for long.
  bot.api.config.use(autoRetry({ maxRetryAttempts: 4, maxDelaySeconds: 30 }));

  const botId = botIdOf(deps.token);
  /** One key per update, shared by turns and notices: a redelivered update finds it. */
  const deliveryKeyOf = (updateId: number) => `tg:${botId}:${updateId}`;
  const { localisation, logger } = deps;
  const baseLocale = localisation.locales[0]?.code ?? 'en';
  const handoffLabels = new Set(localisation.locales.map((locale) => localisation.translatorFor(locale.code)('telegram:keyboard.talk_to_person')));
  const talkToPerson = (locale: string) => localisation.translatorFor(locale)('telegram:keyboard.talk_to_person');

  const sender =
    deps.sender ??
    new OutboxSender({
      outbox: deps.outbox,
      logger,
      send: (message, beforeSend) =>
        deliverOutboxMessage(bot.api, message, {
          talkToPersonLabel: talkToPerson(message.locale),
          counsellorLabel: localisation.translatorFor(message.locale)('telegram:counsellor_label'),
          beforeSend,
        }),
    });
  const preparedFor = (messages: readonly OutgoingMessage[], locale: string) => prepareMessages(messages, talkToPerson(locale)).map(toOutboxPayload);
  // Chats without a conversation keep no receipt (nothing is stored for them): a redelivered
  // update of theirs is recognised in memory, within this process.
  const answeredWithoutConversation = new RecentKeys(10_000);

  const inFlight = deps.inFlight;
  if (inFlight) {
    bot.use(async (_ctx, next) => {
      const handling = next();
      inFlight.add(handling);
      try {
        await handling;
      } finally {
        inFlight.delete(handling);
      }
    });
  }

  // Updates of one chat run one after another, in the order they came (the runner runs others concurrently).
  bot.use(sequentialize((ctx: Context) => chatKey(ctx)));

  bot.use(async (ctx) => {
    const parsed = updateSchema.safeParse(ctx.update);
    if (!parsed.success) {
      logger.warn({ updateId: ctx.update.update_id }, 'telegram: update does not have the expected shape; ignored');
      return;
    }
    const update = parsed.data;
    const input = classifyUpdate(update, { botUsername: ctx.me.username, handoffLabels });
    if ('callbackQueryId' in input && input.callbackQueryId !== undefined) await answerCallback(input.callbackQueryId);
    await handle(input, update.update_id);
  });

  bot.catch((error) => {
    logger.error({ error: loggableError(error) }, 'telegram: update failed');
  });

  async function answerCallback(id: string): Promise<void> {
    // Always answered, so the button stops spinning even when the tap leads nowhere.
    try {
      await bot.api.answerCallbackQuery(id);
    } catch (error) {
      logger.warn({ error: loggableError(error) }, 'telegram: answering a button tap failed');
    }
  }

  async function handle(input: TelegramInput, updateId: number): Promise<void> {
    switch (input.kind) {
      case 'ignore':
        logger.debug({ updateId, reason: input.reason }, 'telegram: update ignored');
        return;
      case 'group': {
        // Nothing is stored for group chats: no conversation, no receipt.
        const locale = localisation.choose(input.languageCode ? [input.languageCode] : [], baseLocale);
        const text = localisation.translatorFor(locale)('telegram:private_only', { bot: `@${bot.botInfo.username}` });
        await deliver(bot.api, input.chatId, [{ text }]);
        return;
      }
      case 'reachability': {
        const conversation = await deps.conversations.findByChannelRef('telegram', String(input.chatId));
        if (!conversation) return;
        await deps.outbox.setUnreachable(conversation.id, input.reachable ? null : new Date());
        logger.info({ conversationId: conversation.id, updateId, reachable: input.reachable }, 'telegram: the person blocked or unblocked the bot');
        // Unblocked: messages held back for this chat can go now.
        if (input.reachable) deps.onReachable?.();
        return;
      }
      case 'unsupported':
      case 'too_long': {
        const conversation = await deps.conversations.findByChannelRef('telegram', String(input.chatId));
        const locale = conversation?.locale ?? localisation.choose(input.languageCode ? [input.languageCode] : [], baseLocale);
        const t = localisation.translatorFor(locale);
        const text = input.kind === 'too_long' ? t('system:error.too_long', { max: maxInboundTextLength }) : t(`telegram:unsupported.${input.what}`);
        const deliveryKey = deliveryKeyOf(updateId);
        if (!conversation) {
          if (!answeredWithoutConversation.add(deliveryKey)) {
            logger.info({ updateId }, 'telegram: update already answered; nothing sent');
            return;
          }
          await send(input.chatId, [{ text }], locale, undefined, updateId);
          return;
        }
        // The notice and the update's receipt in one statement: a redelivered photo is answered once.
        const fresh = await deps.outbox.enqueueForDelivery({
          conversationId: conversation.id,
          channel: 'telegram',
          deliveryKey,
          payloads: preparedFor([{ text }], locale),
        });
        if (!fresh) logger.info({ conversationId: conversation.id, updateId }, 'telegram: update already answered; nothing sent again');
        await sender.flush(conversation.id);
        return;
      }
      case 'turn': {
        const organisation =
          (input.startPayload ? await deps.organisations.findByWidgetKey(input.startPayload) : null) ?? (await deps.organisations.findDefault());
        if (!organisation) {
          logger.error({ updateId }, 'telegram: no organisation to serve this chat');
          const t = localisation.translatorFor(localisation.choose(input.languageCode ? [input.languageCode] : [], baseLocale));
          await deliver(bot.api, input.chatId, [{ text: t('system:error.try_again') }]);
          return;
        }
        const outcome = await deps.turns.process({
          organisationId: organisation.id,
          channel: 'telegram',
          channelRef: String(input.chatId),
          preferredLocales: input.languageCode ? [input.languageCode] : [],
          event: input.event,
          deliveryKey: deliveryKeyOf(updateId),
          ...(input.messageId !== undefined ? { clientPayload: { telegramMessageId: input.messageId } } : {}),
          // The reply is stored with the turn, as the Bot API calls that send it.
          // While a counsellor owns the chat the bot's answers (to /help, a safety word) leave the keyboard
          // as the join took it: no "talk to a person" under the text field.
          outboxFor: (rendered, locale, { counsellorOnChat }) =>
            counsellorOnChat ? prepareMessages(rendered).map(toOutboxPayload) : preparedFor(rendered, locale),
        });
        const conversationId = outcome.conversation.id;
        if (outcome.duplicate) {
          // Processed before, perhaps by a process that died before sending: what is due goes now.
          logger.info({ conversationId, updateId }, 'telegram: update already processed; only its pending reply, if any, is sent');
          await sender.flush(conversationId);
          return;
        }
        // Called before any further await: the fault test kills the process here, and the outbox
        // loop must not have claimed the reply by then.
        if (outcome.repliesQueued !== undefined) deps.afterTurnCommitted?.(conversationId);
        // The person wrote, so they can be reached again (they may have unblocked the bot).
        await deps.outbox.setUnreachable(conversationId, null);
        if (outcome.repliesQueued === undefined) {
          // Nothing was stored (an apology for a failed turn; an erased conversation's goodbye).
          await send(input.chatId, outcome.messages, outcome.conversation.locale, conversationId, updateId);
          return;
        }
        // Handoff notices are stored after the turn's commit; they follow its reply through the outbox.
        const later = outcome.messages.slice(outcome.repliesQueued);
        if (later.length > 0)
          await deps.outbox.enqueue(
            preparedFor(later, outcome.conversation.locale).map((payload) => ({ conversationId, channel: 'telegram' as const, payload })),
          );
        await sender.flush(conversationId);
        return;
      }
      default: {
        const unhandled: never = input;
        throw new Error(`unhandled input ${JSON.stringify(unhandled)}`);
      }
    }
  }

  async function send(
    chatId: number,
    messages: readonly OutgoingMessage[],
    locale: string,
    conversationId: string | undefined,
    updateId: number,
  ): Promise<void> {
    let result: DeliveryResult;
    try {
      result = await deliver(bot.api, chatId, messages, { talkToPersonLabel: talkToPerson(locale) });
    } catch (error) {
      // Already retried (auto-retry); the turn itself is stored, so the person can carry on.
      logger.error({ conversationId, updateId, error: loggableError(error) }, 'telegram: sending the reply failed');
      return;
    }
    if (result.status === 'blocked') {
      logger.info({ conversationId, updateId }, 'telegram: the person blocked the bot; conversation marked unreachable');
      if (conversationId) await deps.outbox.setUnreachable(conversationId, new Date());
    }
  }

  return bot;
}

function chatKey(ctx: Context): string | undefined {
  const id = ctx.chat?.id ?? ctx.from?.id;
  return id === undefined ? undefined : String(id);
}
