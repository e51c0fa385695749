// Numbers as people type them when asked "how many?" or "how old?": digits of any script, or a
// word of their language ("two", "dos", "دو"), alone or with a word or two around it ("we are 4").
import { normalise } from '../../text/normalise.js';
import type { Translate } from '../types.js';

/** The locale key: the words for 0, 1, 2... separated by `|`, each number's other forms by `/`. */
export const numberWordsKey = 'system:answer.number_words';

/** Words beside a number that still just give it ("I am 34", "34 years old"); "I have 3 children" is something else. */
export const maxWordsBesideNumber = 2;

const wordIndexes = new WeakMap<Translate, ReadonlyMap<string, number>>();

/** Folded word (or words: "no one") -> its number, from the chat language's `number_words`; built once per translator. */
function numberWords(t: Translate): ReadonlyMap<string, number> {
  let index = wordIndexes.get(t);
  if (!index) {
    const built = new Map<string, number>();
    t(numberWordsKey)
      .split('|')
      .forEach((forms, value) => {
        for (const form of forms.split('/')) {
          const word = normalise(form);
          if (word && !built.has(word)) built.set(word, value);
        }
      });
    index = built;
    wordIndexes.set(t, index);
  }
  return index;
}

/**
 * The one number a short text gives, or undefined: none, several different ones, or a sentence
 * around it ("I have 3 children and 2 are at school" is not an answer to "how old are you?").
 *
 * @example
 * numberInShortText('we are two', t); // 2 (English chat)
 * numberInShortText('۳', t);          // 3
 * numberInShortText('i have 3 kids and 2 dogs', t); // undefined
 */
export function numberInShortText(raw: string, t: Translate): number | undefined {
  const words = normalise(raw).split(' ').filter(Boolean);
  if (words.length === 0) return undefined;
  const spans: Span[] = words.flatMap((word, at) => (/^\d+$/.test(word) ? [{ at, length: 1, value: Number(word) }] : []));
  for (const [phrase, value] of numberWords(t)) {
    const parts = phrase.split(' ');
    for (let at = 0; at + parts.length <= words.length; at++) {
      if (parts.every((part, offset) => words[at + offset] === part)) spans.push({ at, length: parts.length, value });
    }
  }
  // A form inside a longer one ("one" in "no one") belongs to the longer one.
  const numbers = spans.filter(
    (span) => !spans.some((other) => other !== span && other.length > span.length && other.at <= span.at && span.at + span.length <= other.at + other.length),
  );
  const values = new Set(numbers.map((span) => span.value));
  if (values.size !== 1) return undefined;
  const used = Math.max(...numbers.map((span) => span.length));
  return words.length - used <= maxWordsBesideNumber ? numbers[0]?.value : undefined;
}

interface Span {
  at: number;
  length: number;
  value: number;
}
