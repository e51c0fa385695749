import { normalise } from '../text/normalise.js';

/**
 * The small pattern language of the safety lexicon (flows/safety/README.md):
 * - words are matched whole, after the engine's folding (case, accents, letter variants);
 * - `beat*` a word that starts with "beat" (beats, beaten, beating); `*ضربني` one that ends so
 *   (Arabic and Persian attach "and", "to", "with" in front); `*xyz*` one that contains it;
 * - `hit|beat*|kick*` any one of these words at this place;
 * - `word?` the word may be left out ("i am really? in danger");
 * - `(do not|don't) want` alternatives of several words; `(very much)?` words that may be left out;
 * - `...` up to {@link gapWords} other words may stand here ("took ... passport"); `...5` up to 5
 *   (at most {@link maxGapWords}), for the long sentences people write when they tell what happens;
 * - `=word` the word exactly, no misspelling tolerated: where one letter changes the person or the
 *   meaning ("uccido", I kill, and "uccide", it kills);
 * - `{12-17}` a number from 12 to 17 (digits of any script are folded to 0-9): a child's age;
 * - `@child` a term of the file's `terms:` (its alternatives, as if written here in a group);
 * - `pregnant* & bleed*` each part somewhere within {@link conjunctionWindow} words, in any order:
 *   the way a story tells a danger ("she is 7 months pregnant and since an hour there is blood").
 */
export type WordForm = 'exact' | 'prefix' | 'suffix' | 'infix' | 'number';

export interface WordPattern {
  form: WordForm;
  /** Folded letters, without the `*` or `=` (for `number`, the range as written, "12-17"). */
  text: string;
  /** Written `=word`: no misspelling tolerated. */
  strict?: boolean;
  /** For `number`: the range, inclusive. */
  range?: { min: number; max: number };
}

export interface Slot {
  /** Any one of these matches the slot. */
  words: readonly WordPattern[];
  optional: boolean;
  /** How many other words may stand before this slot (0, or `gapWords` after `...`). */
  gapBefore: number;
}

export interface ParsedPattern {
  /** One sequence of slots per way of reading the groups `( | )`. */
  variants: Slot[][];
}

/** What `...` allows between two words. */
export const gapWords = 3;
/** The widest gap `...N` may ask for: wider, and words of two different sentences would meet. */
export const maxGapWords = 6;

/** How many message words the parts of an `a & b` entry may spread over, first word to last. */
export const conjunctionWindow = 24;
/** More parts than this in one `&` entry would rather be several entries. */
const maxConjunctionParts = 3;

/** A file's named word sets (`terms:`), used in its entries as `@name`. */
export type Terms = Readonly<Record<string, string>>;

/** One entry: a single pattern, or the parts of `a & b` that must all be found near each other. */
export interface ParsedEntry {
  parts: ParsedPattern[];
}

/**
 * Parses one entry with the terms of its file; errors are sentences a lexicon author can act on.
 * @example parseEntry('@child & missing', { child: 'son|daughter|(my little one)' })
 */
export function parseEntry(source: string, terms: Terms = noTerms): ParsedEntry | { error: string } {
  // Start-up lints every entry (flows:check) and then compiles it: the second reading is a lookup.
  let parsedWithTerms = parsedEntries.get(terms);
  if (!parsedWithTerms) {
    parsedWithTerms = new Map();
    parsedEntries.set(terms, parsedWithTerms);
  }
  let parsed = parsedWithTerms.get(source);
  if (!parsed) {
    parsed = parseEntryAfresh(source, terms);
    parsedWithTerms.set(source, parsed);
  }
  return parsed;
}

const noTerms: Terms = Object.freeze({});
/** Parsed entries by their file's terms (a file's `terms` object lives as long as its lexicon). */
const parsedEntries = new WeakMap<Terms, Map<string, ParsedEntry | { error: string }>>();

function parseEntryAfresh(source: string, terms: Terms): ParsedEntry | { error: string } {
  const expanded = expandTerms(source, terms);
  if ('error' in expanded) return expanded;
  const sources = expanded.text.split(/\s&\s/).map((part) => part.trim());
  if (sources.length > maxConjunctionParts) return { error: `has more than ${maxConjunctionParts} parts joined by "&": split it` };
  if (sources.some((part) => part === '' || part.includes('&'))) return { error: 'has an empty part around "&" (write "a & b", with spaces)' };
  const parts: ParsedPattern[] = [];
  for (const part of sources) {
    const parsed = parsePattern(part);
    if ('error' in parsed) return sources.length > 1 ? { error: `in its part "${part}": ${parsed.error}` } : parsed;
    parts.push(parsed);
  }
  return { parts };
}

const termReference = /@([a-z][a-z0-9_]*)/g;

/** Replaces `@name` by `(alternatives)`; a term may use other terms, never itself. */
function expandTerms(source: string, terms: Terms): { text: string } | { error: string } {
  let text = source;
  for (let depth = 0; depth < 4 && text.includes('@'); depth += 1) {
    let unknown: string | undefined;
    text = text.replace(termReference, (_, name: string) => {
      const value = Object.hasOwn(terms, name) ? terms[name] : undefined;
      if (value === undefined) unknown = name;
      return `(${value ?? ''})`;
    });
    if (unknown) return { error: `uses "@${unknown}", which is not in the file's terms` };
  }
  if (text.includes('@')) return { error: 'its terms refer to each other in a circle (or more than 4 deep)' };
  return { text };
}

/** More readings than this from one entry's groups is a sign of a mistake, and slows matching. */
const maxVariants = 64;

/** Parses one entry; errors are sentences a lexicon author can act on. */
export function parsePattern(source: string): ParsedPattern | { error: string } {
  const expanded = expandGroups(source);
  if ('error' in expanded) return expanded;
  const variants: Slot[][] = [];
  for (const text of expanded.texts) {
    const parsed = parseSequence(text);
    if ('error' in parsed) return parsed;
    variants.push(parsed.slots);
  }
  return { variants };
}

/** Rewrites `(a b|c|d)` and `(a b)?` into plain readings (`a b`, `c|d`), innermost group first. */
function expandGroups(source: string): { texts: string[] } | { error: string } {
  let texts = [source];
  const group = /\(([^()]*)\)(\?)?/;
  while (texts.some((text) => group.test(text))) {
    const next: string[] = [];
    for (const text of texts) {
      const found = group.exec(text);
      if (!found) {
        next.push(text);
        continue;
      }
      const alternatives = found[1]!.split('|').map((alternative) => alternative.trim());
      if (alternatives.some((alternative) => alternative === ''))
        return { error: `the group "${found[0]}" has an empty alternative (write "(...)?" for words that may be left out)` };
      // Single words of a group stay one slot ("a|b|c"); only alternatives of several words need a reading each.
      const single = alternatives.filter((alternative) => !alternative.includes(' '));
      const readings = [
        ...(single.length > 0 ? [`${single.join('|')}${found[2] === '?' && !single.some((word) => word.endsWith('?')) ? '?' : ''}`] : []),
        ...alternatives.filter((alternative) => alternative.includes(' ')),
      ];
      if (found[2] === '?' && single.length === 0) readings.push('');
      for (const alternative of readings)
        next.push(`${text.slice(0, found.index)} ${alternative} ${text.slice(found.index + found[0].length)}`.replace(/\s+/g, ' ').trim());
    }
    if (next.length > maxVariants) return { error: `its groups give more than ${maxVariants} readings: split it into several entries` };
    texts = next;
  }
  if (texts.some((text) => /[()]/.test(text))) return { error: 'has an unmatched parenthesis' };
  return { texts };
}

// The lexicons repeat their words thousands of times; folding each once saves a fifth of start-up.
const folded = new Map<string, string>();
function foldWord(word: string): string {
  let result = folded.get(word);
  if (result === undefined) {
    result = normalise(word);
    folded.set(word, result);
  }
  return result;
}

function parseSequence(source: string): { slots: Slot[] } | { error: string } {
  const slots: Slot[] = [];
  let gap = 0;
  for (const raw of source.trim().split(/\s+/)) {
    const gapMark = /^(?:\.\.\.|…)(\d+)?$/.exec(raw);
    if (gapMark) {
      if (slots.length === 0) return { error: 'cannot start with "..."' };
      const wanted = gapMark[1] === undefined ? gapWords : Number(gapMark[1]);
      if (wanted < 1 || wanted > maxGapWords) return { error: `"${raw}": a gap of 1 to ${maxGapWords} words` };
      gap = wanted;
      continue;
    }
    const token = parseToken(raw);
    if ('error' in token) return token;
    if (token.words.length === 0) continue;
    slots.push({ words: token.words, optional: token.optional, gapBefore: gap });
    gap = 0;
  }
  if (slots.length === 0) return { error: 'has no words' };
  if (gap > 0) return { error: 'cannot end with "..."' };
  if (slots[0]!.optional) return { error: 'cannot start with an optional word' };
  return { slots };
}

/**
 * One place of a reading (`beat*|hit?`). The readings of an entry's groups repeat the same tokens,
 * and the lexicons repeat them across entries: 142,000 words in 27,000 readings, 25,000 distinct. Each
 * token is read once and its words shared (never changed after), which also lets the detector look
 * up a slot's vocabulary once per token.
 */
function parseToken(raw: string): { words: readonly WordPattern[]; optional: boolean } | { error: string } {
  let token = parsedTokens.get(raw);
  if (!token) {
    token = parseTokenAfresh(raw);
    parsedTokens.set(raw, token);
  }
  return token;
}

const parsedTokens = new Map<string, { words: readonly WordPattern[]; optional: boolean } | { error: string }>();

function parseTokenAfresh(raw: string): { words: readonly WordPattern[]; optional: boolean } | { error: string } {
  const optional = raw.length > 1 && raw.endsWith('?');
  const body = optional ? raw.slice(0, -1) : raw;
  const alternatives = body.split('|');
  const words: WordPattern[] = [];
  for (const alternative of alternatives) {
    const range = /^\{(\d{1,3})-(\d{1,3})\}$/.exec(alternative);
    if (range) {
      const [min, max] = [Number(range[1]), Number(range[2])];
      if (min > max) return { error: `"${alternative}": the range runs from the smaller number to the larger` };
      words.push({ form: 'number', text: `${min}-${max}`, range: { min, max } });
      continue;
    }
    if (alternative.startsWith('=')) {
      const letters = foldWord(alternative.slice(1));
      if (!letters || /[*]/.test(alternative)) return { error: `"${alternative}": "=" takes a whole word, without "*"` };
      words.push({ form: 'exact', text: letters.replaceAll(' ', ''), strict: true });
      continue;
    }
    const prefixed = alternative.startsWith('*');
    const suffixed = alternative.endsWith('*') && alternative.length > 1;
    const letters = foldWord(alternative.replace(/^\*|\*$/g, ''));
    if (!letters) return { error: `"${alternative}" has no letters once folded` };
    // "don't" and "l'enfant" fold to two words ("don t"); joined, they match a person's "don't" and "dont"
    // alike, since two neighbouring words of a message are also tried as one.
    words.push({ form: prefixed && suffixed ? 'infix' : prefixed ? 'suffix' : suffixed ? 'prefix' : 'exact', text: letters.replaceAll(' ', '') });
  }
  return { words, optional };
}

/**
 * Letters of a word, as its length in speech: an Ethiopic syllable (ሀ-ፚ) counts as two letters, as it
 * writes a consonant and a vowel. For the length rule (`forLengthRule`), a letter of the Arabic script
 * counts one and a half, as short vowels are not written ("یضربنی", he beats me, has six letters).
 */
export function letterCount(text: string, forLengthRule = false): number {
  let count = 0;
  for (const char of text) count += /[\u1200-\u139f\u2d80-\u2ddf]/.test(char) ? 2 : forLengthRule && /[\u0600-\u06ff\u0750-\u077f]/.test(char) ? 1.5 : 1;
  return count;
}

/**
 * Misspellings tolerated on a word of this pattern: one from 6 letters, two from 12. In the Arabic
 * script (short vowels unwritten, a root with its affixes in few letters) one letter makes another
 * word (انتحار suicide, انتظار waiting), so one from 8 letters and two from 14; an Ethiopic syllable
 * counts one here (a changed syllable changes the person: ይቐትለኒ "is killing me", ክቐትለኒ "to kill
 * me"). Two only from 12: a Turkish negation (-me-, -ma-) is two letters ("istiyorum" I want,
 * "istemiyorum" I do not want).
 */
export function typosAllowed(word: WordPattern): number {
  if (word.strict || word.form === 'infix' || word.form === 'number') return 0;
  const arabicScript = /[\u0600-\u06ff\u0750-\u077f]/.test(word.text);
  const letters = [...word.text].length;
  const [one, two] = arabicScript ? [8, 14] : [6, 12];
  if (letters < one) return 0;
  return letters >= two ? 2 : 1;
}

/**
 * The length rule that keeps an entry from firing on ordinary words: at least two required words with
 * 6 letters between them, or one word of at least 7 letters; a wildcard stem needs 4 letters of its own.
 * The parts of `a & b` may stand apart, so they need more: each part's shortest reading 3 letters,
 * all parts together 9. Returns why an entry breaks it, or undefined.
 */
export function entryTooShort(entry: ParsedEntry): string | undefined {
  if (entry.parts.length === 1) return tooShort(entry.parts[0]!);
  let total = 0;
  for (const [index, part] of entry.parts.entries()) {
    const stub = part.variants
      .flat()
      .flatMap((slot) => (slot.optional ? [] : slot.words))
      .find((word) => word.form !== 'exact' && word.form !== 'number' && letterCount(word.text, true) < 4);
    if (stub) return `the wildcard "${stub.text}" has fewer than 4 letters`;
    const letters = Math.min(...part.variants.map(requiredLetters));
    if (letters < 3) return `its part ${index + 1} has ${Math.floor(letters)} letters (at least 3 needed in each part of "&")`;
    total += letters;
  }
  return total >= 9 ? undefined : `its parts have ${Math.floor(total)} letters together (at least 9 needed for "&")`;
}

/** Letters of the required words of one reading, each slot counted by its shortest word (a number counts 2). */
function requiredLetters(slots: readonly Slot[]): number {
  return slots
    .filter((slot) => !slot.optional)
    .reduce((sum, slot) => sum + Math.min(...slot.words.map((word) => (word.form === 'number' ? 2 : letterCount(word.text, true)))), 0);
}

export function tooShort(pattern: ParsedPattern): string | undefined {
  for (const slots of pattern.variants) {
    const short = sequenceTooShort(slots);
    if (short) return pattern.variants.length > 1 ? `${short}, in the reading "${describe(slots)}"` : short;
  }
  return undefined;
}

function describe(slots: readonly Slot[]): string {
  return slots
    .map(
      (slot) =>
        `${slot.gapBefore > 0 ? `...${slot.gapBefore === gapWords ? '' : slot.gapBefore} ` : ''}${slot.words.map((word) => (word.form === 'number' ? `{${word.text}}` : word.text)).join('|')}${slot.optional ? '?' : ''}`,
    )
    .join(' ');
}

function sequenceTooShort(slots: readonly Slot[]): string | undefined {
  const required = slots.filter((slot) => !slot.optional);
  for (const slot of required) {
    const stub = slot.words.find((word) => (word.form === 'prefix' || word.form === 'suffix' || word.form === 'infix') && letterCount(word.text, true) < 4);
    if (stub) return `the wildcard "${stub.text}" has fewer than 4 letters`;
  }
  // A number is as common as a short word: it counts 2, so it never stands alone.
  const letters = requiredLetters(slots);
  if (required.length >= 2 && letters >= 6) return undefined;
  if (required.length === 1 && letters >= 7) return undefined;
  return required.length >= 2
    ? `its words have ${Math.floor(letters)} letters (at least 6 needed)`
    : `a single word needs at least 7 letters (this has ${Math.floor(letters)})`;
}
