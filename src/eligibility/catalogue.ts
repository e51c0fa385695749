import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseDocument } from 'yaml';
import { fieldIssues } from '../validation/zod-issues.js';
import { ProgrammeSchema, type Programme } from './programme.js';

export interface CatalogueError {
  /** File name within the catalogue folder. */
  file: string;
  /** Dotted path within the file, e.g. "assistance.1.amount"; "" for the whole file. */
  path: string;
  message: string;
}

export interface Catalogue {
  /** Valid programmes, in file-name order. */
  programmes: Programme[];
  errors: CatalogueError[];
}

const isProgrammeFile = (name: string): boolean => /\.ya?ml$/.test(name);

/** Parses and validates one programme file's text. */
export function parseProgrammeFile(file: string, text: string): { programme: Programme | null; errors: CatalogueError[] } {
  const doc = parseDocument(text, { prettyErrors: true, uniqueKeys: true });
  if (doc.errors.length > 0) {
    return {
      programme: null,
      errors: doc.errors.map((e) => ({ file, path: '', message: e.message })),
    };
  }
  const result = ProgrammeSchema.safeParse(doc.toJS());
  if (!result.success) {
    return {
      programme: null,
      errors: fieldIssues(result.error).map((issue) => ({ file, ...issue })),
    };
  }
  return { programme: result.data, errors: [] };
}

/**
 * Loads every `*.yaml`/`*.yml` file of a folder as a programme. Never throws for bad content: each
 * problem is returned with its file and path so `flows:check` can list them all at once.
 * @example const { programmes, errors } = loadCatalogue('flows/programmes');
 */
export function loadCatalogue(dir: string): Catalogue {
  let names: string[];
  try {
    names = readdirSync(dir).filter(isProgrammeFile).sort();
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    return { programmes: [], errors: [{ file: dir, path: '', message }] };
  }
  const programmes: Programme[] = [];
  const errors: CatalogueError[] = [];
  const idFiles = new Map<string, string>();
  for (const file of names) {
    const parsed = parseProgrammeFile(file, readFileSync(join(dir, file), 'utf8'));
    errors.push(...parsed.errors);
    const programme = parsed.programme;
    if (programme === null) continue;
    const earlier = idFiles.get(programme.id);
    if (earlier !== undefined) {
      errors.push({ file, path: 'id', message: `id "${programme.id}" is already used by ${earlier}` });
      continue;
    }
    idFiles.set(programme.id, file);
    programmes.push(programme);
  }
  return { programmes, errors };
}
