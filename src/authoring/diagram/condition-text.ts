import type { Condition } from '../../flows/schema.js';
import type { DiagramWords } from './words.js';

/**
 * A condition as a reader says it: `{ answer: country, equals: AF }` becomes "country = AF",
 * nested `all`/`any` are joined with "and"/"or" and bracketed where they nest.
 */
export function conditionText(condition: Condition, words: DiagramWords): string {
  return describe(condition, words, false);
}

function describe(condition: Condition, words: DiagramWords, nested: boolean): string {
  if ('all' in condition || 'any' in condition) {
    const [parts, joiner] = 'all' in condition ? [condition.all, words('and')] : [condition.any, words('or')];
    if (parts.length === 1 && parts[0]) return describe(parts[0], words, nested);
    const joined = parts.map((part) => describe(part, words, true)).join(` ${joiner} `);
    return nested ? `(${joined})` : joined;
  }
  if ('not' in condition) return words('not', { condition: describe(condition.not, words, false) });
  const answer = condition.answer;
  if ('equals' in condition) return words('equals', { answer, value: String(condition.equals) });
  if ('in' in condition) return words('in', { answer, values: condition.in.map(String).join(', ') });
  if ('answered' in condition) return words(condition.answered ? 'answered' : 'not_answered', { answer });
  if (condition.gte !== undefined && condition.lte !== undefined) return words('between', { answer, min: condition.gte, max: condition.lte });
  if (condition.gte !== undefined) return words('at_least', { answer, min: condition.gte });
  if (condition.lte !== undefined) return words('at_most', { answer, max: condition.lte });
  // `{ answer }` with neither bound holds for any number: the schema allows it, so say so plainly.
  return words('answered', { answer });
}
