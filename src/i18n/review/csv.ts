// RFC 4180 CSV, written and read by hand: no CSV library is a dependency, and the review sheet needs
// only the core of the format. Written with CRLF line ends and a byte-order mark, because that is
// what spreadsheet programs (Excel above all) need to open UTF-8 Ethiopic or Arabic text correctly;
// read back leniently (LF or CRLF, with or without the mark), since the reviewer's program saves it.

const byteOrderMark = '\uFEFF';

/** A field quoted only when it must be: it holds a quote, a comma or a line break (or edge spaces a program might trim). */
function field(value: string): string {
  return /[",\r\n]|^\s|\s$/.test(value) ? `"${value.replaceAll('"', '""')}"` : value;
}

/** Rows to CSV text, each record ended by CRLF. */
export function toCsv(rows: readonly (readonly string[])[]): string {
  return byteOrderMark + rows.map((row) => `${row.map(field).join(',')}\r\n`).join('');
}

export class CsvError extends Error {}

/**
 * CSV text to rows of fields. Quoted fields may hold commas, doubled quotes and line breaks; a
 * quote inside an unquoted field, or text after a closing quote, is refused rather than guessed.
 * A final line end does not make an empty record.
 */
export function parseCsv(text: string): string[][] {
  const source = text.startsWith(byteOrderMark) ? text.slice(1) : text;
  const rows: string[][] = [];
  let row: string[] = [];
  let value = '';
  // After a closing quote: the field is a value even when empty (""), and only a separator may follow.
  let quoted = false;
  let line = 1;
  let i = 0;
  const endField = () => {
    row.push(value);
    value = '';
    quoted = false;
  };
  const endRow = () => {
    endField();
    rows.push(row);
    row = [];
  };
  while (i < source.length) {
    const char = source[i];
    if (char === ',') {
      endField();
      i++;
    } else if (char === '\r' || char === '\n') {
      endRow();
      i += char === '\r' && source[i + 1] === '\n' ? 2 : 1;
      line++;
    } else if (quoted) {
      throw new CsvError(`line ${line}: text after a closing quote`);
    } else if (char === '"' && value === '') {
      // A quoted field: up to the quote that is not doubled.
      i++;
      for (;;) {
        const inner = source[i];
        if (inner === undefined) throw new CsvError(`line ${line}: a quoted field is not closed`);
        i++;
        if (inner === '"') {
          if (source[i] !== '"') break;
          i++;
        } else if (inner === '\n') line++;
        value += inner;
      }
      quoted = true;
    } else if (char === '"') {
      throw new CsvError(`line ${line}: a quote inside an unquoted field`);
    } else {
      value += char;
      i++;
    }
  }
  if (value !== '' || quoted || row.length > 0) endRow();
  return rows;
}
