/**
 * Breaks text into lines of at most `maxChars` characters, at spaces where it can. The server has
 * no font metrics, so widths are estimated per character (generously, for wide scripts too).
 */
export function wrapText(text: string, maxChars: number): string[] {
  const lines: string[] = [];
  let line = '';
  for (const word of text.split(/\s+/).filter(Boolean)) {
    for (const piece of chunks(word, maxChars)) {
      if (line === '') line = piece;
      else if (line.length + 1 + piece.length <= maxChars) line = `${line} ${piece}`;
      else {
        lines.push(line);
        line = piece;
      }
    }
  }
  if (line !== '') lines.push(line);
  return lines;
}

function chunks(word: string, size: number): string[] {
  const characters = [...word];
  if (characters.length <= size) return [word];
  const parts: string[] = [];
  for (let i = 0; i < characters.length; i += size) parts.push(characters.slice(i, i + size).join(''));
  return parts;
}

/** Estimated width in pixels of a line in a sans-serif font of `fontSize`. */
export function textWidth(line: string, fontSize: number): number {
  return [...line].length * fontSize * 0.56;
}
