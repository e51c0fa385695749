import { z } from 'zod';
import { intents } from '../engine/types.js';

/** Longest message a person may send in one turn; longer ones are refused before the engine. */
export const maxInboundTextLength = 2000;

/** The channel-neutral inbound event, validated at each channel's edge before anything is stored. */
export const inboundEventSchema = z.discriminatedUnion('type', [
  z.strictObject({ type: z.literal('start') }),
  z.strictObject({ type: z.literal('text'), text: z.string().trim().min(1).max(maxInboundTextLength) }),
  z.strictObject({ type: z.literal('choice'), value: z.string().min(1).max(200), node: z.string().max(200).optional() }),
  z.strictObject({ type: z.literal('intent'), intent: z.enum(intents) }),
  z.strictObject({ type: z.literal('locale'), locale: z.string().min(2).max(35) }),
]);
