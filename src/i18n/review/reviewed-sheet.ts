// A reviewed sheet as it comes back from the reviewer's spreadsheet, checked at the edge before a
// single text is written: the header of this language's sheet, known keys only, once each, the
// {{variables}} of English (the bot fills them; a lost {{country}} leaves a gap in a message), and
// every plural form of a plural key the sheet has (a deleted `_few` row would leave the form unreviewed and unnoticed).
import { z } from 'zod';
import { variablesOf } from '../completeness.js';
import { sheetHeader } from './sheet-csv.js';
import { pluralStem, type SheetRow } from './sheet.js';

export interface ReviewedText {
  namespace: string;
  key: string;
  text: string;
}

export interface ReviewedSheet {
  /** Rows the sheet has (the header not counted). */
  rows: number;
  /** Whether it holds console texts (exported with --console). */
  console: boolean;
  reviewed: ReviewedText[];
}

const columns = sheetHeader('').length;
/** A spreadsheet may drop trailing empty cells; a row with more cells than the header is someone else's sheet. */
const rowSchema = z
  .array(z.string())
  .max(columns, { message: `has more than ${columns} columns` })
  .transform((cells) => [...cells, ...Array<string>(columns - cells.length).fill('')]);

/** A form's own name (`_one`) may drop {{count}}: many languages write "one day" as a word. */
const mayDrop = (variable: string, plural: boolean) => plural && variable === 'count';

const idOf = (namespace: string, key: string) => `${namespace}:${key}`;

/**
 * The schema of `locale`'s reviewed sheet (rows of cells as parsed from CSV). `expected` are the rows
 * an export would write, with console texts if exported so; `english` is namespace -> flattened texts.
 */
export function reviewedSheetSchema(locale: string, expected: readonly SheetRow[], english: ReadonlyMap<string, ReadonlyMap<string, string>>) {
  const known = new Map(expected.map((row) => [idOf(row.namespace, row.key), row]));
  const header = sheetHeader(locale);
  return z
    .array(rowSchema)
    .superRefine((rows, context) => {
      const [first = []] = rows;
      const language = /^translation \((.+)\)$/.exec(first[4] ?? '')?.[1];
      if (language !== undefined && language !== locale) {
        context.addIssue({ code: 'custom', path: [0], message: `this sheet is for "${language}", not "${locale}"` });
        return z.NEVER;
      }
      if (first.join('\u0000') !== header.join('\u0000')) {
        context.addIssue({ code: 'custom', path: [0], message: `the header is not a review sheet's: expected ${header.join(', ')}` });
        return z.NEVER;
      }
      const seen = new Set<string>();
      const stems = new Map<string, Set<string>>();
      rows.slice(1).forEach((cells, index) => {
        // A blank line (a spreadsheet's last) is no row; skipped in place so row numbers stay the spreadsheet's.
        if (isBlank(cells)) return;
        const [key = '', namespace = '', , , , reviewed = ''] = cells;
        const path = [index + 1];
        const id = idOf(namespace, key);
        const row = known.get(id);
        if (!row) return context.addIssue({ code: 'custom', path, message: `unknown key ${id}` });
        if (seen.has(id)) return context.addIssue({ code: 'custom', path, message: `${id} appears twice` });
        seen.add(id);
        const texts = english.get(namespace) ?? new Map<string, string>();
        const stem = pluralStem(key, texts);
        if (stem !== undefined) stems.set(idOf(namespace, stem), (stems.get(idOf(namespace, stem)) ?? new Set()).add(key));
        if (reviewed.trim() === '') return;
        // A plural form may use what any English form of the key uses.
        const englishTexts = stem === undefined ? [row.english] : [...texts].filter(([name]) => pluralStem(name, texts) === stem).map(([, text]) => text);
        const wanted = new Set(englishTexts.flatMap(variablesOf));
        const used = new Set(variablesOf(reviewed));
        const extra = [...used].filter((variable) => !wanted.has(variable));
        const lost = [...wanted].filter((variable) => !used.has(variable) && !mayDrop(variable, stem !== undefined));
        if (extra.length > 0) context.addIssue({ code: 'custom', path, message: `${id} uses ${braces(extra)}, which English does not have` });
        if (lost.length > 0) context.addIssue({ code: 'custom', path, message: `${id} lost ${braces(lost)}, which English has` });
      });
      for (const [id, forms] of stems) {
        const missing = expected.filter(
          (row) => idOf(row.namespace, pluralStem(row.key, english.get(row.namespace) ?? new Map()) ?? '') === id && !forms.has(row.key),
        );
        if (missing.length > 0)
          context.addIssue({
            code: 'custom',
            path: [0],
            message: `${id} is plural and the sheet lacks its form(s) ${missing.map((row) => row.key).join(', ')}`,
          });
      }
    })
    .transform((rows): ReviewedSheet => {
      const body = rows.slice(1).filter((cells) => !isBlank(cells));
      return {
        rows: body.length,
        console: body.some(([, namespace]) => namespace === 'console'),
        reviewed: body
          .filter(([, , , , , reviewed = '']) => reviewed.trim() !== '')
          .map(([key = '', namespace = '', , , , text = '']) => ({ namespace, key, text: text.replaceAll('\r\n', '\n') })),
      };
    });
}

const isBlank = (cells: readonly string[]) => cells.every((cell) => cell.trim() === '');
const braces = (names: readonly string[]) => names.map((name) => `{{${name}}}`).join(', ');

/** A problem as the reviewer finds it in a spreadsheet: row 1 is the header. */
export function formatSheetIssue(issue: z.core.$ZodIssue): string {
  const [index] = issue.path;
  return typeof index === 'number' ? `row ${index + 1}: ${issue.message}` : issue.message;
}
