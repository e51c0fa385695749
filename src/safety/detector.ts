import { normalise } from '../text/normalise.js';
import { MisspellingIndex } from './misspellings.js';
import { conjunctionWindow, parseEntry, typosAllowed, type Slot, type WordPattern } from './pattern.js';
import { entryText, type LexiconFile } from './lexicon-schema.js';
import { safetyCategories, type SafetyAlarm, type SafetyCategory, type SafetyDetector } from './types.js';

/**
 * When one message names several dangers, the one whose help matters first: a child's helpline and
 * suicide prevention are the most specific, a medical emergency the most general.
 */
export const categoryPrecedence: readonly SafetyCategory[] = ['suicide', 'child_at_risk', 'threat_to_life', 'trafficking', 'violence', 'medical'];

type Purpose = { kind: 'alarm'; category: SafetyCategory } | { kind: 'return_safety' } | { kind: 'exclusion' };

interface CompiledEntry {
  language: string;
  source: string;
  purpose: Purpose;
  /** Per slot, the ids of the vocabulary words that fill it. */
  slots: { ids: number[]; optional: boolean; gapBefore: number }[];
  /** For a part of `a & b`: the whole entry, and which of its parts this is. */
  conjunction?: { rule: Conjunction; part: number };
}

/** An `a & b` entry: it matches when each of its parts matched within `conjunctionWindow` words. */
interface Conjunction {
  parts: number;
}

interface VocabularyWord extends WordPattern {
  id: number;
  typos: number;
}

/** What the detector found in one message, for the evaluation and for tests. */
export interface SafetyReading {
  alarm?: SafetyAlarm & { entry: string };
  returnSafety?: { language: string; entry: string };
}

/** A detector that also says which entry matched (the evaluation prints it next to a false alarm). */
export interface ExplainingSafetyDetector extends SafetyDetector {
  read(text: string): SafetyReading;
}

/**
 * Compiles every language's lexicon into one detector, once at start-up; `detect` then costs well
 * under a millisecond per message (`npm run safety:eval` prints what it measures). Every message is checked against every
 * language at once, whatever the chat's language.
 * @example
 * const detector = compileSafetyLexicons(loadSafetyLexicons('flows/safety').lexicons);
 * detector.detect('ich will mich umbringen'); // { category: 'suicide', language: 'de' }
 */
export function compileSafetyLexicons(lexicons: readonly LexiconFile[]): ExplainingSafetyDetector {
  // The same lexicons compiled again (each app start in a process) give the same detector: it is pure,
  // its caches only remember what a message matched.
  if (lastCompiled && lastCompiled.lexicons.length === lexicons.length && lastCompiled.lexicons.every((lexicon, at) => lexicon === lexicons[at]))
    return lastCompiled.detector;
  const detector = compileAfresh(lexicons);
  lastCompiled = { lexicons: [...lexicons], detector };
  return detector;
}

let lastCompiled: { lexicons: readonly LexiconFile[]; detector: ExplainingSafetyDetector } | undefined;

function compileAfresh(lexicons: readonly LexiconFile[]): ExplainingSafetyDetector {
  const vocabulary = new Vocabulary();
  const entries: CompiledEntry[] = [];
  // Parsed slots share their words (pattern.ts reads each token once): their ids are looked up once too.
  const idsOf = new Map<readonly WordPattern[], number[]>();
  const add = ({ language, terms }: LexiconFile, source: string, purpose: Purpose) => {
    const parsed = parseEntry(source, terms);
    if ('error' in parsed) throw new Error(`safety lexicon "${language}": entry "${source}" ${parsed.error}`);
    const rule: Conjunction | undefined = parsed.parts.length > 1 ? { parts: parsed.parts.length } : undefined;
    for (const [part, pattern] of parsed.parts.entries()) {
      for (const slots of pattern.variants)
        entries.push({ language, source, purpose, slots: compileSlots(slots, vocabulary, idsOf), ...(rule ? { conjunction: { rule, part } } : {}) });
    }
  };
  for (const lexicon of lexicons) {
    for (const category of safetyCategories)
      for (const entry of lexicon.categories[category] ?? []) add(lexicon, entryText(entry), { kind: 'alarm', category });
    for (const entry of lexicon.return_safety) add(lexicon, entryText(entry), { kind: 'return_safety' });
    for (const entry of lexicon.exclusions) add(lexicon, entryText(entry), { kind: 'exclusion' });
  }
  const byFirstWord = new Map<number, CompiledEntry[]>();
  for (const entry of entries) {
    for (const id of entry.slots[0]!.ids) {
      const starting = byFirstWord.get(id);
      if (starting) starting.push(entry);
      else byFirstWord.set(id, [entry]);
    }
  }
  const rank = (category: SafetyCategory) => categoryPrecedence.indexOf(category);

  // A turn asks about one message up to three times (is it danger, before the counsellor relay and in
  // the engine; is it a question about return): the last reading answers the repeats.
  let last: { text: string; reading: SafetyReading } | undefined;
  const read = (text: string): SafetyReading => {
    if (last?.text === text) return last.reading;
    const reading = readAfresh(text);
    last = { text, reading };
    return reading;
  };
  const readAfresh = (text: string): SafetyReading => {
    const words = normalise(text).split(' ').filter(Boolean);
    if (words.length === 0) return {};
    const heard = vocabulary.wordsAt(words);
    const { single, parts } = sortMatches(findMatches(heard, words.length, byFirstWord));
    // Idioms and questions about the country of return cover their words: an alarm must stand outside them.
    const covered = new Array<boolean>(words.length).fill(false);
    const cover = (used: readonly number[]) => {
      for (const at of used) covered[at] = true;
    };
    for (const match of single) if (match.entry.purpose.kind !== 'alarm') for (let at = match.start; at < match.end; at += 1) covered[at] = true;
    for (const [rule, found] of parts) if (found[0]!.entry.purpose.kind !== 'alarm') cover(nearEachOther(rule, found) ?? []);
    const uncovered = (match: Match) => !match.used.some((at) => covered[at]);
    const reading: SafetyReading = {};
    // A question about the return is a whole entry, or every part of an `a & b` one near each other:
    // one part alone ("return" of "is it safe & return") is no question ("What is voluntary return?").
    const returnEntry =
      single.find((match) => match.entry.purpose.kind === 'return_safety')?.entry ??
      [...parts].find(([rule, found]) => found[0]!.entry.purpose.kind === 'return_safety' && nearEachOther(rule, found))?.[1][0]?.entry;
    if (returnEntry) reading.returnSafety = { language: returnEntry.language, entry: returnEntry.source };
    let best: { category: SafetyCategory; entry: CompiledEntry } | undefined;
    const consider = (entry: CompiledEntry) => {
      const { purpose } = entry;
      if (purpose.kind === 'alarm' && (!best || rank(purpose.category) < rank(best.category))) best = { category: purpose.category, entry };
    };
    for (const match of single) if (uncovered(match)) consider(match.entry);
    for (const [rule, found] of parts) {
      if (found[0]!.entry.purpose.kind === 'alarm' && nearEachOther(rule, found.filter(uncovered))) consider(found[0]!.entry);
    }
    if (best) reading.alarm = { category: best.category, language: best.entry.language, entry: best.entry.source };
    return reading;
  };

  return {
    read,
    detect(text) {
      const alarm = read(text).alarm;
      return alarm ? { category: alarm.category, language: alarm.language } : undefined;
    },
    asksAboutSafetyOfReturn(text) {
      const reading = read(text);
      return reading.returnSafety !== undefined && reading.alarm === undefined;
    },
  };
}

function compileSlots(slots: readonly Slot[], vocabulary: Vocabulary, idsOf: Map<readonly WordPattern[], number[]>): CompiledEntry['slots'] {
  return slots.map((slot) => {
    let ids = idsOf.get(slot.words);
    if (!ids) {
      ids = slot.words.map((word) => vocabulary.intern(word));
      idsOf.set(slot.words, ids);
    }
    return { ids, optional: slot.optional, gapBefore: slot.gapBefore };
  });
}

/** Per message position, the vocabulary words found there and how many message words each spans. */
type Heard = Map<number, number[]>[];

/**
 * Every distinct word of every entry, indexed so that a message word finds its patterns by lookup:
 * exact words and stems in maps, misspellings by Levenshtein distance only against words of a
 * similar length.
 */
class Vocabulary {
  private readonly words: VocabularyWord[] = [];
  private readonly keyed = new Map<string, number>();
  private readonly exact = new Map<string, number[]>();
  private readonly prefixes = new Map<string, number[]>();
  private readonly suffixes = new Map<string, number[]>();
  private readonly infixes: VocabularyWord[] = [];
  /** `{12-17}` slots: a message word of digits only falls in their range or not. */
  private readonly numbers: VocabularyWord[] = [];
  /** Words that tolerate misspellings. */
  private readonly misspellings = new MisspellingIndex();

  intern(word: WordPattern): number {
    const key = `${word.form}${word.strict ? '=' : ''}:${word.text}`;
    const known = this.keyed.get(key);
    if (known !== undefined) return known;
    const entry: VocabularyWord = { ...word, id: this.words.length, typos: typosAllowed(word) };
    this.words.push(entry);
    this.keyed.set(key, entry.id);
    if (word.form === 'number') {
      this.numbers.push(entry);
      return entry.id;
    }
    const index = { exact: this.exact, prefix: this.prefixes, suffix: this.suffixes, infix: undefined }[word.form];
    if (index) index.set(word.text, [...(index.get(word.text) ?? []), entry.id]);
    else this.infixes.push(entry);
    if (entry.typos > 0 && word.form !== 'infix') this.misspellings.add({ id: entry.id, form: word.form, text: word.text, typos: entry.typos });
    return entry.id;
  }

  /**
   * What a message word matched, kept across messages: people use the same few thousand words, so
   * most lookups are one map read. Bounded: emptied when full (a flood of invented words costs only
   * their own lookups).
   */
  private readonly recent = new Map<string, number[]>();
  private static readonly recentLimit = 20_000;

  /** What each message word (and each pair of neighbours typed apart, "mi zane" for "mizane") matches. */
  wordsAt(words: readonly string[]): Heard {
    const lookup = (word: string, withTypos: boolean) => {
      const key = `${withTypos ? '~' : '='}${word}`;
      let ids = this.recent.get(key);
      if (!ids) {
        ids = this.match(word, withTypos);
        if (this.recent.size >= Vocabulary.recentLimit) this.recent.clear();
        this.recent.set(key, ids);
      }
      return ids;
    };
    return words.map((word, at) => {
      const found = new Map<number, number[]>();
      const note = (ids: number[], span: number) => {
        for (const id of ids) found.set(id, [...(found.get(id) ?? []), span]);
      };
      note(lookup(word, true), 1);
      const next = words[at + 1];
      if (next !== undefined) note(lookup(word + next, false), 2);
      return found;
    });
  }

  private match(word: string, withTypos: boolean): number[] {
    const ids = new Set<number>(this.exact.get(word) ?? []);
    for (let length = 1; length <= word.length; length += 1) {
      for (const id of this.prefixes.get(word.slice(0, length)) ?? []) ids.add(id);
      for (const id of this.suffixes.get(word.slice(word.length - length)) ?? []) ids.add(id);
    }
    for (const infix of this.infixes) if (word.includes(infix.text)) ids.add(infix.id);
    if (/^\d{1,3}$/.test(word)) {
      const value = Number(word);
      for (const number of this.numbers) if (number.range && value >= number.range.min && value <= number.range.max) ids.add(number.id);
    }
    if (withTypos && word.length >= 5) for (const id of this.misspellings.misspelt(word)) ids.add(id);
    return [...ids];
  }
}

interface Match {
  entry: CompiledEntry;
  start: number;
  /** One past the last message word the match reached. */
  end: number;
  /** The message positions its words took (not the gaps between them). */
  used: number[];
}

/** Matches of whole entries, and matches of the parts of each `a & b` entry, by entry. */
function sortMatches(matches: readonly Match[]): { single: Match[]; parts: Map<Conjunction, Match[]> } {
  const single: Match[] = [];
  const parts = new Map<Conjunction, Match[]>();
  for (const match of matches) {
    const rule = match.entry.conjunction?.rule;
    if (rule) parts.set(rule, [...(parts.get(rule) ?? []), match]);
    else single.push(match);
  }
  return { single, parts };
}

const maxMatchesPerPart = 16;

/**
 * The message words of one match of every part of an `a & b` entry, all within
 * `conjunctionWindow` words and not overlapping; undefined when some part is missing.
 */
function nearEachOther(rule: Conjunction, found: readonly Match[]): number[] | undefined {
  // A flood of one word ("son son son ...") would make the combinations explode: a few matches of a part are enough.
  const byPart = Array.from({ length: rule.parts }, (_, part) => found.filter((match) => match.entry.conjunction?.part === part).slice(0, maxMatchesPerPart));
  if (byPart.some((matches) => matches.length === 0)) return undefined;
  const choose = (part: number, chosen: Match[]): Match[] | undefined => {
    if (part === byPart.length) {
      const start = Math.min(...chosen.map((match) => match.start));
      const end = Math.max(...chosen.map((match) => match.end));
      const used = chosen.flatMap((match) => match.used);
      return end - start <= conjunctionWindow && new Set(used).size === used.length ? chosen : undefined;
    }
    for (const match of byPart[part]!) {
      const result = choose(part + 1, [...chosen, match]);
      if (result) return result;
    }
    return undefined;
  };
  return choose(0, [])?.flatMap((match) => match.used);
}

function findMatches(heard: Heard, length: number, byFirstWord: ReadonlyMap<number, CompiledEntry[]>): Match[] {
  const matches: Match[] = [];
  for (let start = 0; start < length; start += 1) {
    const tried = new Set<CompiledEntry>();
    for (const [id, spans] of heard[start]!) {
      for (const entry of byFirstWord.get(id) ?? []) {
        if (tried.has(entry)) continue;
        for (const span of spans) {
          const used = Array.from({ length: span }, (_, offset) => start + offset);
          const end = matchFrom(entry, 1, start + span, heard, length, used);
          if (end !== undefined) {
            matches.push({ entry, start, end, used });
            tried.add(entry);
            break;
          }
        }
      }
    }
  }
  return matches;
}

/**
 * Matches slots `slot...` from message position `at`; fills `used`; returns the end, or undefined.
 * `leftGap` is the gap of an optional slot left out, which the next slot inherits.
 */
function matchFrom(entry: CompiledEntry, slot: number, at: number, heard: Heard, length: number, used: number[], leftGap = 0): number | undefined {
  if (slot === entry.slots.length) return at;
  const { ids, optional, gapBefore } = entry.slots[slot]!;
  const gap = Math.max(gapBefore, leftGap);
  for (let position = at; position <= Math.min(at + gap, length - 1); position += 1) {
    const here = heard[position]!;
    for (const id of ids) {
      for (const span of here.get(id) ?? []) {
        const mark = used.length;
        for (let offset = 0; offset < span; offset += 1) used.push(position + offset);
        const end = matchFrom(entry, slot + 1, position + span, heard, length, used);
        if (end !== undefined) return end;
        used.length = mark;
      }
    }
  }
  return optional ? matchFrom(entry, slot + 1, at, heard, length, used, gap) : undefined;
}
