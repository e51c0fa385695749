import type { Api } from 'grammy';
import type { InlineKeyboardMarkup, ReplyKeyboardMarkup, ReplyKeyboardRemove } from 'grammy/types';
import { z } from 'zod';
import type { RenderedChoice } from '../../conversation/render.js';
import type { OutboxPayload } from '../../store/repositories/outbox-payload.js';
import { escapeHtml, maxMessageLength, splitText } from './format.js';
import { inlineKeyboard, removeKeyboard, talkToPersonKeyboard } from './keyboards.js';

/** What the adapter sends: a bot text (plain) with its choices, as the engine rendered it. */
export interface OutgoingMessage {
  text: string;
  choices?: readonly RenderedChoice[];
  node?: string;
  /** A first line in bold above the text (plain, escaped here): who wrote it, e.g. "Amira · Counsellor". */
  heading?: string;
  /** Takes "talk to a person" off the keyboard: a counsellor owns the chat, a person already answers. */
  removeKeyboard?: boolean;
}

const inlineKeyboardSchema = z.strictObject({
  inline_keyboard: z.array(z.array(z.strictObject({ text: z.string().min(1), callback_data: z.string().min(1).max(64) })).min(1)).min(1),
});
const replyKeyboardSchema = z.strictObject({
  keyboard: z.array(z.array(z.strictObject({ text: z.string().min(1) })).min(1)).min(1),
  resize_keyboard: z.boolean().optional(),
  is_persistent: z.boolean().optional(),
});
const removeKeyboardSchema = z.strictObject({ remove_keyboard: z.literal(true) });
const replyMarkupSchema = z.union([inlineKeyboardSchema, replyKeyboardSchema, removeKeyboardSchema]);

/**
 * One `sendMessage` exactly as the Bot API gets it: a piece of at most 4,096 visible characters,
 * already escaped for its parse mode, with its keyboard. This is what the outbox stores for a
 * Telegram reply (sealed), so a message sent after a restart is the very message the turn decided,
 * and a long text split in pieces is sent piece by piece, each once.
 *
 * @example
 * { kind: 'telegram_message', text: 'Which language?', parseMode: 'HTML', replyMarkup: { inline_keyboard: [[...]] }, choices: [] }
 */
export const preparedMessageSchema = z.strictObject({
  kind: z.literal('telegram_message'),
  text: z.string().min(1).max(25_000),
  parseMode: z.literal('HTML'),
  replyMarkup: replyMarkupSchema.optional(),
  // The outbox's channel-neutral fields; the keyboard above already carries the choices.
  choices: z.array(z.never()).max(0).default([]),
});
export type PreparedMessage = z.output<typeof preparedMessageSchema>;

/**
 * Messages as the Bot API calls that send them, in order: each text split into pieces Telegram
 * accepts and escaped as HTML. Inline buttons go on a message's last piece; a message without
 * buttons carries the reply keyboard instead (a message has room for only one of the two).
 *
 * @example
 * prepareMessages([{ text: 'Hello' }], 'Talk to a person') // one piece with the reply keyboard
 */
export function prepareMessages(messages: readonly OutgoingMessage[], talkToPersonLabel?: string): PreparedMessage[] {
  return messages.flatMap((message) => {
    // Every piece leaves room for the heading, so the one that carries it still fits.
    const heading = message.heading?.trim();
    const pieces = splitText(message.text, heading ? maxMessageLength - heading.length - 1 : maxMessageLength);
    // The keyboards the bot builds are the kinds the outbox can store: checked once, here.
    const built = markupFor(message, talkToPersonLabel);
    const markup = built ? replyMarkupSchema.parse(built) : undefined;
    return pieces.map((piece, index) => ({
      kind: 'telegram_message' as const,
      text: heading && index === 0 ? `<b>${escapeHtml(heading)}</b>\n${escapeHtml(piece)}` : escapeHtml(piece),
      parseMode: 'HTML' as const,
      ...(index === pieces.length - 1 && markup ? { replyMarkup: markup } : {}),
      choices: [],
    }));
  });
}

/** A prepared message as an outbox payload (the outbox's loose schema keeps every field). */
export function toOutboxPayload(message: PreparedMessage): OutboxPayload {
  return { ...message };
}

/** The outbox payload as a prepared message, or undefined for a channel-neutral one (a counsellor's text). */
export function asPreparedMessage(payload: unknown): PreparedMessage | undefined {
  const parsed = preparedMessageSchema.safeParse(payload);
  return parsed.success ? parsed.data : undefined;
}

/** Sends one prepared message. */
export async function sendPrepared(api: Api, chatId: number | string, message: PreparedMessage): Promise<void> {
  await api.sendMessage(chatId, message.text, {
    parse_mode: message.parseMode,
    // A preview would make Telegram fetch the linked page on the person's behalf.
    link_preview_options: { is_disabled: true },
    ...(message.replyMarkup ? { reply_markup: message.replyMarkup } : {}),
  });
}

function markupFor(
  message: OutgoingMessage,
  talkToPersonLabel: string | undefined,
): InlineKeyboardMarkup | ReplyKeyboardMarkup | ReplyKeyboardRemove | undefined {
  const inline = message.choices && message.choices.length > 0 ? inlineKeyboard(message.choices, message.node) : undefined;
  if (inline) return inline;
  if (message.removeKeyboard) return removeKeyboard();
  return talkToPersonLabel ? talkToPersonKeyboard(talkToPersonLabel) : undefined;
}
