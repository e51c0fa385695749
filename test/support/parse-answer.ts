import { choicesFor, parseAnswer } from '../../src/engine/answers/parse.js';
import type { EngineContext } from '../../src/engine/types.js';
import type { Input } from '../../src/flows/schema.js';

/**
 * What the engine makes of `typed` at a question of the shipped counselling flow in a `locale` chat:
 * the value it stores, or 'not understood'. For tables of typed answers (test/engine/typed-*.test.ts).
 *
 * @example
 * parsedAt(ctx, 'adults', 'en', 'we are 4'); // 4
 */
export function parsedAt(ctx: EngineContext, node: string, locale: string, typed: string): unknown {
  const flow = ctx.flows.get('counselling');
  const found = flow?.nodes[node];
  if (!flow || !found || !('input' in found) || !found.input) throw new Error(`no question ${node} in the counselling flow`);
  const input = found.input as Input;
  const choices = choicesFor(input, { locales: ctx.locales, namespace: flow.namespace, locale });
  const result = parseAnswer(input, { type: 'text', text: typed }, { t: ctx.translatorFor(locale), locale, choices, locales: ctx.locales });
  return result.status === 'success' ? result.value : 'not understood';
}
