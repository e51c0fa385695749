import { z } from 'zod';
import { safetyCategories } from './types.js';

/**
 * One lexicon entry: a pattern string (see flows/safety/README.md for its small syntax), or the same
 * with a reviewer's note and, for a deliberately short pattern, the reason it cannot fire on ordinary words.
 */
export const lexiconEntrySchema = z.union([
  z.string().trim().min(1, 'an empty entry'),
  z.strictObject({
    match: z.string().trim().min(1, 'an empty entry'),
    /** Why this entry is here (for the reviewer; never shown to a person). */
    note: z.string().optional(),
    /** Required to ship a pattern shorter than the length rule: why it is still unambiguous. */
    short_ok: z.string().trim().min(10, 'say why this short pattern cannot fire on ordinary words').optional(),
  }),
]);
export type LexiconEntry = z.infer<typeof lexiconEntrySchema>;

const entries = z.array(lexiconEntrySchema);

/** Every category is optional in the schema; `lintLexicons` requires all of them in each client language. */
export const categoriesSchema = z.strictObject(
  Object.fromEntries(safetyCategories.map((category) => [category, entries.optional()])) as Record<
    (typeof safetyCategories)[number],
    z.ZodOptional<typeof entries>
  >,
);

/** One language's file, `flows/safety/<lng>.yaml`. */
export const lexiconFileSchema = z.strictObject({
  language: z.string().regex(/^[a-z]{2,3}(-[A-Za-z0-9]{2,8})*$/, 'a language code such as "en" or "fa"'),
  /** Who reviewed this file and when: shown in reports, never to a person. */
  reviewed: z.string().optional(),
  /**
   * Named sets of words, written once and used in entries as `@name` ("child: son|daughter|kid*"):
   * a reviewer reads what a family of entries means, and a new word reaches all of them.
   */
  terms: z
    .record(z.string().regex(/^[a-z][a-z0-9_]*$/, 'a term name is lower-case letters, digits and "_"'), z.string().trim().min(1, 'an empty term'))
    .default({}),
  categories: categoriesSchema,
  /** Questions about danger in the country of return: not an alarm, answered at normal priority. */
  return_safety: entries.default([]),
  /** Idioms and negations ("dying to see my children", "nobody hurts me"): their words never raise an alarm. */
  exclusions: entries.default([]),
});
export type LexiconFile = z.infer<typeof lexiconFileSchema>;

/** The text of an entry, whichever form it was written in. */
export function entryText(entry: LexiconEntry): string {
  return typeof entry === 'string' ? entry : entry.match;
}
