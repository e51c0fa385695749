import { z } from 'zod';

/** Telegram's limit on `callback_data`, in bytes. */
export const maxCallbackDataBytes = 64;

const prefix = 'c';
const separator = '|';

/** What a tapped button carries back: the choice value and the question it belonged to. */
export interface ButtonData {
  value: string;
  node?: string;
}

const buttonDataSchema = z.object({
  value: z.string().min(1).max(maxCallbackDataBytes),
  node: z.string().min(1).max(maxCallbackDataBytes).optional(),
});

/**
 * Encodes a choice as `c|node|value`. The node lets the engine tell a tap on an old question's
 * button from a current one. When both do not fit in 64 bytes the node is left out (the tap then
 * counts as an answer to the current question); `undefined` when even the value does not fit.
 *
 * @example encodeButton({ node: 'consent', value: 'yes' }) // 'c|consent|yes'
 */
export function encodeButton(data: ButtonData): string | undefined {
  if (data.node !== undefined && !data.node.includes(separator)) {
    const full = [prefix, data.node, data.value].join(separator);
    if (Buffer.byteLength(full, 'utf8') <= maxCallbackDataBytes) return full;
  }
  const bare = [prefix, '', data.value].join(separator);
  return Buffer.byteLength(bare, 'utf8') <= maxCallbackDataBytes ? bare : undefined;
}

/** Decodes what `encodeButton` made; `undefined` for anything else (another bot version, a forged tap). */
export function decodeButton(data: string): ButtonData | undefined {
  const first = data.indexOf(separator);
  const second = data.indexOf(separator, first + 1);
  if (first < 0 || second < 0 || data.slice(0, first) !== prefix) return undefined;
  const node = data.slice(first + 1, second);
  const parsed = buttonDataSchema.safeParse({ value: data.slice(second + 1), ...(node ? { node } : {}) });
  return parsed.success ? parsed.data : undefined;
}
