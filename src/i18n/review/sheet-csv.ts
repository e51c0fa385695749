// The review sheet as CSV, the copy a reviewer edits in a spreadsheet. The header names the language
// (`translation (ar)`), so a sheet applied to the wrong language is refused even after renaming.
import { toCsv } from './csv.js';
import type { SheetRow } from './sheet.js';

/** The header of `locale`'s sheet; `apply` reads the language back from it. */
export function sheetHeader(locale: string): string[] {
  return ['key', 'namespace', 'where', 'English', `translation (${locale})`, `reviewed text (${locale})`, 'comment'];
}

export function sheetCsv(locale: string, rows: readonly SheetRow[]): string {
  return toCsv([sheetHeader(locale), ...rows.map((row) => [row.key, row.namespace, row.where, row.english, row.translation, row.reviewed, row.comment])]);
}
