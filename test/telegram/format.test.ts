import { describe, expect, it } from 'vitest';
import { decodeButton, encodeButton } from '../../src/channels/telegram/callback-data.js';
import { escapeHtml, maxMessageLength, splitText } from '../../src/channels/telegram/format.js';
import { classifyUpdate, updateSchema } from '../../src/channels/telegram/update.js';
import { textUpdate } from './support.js';

describe('HTML escaping', () => {
  it("escapes everything Telegram's HTML parser would read as markup", () => {
    expect(escapeHtml('<b>Tom & "Jerry"</b>')).toBe('&lt;b&gt;Tom &amp; &quot;Jerry&quot;&lt;/b&gt;');
    expect(escapeHtml('مرحبا')).toBe('مرحبا');
  });
});

describe('splitting long messages', () => {
  const paragraph = (n: number) => `${'word '.repeat(n).trim()}.`;

  it('keeps short texts whole', () => {
    expect(splitText('Hello.')).toEqual(['Hello.']);
  });

  it('cuts at paragraph breaks first, then lines, then words, never over the limit', () => {
    const text = [paragraph(500), paragraph(500), paragraph(500)].join('\n\n');
    const pieces = splitText(text);
    expect(pieces.length).toBeGreaterThan(1);
    for (const piece of pieces) expect(piece.length).toBeLessThanOrEqual(maxMessageLength);
    expect(pieces[0]).toBe(`${paragraph(500)}\n\n${paragraph(500)}`.slice(0, pieces[0]!.length));
    expect(pieces.join('\n\n')).toBe(text);

    const lines = Array.from({ length: 300 }, (_, index) => `line number ${index}`).join('\n');
    const byLine = splitText(lines, 1000);
    expect(byLine.every((piece) => piece.length <= 1000 && !piece.startsWith('\n') && piece.startsWith('line'))).toBe(true);
    expect(byLine.join('\n')).toBe(lines);

    const words = paragraph(3000);
    const byWord = splitText(words, 4096);
    expect(byWord.every((piece) => piece.length <= 4096 && piece.startsWith('word'))).toBe(true);
    expect(byWord.join(' ')).toBe(words);
  });

  it('cuts a word longer than the limit without breaking a surrogate pair', () => {
    const emoji = '😀'.repeat(10);
    const pieces = splitText(emoji, 5);
    expect(pieces.join('')).toBe(emoji);
    for (const piece of pieces) {
      expect(piece.length).toBeLessThanOrEqual(5);
      expect([...piece].every((char) => char === '😀')).toBe(true);
    }
  });
});

describe('button data', () => {
  it('round-trips node and value within 64 bytes', () => {
    const data = encodeButton({ node: 'consent', value: 'yes' });
    expect(data).toBe('c|consent|yes');
    expect(decodeButton(data!)).toEqual({ node: 'consent', value: 'yes' });
  });

  it('drops the node when both do not fit, and refuses a value that alone does not', () => {
    const data = encodeButton({ node: 'n'.repeat(60), value: 'value' });
    expect(data).toBe('c||value');
    expect(decodeButton(data!)).toEqual({ value: 'value' });
    expect(encodeButton({ value: 'v'.repeat(70) })).toBeUndefined();
    expect(Buffer.byteLength(encodeButton({ node: 'ä'.repeat(20), value: 'ü'.repeat(10) }) ?? '')).toBeLessThanOrEqual(64);
  });

  it('refuses data it did not make', () => {
    expect(decodeButton('hello')).toBeUndefined();
    expect(decodeButton('x|node|value')).toBeUndefined();
    expect(decodeButton('c|node|')).toBeUndefined();
  });
});

describe('classifying updates', () => {
  const options = { botUsername: 'HomewardTestBot', handoffLabels: new Set(['Talk to a person']) };
  const classify = (text: string) => classifyUpdate(updateSchema.parse(textUpdate(7, text, { languageCode: 'ar' })), options);

  it('reads commands, the deep-link payload and the reply keyboard', () => {
    expect(classify('/start')).toMatchObject({ kind: 'turn', event: { type: 'start' }, chatId: 7, languageCode: 'ar' });
    expect(classify('/start ORG_key-1')).toMatchObject({ kind: 'turn', event: { type: 'start' }, startPayload: 'ORG_key-1' });
    expect(classify('/start <script>')).not.toHaveProperty('startPayload');
    expect(classify('/counsellor')).toMatchObject({ event: { type: 'intent', intent: 'handoff' } });
    expect(classify('/forget')).toMatchObject({ event: { type: 'intent', intent: 'erase' } });
    expect(classify('/withdraw')).toMatchObject({ kind: 'turn', event: { type: 'intent', intent: 'withdraw' } });
    expect(classify('/withdraw@HomewardTestBot')).toMatchObject({ kind: 'turn', event: { type: 'intent', intent: 'withdraw' } });
    expect(classify('/HELP@homewardtestbot')).toMatchObject({ event: { type: 'intent', intent: 'help' } });
    expect(classify('/help@OtherBot')).toMatchObject({ kind: 'ignore' });
    expect(classify('/unknown')).toMatchObject({ event: { type: 'text', text: '/unknown' } });
    expect(classify('Talk to a person')).toMatchObject({ event: { type: 'intent', intent: 'handoff' } });
    expect(classify('  Berlin  ')).toMatchObject({ event: { type: 'text', text: 'Berlin' } });
    expect(classify('x'.repeat(2_001))).toMatchObject({ kind: 'too_long' });
    expect(classify('   ')).toMatchObject({ kind: 'ignore' });
  });

  it('refuses an update without the fields it needs', () => {
    expect(updateSchema.safeParse({ update_id: 1, message: { chat: { id: 'x' } } }).success).toBe(false);
    expect(updateSchema.safeParse({ message: {} }).success).toBe(false);
  });
});
