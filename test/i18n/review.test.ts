// The translation review workflow (issue 17): export a sheet, let a reviewer fill it, apply it back.
// Always on a copy of the locales in a temp dir: a test never writes the real locale files. The
// flows and src/ of the project are only read, for the sheet's "where it appears" column.
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { main } from '../../src/i18n/cli/review.js';
import { localeMetaSchema } from '../../src/i18n/index.js';
import { CsvError, parseCsv, toCsv } from '../../src/i18n/review/csv.js';
import { captureCli } from '../support/cli.js';
import { projectRoot } from '../support/engine.js';

describe('CSV (RFC 4180)', () => {
  it('quotes a field only when it holds a quote, a comma, a line break or edge spaces', () => {
    expect(toCsv([['plain', 'a,b', 'say "hi"', 'two\nlines', ' edge', '']])).toBe('\uFEFFplain,"a,b","say ""hi""","two\nlines"," edge",\r\n');
  });

  it('reads back quotes, commas, CRLF and LF line breaks inside fields, and empty fields', () => {
    const text = 'a,"b,c","d ""e""","f\r\ng",,""\r\nh,"i\nj",k,,,\n';
    expect(parseCsv(text)).toEqual([
      ['a', 'b,c', 'd "e"', 'f\r\ng', '', ''],
      ['h', 'i\nj', 'k', '', '', ''],
    ]);
  });

  it('ignores the byte-order mark and reads a last line without a line end', () => {
    expect(parseCsv('\uFEFFkey,text\r\nx,"y"')).toEqual([
      ['key', 'text'],
      ['x', 'y'],
    ]);
  });

  it('refuses an unclosed quote, text after a closing quote and a stray quote', () => {
    expect(() => parseCsv('a,"b\n')).toThrow(CsvError);
    expect(() => parseCsv('a,"b"c\n')).toThrow(/after a closing quote/);
    expect(() => parseCsv('a,b"c\n')).toThrow(/inside an unquoted field/);
  });

  it('reads back whatever it writes', () => {
    const cell = fc.string({ unit: fc.constantFrom('a', 'ß', 'ع', ' ', ',', '"', '\n', '\r', '{', '}') });
    fc.assert(
      fc.property(fc.array(fc.array(cell, { minLength: 2, maxLength: 5 }), { minLength: 1, maxLength: 5 }), (rows) => {
        expect(parseCsv(toCsv(rows))).toEqual(rows);
      }),
    );
  });
});

describe('locales:review', () => {
  let dir: string;
  let locales: string;
  const now = () => new Date('2026-12-04T12:00:00.000Z');
  const run = (...argv: string[]) => captureCli((io) => main(argv, io, { root: projectRoot, localesDir: locales, now }));
  const file = (...path: string[]) => readFileSync(join(locales, ...path), 'utf8');
  const json = (...path: string[]) => JSON.parse(file(...path)) as Record<string, unknown>;

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'homeward-review-'));
    locales = join(dir, 'locales');
    // English, one left-to-right and one right-to-left language with six plural forms.
    for (const lng of ['en', 'fr', 'ar']) cpSync(join(projectRoot, 'locales', lng), join(locales, lng), { recursive: true });
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  async function exported(lng: string): Promise<string[][]> {
    const { code, stderr } = await run('export', lng, '--out', join(dir, 'out'));
    expect(stderr).toBe('');
    expect(code).toBe(0);
    return parseCsv(readFileSync(join(dir, 'out', `${lng}-review.csv`), 'utf8'));
  }
  function saveSheet(rows: string[][]): string {
    const path = join(dir, 'out', 'reviewed.csv');
    writeFileSync(path, toCsv(rows));
    return path;
  }
  const rowOf = (rows: string[][], namespace: string, key: string) => {
    const row = rows.find((cells) => cells[0] === key && cells[1] === namespace);
    if (!row) throw new Error(`no row ${namespace}:${key}`);
    return row;
  };

  it('exports one row per client text, with where it appears, English and the translation', async () => {
    const rows = await exported('fr');
    expect(rows[0]).toEqual(['key', 'namespace', 'where', 'English', 'translation (fr)', 'reviewed text (fr)', 'comment']);
    expect(new Set(rows.slice(1).map((row) => row[1]))).toEqual(new Set(['bot', 'eligibility', 'handoff', 'system', 'telegram', 'widget']));
    const welcome = rowOf(rows, 'bot', 'intake.welcome');
    expect(welcome[2]).toContain('flows/intake.yaml › welcome');
    expect(welcome[3]).toBe((json('en', 'bot.json').intake as Record<string, string>).welcome);
    expect(welcome[4]).toBe((json('fr', 'bot.json').intake as Record<string, string>).welcome);
    expect(welcome.slice(5)).toEqual(['', '']);
    // A key found only in source, and one built from a literal prefix.
    expect(rowOf(rows, 'system', 'error.pick_a_choice')[2]).toContain('src/engine/answers/parse.ts');
    expect(rows.slice(1).every((row) => row[2] !== '')).toBe(true);
  });

  it('leaves console texts out unless asked for', async () => {
    expect((await exported('fr')).some((row) => row[1] === 'console')).toBe(false);
    await run('export', 'fr', '--out', join(dir, 'out'), '--console');
    expect(parseCsv(readFileSync(join(dir, 'out', 'fr-review.csv'), 'utf8')).some((row) => row[1] === 'console')).toBe(true);
  });

  it('gives a plural key a row for every form the language needs', async () => {
    const rows = await exported('ar');
    const forms = rows.filter((row) => row[1] === 'system' && row[0]?.startsWith('multi_added_')).map((row) => row[0]);
    expect(forms).toEqual(['zero', 'one', 'two', 'few', 'many', 'other'].map((form) => `multi_added_${form}`));
    // English has no "few": the reviewer reads English "other" beside it.
    expect(rowOf(rows, 'system', 'multi_added_few')[3]).toBe(json('en', 'system.json').multi_added_other);
  });

  it('writes an HTML sheet with escaped texts and the translation right to left', async () => {
    await exported('ar');
    const html = readFileSync(join(dir, 'out', 'ar-review.html'), 'utf8');
    expect(html).toMatch(/<td class="text" lang="ar" dir="rtl">/);
    expect(html).toContain('<td class="text" lang="en" dir="ltr">Noted ({{count}} chosen). Choose more, or tap &quot;Done&quot;.</td>');
    expect(html).not.toMatch(/<td[^>]*>[^<]*"Done"/);
  });

  it('applies the reviewed texts in place and records the review in meta.json', async () => {
    const rows = await exported('fr');
    const before = file('fr', 'bot.json');
    const language = rowOf(rows, 'bot', 'intake.language');
    language[5] = 'Dans quelle langue voulez-vous écrire ?';
    language[6] = 'plus naturel';
    const range = rowOf(rows, 'system', 'error.number_range');
    range[5] = range[4] ?? ''; // confirmed as it is
    const { code, stdout, stderr } = await run('apply', 'fr', saveSheet(rows), '--role', 'native French speaker, caseworker');
    expect(stderr).toBe('');
    expect(code).toBe(0);
    expect(stdout).toContain('2 of');

    const after = file('fr', 'bot.json');
    // One line changed: key order and formatting are the file's own.
    const changed = after.split('\n').filter((line, index) => line !== before.split('\n')[index]);
    expect(changed).toEqual(['    "language": "Dans quelle langue voulez-vous écrire ?",']);
    expect(after).toBe(`${JSON.stringify(JSON.parse(after), null, 2)}\n`);
    expect(file('fr', 'system.json')).toBe(readFileSync(join(projectRoot, 'locales', 'fr', 'system.json'), 'utf8'));

    const meta = localeMetaSchema.parse(json('fr', 'meta.json'));
    expect(meta.review).toEqual({ role: 'native French speaker, caseworker', date: '2026-12-04T12:00:00.000Z', keys: 2, of: rows.length - 1 });
    expect(meta.status).toBe('draft');
    // Still one line, as the file was.
    expect(file('fr', 'meta.json').trimEnd().split('\n')).toHaveLength(1);
  });

  it('marks the language reviewed once every text was reviewed', async () => {
    const rows = await exported('ar');
    for (const row of rows.slice(1)) row[5] = row[4] ?? '';
    // A form the translation lacked would be empty; give every row a text.
    for (const row of rows.slice(1)) if (row[5] === '') row[5] = row[3] ?? '';
    const { code, stderr } = await run('apply', 'ar', saveSheet(rows), '--role', 'native Arabic speaker');
    expect(stderr).toBe('');
    expect(code).toBe(0);
    const meta = localeMetaSchema.parse(json('ar', 'meta.json'));
    expect(meta.status).toBe('reviewed');
    expect(meta.review?.keys).toBe(meta.review?.of);
  });

  describe('refuses, writing nothing,', () => {
    let untouched: () => void;
    beforeEach(() => {
      const snapshot = ['bot.json', 'system.json', 'meta.json'].map((name) => [name, file('fr', name)] as const);
      untouched = () => {
        for (const [name, text] of snapshot) expect(file('fr', name)).toBe(text);
      };
    });

    it('a sheet for another language', async () => {
      const rows = await exported('ar');
      rowOf(rows, 'bot', 'intake.language')[5] = 'x';
      const { code, stderr } = await run('apply', 'fr', saveSheet(rows), '--role', 'reviewer');
      expect(code).toBe(1);
      expect(stderr).toContain('this sheet is for "ar", not "fr"');
      untouched();
    });

    it('an unknown key and a key twice', async () => {
      const rows = await exported('fr');
      rows.push(['intake.no_such_text', 'bot', '', '', '', 'texte', ''], [...rowOf(rows, 'bot', 'intake.language')]);
      const { code, stderr } = await run('apply', 'fr', saveSheet(rows), '--role', 'reviewer');
      expect(code).toBe(1);
      expect(stderr).toContain(`row ${rows.length - 1}: unknown key bot:intake.no_such_text`);
      expect(stderr).toContain(`row ${rows.length}: bot:intake.language appears twice`);
      untouched();
    });

    it('a text that loses or adds a {{variable}}', async () => {
      const rows = await exported('fr');
      rowOf(rows, 'system', 'error.number_range')[5] = 'Écrivez un nombre entre {{min}} et {{maximum}}.';
      rowOf(rows, 'bot', 'intake.language')[5] = 'Quelle langue, {{name}} ?';
      const { code, stderr } = await run('apply', 'fr', saveSheet(rows), '--role', 'reviewer');
      expect(code).toBe(1);
      expect(stderr).toContain('system:error.number_range uses {{maximum}}, which English does not have');
      expect(stderr).toContain('system:error.number_range lost {{max}}, which English has');
      expect(stderr).toContain('bot:intake.language uses {{name}}');
      untouched();
    });

    it('a plural key with a form deleted', async () => {
      const rows = (await exported('fr')).filter((row) => row[0] !== 'multi_added_many');
      rowOf(rows, 'system', 'multi_added_other')[5] = 'Noté ({{count}} choisis).';
      const { code, stderr } = await run('apply', 'fr', saveSheet(rows), '--role', 'reviewer');
      expect(code).toBe(1);
      expect(stderr).toContain('system:multi_added is plural and the sheet lacks its form(s) multi_added_many');
      untouched();
    });

    it('a sheet without a --role, or not a review sheet', async () => {
      const rows = await exported('fr');
      expect((await run('apply', 'fr', saveSheet(rows))).stderr).toContain('--role is required');
      writeFileSync(join(dir, 'other.csv'), 'name,amount\r\nx,1\r\n');
      const other = await run('apply', 'fr', join(dir, 'other.csv'), '--role', 'reviewer');
      expect(other.code).toBe(1);
      expect(other.stderr).toContain("the header is not a review sheet's");
      writeFileSync(join(dir, 'semicolons.csv'), `${rows.map((row) => row.join(';')).join('\r\n')}\r\n`);
      expect((await run('apply', 'fr', join(dir, 'semicolons.csv'), '--role', 'reviewer')).stderr).toContain('saved with semicolons');
      // Latin-1 bytes, as a spreadsheet's plain "CSV" writes "é".
      writeFileSync(join(dir, 'latin1.csv'), Buffer.from('key,namespace\r\ncaf\xe9,bot\r\n', 'latin1'));
      expect((await run('apply', 'fr', join(dir, 'latin1.csv'), '--role', 'reviewer')).stderr).toContain('is not UTF-8 text');
      untouched();
    });
  });

  it('refuses English and a language that does not exist', async () => {
    expect((await run('export', 'en')).code).toBe(1);
    expect((await run('export', 'xx')).stderr).toContain('xx is not a client language');
  });
});
