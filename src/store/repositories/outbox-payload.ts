import { z } from 'zod';
import type { FieldCipher } from '../../crypto/field-cipher.js';

// What the outbox stores, apart from the outbox itself: a turn's commit and a referral's message
// seal payloads too, and must not import the outbox repository to do so.

/**
 * A message that does not answer a client message (a counsellor's reply), channel-neutral: what
 * every channel's sender needs of an outbox payload. Loose: writers keep their own fields
 * (the handoff's `kind`, `messageId`, `seq`), which pass through untouched.
 */
export const outboxPayloadSchema = z.looseObject({
  // Room for a Telegram message of 4,096 visible characters as HTML, where one character may take six.
  text: z.string().min(1).max(25_000),
  choices: z.array(z.object({ value: z.string().min(1), label: z.string().min(1) })).default([]),
  node: z.string().optional(),
});
export type OutboxPayload = z.input<typeof outboxPayloadSchema>;

/** The name an outbox payload is sealed under (bound into its ciphertext, so it opens nowhere else). */
export const outboxPayloadField = 'outbox.payload';

/** An outbox payload as stored: sealed like every text at rest. */
export function sealOutboxPayload(cipher: FieldCipher, payload: OutboxPayload): unknown {
  return cipher.sealJson(outboxPayloadField, outboxPayloadSchema.parse(payload));
}
