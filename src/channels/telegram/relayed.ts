import { z } from 'zod';
import type { OutgoingMessage } from './prepared.js';

/** Notices after which a counsellor owns the chat (locales/<lng>/handoff.json): "talk to a person" comes off the keyboard. */
const joinedKeys = new Set(['handoff:counsellor_joined', 'handoff:counsellor_joined_named', 'handoff:counsellor_transferred_named']);

/** The handoff's fields of a channel-neutral outbox payload (src/handoff/outbox.ts), read loosely: a missing one only loses the label. */
const relayedSchema = z.looseObject({
  kind: z.string().optional().catch(undefined),
  key: z.string().optional().catch(undefined),
  authorName: z.string().optional().catch(undefined),
});

/**
 * A message the handoff queued (a counsellor's words, a notice) as the bot sends it: a
 * counsellor's words under a bold "Amira · Counsellor" (`counsellorLabel` in the person's
 * language), so the person can tell a person from the bot. While a counsellor owns the chat the
 * "talk to a person" keyboard is taken away; a notice handing the chat back brings it again (the
 * default keyboard of any other message).
 *
 * @example
 * relayedMessage({ kind: 'counsellor', text: 'Hello', choices: [], authorName: 'Amira' }, 'Counsellor')
 * // { text: 'Hello', choices: [], heading: 'Amira · Counsellor', removeKeyboard: true }
 */
export function relayedMessage(payload: OutgoingMessage & Record<string, unknown>, counsellorLabel: string): OutgoingMessage {
  const message: OutgoingMessage = {
    text: payload.text,
    ...(payload.choices ? { choices: payload.choices } : {}),
    ...(payload.node !== undefined ? { node: payload.node } : {}),
  };
  const parsed = relayedSchema.safeParse(payload);
  if (!parsed.success) return message;
  const { kind, key, authorName } = parsed.data;
  if (kind === 'counsellor') {
    const name = authorName?.trim();
    return { ...message, heading: name ? `${name} · ${counsellorLabel}` : counsellorLabel, removeKeyboard: true };
  }
  return key && joinedKeys.has(key) ? { ...message, removeKeyboard: true } : message;
}
