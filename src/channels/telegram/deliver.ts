import { GrammyError, type Api } from 'grammy';
import type { ClaimedOutboxMessage } from '../../store/repositories/outbox.js';
import { asPreparedMessage, prepareMessages, sendPrepared, type OutgoingMessage, type PreparedMessage } from './prepared.js';
import { relayedMessage } from './relayed.js';

export type { OutgoingMessage } from './prepared.js';

export interface DeliverOptions {
  /** Label of the persistent "talk to a person" button, in the person's language. */
  talkToPersonLabel?: string;
  /** Awaited before every Bot API call that sends a message (the outbox's rate limits). */
  beforeSend?: () => Promise<void>;
}

export type DeliveryResult = { status: 'sent' } | { status: 'blocked' };

/**
 * Sends messages to one chat in order, each split into pieces Telegram accepts, as HTML with all
 * text escaped (src/channels/telegram/prepared.ts). Stops at the first refusal for good (403: the
 * person blocked the bot or deleted their account); other errors throw.
 */
export async function deliver(api: Api, chatId: number | string, messages: readonly OutgoingMessage[], options: DeliverOptions = {}): Promise<DeliveryResult> {
  return deliverPrepared(api, chatId, prepareMessages(messages, options.talkToPersonLabel), options.beforeSend);
}

/** Sends prepared messages in order; `blocked` at the first 403, other errors throw. */
export async function deliverPrepared(
  api: Api,
  chatId: number | string,
  messages: readonly PreparedMessage[],
  beforeSend?: () => Promise<void>,
): Promise<DeliveryResult> {
  try {
    for (const message of messages) {
      await beforeSend?.();
      await sendPrepared(api, chatId, message);
    }
    return { status: 'sent' };
  } catch (error) {
    if (isBlocked(error)) return { status: 'blocked' };
    throw error;
  }
}

/**
 * Sends one claimed outbox message: a bot reply as the Bot API call it was stored as, a
 * channel-neutral one (a counsellor's text, under their label) split and escaped now.
 */
export function deliverOutboxMessage(
  api: Api,
  message: Pick<ClaimedOutboxMessage, 'channelRef'> & { payload: NonNullable<ClaimedOutboxMessage['payload']> },
  options: { talkToPersonLabel: string; counsellorLabel: string; beforeSend: () => Promise<void> },
): Promise<DeliveryResult> {
  const prepared = asPreparedMessage(message.payload);
  return prepared
    ? deliverPrepared(api, message.channelRef, [prepared], options.beforeSend)
    : deliver(api, message.channelRef, [relayedMessage(message.payload, options.counsellorLabel)], options);
}

/** 403 from the Bot API: blocked by the user, user deactivated, or kicked from the chat. */
export function isBlocked(error: unknown): boolean {
  return error instanceof GrammyError && error.error_code === 403;
}
