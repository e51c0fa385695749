import { beforeAll, describe, expect, it } from 'vitest';
import { runTurn, startState } from '../../src/engine/engine.js';
import type { ConversationState, DomainEvent, EngineContext, InboundEvent } from '../../src/engine/types.js';
import type { Localisation } from '../../src/i18n/index.js';
import { render, shippedEngine } from '../support/engine.js';

/** One row of a transcript: what the person does, and what the bot answers (each line a substring, in order). */
type Step = [InboundEvent | string, string[]];

let ctx: EngineContext;
let localisation: Localisation;
beforeAll(async () => ({ ctx, localisation } = await shippedEngine()));

function play(steps: Step[], locale = 'en') {
  let state: ConversationState = startState(ctx);
  let current = locale;
  const events: DomainEvent[] = [];
  for (const [input, expected] of steps) {
    const event: InboundEvent = typeof input === 'string' ? { type: 'text', text: input } : input;
    const result = runTurn(ctx, state, current, event);
    ({ state, locale: current } = result);
    events.push(...result.events);
    const lines = render(result.messages, localisation.translatorFor(current));
    expect(lines, `after ${JSON.stringify(input)}`).toHaveLength(expected.length);
    expected.forEach((fragment, index) => expect(lines[index], `line ${index} after ${JSON.stringify(input)}`).toContain(fragment));
  }
  return { state, events, locale: current };
}

describe('intake transcript (English)', () => {
  it('walks from welcome to a handoff, keeping every answer', () => {
    const { state, events } = play([
      [{ type: 'start' }, ['Hello. I am Homeward', 'Which language do you want to use? [English] [العربية]']],
      ['English', ['Before we start', 'Do you agree that we keep your answers? [Yes] [No]']],
      ['yes', ['We ask because', 'How old are you? [Under 16] [16 or 17] [18 to 59] [60 or older] [I prefer not to say]']],
      ['3', ['In which country are you now? [Germany] [Netherlands] [Belgium] [France] [Austria]']],
      ['germany', ['To which country would you maybe go back?']],
      ['Afghanistan', ['How many adults']],
      ['two', ['Please write a number', 'How many adults']],
      ['25', ['from 1 to 20', 'How many adults']],
      ['2', ['What help would be important']],
      [{ type: 'choice', value: 'travel' }, ['1 chosen', 'What help']],
      [{ type: 'choice', value: 'business' }, ['2 chosen', 'What help']],
      [{ type: 'choice', value: '__done' }, ['You are in Germany and think about Afghanistan', 'Do you want to talk to a counsellor?']],
      ['Yes', ['I am asking a counsellor to join']],
    ]);
    expect(state.answers).toEqual({
      language: 'en',
      consent: 'yes',
      ageBand: '18-59',
      hostCountry: 'DE',
      returnCountry: 'AF',
      householdAdults: 2,
      wishes: ['travel', 'business'],
      wantsCounsellor: 'yes',
    });
    expect(state.consent).toBe('given');
    expect(events).toContainEqual({ type: 'consent', granted: true, noticeVersion: '2026-11-v1' });
    expect(events).toContainEqual({ type: 'handoff_requested', reason: 'intake_completed' });
  });

  it('accepts "I don\'t know" and "prefer not to say" and numbers typed for choices', () => {
    const { state } = play([
      [{ type: 'start' }, ['Hello', 'Which language']],
      ['1', ['Before we start', 'Do you agree']],
      ['Yes', ['We ask because', 'How old are you?']],
      ['I prefer not to say', ['In which country are you now?']],
      ['NL', ['To which country']],
      ["I don't know", ['How many adults']],
      ['1', ['What help']],
      ['1, 3 7', ['You are in Netherlands', 'talk to a counsellor']],
    ]);
    expect(state.answers).toMatchObject({ ageBand: 'prefer_not_to_say', hostCountry: 'NL', returnCountry: 'unknown', wishes: ['travel', 'housing', 'family_tracing'] });
  });

  it('without consent offers only general information and stores no consent', () => {
    const { state, events } = play([
      [{ type: 'start' }, ['Hello', 'Which language']],
      ['English', ['Before we start', 'Do you agree']],
      ['No', ['We will not keep your answers', 'Do you want to talk to a counsellor?']],
      ['no', ['Thank you for your time']],
      ['hello?', ['[Talk to a person] [Start again]']],
    ]);
    expect(state.consent).toBe('declined');
    expect(events).toContainEqual({ type: 'consent', granted: false, noticeVersion: '2026-11-v1' });
  });

  it('speaks simply to a minor from the age question on', () => {
    play([
      [{ type: 'start' }, ['Hello', 'Which language']],
      ['English', ['Before we start', 'Do you agree']],
      ['yes', ['We ask because', 'How old are you?']],
      ['16 or 17', ['a person who helps young people', 'In which country are you now?']],
      ['FR', ['To which country']],
      ['SN', ['How many grown-ups would travel with you?']],
    ]);
  });
});

describe('global intents', () => {
  const toAge: Step[] = [
    [{ type: 'start' }, ['Hello', 'Which language']],
    ['English', ['Before we start', 'Do you agree']],
    ['yes', ['We ask because', 'How old are you?']],
  ];

  it('help explains and repeats the question', () => {
    play([...toAge, ['help', ['You can answer with the buttons', 'How old are you?']]]);
  });

  it('changing language repeats the current question in the new language and keeps the answers', () => {
    const { state, locale } = play([
      ...toAge,
      ['language', ['Which language do you want to use? [English] [العربية]']],
      [{ type: 'choice', value: 'ar' }, ['كم عمرك؟ [أقل من 16]']],
    ]);
    expect(locale).toBe('ar');
    expect(state.answers.consent).toBe('yes');
  });

  it('"talk to a person" in any shipped language asks for a counsellor from any node', () => {
    const { events } = play([...toAge, ['أريد التحدث مع شخص', ['I am asking a counsellor']]]);
    expect(events).toContainEqual({ type: 'handoff_requested', reason: 'client_request' });
  });

  it('restart clears the answers and starts again', () => {
    const { state } = play([...toAge, ['/restart', ['We start again', 'Hello', 'Which language']]]);
    expect(state.answers).toEqual({});
  });

  it('erasing asks for confirmation first, and "no" changes nothing', () => {
    const { events, state } = play([
      ...toAge,
      ['delete my data', ['Do you want to delete everything']],
      ['no', ['Nothing was deleted', 'How old are you?']],
    ]);
    expect(events.map((event) => event.type)).not.toContain('erasure_requested');
    expect(state.answers.consent).toBe('yes');
  });

  it('erasing after "yes" emits the erasure event and resets the state', () => {
    const { events, state } = play([...toAge, ['/forget', ['Do you want to delete everything']], ['yes', ['Your data has been deleted']]]);
    expect(events).toContainEqual({ type: 'erasure_requested' });
    expect(state.answers).toEqual({});
  });

  it('a tap on an earlier question\'s button is answered politely and the current question repeated', () => {
    play([...toAge, [{ type: 'choice', value: 'yes', node: 'consent' }, ['belongs to an earlier question', 'How old are you?']]]);
  });

  it('coming back later continues where the person left off', () => {
    play([...toAge, [{ type: 'start' }, ['Welcome back', 'How old are you?']]]);
  });
});

describe('Arabic transcript', () => {
  it('matches typed Arabic answers, Arabic-Indic digits and country names', () => {
    const { state } = play(
      [
        [{ type: 'start' }, ['مرحبًا', 'ما اللغة']],
        ['العربية', ['قبل أن نبدأ', 'هل توافق']],
        ['نعم', ['نسأل لأن', 'كم عمرك؟']],
        ['١٨ إلى ٥٩', ['في أي بلد أنت الآن؟']],
        ['ألمانيا', ['إلى أي بلد قد تعود؟']],
        ['سوريا', ['كم عدد البالغين']],
        ['٣', ['ما المساعدة المهمة لك؟']],
        [{ type: 'choice', value: 'travel' }, ['اخترت شيئًا واحدًا', 'ما المساعدة']],
        [{ type: 'choice', value: 'medical' }, ['اخترت شيئين', 'ما المساعدة']],
        [{ type: 'choice', value: '__done' }, ['أنت الآن في ألمانيا وتفكر في سوريا', 'هل تريد التحدث مع مستشار؟']],
      ],
      'ar',
    );
    expect(state.answers).toMatchObject({ ageBand: '18-59', hostCountry: 'DE', returnCountry: 'SY', householdAdults: 3, wishes: ['travel', 'medical'] });
  });
});

describe('purity', () => {
  it('never modifies the state it is given', () => {
    const state = startState(ctx);
    const frozen = structuredClone(state);
    runTurn(ctx, state, 'en', { type: 'start' });
    expect(state).toEqual(frozen);
  });
});
