import { GrammyError, type Api } from 'grammy';
import type { InlineKeyboardMarkup, ReplyKeyboardMarkup } from 'grammy/types';
import type { RenderedChoice } from '../../conversation/render.js';
import { escapeHtml, splitText } from './format.js';
import { inlineKeyboard, talkToPersonKeyboard } from './keyboards.js';

/** What the adapter sends: a bot text (plain) with its choices, as the engine rendered it. */
export interface OutgoingMessage {
  text: string;
  choices?: readonly RenderedChoice[];
  node?: string;
}

export interface DeliverOptions {
  /** Label of the persistent "talk to a person" button, in the person's language. */
  talkToPersonLabel?: string;
  /** Awaited before every Bot API call that sends a message (the outbox's rate limits). */
  beforeSend?: () => Promise<void>;
}

export type DeliveryResult = { status: 'sent' } | { status: 'blocked' };

/**
 * Sends messages to one chat in order, each split into pieces Telegram accepts, as HTML with all
 * text escaped. Inline buttons go on a message's last piece; a message without buttons carries
 * the reply keyboard instead (a message has room for only one of the two). Stops at the first
 * refusal for good (403: the person blocked the bot or deleted their account); other errors throw.
 */
export async function deliver(api: Api, chatId: number | string, messages: readonly OutgoingMessage[], options: DeliverOptions = {}): Promise<DeliveryResult> {
  try {
    for (const message of messages) {
      const pieces = splitText(message.text);
      const markup = markupFor(message, options);
      for (const [index, piece] of pieces.entries()) {
        await options.beforeSend?.();
        await api.sendMessage(chatId, escapeHtml(piece), {
          parse_mode: 'HTML',
          // A preview would make Telegram fetch the linked page on the person's behalf.
          link_preview_options: { is_disabled: true },
          ...(index === pieces.length - 1 && markup ? { reply_markup: markup } : {}),
        });
      }
    }
    return { status: 'sent' };
  } catch (error) {
    if (isBlocked(error)) return { status: 'blocked' };
    throw error;
  }
}

function markupFor(message: OutgoingMessage, options: DeliverOptions): InlineKeyboardMarkup | ReplyKeyboardMarkup | undefined {
  const inline = message.choices && message.choices.length > 0 ? inlineKeyboard(message.choices, message.node) : undefined;
  if (inline) return inline;
  return options.talkToPersonLabel ? talkToPersonKeyboard(options.talkToPersonLabel) : undefined;
}

/** 403 from the Bot API: blocked by the user, user deactivated, or kicked from the chat. */
export function isBlocked(error: unknown): boolean {
  return error instanceof GrammyError && error.error_code === 403;
}
