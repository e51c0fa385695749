import { describe, expect, it } from 'vitest';
import { runTurn } from '../../src/engine/engine.js';
import { recogniseIntent } from '../../src/engine/intents.js';
import { parseState } from '../../src/engine/types.js';
import { useTranscripts, type Step } from '../support/transcript.js';

const transcripts = useTranscripts('en');
const { play } = transcripts;

/** Consent given, two personal answers collected, then the person withdraws. */
const consentedWithAnswers: Step[] = [
  [{ type: 'start' }, ['Hello. I am Homeward', 'Which language']],
  ['English', ['Before we start', 'Do you agree that we keep your answers?']],
  ['yes', ['I will now ask some questions', 'We ask because', 'How old are you?']],
  ['18 to 59', ['in danger', 'Is anyone hurting you']],
  ['no', ['In which country are you now?']],
  ['Germany', ['an office near you', 'In which city or town do you live now?']],
];
const withdrawn: Step[] = [
  ...consentedWithAnswers,
  [
    'withdraw my consent',
    [
      'You have withdrawn your consent. From now on we do not keep what you write',
      'Do you want to delete everything you told us in this chat? This cannot be undone. [Yes] [No]',
    ],
  ],
];
const generalMenu = 'What would you like to know? Tap a topic.';

describe('withdrawing consent', () => {
  it('records the withdrawal, forgets the answers, and offers erasure', () => {
    const { state, events } = play(withdrawn);
    expect(events.filter((event) => event.type === 'consent')).toEqual([
      { type: 'consent', granted: true, noticeVersion: '2026-11-v1' },
      { type: 'consent', granted: false, noticeVersion: '2026-11-v1' },
    ]);
    expect(state.consent).toBe('withdrawn');
    expect(state.answers).toEqual({ consent: 'no' });
    expect(state.pending).toEqual({ kind: 'confirm_erase' });
    expect(events.map((event) => event.type)).not.toContain('erasure_requested');
  });

  it('declining erasure keeps the chat going on the no-consent path: general information, help, a counsellor', () => {
    const { state, events } = play([
      ...withdrawn,
      ['no', ['Nothing was deleted', 'We will not keep your answers', generalMenu]],
      [{ type: 'choice', value: 'voluntary_return' }, ['Voluntary return means', generalMenu]],
      ['help', ['You can answer with the buttons', generalMenu]],
      ['questions', ['Here are answers to common questions']],
      [{ type: 'choice', value: 'confidential' }, ['we keep your answers for up to 90 days', 'Here are answers to common questions']],
      ['Back to the questions', [generalMenu]],
      // Typing a personal detail where no question asks for one is not taken as an answer.
      ['I live in Berlin with my two children', ['Sorry, I did not understand', generalMenu]],
      ['talk to a person', ['I am asking a counsellor']],
    ]);
    expect(events).toContainEqual({ type: 'handoff_requested', reason: 'client_request' });
    expect(state.consent).toBe('withdrawn');
    const personal = ['ageBand', 'hostCountry', 'hostCity'];
    for (const name of personal) expect(state.answers, name).not.toHaveProperty(name);
    expect(JSON.stringify(state)).not.toContain('Berlin');
  });

  it('accepting erasure erases, as "delete my data" does', () => {
    const { events } = play([...withdrawn, ['yes', ['Your data has been deleted']]]);
    expect(events).toContainEqual({ type: 'erasure_requested' });
  });

  it('without consent there is nothing to withdraw: it says so, records nothing, and still offers erasure', () => {
    const { events, state } = play([
      ...withdrawn,
      ['no', ['Nothing was deleted', 'We will not keep your answers', generalMenu]],
      ['/withdraw', ['you have not given your consent, or you have withdrawn it', 'Do you want to delete everything']],
      ['no', ['Nothing was deleted', generalMenu]],
    ]);
    expect(events.filter((event) => event.type === 'consent')).toHaveLength(2);
    expect(state.consent).toBe('withdrawn');

    const beforeConsent = play([
      [{ type: 'start' }, ['Hello. I am Homeward', 'Which language']],
      [{ type: 'intent', intent: 'withdraw' }, ['you have not given your consent', 'Do you want to delete everything']],
      ['no', ['Nothing was deleted', 'Which language']],
    ]);
    expect(beforeConsent.events.filter((event) => event.type === 'consent')).toEqual([]);
    expect(beforeConsent.state.consent).toBe('unknown');
  });

  it('"start again" leads back to the consent question, and a new yes records consent again', () => {
    const { state, events } = play([
      ...withdrawn,
      ['no', ['Nothing was deleted', 'We will not keep your answers', generalMenu]],
      ['start again', ['We start again', 'Hello. I am Homeward', 'Which language']],
      ['English', ['Before we start', 'Do you agree that we keep your answers?']],
      ['yes', ['I will now ask some questions', 'We ask because', 'How old are you?']],
    ]);
    expect(events.filter((event) => event.type === 'consent').map((event) => event.type === 'consent' && event.granted)).toEqual([true, false, true]);
    expect(state.consent).toBe('given');
  });

  it('a withdrawal while a child answers uses the same flow path and drops the child wording with the answers', () => {
    const { state } = play([
      ...consentedWithAnswers.slice(0, 3),
      ['16 or 17', ['Hello', 'in danger', 'Is anyone hurting you or scaring you?']],
      [{ type: 'intent', intent: 'withdraw' }, ['You have withdrawn your consent', 'Do you want to delete everything']],
    ]);
    expect(state.answers).toEqual({ consent: 'no' });
  });

  it('the engine does not change the state it was given', () => {
    const { state } = play(consentedWithAnswers);
    const before = structuredClone(state);
    runTurn(transcripts.ctx, state, 'en', { type: 'intent', intent: 'withdraw' });
    expect(state).toEqual(before);
  });

  it('every shipped language’s withdraw phrases, and /withdraw, are heard as withdraw; "delete my data" stays erasure', () => {
    const { ctx, localisation } = transcripts;
    for (const { code } of ctx.locales) {
      const phrases = localisation.translatorFor(code)('system:intent.withdraw').split('|');
      expect(phrases.length, code).toBeGreaterThan(1);
      for (const phrase of [...phrases, '/withdraw']) expect(recogniseIntent(phrase, ctx.intentPhrases, code), `${code}: ${phrase}`).toBe('withdraw');
    }
    expect(recogniseIntent('delete my data', ctx.intentPhrases, 'en')).toBe('erase');
    expect(recogniseIntent('/forget', ctx.intentPhrases, 'en')).toBe('erase');
  });

  it('stored states from before "withdrawn" existed still parse, and so does a withdrawn one', () => {
    const stored = { v: 1, flow: 'intake', node: 'general_menu', awaiting: true, finished: false, answers: { consent: 'no' } };
    for (const consent of ['unknown', 'given', 'declined', 'withdrawn']) expect(parseState({ ...stored, consent }).status, consent).toBe('success');
    expect(parseState({ ...stored, consent: 'maybe' }).status).toBe('fail');
  });
});
