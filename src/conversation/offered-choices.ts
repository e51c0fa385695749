import { z } from 'zod';
import { intents } from '../engine/types.js';
import type { StoredMessage } from '../store/repositories/conversations.js';

/** How far back a tap is still looked up: a few turns of buttons, stale ones included. */
export const offeredLookback = 20;

const botPayloadSchema = z.object({
  choices: z.array(z.object({ value: z.string() })).catch([]),
  node: z.string().optional(),
});

const intentValues: ReadonlySet<string> = new Set(intents.map((intent) => `intent:${intent}`));

/**
 * Whether the bot offered the button `value` (of question `node`, when the channel says which) in
 * one of `recent` messages. Before consent only values the bot itself offered are kept as sent:
 * they are the service's words. Anything else in a `choice` could be whatever the client put there
 * (a forged activity can carry any text), so the caller stores a placeholder instead.
 * Intent buttons (`intent:help`) are a fixed list and count as offered wherever they appear.
 *
 * @example
 * const recent = await conversations.listMessages(id, { afterSeq: conversation.nextSeq - 1 - offeredLookback });
 * wasOffered(recent, 'yes', 'intake#confirm_erase'); // true right after "Do you want to delete…?"
 */
export function wasOffered(recent: readonly StoredMessage[], value: string, node: string | undefined): boolean {
  if (intentValues.has(value)) return true;
  return recent.some((message) => {
    if (message.author !== 'bot') return false;
    const payload = botPayloadSchema.safeParse(message.payload);
    if (!payload.success) return false;
    if (node !== undefined && payload.data.node !== undefined && payload.data.node !== node) return false;
    return payload.data.choices.some((choice) => choice.value === value);
  });
}

/** Whether the newest message of the chat is the bot's prompt `promptId` (its `payload.node`). */
export function isLatestPrompt(recent: readonly StoredMessage[], promptId: string): boolean {
  const latest = recent.at(-1);
  if (latest?.author !== 'bot') return false;
  const payload = botPayloadSchema.safeParse(latest.payload);
  return payload.success && payload.data.node === promptId;
}

const offerSchema = z.object({
  choices: z.array(z.object({ value: z.string(), label: z.string() })).catch([]),
});
const tapSchema = z.object({ event: z.literal('choice'), redacted: z.literal(true).optional() });

/**
 * The label each tapped button showed when the person tapped it, by the seq of their message: the
 * tap is stored as its value (`medical_needs`), the label is found among the choices of the latest
 * earlier bot (or system) message that offered that value, in the words (and language) that message was sent
 * in. A placeholder kept instead of the person's words (before consent, or a value never offered)
 * gets no label: it stays a placeholder.
 *
 * @example
 * tappedLabels(await conversations.listMessages(id)).get(7); // 'An illness, or a need for medical care'
 */
export function tappedLabels(messages: readonly StoredMessage[]): Map<number, string> {
  const labels = new Map<number, string>();
  const offers: Map<string, string>[] = [];
  for (const message of messages) {
    if (message.author === 'client') {
      const tap = tapSchema.safeParse(message.payload);
      if (!tap.success || tap.data.redacted || message.textKey !== null) continue;
      const label = offers.findLast((offer) => offer.has(message.text))?.get(message.text);
      if (label !== undefined) labels.set(message.seq, label);
      continue;
    }
    const offer = offerSchema.safeParse(message.payload);
    if (offer.success && offer.data.choices.length > 0) offers.push(new Map(offer.data.choices.map((choice) => [choice.value, choice.label])));
  }
  return labels;
}
