// `npm run locales:review -- export <lng> [--out DIR] [--console]` writes a side-by-side sheet of a
// language for a native reviewer (<lng>-review.csv to fill in, <lng>-review.html to read or print);
// `npm run locales:review -- apply <lng> <sheet.csv> --role "<reviewer's role>"` writes the reviewed
// texts back and records the review in meta.json (issue 17). Every language but English is a draft
// until a native speaker has read it; this is how one does.
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { isMainModule, processIo, type CliIo } from '../../cli-io.js';
import { flatten, staffNamespaces } from '../completeness.js';
import { localeReviewSchema } from '../review-record.js';
import { CsvError, parseCsv } from '../review/csv.js';
import { readMeta, readTrees, reviewNamespaces, setText, writeMeta, writeTrees } from '../review/locale-files.js';
import { formatSheetIssue, reviewedSheetSchema } from '../review/reviewed-sheet.js';
import { sheetCsv } from '../review/sheet-csv.js';
import { sheetHtml } from '../review/sheet-html.js';
import { sheetRows } from '../review/sheet.js';
import { scanUsage } from '../review/usage.js';

export interface ReviewOptions {
  /** The project: flows/ and src/ are scanned for where a key appears. */
  root?: string;
  /** Default `root`/locales; tests point it at a copy. */
  localesDir?: string;
  now?: () => Date;
}

const base = 'en';
const usageText = [
  'usage: npm run locales:review -- export <lng> [--out DIR] [--console]',
  '       npm run locales:review -- apply <lng> <sheet.csv> --role "<reviewer role>"',
];

/** Runs `export` or `apply` (a bare `<lng>` exports); returns the exit code. */
export async function main(argv: string[], io: CliIo, options: ReviewOptions = {}): Promise<number> {
  const root = options.root ?? process.cwd();
  const localesDir = options.localesDir ?? join(root, 'locales');
  let parsed: ReturnType<typeof parseCommand>;
  try {
    parsed = parseCommand(argv);
  } catch (error) {
    io.err(error instanceof Error ? error.message : String(error));
    for (const line of usageText) io.err(line);
    return 1;
  }
  const { command, positionals, values } = parsed;
  const [locale, sheet] = positionals;
  if (command === undefined || locale === undefined || (command === 'apply' && sheet === undefined)) {
    for (const line of usageText) io.err(line);
    return 1;
  }
  if (locale === base) {
    io.err(`${base} is the original the others are translated from; there is nothing to review against.`);
    return 1;
  }
  const meta = readMeta(localesDir, locale);
  if (!meta) {
    io.err(`${locale} is not a client language: ${join(localesDir, locale, 'meta.json')} is missing.`);
    return 1;
  }
  if (command === 'export')
    return exportSheet(io, { root, localesDir, locale, meta, out: resolve(root, values.out ?? '.'), withStaff: values.console === true });
  if (!values.role?.trim()) {
    io.err('--role is required: who reviewed, as a role ("native Tigrinya speaker, caseworker"), not a name.');
    return 1;
  }
  return applySheet(io, { localesDir, locale, meta, sheet: resolve(root, sheet ?? ''), role: values.role.trim(), now: options.now ?? (() => new Date()) });
}

function parseCommand(argv: string[]) {
  const { positionals, values } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: { out: { type: 'string' }, console: { type: 'boolean' }, role: { type: 'string' } },
  });
  const [first, ...rest] = positionals;
  if (first === 'export' || first === 'apply') return { command: first, positionals: rest, values };
  // `locales:review -- ar`, as the issue wrote it: an export.
  return { command: first === undefined ? undefined : ('export' as const), positionals, values };
}

interface ExportJob {
  root: string;
  localesDir: string;
  locale: string;
  meta: { nativeName: string; dir: 'ltr' | 'rtl' };
  out: string;
  withStaff: boolean;
}

function exportSheet(io: CliIo, job: ExportJob): number {
  const namespaces = reviewNamespaces(job.localesDir, base, job.withStaff);
  const rows = sheetRows(
    readTrees(job.localesDir, base, namespaces),
    readTrees(job.localesDir, job.locale, namespaces),
    job.locale,
    namespaces,
    scanUsage(job.root, namespaces),
  );
  mkdirSync(job.out, { recursive: true });
  const csvName = `${job.locale}-review.csv`;
  const csvPath = join(job.out, csvName);
  const htmlPath = join(job.out, `${job.locale}-review.html`);
  writeFileSync(csvPath, sheetCsv(job.locale, rows));
  writeFileSync(htmlPath, sheetHtml({ locale: job.locale, nativeName: job.meta.nativeName, dir: job.meta.dir, rows, csvName }));
  io.out(`${rows.length} texts of ${job.locale} (${namespaces.join(', ')}):`);
  io.out(`  ${csvPath}  (to fill in: "reviewed text", and "comment" if needed)`);
  io.out(`  ${htmlPath}  (to read or print)`);
  return 0;
}

interface ApplyJob {
  localesDir: string;
  locale: string;
  meta: NonNullable<ReturnType<typeof readMeta>>;
  sheet: string;
  role: string;
  now: () => Date;
}

function applySheet(io: CliIo, job: ApplyJob): number {
  if (!existsSync(job.sheet)) {
    io.err(`${job.sheet}: no such file.`);
    return 1;
  }
  let cells: string[][];
  try {
    // Fatal on bad bytes: a spreadsheet saved as plain "CSV" writes a legacy code page, which would
    // turn every Ethiopic or Arabic letter into "?" if read leniently.
    const text = new TextDecoder('utf-8', { fatal: true }).decode(readFileSync(job.sheet));
    // Spreadsheets set to German or Dutch save "CSV" with semicolons, which no header check would explain.
    const firstLine = text.split(/\r?\n/, 1)[0] ?? '';
    if (!firstLine.includes(',') && firstLine.includes(';')) {
      io.err(`${job.sheet} was saved with semicolons: save it as "CSV UTF-8" (comma-separated) and apply it again.`);
      return 1;
    }
    cells = parseCsv(text);
  } catch (error) {
    if (error instanceof TypeError) {
      io.err(`${job.sheet} is not UTF-8 text: save it as "CSV UTF-8" and apply it again.`);
      return 1;
    }
    if (!(error instanceof CsvError)) throw error;
    io.err(`${job.sheet} is not readable CSV: ${error.message}`);
    return 1;
  }
  // The namespaces the sheet may hold: console texts only if it was exported with --console.
  const namespaces = reviewNamespaces(
    job.localesDir,
    base,
    cells.some((row) => staffNamespaces.has(row[1] ?? '')),
  );
  const englishTrees = readTrees(job.localesDir, base, namespaces);
  const trees = readTrees(job.localesDir, job.locale, namespaces);
  const expected = sheetRows(englishTrees, trees, job.locale, namespaces, new Map());
  const english = new Map(namespaces.map((ns) => [ns, flatten(englishTrees[ns])] as const));
  const result = reviewedSheetSchema(job.locale, expected, english).safeParse(cells);
  if (!result.success) {
    for (const issue of result.error.issues) io.err(`${job.sheet}: ${formatSheetIssue(issue)}`);
    io.err(`Nothing was written: ${result.error.issues.length} problem${result.error.issues.length === 1 ? '' : 's'} in the sheet.`);
    return 1;
  }
  const changed = new Set<string>();
  const current = new Map(expected.map((row) => [`${row.namespace}:${row.key}`, row.translation]));
  for (const { namespace, key, text } of result.data.reviewed) {
    if (current.get(`${namespace}:${key}`) === text) continue;
    const tree = trees[namespace];
    if (!tree) continue;
    setText(tree, key, text);
    changed.add(namespace);
  }
  writeTrees(job.localesDir, job.locale, trees, changed);

  // Reviewed means every client text read by a native speaker; console texts are staff's and do not count.
  const clientRows = expected.filter((row) => !staffNamespaces.has(row.namespace));
  const reviewedClient = new Set(result.data.reviewed.filter((row) => !staffNamespaces.has(row.namespace)).map((row) => `${row.namespace}:${row.key}`));
  const complete = clientRows.every((row) => reviewedClient.has(`${row.namespace}:${row.key}`));
  const review = localeReviewSchema.parse({ role: job.role, date: job.now().toISOString(), keys: result.data.reviewed.length, of: expected.length });
  // A partial review after a complete one does not make the language a draft again.
  writeMeta(job.localesDir, job.locale, { ...job.meta, status: complete ? 'reviewed' : job.meta.status, review });
  io.out(
    `${job.locale}: ${review.keys} of ${review.of} texts reviewed, ${countChanged(result.data.reviewed, current)} changed (${[...changed].join(', ') || 'no file'} written); status ${complete ? 'reviewed' : job.meta.status}.`,
  );
  return 0;
}

function countChanged(reviewed: readonly { namespace: string; key: string; text: string }[], current: ReadonlyMap<string, string>): number {
  return reviewed.filter((row) => current.get(`${row.namespace}:${row.key}`) !== row.text).length;
}

if (isMainModule(import.meta.url)) process.exitCode = await main(process.argv.slice(2), processIo);
