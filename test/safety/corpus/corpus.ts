// The one loader of the safety evaluation corpus (see README.md in this folder): each file is
// checked by zod as it is read, so a typo in a category or a missing field fails loudly.
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';
import { hostCountryLanguages } from '../../../src/safety/lint.js';

export const safetyCategories = ['suicide', 'violence', 'trafficking', 'threat_to_life', 'child_at_risk', 'medical'] as const;

const folder = dirname(fileURLToPath(import.meta.url));
const localesFolder = join(folder, '..', '..', '..', 'locales');

/**
 * Every client language (a `locales/<lng>/meta.json`) and every host-country language the lexicons
 * hear, each with a corpus file: a new client language needs one before its locale can land.
 */
export const corpusLanguages: readonly string[] = [
  ...new Set([...readdirSync(localesFolder).filter((lng) => existsSync(join(localesFolder, lng, 'meta.json'))), ...hostCountryLanguages]),
].sort();

const text = z.string().trim().min(1);

export const corpusFileSchema = z.strictObject({
  language: z.string(),
  alarms: z.array(z.strictObject({ text, category: z.enum(safetyCategories), note: z.string().min(1).optional() })),
  calm: z.array(z.strictObject({ text, note: z.string().min(1) })),
  returnSafety: z.array(z.strictObject({ text, note: z.string().min(1).optional() })),
});

export type CorpusFile = z.infer<typeof corpusFileSchema>;

/**
 * Reads and validates `<language>.json` of the corpus (or of another folder of the same shape).
 *
 * @example
 * const { alarms } = loadCorpus('fa');
 * alarms.filter((alarm) => alarm.category === 'suicide');
 */
export function loadCorpus(language: string, from: string = folder): CorpusFile {
  return corpusFileSchema.parse(JSON.parse(readFileSync(join(from, `${language}.json`), 'utf8')));
}

/** The held-out set, written without seeing the lexicons or this corpus (see its README). */
export const unseenCorpusFolder = join(folder, '..', 'corpus-unseen');
