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
      return { messages: [{ key: 'eligibility:explain.intro' }, { key: 'eligibility:explain.none_here', params: { country: 'DE' } }], programmes: [] };
    });
    const { messages, events } = runTurn(ctx, startState(ctx), 'en', { type: 'start' });
    expect(seen).toEqual([{ audience: 'child', hostCountry: 'DE' }]);
    expect(messages).toEqual([
      { key: 'eligibility:explain.intro', params: { context: 'child' } },
      { key: 'eligibility:explain.none_here', params: { country: 'DE', context: 'child' } },
    ]);
    expect(events).toEqual([{ type: 'flow_finished', flow: 'explain' }]);
  });

  it('tells what it explained as one event: each programme with its outcome', () => {
    const ctx = contextWith(() => ({
      messages: [{ key: 'eligibility:explain.intro' }],
      programmes: [
        { programme: 'a', outcome: 'eligible', nameKey: 'eligibility:programme.a.name', detail: { key: 'a' } },
        { programme: 'b', outcome: 'not_eligible', nameKey: 'eligibility:programme.b.name', detail: { key: 'b' } },
      ],
    }));
    const { events } = runTurn(ctx, startState(ctx), 'en', { type: 'start' });
    expect(events[0]).toEqual({ type: 'eligibility_evaluated', outcomes: { a: 'eligible', b: 'not_eligible' } });
  });

  it('without a catalogue says that programme information is not available, and goes on', () => {
    const ctx: EngineContext = { ...shipped, flows: new Map([['explain', explainFlow]]), entryFlow: 'explain' };
    delete ctx.eligibility;
    const { messages, state } = runTurn(ctx, startState(ctx), 'en', { type: 'start' });
    expect(messages.map((message) => message.key)).toEqual(['system:eligibility_unavailable']);
    expect(state.finished).toBe(true);
  });
});

describe('a question with "more about" buttons (details: programmes)', () => {
  const offerFlow: Flow = flowSchema.parse({
    id: 'offer',
    start: 'where',
    nodes: {
      where: {
        type: 'set',
        values: {
          hostCountry: 'DE',
          legalStatus: 'asylum_rejected',
          nationality: 'AF',
          returnCountry: 'AF',
          hasDepartureDeadline: 'no',
          householdAdults: 1,
          householdMinors: 0,
          detained: 'no',
          priorReturnAssistance: 'no',
        },
        next: 'explain',
      },
      explain: { type: 'eligibility', next: 'offer' },
      offer: { type: 'ask', text: 'intake.offer_counsellor', answer: 'wantsCounsellor', input: { kind: 'yes_no' }, details: 'programmes', next: 'bye' },
      bye: { type: 'end' },
    },
  });
  const ctxFor = (): EngineContext => ({ ...shipped, flows: new Map([['offer', offerFlow]]), entryFlow: 'offer' });
  const t = (key: string, params?: Record<string, unknown>) => shipped.translatorFor('en')(key, params);

  it('offers one button per programme that fits or may fit, after yes and no', () => {
    const ctx = ctxFor();
    const { messages } = runTurn(ctx, startState(ctx), 'en', { type: 'start' });
    const offer = messages.at(-1);
    expect(offer?.choices?.map((choice) => choice.value)).toEqual(['yes', 'no', 'more:de-reag-garp', 'more:de-starthilfeplus', 'more:de-perspektive-heimat']);
    expect(offer?.choices?.slice(2).map((choice) => ('key' in choice.label ? t(choice.label.key, choice.label.params) : ''))).toEqual([
      'More about REAG/GARP',
      'More about StarthilfePlus',
      'More about Perspektive Heimat',
    ]);
  });

  it("a tap gives that programme's detail in one message and asks the question again, answer untouched", () => {
    const ctx = ctxFor();
    const first = runTurn(ctx, startState(ctx), 'en', { type: 'start' });
    const { messages, state } = runTurn(ctx, first.state, 'en', { type: 'choice', value: 'more:de-reag-garp', node: 'offer' });
    expect(messages).toHaveLength(2);
    const detail = t(messages[0]?.key ?? '', messages[0]?.params);
    expect(detail).toContain('REAG/GARP: this programme seems to fit your situation.');
    expect(detail).toContain('Information checked on');
    expect(detail).toContain('Only a counsellor can confirm');
    expect(detail.indexOf('How to apply')).toBeLessThan(detail.indexOf('Only a counsellor can confirm'));
    expect(messages[1]?.node).toBe('offer');
    expect(state.awaiting).toBe(true);
    expect(state.answers.wantsCounsellor).toBeUndefined();
  });

  it("hears the button's label typed, and still takes yes as the answer", () => {
    const ctx = ctxFor();
    const first = runTurn(ctx, startState(ctx), 'en', { type: 'start' });
    const typed = runTurn(ctx, first.state, 'en', { type: 'text', text: 'more about starthilfeplus' });
    expect(t(typed.messages[0]?.key ?? '', typed.messages[0]?.params)).toContain('StarthilfePlus: this programme seems to fit');
    const yes = runTurn(ctx, typed.state, 'en', { type: 'choice', value: 'yes', node: 'offer' });
    expect(yes.state.answers.wantsCounsellor).toBe('yes');
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
