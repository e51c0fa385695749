/** Telegram's limit on the text of one message, counted after entity parsing (the visible text). */
export const maxMessageLength = 4096;

/** Bot texts are plain text: escaping all of it sends them safely with `parse_mode: 'HTML'`. */
export { escapeHtml } from '../../text/escape-html.js';

/**
 * Splits a plain text into pieces of at most `limit` UTF-16 units (how Telegram counts), preferring
 * a paragraph break, then a line break, then a space; a single word longer than the limit is cut,
 * never inside a surrogate pair. Split before escaping: the limit counts visible characters, and a
 * cut must never land inside `&amp;`.
 *
 * @example splitText('a\n\nb', 3) // ['a', 'b']
 */
export function splitText(text: string, limit = maxMessageLength): string[] {
  const pieces: string[] = [];
  let rest = text.trim();
  while (rest.length > limit) {
    const window = rest.slice(0, limit + 1);
    const cut = lastBreak(window, '\n\n') ?? lastBreak(window, '\n') ?? lastBreak(window, ' ') ?? hardCut(rest, limit);
    const piece = rest.slice(0, cut).trimEnd();
    if (piece) pieces.push(piece);
    rest = rest.slice(cut).trimStart();
  }
  if (rest) pieces.push(rest);
  return pieces;
}

/** Index of the last `separator` in `window` that leaves a non-empty piece before it. */
function lastBreak(window: string, separator: string): number | undefined {
  const index = window.lastIndexOf(separator);
  return index > 0 ? index : undefined;
}

function hardCut(text: string, limit: number): number {
  const code = text.charCodeAt(limit - 1);
  return code >= 0xd800 && code <= 0xdbff ? limit - 1 : limit;
}
