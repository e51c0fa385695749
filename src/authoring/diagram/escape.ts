/** XML 1.0 forbids most control characters even as entities; a text from a locale file could still hold one. */
const xmlInvalid = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]/g;

/** Text for XML character data and attribute values (quoted with either quote). */
export function escapeXml(text: string): string {
  return text.replace(xmlInvalid, '').replace(/[&<>"']/g, (char) => xmlEntities[char] ?? char);
}
const xmlEntities: Readonly<Record<string, string>> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&apos;' };

/**
 * Text inside a quoted Mermaid label (`id["..."]`, `-->|"..."|`). Mermaid reads `#name;` and
 * `#123;` entity codes there; everything that could close the quote, the shape or the edge label,
 * or become markup, is written as one. `#` goes first so the codes themselves survive.
 */
export function escapeMermaid(text: string): string {
  return text.replace(/[\r\n\t]+/g, ' ').replace(/[#"<>&[\](){}|`]/g, (char) => mermaidEntities[char] ?? char);
}
const mermaidEntities: Readonly<Record<string, string>> = {
  '#': '#35;',
  '"': '#quot;',
  '<': '#lt;',
  '>': '#gt;',
  '&': '#amp;',
  '[': '#91;',
  ']': '#93;',
  '(': '#40;',
  ')': '#41;',
  '{': '#123;',
  '}': '#125;',
  '|': '#124;',
  '`': '#96;',
};

/** Reverses `escapeMermaid`, for tests and tools that read the diagrams back. */
export function unescapeMermaid(text: string): string {
  return text.replace(/#(\w+);/g, (whole, code: string) => {
    if (/^\d+$/.test(code)) return String.fromCodePoint(Number(code));
    return { quot: '"', lt: '<', gt: '>', amp: '&' }[code] ?? whole;
  });
}

/** A Mermaid node id from any flow id: letters, digits and `_` only, never a keyword such as `end`. */
export function mermaidId(prefix: string, id: string): string {
  return `${prefix}_${id.replace(/[^A-Za-z0-9_]/g, '_')}`;
}
