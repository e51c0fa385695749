import { beforeAll, expect } from 'vitest';
import { evaluate } from '../../src/eligibility/evaluate.js';
import { PROGRAMME_LINE_KEYS } from '../../src/eligibility/explain.js';
import { caseFromAnswers } from '../../src/eligibility/from-answers.js';
import type { Programme } from '../../src/eligibility/programme.js';
import { runTurn, startState } from '../../src/engine/engine.js';
import type { Answers, ConversationState, DomainEvent, EngineContext, InboundEvent, OutboundMessage } from '../../src/engine/types.js';
import type { Localisation } from '../../src/i18n/index.js';
import { render, shippedEngine, testToday } from './engine.js';

/**
 * One row of a transcript: what the person does, and what the bot answers, each line a substring,
 * in order. Rows marked 'among' list only some of the lines (still in order): the explanation is long.
 */
export type Step = [InboundEvent | string, string[]] | [InboundEvent | string, string[], 'among'];

export type Outcome = { programme: string; outcome: string };

/**
 * Transcript tests against the shipped flows and locales: `play` runs a table of steps through the
 * engine and checks each reply as a person would read it.
 */
export function useTranscripts(defaultLocale = 'en') {
  let ctx: EngineContext;
  let localisation: Localisation;
  let programmes: Programme[];
  beforeAll(async () => ({ ctx, localisation, programmes } = await shippedEngine()));

  /**
   * Plays the steps from a fresh conversation. A handoff counts as open from a `handoff_requested`
   * event until a `handoff_cancel_requested` one, as the turn processor's stored status would.
   */
  function play(steps: Step[], locale = defaultLocale) {
    let state: ConversationState = startState(ctx);
    let current = locale;
    let handoffOpen = false;
    const events: DomainEvent[] = [];
    const messages: OutboundMessage[] = [];
    for (const [input, expected, mode] of steps) {
      const event: InboundEvent = typeof input === 'string' ? { type: 'text', text: input } : input;
      const result = runTurn(ctx, state, current, event, { handoffOpen });
      if (result.events.some((domainEvent) => domainEvent.type === 'handoff_requested')) handoffOpen = true;
      if (result.events.some((domainEvent) => domainEvent.type === 'handoff_cancel_requested')) handoffOpen = false;
      ({ state, locale: current } = result);
      events.push(...result.events);
      messages.push(...result.messages);
      const lines = render(result.messages, localisation.translatorFor(current));
      const after = `after ${JSON.stringify(input)}:\n${lines.join('\n')}`;
      if (mode === 'among') {
        let from = 0;
        for (const fragment of expected) {
          const found = lines.findIndex((line, index) => index >= from && line.includes(fragment));
          expect(found, `"${fragment}" ${after}`).toBeGreaterThanOrEqual(0);
          from = found + 1;
        }
      } else {
        expect(lines, after).toHaveLength(expected.length);
        expected.forEach((fragment, index) => expect(lines[index], `line ${index} ${after}`).toContain(fragment));
      }
    }
    return { state, events, locale: current, messages };
  }

  /** The programmes the bot named in its summary, with the outcome it gave each. */
  function explainedOutcomes(messages: readonly OutboundMessage[]): Outcome[] {
    const named: readonly string[] = Object.values(PROGRAMME_LINE_KEYS);
    return messages
      .flatMap((message) => (Array.isArray(message.params?.lines) ? (message.params.lines as OutboundMessage[]) : []))
      .filter((line) => named.includes(line.key))
      .map((line) => ({ programme: String(line.params?.programme), outcome: String(line.params?.outcome) }))
      .sort((a, b) => a.programme.localeCompare(b.programme));
  }

  /** What the evaluator (and so `npm run -s eligibility`) says for the same answers, for the programmes of the host country. */
  function evaluatedOutcomes(answers: Answers): Outcome[] {
    const c = caseFromAnswers(answers);
    const hostOf = new Map(programmes.map((programme) => [programme.id, programme.hostCountry]));
    return evaluate(c, programmes, { today: testToday })
      .filter((result) => c.hostCountry === undefined || hostOf.get(result.programme) === c.hostCountry)
      .map(({ programme, outcome }) => ({ programme, outcome }))
      .sort((a, b) => a.programme.localeCompare(b.programme));
  }

  return {
    play,
    explainedOutcomes,
    evaluatedOutcomes,
    /** The shipped translator for a language, to read a message as the person does. */
    t: (locale: string) => localisation.translatorFor(locale),
    get ctx() {
      return ctx;
    },
    get localisation() {
      return localisation;
    },
    get programmes() {
      return programmes;
    },
  };
}
