import { z } from 'zod';

/**
 * The payload of an `OutboxMessage` written by the handoff: one message for the person, already
 * stored in the conversation (`messageId`, `seq`). Channel senders parse it with this schema.
 * `text` is what the person reads; `key`/`params` are there for notices (re-rendering), absent for
 * a counsellor's free text.
 *
 * @example
 * { kind: 'counsellor', messageId, seq: 12, text: 'Hello, I am Anna.', locale: 'ar', choices: [] }
 */
export const outboxPayloadSchema = z.strictObject({
  kind: z.enum(['counsellor', 'notice']),
  messageId: z.uuid(),
  seq: z.int().min(0),
  text: z.string().min(1),
  key: z.string().min(1).optional(),
  params: z.record(z.string(), z.unknown()).optional(),
  /** A counsellor's message: the display name it is labelled with (absent when they set none). */
  authorName: z.string().min(1).optional(),
  locale: z.string().min(2),
  choices: z.array(z.strictObject({ value: z.string(), label: z.string() })),
});
export type OutboxPayload = z.infer<typeof outboxPayloadSchema>;
