import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { main as eligibilityCli } from '../../src/eligibility/cli.js';
import { caseFromAnswers } from '../../src/eligibility/from-answers.js';
import { runTurn, startState } from '../../src/engine/engine.js';
import { recogniseIntent } from '../../src/engine/intents.js';
import { captureCli, succeeds } from '../support/cli.js';
import { useTranscripts, type Step } from '../support/transcript.js';

const transcripts = useTranscripts('en');
const { play, explainedOutcomes, evaluatedOutcomes } = transcripts;

const welcome: Step[] = [
  [{ type: 'start' }, ['Hello. I am Homeward', 'Which language do you want to use? [English] [አማርኛ] [العربية]']],
  ['English', ['Before we start, about your data', 'Do you agree that we keep your answers? [Yes] [No]']],
];
const toAge: Step[] = [
  ...welcome,
  ['yes', ['I will now ask some questions', 'We ask because', 'How old are you? [Under 16] [16 or 17] [18 to 59] [60 or older] [I prefer not to say]']],
];

/** An Afghan family of four in Germany, asylum refused: both German programmes fit. */
const familyInGermany: Step[] = [
  ...toAge,
  ['3', ['if you are in danger', 'Is anyone hurting you, threatening you']],
  ['no', ["In which country are you now? [Germany] [Netherlands] [Belgium] [France] [Austria] [I don't know] [I prefer not to say]"]],
  ['germany', ['an office near you', 'In which city or town do you live now? [I prefer not to say]']],
  ['Berlin', ['only for people from certain countries', 'Which country are you a citizen of?']],
  ['Afghanistan', ['To which country would you maybe go back?']],
  [
    'Afghanistan',
    [
      'depends on your situation',
      'What is your situation in this country now? [I applied for asylum and wait for the decision] [My asylum application was refused]',
    ],
  ],
  ['My asylum application was refused', ['only possible before that date', 'Have you been given a date by which you must leave the country?']],
  ['yes', ['What is the date?']],
  ['31.02.2027', ['Please write the date like this', 'What is the date?']],
  ['15.01.2027', ['How many adults']],
  ['lots', ['Please write a number', 'How many adults']],
  ['25', ['from 1 to 20', 'How many adults']],
  ['2', ['How many children under 18 would travel with you?']],
  ['2', ['different for younger children', 'How old are the children?']],
  ['4, 9', ['extra care', 'Does any of this apply to you']],
  [{ type: 'choice', value: 'medical_needs' }, ['1 chosen', 'Does any of this apply']],
  [{ type: 'choice', value: '__done' }, ['help only once', 'Have you ever received help from a programme']],
  ['no', ['cannot help people while they are in detention', 'Are you in detention or in prison now?']],
  [
    'no',
    [
      'Whether you return is your decision alone. Nobody may pressure you into it: not an office, not your family, not anyone else. Is someone pressuring you to return? [Yes] [No] [I prefer not to say]',
    ],
  ],
  ['no', ['What help would be important for you?']],
  [{ type: 'choice', value: 'travel' }, ['1 chosen', 'What help']],
  [{ type: 'choice', value: 'business' }, ['2 chosen', 'What help']],
  [
    { type: 'choice', value: '__done' },
    [
      'what makes you think about returning, and what worries you? Write it in your own words. Only the counsellors of this service will read it. [I prefer not to say]',
    ],
  ],
  [
    'my mother is old and lives alone in Kabul, and I do not know if I can find work there',
    // Short (issue 16): a summary, what to know before deciding, the offer with a "more about" button per programme; no amount yet.
    [
      'Here is what I found from your answers. This is general information, not a decision.',
      'Before you decide anything:',
      'Do you want to talk to a counsellor? [Yes, I want to talk to a person] [No, not now] [More about REAG/GARP] [More about StarthilfePlus] [More about Perspektive Heimat]',
    ],
  ],
];

/** The summary and what to know before deciding, as the family reads them, and each programme's detail on demand. */
const familyExplanation = {
  summary: [
    'REAG/GARP, help from the German government with the journey home and a new start: this seems to fit your situation.',
    'StarthilfePlus, extra money from the German government to start again, given together with REAG/GARP: this seems to fit your situation.',
    'Perspektive Heimat, advice and training from the German development agency in your country of return',
    'I also know 4 programmes in other countries.',
  ],
  beforeDeciding: [
    'You can get free advice that does not depend on any return programme',
    'In Germany: the independent asylum procedure counselling',
    'What happens next',
  ],
  reagGarp: [
    'REAG/GARP: this programme seems to fit your situation.',
    'Run by Bundesamt für Migration und Flüchtlinge (BAMF). Information checked on',
    'For your household, this could be up to 5,600 euros in total, to be confirmed by a counsellor.',
    'help with the journey: up to 600 euros',
    'medical care: up to 2,000 euros',
    'money to start again: up to 3,000 euros',
    'How to apply: You cannot apply on your own.',
    'This is not a promise.',
  ],
  starthilfePlus: [
    'StarthilfePlus: this programme seems to fit your situation.',
    'before the date by which you were told to leave',
    'We only show amounts we could check',
    'money to start again: a counsellor will tell you how much',
    'This is not a promise.',
    'example data for testing',
  ],
};

/** Each fragment in order inside one text. */
function expectInOrder(text: string, fragments: string[]): void {
  let from = 0;
  for (const fragment of fragments) {
    const found = text.indexOf(fragment, from);
    expect(found, `"${fragment}" in:\n${text}`).toBeGreaterThanOrEqual(0);
    from = found + fragment.length;
  }
}

/** Someone in the Netherlands who skips almost everything. */
const unknownsInNetherlands: Step[] = [
  [{ type: 'start' }, ['Hello', 'Which language']],
  ['1', ['Before we start', 'Do you agree']],
  ['Yes', ['I will now ask', 'We ask because', 'How old are you?']],
  ['I prefer not to say', ['in danger', 'Is anyone hurting you']],
  ['I prefer not to say', ['In which country are you now?']],
  ['NL', ['office near you', 'In which city']],
  ['I prefer not to say', ['certain countries', 'Which country are you a citizen of?']],
  ['I prefer not to say', ['To which country']],
  ["I don't know", ['depends on your situation', 'What is your situation']],
  ["I don't know", ['before that date', 'Have you been given a date']],
  ["I don't know", ['How many adults']],
  ['I prefer not to say', ['How many children under 18']],
  ['I prefer not to say', ['extra care', 'Does any of this apply']],
  ['I prefer not to say', ['only once', 'Have you ever received help']],
  ["I don't know", ['in detention', 'Are you in detention']],
  ['I prefer not to say', ['Is someone pressuring you to return?']],
  ['I prefer not to say', ['What help would be important']],
  ['1, 3 7', ['what worries you?']],
  [
    'I prefer not to say',
    [
      'Return and reintegration support (Netherlands), help with the journey and with starting again, for people who live in the Netherlands: this may fit. A counsellor needs a few more answers to know.',
      'In the Netherlands: VluchtelingenWerk Nederland, and Het Juridisch Loket',
      'Do you want to talk to a counsellor? [Yes, I want to talk to a person] [No, not now] [More about Return and reintegration support (Netherlands)]',
    ],
  ],
  [
    'More about Return and reintegration support (Netherlands)',
    [
      'To know more, a counsellor would need to know your nationality, your situation in this country, for example your asylum application and whether you received help to return before.',
      'Do you want to talk to a counsellor?',
    ],
  ],
];

describe('counselling transcript (English)', () => {
  it('walks a family from welcome through the explanation to a handoff, keeping every answer', () => {
    const { state, events, messages } = play([
      ...familyInGermany,
      [
        { type: 'choice', value: 'more:de-reag-garp', node: 'offer' },
        ['up to 5,600 euros', 'Do you want to talk to a counsellor? [Yes, I want to talk to a person] [No, not now] [More about REAG/GARP]'],
      ],
      ['more about starthilfeplus', ['a counsellor will tell you how much', 'Do you want to talk to a counsellor?']],
      ['Yes', ['I am asking a counsellor to join']],
    ]);
    const read = (key: string) => messages.filter((message) => message.key === key).map((message) => transcripts.t('en')(message.key, message.params));
    expectInOrder(read('eligibility:explain.summary')[0] ?? '', familyExplanation.summary);
    expectInOrder(read('eligibility:explain.before_deciding')[0] ?? '', familyExplanation.beforeDeciding);
    const [reagGarp, starthilfePlus] = read('eligibility:explain.detail');
    expectInOrder(reagGarp ?? '', familyExplanation.reagGarp);
    expectInOrder(starthilfePlus ?? '', familyExplanation.starthilfePlus);
    // Balanced before money: no amount before the person asks for a programme's detail.
    const firstAmount = messages.findIndex((message) => /euros/.test(transcripts.t('en')(message.key, message.params)));
    expect(messages[firstAmount]?.key).toBe('eligibility:explain.detail');
    expect(state.answers).toEqual({
      language: 'en',
      consent: 'yes',
      ageBand: '18-59',
      hostCountry: 'DE',
      hostCity: 'Berlin',
      nationality: 'AF',
      returnCountry: 'AF',
      legalStatus: 'asylum_rejected',
      hasDepartureDeadline: 'yes',
      departureDeadline: '2027-01-15',
      householdAdults: 2,
      householdMinors: 2,
      minorAges: '4, 9',
      safetyConcern: 'no',
      vulnerabilities: ['medical_needs'],
      priorReturnAssistance: 'no',
      detained: 'no',
      pressured: 'no',
      wishes: ['travel', 'business'],
      inTheirWords: 'my mother is old and lives alone in Kabul, and I do not know if I can find work there',
      wantsCounsellor: 'yes',
    });
    expect(caseFromAnswers(state.answers)).toMatchObject({
      household: { adults: 2, minors: 2, minorAges: [4, 9] },
      vulnerabilities: ['family_with_children', 'medical_needs'],
      departureDeadline: '2027-01-15',
    });
    expect(state.consent).toBe('given');
    expect(events).toContainEqual({ type: 'consent', granted: true, noticeVersion: '2026-11-v1' });
    expect(events).toContainEqual({ type: 'handoff_requested', reason: 'intake_completed' });
    expect(explainedOutcomes(messages)).toEqual([
      { programme: 'de-perspektive-heimat', outcome: 'eligible' },
      { programme: 'de-reag-garp', outcome: 'eligible' },
      { programme: 'de-starthilfeplus', outcome: 'eligible' },
    ]);
    expect(explainedOutcomes(messages)).toEqual(evaluatedOutcomes(state.answers));
  });

  it('hears a person pressured to return: a counsellor is asked at once, the questions go on (free will)', () => {
    const atFreeWill = familyInGermany.findIndex(([, expected]) => expected.some((line) => line.includes('Is someone pressuring you to return?')));
    const { events } = play([
      ...familyInGermany.slice(0, atFreeWill + 1),
      ['yes', ['Thank you for telling me. A return must be your own free choice. I am asking a counsellor', 'What help would be important for you?']],
    ]);
    expect(events).toContainEqual({ type: 'handoff_requested', reason: 'pressure' });
  });

  it('accepts "I don\'t know" and "prefer not to say" everywhere and says what is missing', () => {
    const { state, messages } = play(unknownsInNetherlands);
    expect(state.answers).toMatchObject({
      ageBand: 'prefer_not_to_say',
      hostCountry: 'NL',
      hostCity: 'prefer_not_to_say',
      nationality: 'prefer_not_to_say',
      returnCountry: 'unknown',
      legalStatus: 'unknown',
      hasDepartureDeadline: 'unknown',
      vulnerabilities: 'prefer_not_to_say',
      wishes: ['travel', 'housing', 'family_tracing'],
    });
    expect(caseFromAnswers(state.answers)).toEqual({
      hostCountry: 'NL',
      nationality: 'prefer_not_to_say',
      returnCountry: 'unknown',
      ageBand: 'prefer_not_to_say',
      legalStatus: 'unknown',
      departureDeadline: 'unknown',
      vulnerabilities: ['prefer_not_to_say'],
      priorReturnAssistance: 'unknown',
      detained: 'prefer_not_to_say',
      wishes: ['travel', 'housing', 'family_tracing'],
    });
    expect(explainedOutcomes(messages)).toEqual([{ programme: 'nl-return-support', outcome: 'possibly_eligible' }]);
    expect(explainedOutcomes(messages)).toEqual(evaluatedOutcomes(state.answers));
  });

  it('explains why a programme does not fit, with country names, and never leaves the person without a next step', () => {
    const { messages, state } = play([
      ...toAge,
      ['60 or older', ['in danger', 'Is anyone hurting you']],
      ['no', ['In which country']],
      ['France', ['office near you', 'In which city']],
      ['Lyon', ['certain countries', 'citizen of']],
      ['Albania', ['To which country']],
      ['Albania', ['depends on your situation', 'What is your situation']],
      ['I have a permit for a limited time', ['before that date', 'date by which you must leave']],
      ['no', ['How many adults']],
      ['1', ['How many children']],
      ['0', ['extra care', 'Does any of this apply']],
      // "None of these" finishes the question at once.
      ['None of these', ['only once', 'received help']],
      ['yes', ['in detention', 'Are you in detention']],
      ['no', ['Is someone pressuring you to return?']],
      ['no', ['What help']],
      ["I don't know", ['what worries you?']],
      [
        'I am old and I miss my sister, but I am afraid I will be alone there',
        [
          // Nothing fits: one message says why, who can find out what exists in Albania, and what next; no "before you decide".
          'Return aid (France), help from the French state with the journey and with starting again: this does not seem to fit, because:',
          'Do you want to talk to a counsellor? [Yes, I want to talk to a person] [No, not now]',
        ],
      ],
    ]);
    const [summary] = messages
      .filter((message) => message.key === 'eligibility:explain.summary')
      .map((message) => transcripts.t('en')(message.key, message.params));
    expectInOrder(summary ?? '', [
      'It is for people without a permit to stay (also with an order to leave France), and for people whose asylum claim was refused or who do not want to continue it.',
      'People who already received help to return before cannot get this help again.',
      'This does not mean that there is no help for you.',
      'What help you would find in Albania after you arrive: a counsellor can find out for you.',
      'What happens next',
    ]);
    expect(caseFromAnswers(state.answers).vulnerabilities).toEqual(['elderly']);
    expect(explainedOutcomes(messages)).toEqual([{ programme: 'fr-return-aid', outcome: 'not_eligible' }]);
    expect(explainedOutcomes(messages)).toEqual(evaluatedOutcomes(state.answers));
  });

  it('without consent offers only general information and a counsellor, and asks nothing about the person', () => {
    const { state, events } = play([
      ...welcome,
      [
        'No',
        [
          'We will not keep your answers',
          'Tap a topic. You can also talk to a counsellor. [What is voluntary return?] [What happens to my asylum case?] [Is this confidential?] [Can I change my mind?] [What is reintegration support?] [Who runs this service?] [Talk to a counsellor] [Finish]',
        ],
      ],
      ['What is voluntary return?', ['Voluntary return means that you decide yourself', 'What would you like to know?']],
      ['4', ['You can stop at any time', 'What would you like to know?']],
      ['Finish', ['Thank you for your time']],
      ['hello?', ['[Talk to a person] [Start again]']],
    ]);
    expect(state.consent).toBe('declined');
    expect(Object.keys(state.answers).sort()).toEqual(['consent', 'infoTopic', 'language']);
    expect(events).toContainEqual({ type: 'consent', granted: false, noticeVersion: '2026-11-v1' });
  });

  it('after the end of a flow the FAQ still answers and returns to its menu, and a person is one tap away', () => {
    const { events } = play([
      ...welcome,
      ['No', ['We will not keep', 'What would you like to know?']],
      ['Finish', ['Thank you for your time']],
      ['/faq', ['Here are answers']],
      ['Who runs this service?', ['offered by the organisation', 'Here are answers']],
      ['Back to the questions', ['[Talk to a person] [Start again]']],
      ['Talk to a person', ['I am asking a counsellor']],
    ]);
    expect(events).toContainEqual({ type: 'handoff_requested', reason: 'client_request' });
  });

  it('without consent a counsellor is one tap away', () => {
    const { events } = play([...welcome, ['No', ['We will not keep', 'What would you like to know?']], ['Talk to a counsellor', ['I am asking a counsellor']]]);
    expect(events).toContainEqual({ type: 'handoff_requested', reason: 'client_request' });
  });
});

describe('a minor', () => {
  it('gets simple words from the age question on and a counsellor at once if they want', () => {
    const { events, state } = play([
      ...toAge,
      // The welcome written for children, then "are you safe now" right after age, in simple words.
      ['16 or 17', ['Hello. I am Homeward, a chat helper', 'in danger', 'Is anyone hurting you or scaring you?']],
      ['no', ['Because you are under 18, a person who helps young people can talk with you. Do you want to talk to this person now? [Yes] [No]']],
      ['yes', ['I am asking a person who helps young people', 'make sure you are safe', 'Are you here without your parents']],
      ['no', ['In which country are you now?']],
      ['FR', ['office near you', 'In which city or town are you now?']],
      ['I prefer not to say', ['certain countries', 'Which country are you from?']],
      ['Senegal', ['To which country']],
      ['SN', ['depends on your situation', 'What is your situation here? If you are not sure']],
      ['2', ['before that date', 'Did someone tell you a date']],
      ['no', ['How many grown-ups from your family would travel with you?']],
      ['1', ['How many children would travel, you included?']],
      ['0', ['from 1 to 20', 'How many children would travel']],
      ['3', ['extra care', 'Does any of this fit you?']],
      ['I prefer not to say', ['only once', 'Did a programme ever help you go back']],
      ['no', ['in detention', 'Are you locked up now']],
      ['no', ['Nobody may push you or scare you into going back. Is someone pushing you to go back?']],
      ['no', ['What help would be good for you?']],
      ['1', ['1 chosen', 'What help would be good for you?']],
      ['Done', ['Only if you want: what makes you think about going back']],
      [
        'I prefer not to say',
        [
          'Here is what I found. This is only information.',
          'a person who helps children can talk with you',
          'Do you want to talk to a person who can help you? [Yes, I want to talk to a person] [No, not now] [More about Return aid (France)]',
        ],
      ],
    ]);
    expect(state.answers).toMatchObject({
      ageBand: '16-17',
      audience: 'child',
      wantsCounsellorNow: 'yes',
      unaccompaniedMinor: 'no',
      householdAdults: 1,
      householdMinors: 3,
    });
    expect(events).toContainEqual({ type: 'handoff_requested', reason: 'minor' });
    expect(events.map((event) => event.type === 'handoff_requested' && event.reason)).not.toContain('unaccompanied_minor');
  });

  it('travelling alone becomes a priority case: a counsellor and a guardian help, no amounts, no asylum advice, only what a counsellor needs first', () => {
    const { events, state, messages } = play([
      ...toAge,
      ['Under 16', ['Hello. I am Homeward, a chat helper', 'in danger', 'Is anyone hurting you or scaring you?']],
      ['no', ['Do you want to talk to this person now?']],
      ['no', ['make sure you are safe', 'Are you here without your parents or another grown-up from your family?']],
      ['yes', ['You are not in trouble. I am asking a person who helps children', 'In which country are you now?']],
      ['Germany', ['your guardian', 'In which city or town are you now?']],
      ['Hamburg', ['Which country are you from?']],
      ['Syria', ['A counsellor will help you, together with your guardian or legal representative. You do not have to decide anything alone.']],
    ]);
    expect(events).toContainEqual({ type: 'handoff_requested', reason: 'unaccompanied_minor' });
    expect(state.finished).toBe(true);
    // No amounts, no programme, nothing about withdrawing an asylum application.
    expect(messages.filter((message) => message.key.startsWith('eligibility:'))).toEqual([]);
    expect(Object.keys(state.answers)).not.toContain('legalStatus');
    expect(caseFromAnswers(state.answers)).toMatchObject({
      ageBand: '0-15',
      hostCountry: 'DE',
      hostCity: 'Hamburg',
      nationality: 'SY',
      household: { adults: 0, minors: 1, unaccompaniedMinor: true },
    });
  });
});

describe('safety', () => {
  it('a "yes" to the safety question gives the emergency number and asks for a person at once', () => {
    const { events } = play([
      ...toAge,
      ['18 to 59', ['in danger', 'Is anyone hurting you']],
      // The questions stop: the last message carries the only button, and nothing is asked behind it.
      [
        'yes',
        ['You do not have to answer more questions now. If and when you want to go on, tap the button. Only if you choose to. [Continue with the questions]'],
      ],
      ['something happened at the camp', ['Thank you for telling me. A counsellor will read', '[Continue with the questions]']],
      ['Continue with the questions', ['In which country are you now? [Germany]']],
      ['AT', ['office near you', 'In which city']],
    ]);
    expect(events.filter((event) => event.type === 'handoff_requested')).toEqual([{ type: 'handoff_requested', reason: 'safety_concern' }]);
  });

  it('the "I am in danger" command and button stop the questions at any point and ask for a person at once', () => {
    const { events } = play([
      ...toAge,
      [
        '/emergency',
        ['You do not have to answer more questions now. If and when you want to go on, tap the button. Only if you choose to. [Continue with the questions]'],
      ],
      [{ type: 'choice', value: 'intent:safety' }, ['[Continue with the questions]']],
      ['Continue with the questions', ['How old are you?']],
    ]);
    expect(events.filter((event) => event.type === 'handoff_requested')).toEqual([
      { type: 'handoff_requested', reason: 'safety_concern' },
      { type: 'handoff_requested', reason: 'safety_concern' },
    ]);
  });

  // From the host country to the number of children: the steps before the vulnerability question.
  const fromCountryToChildren: Step[] = [
    ['AT', ['office near you', 'In which city']],
    ['Vienna', ['certain countries', 'citizen of']],
    ['Iraq', ['To which country']],
    ['Iraq', ['situation', 'What is your situation']],
    ['I have no permit to stay', ['before that date', 'date by which you must leave']],
    ['no', ['How many adults']],
    ['1', ['How many children']],
  ];

  it('after a "yes", the vulnerability question comes with its buttons, and chosen ones are marked', () => {
    const { state } = play([
      ...toAge,
      ['18 to 59', ['in danger', 'Is anyone hurting you']],
      ['yes', ['[Continue with the questions]']],
      ['Continue with the questions', ['In which country']],
      ...fromCountryToChildren,
      [
        '0',
        [
          'Why we ask',
          'Does any of this apply to you or to someone who would travel with you? Tap all that fit, then tap "Done". You can also skip this question. [I was tortured] [I lived through rape or sexual violence]',
        ],
      ],
      [{ type: 'choice', value: 'torture' }, ['1 chosen', '[✓ I was tortured] [I lived through rape or sexual violence]']],
      [{ type: 'choice', value: 'mental_health' }, ['2 chosen', '[✓ My mental health needs care]']],
      // "None of these" after picks ends the question and keeps what was chosen.
      [{ type: 'choice', value: 'none' }, ['only once', 'received help']],
    ]);
    expect(state.answers.vulnerabilities).toEqual(['torture', 'mental_health']);
    expect(caseFromAnswers(state.answers).vulnerabilities).toEqual(['torture', 'mental_health']);
  });

  // Numbers typed for a multi-select in the digits of the person's script pick the same choices as ASCII ones.
  it.each([['1 2'], ['١ ٢'], ['۱ ۲'], ['১ ২'], ['१ २'], ['፩ ፪']])('picks the first two vulnerabilities from "%s"', (typed) => {
    const { state } = play([
      ...toAge,
      ['18 to 59', ['in danger', 'Is anyone hurting you']],
      ['no', ['In which country']],
      ...fromCountryToChildren,
      ['0', ['Why we ask', 'Tap all that fit']],
      [typed, ['only once', 'received help']],
    ]);
    expect(state.answers.vulnerabilities).toEqual(['torture', 'sexual_violence']);
  });

  it.each([['I am in danger'], ['please, I think someone hurts me here'], ['أنا في خطر']])(
    'typing "%s" at any point stops the questions, asks for a person, and goes on only after "continue"',
    (said) => {
      const { events, state } = play([
        ...toAge,
        [said, ['[Continue with the questions]']],
        ['18 to 59', ['A counsellor will read', '[Continue with the questions]']],
        [{ type: 'choice', value: 'pause:continue', node: 'age_band#pause' }, ['How old are you? [Under 16]']],
        ['18 to 59', ['in danger', 'Is anyone hurting you']],
      ]);
      // What the detector heard travels with the request, so the help lines fit the danger.
      expect(events).toContainEqual(expect.objectContaining({ type: 'handoff_requested', reason: 'safety_concern', category: expect.any(String) }));
      expect(state.answers.ageBand).toBe('18-59');
    },
  );
});

describe('global intents', () => {
  it('help explains and repeats the question', () => {
    play([...toAge, ['help', ['You can answer with the buttons', 'How old are you?']]]);
  });

  it('the FAQ answers a chosen topic, shows its menu again, and goes back to the current question on "back"', () => {
    play([
      ...toAge,
      [
        'questions',
        [
          'Here are answers to common questions. Tap a topic, or tap "Back to the questions". [What is voluntary return?] [What happens to my asylum case?] [Is this confidential?] [Can I change my mind?] [What is reintegration support?] [Who runs this service?] [Back to the questions]',
        ],
      ],
      ['2', ['does not change your asylum case', 'Here are answers']],
      ['Can I change my mind?', ['does not oblige you', 'Here are answers']],
      ['banana', ['Sorry, I did not understand', 'Here are answers']],
      ['Back to the questions', ['How old are you?']],
      ['18 to 59', ['in danger', 'Is anyone hurting you']],
    ]);
  });

  it('takes a language named the way people write it: "عربي", "arabic please"', () => {
    for (const typed of ['عربي', 'arabic please', 'Arabic']) {
      const { locale } = play([
        [{ type: 'start' }, ['Hello. I am Homeward', 'Which language do you want to use?']],
        [typed, ['قبل أن نبدأ', 'هل توافقون على أن نحتفظ بإجاباتكم']],
      ]);
      expect(locale, typed).toBe('ar');
    }
    const { locale } = play([
      [{ type: 'start' }, ['Hello. I am Homeward', 'Which language do you want to use?']],
      ['english or arabic', ['Sorry, I did not understand', 'Which language do you want to use?']],
    ]);
    expect(locale).toBe('en');
  });

  it('takes an age typed instead of a tap as its band: "I am 34", and "16" for a child of 16', () => {
    const adult = play([...toAge, ['I am 34', ['in danger', 'Is anyone hurting you']]]);
    expect(adult.state.answers.ageBand).toBe('18-59');
    const child = play([...toAge, ['16', ['a person who helps children', 'in danger', 'Is anyone hurting you or scaring you?']]]);
    expect(child.state.answers.ageBand).toBe('16-17');
    // Two numbers, or a number inside a sentence about something else: no guess (a child band would change everything after).
    for (const typed of ['34 or 35', 'I have 3 children', 'not an age 12']) {
      const unclear = play([...toAge, [typed, ['Sorry, I did not understand', 'How old are you?']]]);
      expect(unclear.state.answers.ageBand, typed).toBeUndefined();
    }
  });

  it('hears a request inside a few words ("talk to a person please"), not one turned round or lost in a sentence', () => {
    const { events } = play([
      ...toAge,
      ["i don't want to talk to a person", ['Sorry, I did not understand', 'How old are you?']],
      ['I need help with the papers for my family and the children', ['Sorry, I did not understand', 'How old are you?']],
      ['talk to a person please', ['I am asking a counsellor']],
    ]);
    expect(events.filter((event) => event.type === 'handoff_requested')).toEqual([{ type: 'handoff_requested', reason: 'client_request' }]);
  });

  it('a tap on an FAQ button after the FAQ closed is treated as stale', () => {
    const { state } = play([
      ...toAge,
      ['/faq', ['Here are answers']],
      ['Back to the questions', ['How old are you?']],
      [{ type: 'choice', value: 'confidential', node: 'age_band#faq' }, ['belongs to an earlier question', 'How old are you?']],
    ]);
    expect(state.answers.ageBand).toBeUndefined();
  });

  it('changing language repeats the current question in the new language and keeps the answers', () => {
    const { state, locale } = play([
      ...toAge,
      ['language', ['Which language do you want to use? [English] [አማርኛ] [العربية]']],
      [{ type: 'choice', value: 'ar' }, ['كم عمركم؟ [أقل من 16]']],
    ]);
    expect(locale).toBe('ar');
    expect(state.answers.consent).toBe('yes');
  });

  it('"talk to a person" in any shipped language asks for a counsellor from any node', () => {
    const { events } = play([...toAge, ['أريد التحدث مع شخص', ['I am asking a counsellor']]]);
    expect(events).toContainEqual({ type: 'handoff_requested', reason: 'client_request' });
  });

  it('cancel withdraws the request for a person and repeats the question the flow waits at', () => {
    const { events, state } = play([
      ...toAge,
      ['talk to a person', ['I am asking a counsellor']],
      ['cancel', ['Your request for a counsellor is cancelled. Let us continue where we were.', 'How old are you?']],
      ['18 to 59', ['in danger', 'Is anyone hurting you']],
      // Nothing is open any more: a second "cancel" says so, and the flow goes on.
      ['/cancel', ['there is nothing to cancel', 'Is anyone hurting you']],
    ]);
    expect(events.filter((event) => event.type === 'handoff_cancel_requested')).toHaveLength(1);
    expect(state.answers.ageBand).toBe('18-59');
  });

  it('cancel without a request says there is nothing to cancel and changes nothing', () => {
    const { events, state } = play([...toAge, ['never mind', ['You have not asked for a counsellor, so there is nothing to cancel', 'How old are you?']]]);
    expect(events.map((event) => event.type)).not.toContain('handoff_cancel_requested');
    expect(state.awaiting).toBe(true);
  });

  it('a safety handoff can be cancelled by a tap too', () => {
    const { events } = play([
      ...toAge,
      ['I am in danger', ['[Continue with the questions]']],
      [{ type: 'intent', intent: 'cancel' }, ['Your request for a counsellor is cancelled', 'How old are you?']],
    ]);
    expect(events).toContainEqual({ type: 'handoff_cancel_requested' });
  });

  it('every shipped language’s "cancel" phrases, and /cancel, are heard as cancel and as nothing else', () => {
    const { ctx, localisation } = transcripts;
    for (const { code } of ctx.locales) {
      const phrases = localisation.translatorFor(code)('system:intent.cancel').split('|');
      expect(phrases.length, code).toBeGreaterThan(0);
      for (const phrase of [...phrases, '/cancel']) expect(recogniseIntent(phrase, ctx.intentPhrases, code), `${code}: ${phrase}`).toBe('cancel');
    }
  });

  it('restart clears the answers and starts again', () => {
    const { state } = play([...toAge, ['/restart', ['We start again', 'Hello', 'Which language']]]);
    expect(state.answers).toEqual({});
    expect(state.flow).toBe('intake');
  });

  it('erasing asks for confirmation first, and "no" changes nothing', () => {
    const { events, state } = play([...toAge, ['delete my data', ['Do you want to delete everything']], ['no', ['Nothing was deleted', 'How old are you?']]]);
    expect(events.map((event) => event.type)).not.toContain('erasure_requested');
    expect(state.answers.consent).toBe('yes');
  });

  it('erasing after "yes" emits the erasure event and resets the state', () => {
    const { events, state } = play([...toAge, ['/forget', ['Do you want to delete everything']], ['yes', ['Your data has been deleted']]]);
    expect(events).toContainEqual({ type: 'erasure_requested' });
    expect(state.answers).toEqual({});
  });

  it("a tap on an earlier question's button is answered politely and the current question repeated", () => {
    play([...toAge, [{ type: 'choice', value: 'yes', node: 'consent' }, ['belongs to an earlier question', 'How old are you?']]]);
  });

  it('coming back later continues where the person left off', () => {
    play([...toAge, [{ type: 'start' }, ['Welcome back', 'How old are you?']]]);
  });
});

describe('Arabic transcript', () => {
  it('walks the whole intake with typed Arabic answers, Arabic-Indic digits and country names', () => {
    const { state, messages } = play(
      [
        [{ type: 'start' }, ['مرحبًا', 'ما اللغة']],
        ['العربية', ['قبل أن نبدأ', 'هل توافق']],
        ['نعم', ['سأطرح عليكم الآن', 'نسأل لأن', 'كم عمركم؟']],
        ['١٨ إلى ٥٩', ['نسأل الجميع هذا السؤال', 'هل هناك من يؤذيكم']],
        ['لا', ['في أي بلد أنتم الآن؟']],
        ['ألمانيا', ['مكتب قريب منكم', 'في أي مدينة']],
        ['أفضّل عدم الإجابة', ['بلدان معيّنة', 'ما جنسيتكم؟']],
        ['سوريا', ['إلى أي بلد قد تعودون؟']],
        ['لا أعرف', ['حسب الوضع', 'ما وضعكم في هذا البلد الآن؟']],
        ['قدّمت طلب لجوء وأنتظر القرار', ['بعض البرامج تسأل عن ذلك', 'هل سحبتم طلب اللجوء؟']],
        ['لا', ['قبل هذا التاريخ', 'هل حُدّد لكم تاريخ']],
        ['نعم', ['ما هو التاريخ؟']],
        ['٢٠٢٧-٠٣-٠١', ['كم عدد البالغين']],
        ['١', ['كم عدد الأطفال تحت 18 سنة']],
        ['٣', ['للأطفال الأصغر سنًا', 'كم أعمار الأطفال؟']],
        ['لا أعرف', ['لماذا نسأل', 'هل ينطبق عليكم شيء من هذا']],
        [{ type: 'choice', value: 'single_parent' }, ['اخترتم شيئًا واحدًا', 'هل ينطبق']],
        [{ type: 'choice', value: 'pregnant' }, ['اخترتم شيئين', 'هل ينطبق']],
        [{ type: 'choice', value: '__done' }, ['مرة واحدة فقط', 'هل حصلتم من قبل على مساعدة']],
        ['لا', ['في الاحتجاز', 'هل أنتم الآن في الاحتجاز']],
        ['لا', ['هل هناك من يضغط عليكم لكي تعودوا؟']],
        ['لا', ['ما المساعدة المهمة لكم؟']],
        [{ type: 'choice', value: 'travel' }, ['اخترتم شيئًا واحدًا', 'ما المساعدة']],
        [{ type: 'choice', value: '__done' }, ['وما الذي يقلقكم؟']],
        [
          'أريد أن أرى أمي قبل أن تكبر أكثر',
          [
            'هذا ما وجدته من إجاباتكم',
            // Before any amount: a withdrawal of the asylum application ends the procedure and cannot be undone.
            'سحب الطلب يُنهي إجراءات اللجوء',
            'هل تريدون التحدث مع مستشار؟ [نعم، أريد التحدث مع شخص] [لا، ليس الآن] [المزيد عن REAG/GARP]',
          ],
        ],
        [
          'المزيد عن REAG/GARP',
          [
            // Numbers in right-to-left texts come isolated (U+2068 ... U+2069) so they cannot scramble the sentence.
            'لا نعرف أعمار \u20683\u2069 أطفال',
            'هل تريدون التحدث مع مستشار؟',
          ],
        ],
        [{ type: 'choice', value: 'more:de-starthilfeplus', node: 'offer' }, ['يجب سحب طلب اللجوء', 'هل تريدون التحدث مع مستشار؟']],
        ['لا', ['شكرًا على وقتكم']],
      ],
      'ar',
    );
    expect(state.answers).toMatchObject({
      ageBand: '18-59',
      hostCountry: 'DE',
      hostCity: 'prefer_not_to_say',
      nationality: 'SY',
      returnCountry: 'unknown',
      legalStatus: 'asylum_pending',
      asylumWithdrawn: 'no',
      departureDeadline: '2027-03-01',
      householdAdults: 1,
      householdMinors: 3,
      minorAges: 'unknown',
      vulnerabilities: ['single_parent', 'pregnant'],
    });
    expect(explainedOutcomes(messages)).toEqual([
      { programme: 'de-perspektive-heimat', outcome: 'possibly_eligible' },
      { programme: 'de-reag-garp', outcome: 'eligible' },
      { programme: 'de-starthilfeplus', outcome: 'eligible' },
    ]);
    expect(explainedOutcomes(messages)).toEqual(evaluatedOutcomes(state.answers));
  });

  it('speaks simply to a child travelling alone, in Arabic too', () => {
    const { events } = play(
      [
        [{ type: 'start' }, ['مرحبًا', 'ما اللغة']],
        // Arabic is third in the list (English first, then by code: am, ar ...).
        ['٣', ['قبل أن نبدأ', 'هل توافق']],
        ['نعم', ['سأطرح عليكم', 'نسأل لأن', 'كم عمركم؟']],
        ['أقل من 16', ['مرحبًا. أنا «هوموورد»', 'نسأل الجميع هذا السؤال', 'هل هناك من يؤذيكم أو يخيفكم؟']],
        ['لا', ['لأن العمر أقل من 18 سنة، يستطيع شخص يساعد الشباب أن يتحدث معكم. هل تريدون التحدث مع هذا الشخص الآن؟']],
        ['لا', ['نتأكد من أنكم في أمان', 'هل أنتم هنا بدون الوالدين']],
        ['نعم', ['أنتم لستم في مشكلة', 'في أي بلد أنتم الآن؟']],
      ],
      'ar',
    );
    expect(events).toContainEqual({ type: 'handoff_requested', reason: 'unaccompanied_minor' });
  });
});

describe('the explanation and the eligibility CLI agree', () => {
  it('gives the same outcomes as `npm run -s eligibility` for the case built from the answers', async () => {
    const paths: Step[][] = [familyInGermany, unknownsInNetherlands];
    const dir = mkdtempSync(join(tmpdir(), 'homeward-case-'));
    const hostOf = new Map(transcripts.programmes.map((programme) => [programme.id, programme.hostCountry]));
    for (const [index, steps] of paths.entries()) {
      const { state, messages } = play(steps);
      const c = caseFromAnswers(state.answers);
      const file = join(dir, `case-${index}.json`);
      writeFileSync(file, JSON.stringify(c));
      const { stdout } = await succeeds(captureCli((io) => eligibilityCli([file], io)));
      const printed: unknown = JSON.parse(stdout);
      expect(Array.isArray(printed)).toBe(true);
      const fromCli = (Array.isArray(printed) ? printed : [])
        .map((row: { programme: string; outcome: string }) => ({ programme: row.programme, outcome: row.outcome }))
        .filter((row) => hostOf.get(row.programme) === c.hostCountry)
        .sort((a, b) => a.programme.localeCompare(b.programme));
      expect(explainedOutcomes(messages)).toEqual(fromCli);
    }
  });
});

describe('purity', () => {
  it('never modifies the state it is given', () => {
    const state = startState(transcripts.ctx);
    const frozen = structuredClone(state);
    runTurn(transcripts.ctx, state, 'en', { type: 'start' });
    expect(state).toEqual(frozen);
  });
});

describe('typed text folding', () => {
  it('treats Turkish dotless i, Persian zero-width joiners and Arabic letter variants as the same text', async () => {
    const { normalise } = await import('../../src/text/normalise.js');
    expect(normalise('HAYIR')).toBe(normalise('Hayır'));
    expect(normalise('نمیدانم')).toBe(normalise('نمی‌دانم'));
    expect(normalise('كيف')).toBe(normalise('کیف'));
  });

  it('drops an apostrophe inside a word, so "dont know" is the "I don\'t know" button', async () => {
    const { normalise } = await import('../../src/text/normalise.js');
    const { matchChoice } = await import('../../src/engine/answers/parse.js');
    expect(normalise("I don't know")).toBe('i dont know');
    expect(normalise('I don’t know')).toBe('i dont know');
    const choices = [
      { value: 'SY', label: { literal: 'Syria' } },
      { value: 'unknown', label: { literal: "I don't know" } },
    ];
    const t = (key: string) => key;
    for (const typed of ['dont know', 'i dont know', "I don't know", 'Dont know'])
      expect(matchChoice({ type: 'text', text: typed }, choices, t)?.value, typed).toBe('unknown');
  });

  it('reads a Cyrillic word typed with Latin lookalikes as Cyrillic, and leaves Latin words alone', async () => {
    const { normalise } = await import('../../src/text/normalise.js');
    // "сусiд", "дiвчинку": the i is Latin, as a keyboard without the Ukrainian і types it.
    expect(normalise('сусiд кличе дiвчинку')).toBe(normalise('сусід кличе дівчинку'));
    expect(normalise('Пpивeт, ok')).toBe('привет ok');
  });
});

describe('typed answers to several-choice questions', () => {
  it("never records a choice because a typed word hides inside a label's word", async () => {
    const { matchChoice } = await import('../../src/engine/answers/parse.js');
    const choices = [
      { value: 'survivor_of_violence', label: { literal: 'Passei por violência' } },
      { value: 'unknown', label: { literal: 'Não sei' } },
    ];
    const t = (key: string) => key;
    expect(matchChoice({ type: 'text', text: 'passe' }, choices, t)).toBeUndefined();
    expect(matchChoice({ type: 'text', text: 'iolência' }, choices, t)).toBeUndefined();
    expect(matchChoice({ type: 'text', text: 'não sei' }, choices, t)?.value).toBe('unknown');
    expect(matchChoice({ type: 'text', text: 'por violência' }, choices, t)?.value).toBe('survivor_of_violence');
  });
});
