import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { parse as parseYaml, YAMLParseError } from 'yaml';
import type { FlowIssue } from '../flows/load.js';
import { lexiconFileSchema, type LexiconFile } from './lexicon-schema.js';
import { issueLines } from '../validation/zod-issues.js';

export interface LoadedLexicon {
  file: string;
  lexicon: LexiconFile;
}

export interface LoadedLexicons {
  lexicons: LoadedLexicon[];
  issues: FlowIssue[];
}

/**
 * Reads and validates every `<lng>.yaml` of the safety lexicon folder (I/O at start-up and in tests
 * only: the detector itself is pure). A file that does not validate is left out and reported with
 * its path and the entry at fault.
 * @example const { lexicons, issues } = loadSafetyLexicons('flows/safety');
 */
export function loadSafetyLexicons(dir: string): LoadedLexicons {
  const result: LoadedLexicons = { lexicons: [], issues: [] };
  if (!existsSync(dir)) return { ...result, issues: [{ file: dir, message: 'the safety lexicon folder is missing' }] };
  for (const name of readdirSync(dir)
    .filter((candidate) => /\.ya?ml$/.test(candidate))
    .sort()) {
    const file = join(dir, name);
    const parsed = parseLexiconText(readFileSync(file, 'utf8'), file);
    if ('issues' in parsed) result.issues.push(...parsed.issues);
    else result.lexicons.push({ file, lexicon: parsed.lexicon });
  }
  return result;
}

export function parseLexiconText(text: string, file: string): { lexicon: LexiconFile } | { issues: FlowIssue[] } {
  // The same file read again (each app start in a test file, flows:check after start-up) gives the
  // same lexicon object, so what was parsed and compiled from it is found again (pattern.ts, detector.ts).
  const known = lastRead.get(file);
  if (known?.text === text) return known.result;
  const result = parseLexiconTextAfresh(text, file);
  lastRead.set(file, { text, result });
  return result;
}

/** The last text read from each lexicon file and what it gave: one entry a file, so an edit replaces it. */
const lastRead = new Map<string, { text: string; result: { lexicon: LexiconFile } | { issues: FlowIssue[] } }>();

function parseLexiconTextAfresh(text: string, file: string): { lexicon: LexiconFile } | { issues: FlowIssue[] } {
  let raw: unknown;
  try {
    raw = parseYaml(text);
  } catch (error) {
    return { issues: [{ file, message: `not valid YAML: ${error instanceof YAMLParseError ? error.message : String(error)}` }] };
  }
  const parsed = lexiconFileSchema.safeParse(raw);
  if (!parsed.success) {
    return { issues: issueLines(parsed.error).map((message) => ({ file, message })) };
  }
  const expected = basename(file).replace(/\.ya?ml$/, '');
  if (parsed.data.language !== expected)
    return { issues: [{ file, message: `language "${parsed.data.language}" does not match the file name (${expected})` }] };
  return { lexicon: parsed.data };
}
