import { beforeAll, describe, expect, it } from 'vitest';
import { choicesFor, parseAnswer } from '../../src/engine/answers/parse.js';
import { runTurn, startState } from '../../src/engine/engine.js';
import type { EngineContext, Translate } from '../../src/engine/types.js';
import { flowSchema, type Flow, type Input } from '../../src/flows/schema.js';
import { shippedEngine } from '../support/engine.js';

let shipped: EngineContext;
beforeAll(async () => ({ ctx: shipped } = await shippedEngine()));

const explainFlow: Flow = flowSchema.parse({
  id: 'explain',
  start: 'child',
  nodes: {
    child: { type: 'set', values: { audience: 'child', hostCountry: 'DE' }, next: 'explain' },
    explain: { type: 'eligibility', next: 'bye' },
    bye: { type: 'end' },
  },
});

const contextWith = (eligibility: NonNullable<EngineContext['eligibility']>): EngineContext => ({
  ...shipped,
  flows: new Map([['explain', explainFlow]]),
  entryFlow: 'explain',
  eligibility,
});

describe('the eligibility node', () => {
  it('says what the injected explanation returns, in order, with the audience as i18next context', () => {
    const seen: unknown[] = [];
    const ctx = contextWith((answers) => {
      seen.push(answers);
      return [{ key: 'eligibility:explain.intro' }, { key: 'eligibility:explain.none_here', params: { country: 'DE' } }];
    });
    const { messages, events } = runTurn(ctx, startState(ctx), 'en', { type: 'start' });
    expect(seen).toEqual([{ audience: 'child', hostCountry: 'DE' }]);
    expect(messages).toEqual([
      { key: 'eligibility:explain.intro', params: { context: 'child' } },
      { key: 'eligibility:explain.none_here', params: { country: 'DE', context: 'child' } },
    ]);
    expect(events).toEqual([{ type: 'flow_finished', flow: 'explain' }]);
  });

  it('without a catalogue says that programme information is not available, and goes on', () => {
    const ctx: EngineContext = { ...shipped, flows: new Map([['explain', explainFlow]]), entryFlow: 'explain' };
    delete ctx.eligibility;
    const { messages, state } = runTurn(ctx, startState(ctx), 'en', { type: 'start' });
    expect(messages.map((message) => message.key)).toEqual(['system:eligibility_unavailable']);
    expect(state.finished).toBe(true);
  });
});

describe('typed answers', () => {
  const t: Translate = (key) => (key === 'system:answer.unknown' ? "I don't know" : key === 'system:answer.prefer_not_to_say' ? 'I prefer not to say' : key);
  const parse = (input: Input, text: string) =>
    parseAnswer(input, { type: 'text', text }, { t, locale: 'en', locales: [], choices: choicesFor(input, { locales: [], namespace: 'bot', locale: 'en' }) });

  it.each([
    ['31.12.2026', '2026-12-31'],
    ['1/3/2027', '2027-03-01'],
    ['2027-03-01', '2027-03-01'],
    ['٣١.١٢.٢٠٢٦', '2026-12-31'],
    ['29.02.2028', '2028-02-29'],
  ])('reads the date %s', (text, iso) => {
    expect(parse({ kind: 'date', allow: ['unknown'] }, text)).toEqual({ status: 'success', value: iso });
  });

  it.each([['31.02.2027'], ['29.02.2027'], ['tomorrow'], ['12.2026']])('refuses %s as a date', (text) => {
    expect(parse({ kind: 'date' }, text)).toEqual({ status: 'fail', reason: { key: 'system:error.not_a_date' } });
  });

  it('takes a typed "1" as the number 1, not as the first extra button', () => {
    expect(parse({ kind: 'number', allow: ['unknown', 'prefer_not_to_say'] }, '1')).toEqual({ status: 'success', value: 1 });
    expect(parse({ kind: 'number', allow: ['unknown', 'prefer_not_to_say'] }, "I don't know")).toEqual({ status: 'success', value: 'unknown' });
    expect(parse({ kind: 'date', allow: ['unknown'] }, 'I don’t know')).toMatchObject({ status: 'success', value: 'unknown' });
  });
});
