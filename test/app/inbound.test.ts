import { describe, expect, it } from 'vitest';
import { inboundEventSchema, maxInboundTextLength } from '../../src/conversation/inbound.js';

describe('inbound event schema', () => {
  it('accepts each kind of event', () => {
    for (const event of [
      { type: 'start' },
      { type: 'text', text: 'hello' },
      { type: 'choice', value: 'yes', node: 'consent' },
      { type: 'intent', intent: 'handoff' },
      { type: 'locale', locale: 'ar' },
    ]) {
      expect(inboundEventSchema.safeParse(event).success, JSON.stringify(event)).toBe(true);
    }
  });

  it('rejects oversized, empty and malformed events before the engine', () => {
    for (const event of [
      { type: 'text', text: 'x'.repeat(maxInboundTextLength + 1) },
      { type: 'text', text: '   ' },
      { type: 'intent', intent: 'drop_tables' },
      { type: 'choice' },
      { type: 'text', text: 'hi', extra: true },
      'hello',
    ]) {
      expect(inboundEventSchema.safeParse(event).success, JSON.stringify(event)).toBe(false);
    }
  });
});
