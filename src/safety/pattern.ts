import { normalise } from '../engine/normalise.js';

/**
 * The small pattern language of the safety lexicon (flows/safety/README.md):
 * - words are matched whole, after the engine's folding (case, accents, letter variants);
 * - `beat*` a word that starts with "beat" (beats, beaten, beating); `*ضربني` one that ends so
 *   (Arabic and Persian attach "and", "to", "with" in front); `*xyz*` one that contains it;
 * - `hit|beat*|kick*` any one of these words at this place;
 * - `word?` the word may be left out ("i am really? in danger");
 * - `...` up to {@link gapWords} other words may stand here ("took ... passport").
 */
export type WordForm = 'exact' | 'prefix' | 'suffix' | 'infix';

export interface WordPattern {
  form: WordForm;
  /** Folded letters, without the `*`. */
  text: string;
}

export interface Slot {
  /** Any one of these matches the slot. */
  words: WordPattern[];
  optional: boolean;
  /** How many other words may stand before this slot (0, or `gapWords` after `...`). */
  gapBefore: number;
}

export interface ParsedPattern {
  slots: Slot[];
}

/** What `...` allows between two words. */
export const gapWords = 3;

/** Parses one entry; errors are sentences a lexicon author can act on. */
export function parsePattern(source: string): ParsedPattern | { error: string } {
  const slots: Slot[] = [];
  let gap = 0;
  for (const raw of source.trim().split(/\s+/)) {
    if (raw === '...' || raw === '…') {
      if (slots.length === 0) return { error: 'cannot start with "..."' };
      gap = gapWords;
      continue;
    }
    const optional = raw.length > 1 && raw.endsWith('?');
    const body = optional ? raw.slice(0, -1) : raw;
    const alternatives = body.split('|');
    const words: WordPattern[] = [];
    for (const alternative of alternatives) {
      const prefixed = alternative.startsWith('*');
      const suffixed = alternative.endsWith('*') && alternative.length > 1;
      const letters = normalise(alternative.replace(/^\*|\*$/g, ''));
      if (!letters) return { error: `"${alternative}" has no letters once folded` };
      // "don't" and "l'enfant" fold to two words ("don t"); joined, they match a person's "don't" and "dont"
      // alike, since two neighbouring words of a message are also tried as one.
      words.push({ form: prefixed && suffixed ? 'infix' : prefixed ? 'suffix' : suffixed ? 'prefix' : 'exact', text: letters.replaceAll(' ', '') });
    }
    if (words.length === 0) continue;
    slots.push({ words, optional, gapBefore: gap });
    gap = 0;
  }
  if (slots.length === 0) return { error: 'has no words' };
  if (gap > 0) return { error: 'cannot end with "..."' };
  if (slots[0]!.optional) return { error: 'cannot start with an optional word' };
  if (slots.at(-1)!.optional) return { error: 'cannot end with an optional word' };
  return { slots };
}

/**
 * Letters a word needs before it may be matched with a misspelling: shorter words are exact, so "hit"
 * never becomes "hat". An Ethiopic syllable (ሀ-ፚ) counts as two letters, as it writes a consonant and a vowel.
 */
export function letterCount(text: string): number {
  let count = 0;
  for (const char of text) count += /[\u1200-\u139f\u2d80-\u2ddf]/.test(char) ? 2 : 1;
  return count;
}

/** Misspellings tolerated on a word of this pattern: none under 6 letters, one up to 9, two from 10. */
export function typosAllowed(word: WordPattern): number {
  const letters = letterCount(word.text);
  if (word.form === 'infix' || letters < 6) return 0;
  return letters >= 10 ? 2 : 1;
}

/**
 * The length rule that keeps an entry from firing on ordinary words: at least two required words with
 * 6 letters between them, or one word of at least 7 letters; a wildcard stem needs 4 letters of its own.
 * Returns why an entry breaks it, or undefined.
 */
export function tooShort(pattern: ParsedPattern): string | undefined {
  const required = pattern.slots.filter((slot) => !slot.optional);
  for (const slot of required) {
    const stub = slot.words.find((word) => word.form !== 'exact' && letterCount(word.text) < 4);
    if (stub) return `the wildcard "${stub.text}" has fewer than 4 letters`;
  }
  const shortest = (slot: Slot) => Math.min(...slot.words.map((word) => letterCount(word.text)));
  const letters = required.reduce((sum, slot) => sum + shortest(slot), 0);
  if (required.length >= 2 && letters >= 6) return undefined;
  if (required.length === 1 && letters >= 7) return undefined;
  return required.length >= 2 ? `its words have ${letters} letters (at least 6 needed)` : `a single word needs at least 7 letters (this has ${letters})`;
}
