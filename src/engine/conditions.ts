import type { Condition, Next } from '../flows/schema.js';
import type { AnswerValue, Answers } from './types.js';

const matches = (value: AnswerValue, expected: string | number | boolean): boolean =>
  Array.isArray(value) ? value.includes(String(expected)) : value === expected;

/** Evaluates a flow condition; an unanswered question satisfies only `answered: false`. */
export function holds(condition: Condition, answers: Answers): boolean {
  if ('all' in condition) return condition.all.every((inner) => holds(inner, answers));
  if ('any' in condition) return condition.any.some((inner) => holds(inner, answers));
  if ('not' in condition) return !holds(condition.not, answers);
  const value = answers[condition.answer];
  if ('answered' in condition) return (value !== undefined) === condition.answered;
  if (value === undefined) return false;
  if ('equals' in condition) return matches(value, condition.equals);
  if ('in' in condition) return condition.in.some((expected) => matches(value, expected));
  if (typeof value !== 'number') return false;
  return (condition.gte === undefined || value >= condition.gte) && (condition.lte === undefined || value <= condition.lte);
}

/** The node a `next` leads to, or undefined when no guarded step applies (the linter flags that). */
export function resolveNext(next: Next, answers: Answers): string | undefined {
  if (typeof next === 'string') return next;
  return next.find((step) => step.if === undefined || holds(step.if, answers))?.goto;
}

/** The answers a condition reads, for the linter. */
export function answersRead(condition: Condition): string[] {
  if ('all' in condition) return condition.all.flatMap(answersRead);
  if ('any' in condition) return condition.any.flatMap(answersRead);
  if ('not' in condition) return answersRead(condition.not);
  return [condition.answer];
}
