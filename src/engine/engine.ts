import { specialAnswers, type FlowNode } from '../flows/schema.js';
import { choicesFor, matchChoice, parseAnswer, type Reply } from './answers/parse.js';
import { resolveNext } from './conditions.js';
import { execute } from './executors/index.js';
import { faqBackValue, faqTopics } from './faq.js';
import type { SafetyAlarm } from '../safety/types.js';
import { recogniseIntent } from './intents.js';
import { asciiDigits } from '../text/normalise.js';
import { detailPrefix, doneValue, EngineError, noneValue, Turn } from './turn.js';
import { continueValue, currentPromptId, pause, pauseChoices, promptPause, safetyReason } from './pause.js';
import {
  initialState,
  intents,
  type AnswerValue,
  type ConversationState,
  type EngineContext,
  type InboundEvent,
  type Intent,
  type OutboundChoice,
  type TextRef,
  type TurnResult,
  type TurnSituation,
} from './types.js';

/** Steps one turn may take before the flow is deemed to loop (flows are data; a bad one must not hang a turn). */
const maxStepsPerTurn = 200;
const intentPrefix = 'intent:';

/**
 * Runs one turn: (state, inbound event) -> { messages, new state, events }. Pure: no I/O, and the
 * given state is not modified. `situation` is what only the caller knows, e.g. whether a counsellor
 * has been asked for (so "cancel" withdraws the request, or says there is none). Throws `EngineError` only for a broken flow (which `flows:check`
 * catches before start-up).
 *
 * @example
 * const { messages, state: next } = runTurn(ctx, state, 'en', { type: 'text', text: 'yes' });
 */
export function runTurn(
  ctx: EngineContext,
  state: ConversationState,
  locale: string,
  event: InboundEvent,
  situation: TurnSituation = { handoffOpen: false },
): TurnResult {
  const turn = new Turn(ctx, structuredClone(state), locale);
  switch (event.type) {
    case 'start':
      if (isFresh(turn)) walk(turn);
      else {
        turn.say({ key: 'system:welcome_back' });
        repeatCurrent(turn);
      }
      break;
    case 'locale':
      changeLocale(turn, event.locale);
      repeatCurrent(turn);
      break;
    case 'intent':
      handleIntent(turn, event.intent, situation);
      break;
    case 'text': {
      // Danger is heard before anything else, whatever the question on screen.
      const alarm = ctx.safety.detect(event.text);
      if (alarm) {
        handleSafety(turn, situation, alarm);
        break;
      }
      const intent = recogniseIntent(event.text, ctx.intentPhrases, locale);
      if (intent) handleIntent(turn, intent, situation);
      else if (ctx.safety.asksAboutSafetyOfReturn(event.text)) answerSafetyOfReturn(turn, situation);
      else reply(turn, { type: 'text', text: event.text });
      break;
    }
    case 'choice':
      if (event.value.startsWith(intentPrefix)) {
        const intent = intents.find((name) => `${intentPrefix}${name}` === event.value);
        if (intent) handleIntent(turn, intent, situation);
        else reAsk(turn, { key: 'system:error.pick_a_choice' });
      } else if (event.node !== undefined && event.node !== currentPromptId(turn)) {
        turn.say({ key: 'system:stale_choice' });
        repeatCurrent(turn);
      } else reply(turn, { type: 'choice', value: event.value });
      break;
    default: {
      const unreachable: never = event;
      throw new Error(`unknown event ${JSON.stringify(unreachable)}`);
    }
  }
  return { messages: turn.messages, state: turn.state, locale: turn.locale, events: turn.events };
}

/** A fresh conversation for the context's entry flow. */
export function startState(ctx: EngineContext): ConversationState {
  const flow = ctx.flows.get(ctx.entryFlow);
  if (!flow) throw new EngineError('entry flow missing', { flow: ctx.entryFlow, node: '-' });
  return initialState(flow.id, flow.start);
}

function isFresh(turn: Turn): boolean {
  const { state } = turn;
  return !state.awaiting && !state.finished && state.pending === undefined && Object.keys(state.answers).length === 0;
}

/** Runs nodes until one waits for the client or the flow ends. */
function walk(turn: Turn): void {
  for (let steps = 0; steps < maxStepsPerTurn; steps++) {
    const step = execute(turn.node(), turn);
    switch (step.kind) {
      case 'goto':
        turn.state.node = step.node;
        break;
      case 'jump':
        turn.state.flow = step.flow;
        turn.state.node = step.node ?? turn.flow(step.flow).start;
        break;
      case 'wait':
        turn.state.awaiting = true;
        return;
      case 'hold':
        turn.state.node = step.node;
        turn.state.awaiting = false;
        return;
      case 'finish':
        turn.state.finished = true;
        turn.events.push({ type: 'flow_finished', flow: turn.state.flow });
        return;
      default: {
        const unreachable: never = step;
        throw new Error(`unknown step ${JSON.stringify(unreachable)}`);
      }
    }
  }
  throw new EngineError(`more than ${maxStepsPerTurn} steps without a question`, { flow: turn.state.flow, node: turn.state.node });
}

/** Identifies the question on screen, so a tap on an older question's button is recognised as stale. */

function repeatCurrent(turn: Turn): void {
  const { pending } = turn.state;
  if (pending?.kind === 'pause') return promptPause(turn, pending.reason);
  if (pending?.kind === 'language') return promptLanguage(turn);
  if (pending?.kind === 'confirm_erase') return promptErase(turn);
  if (pending?.kind === 'faq') return promptFaq(turn);
  if (turn.state.awaiting) return turn.prompt();
  if (turn.state.finished) return promptFinished(turn);
  walk(turn);
}

function handleIntent(turn: Turn, intent: Intent, situation: TurnSituation): void {
  switch (intent) {
    case 'help':
      turn.say({ key: 'system:help' });
      repeatCurrent(turn);
      return;
    case 'restart':
      turn.state = startState(turn.ctx);
      turn.say({ key: 'system:restarting' });
      walk(turn);
      return;
    case 'language':
      turn.state.pending = { kind: 'language' };
      promptLanguage(turn);
      return;
    case 'handoff':
      turn.events.push({ type: 'handoff_requested', reason: 'client_request' });
      turn.say({ key: 'system:handoff_requested' });
      return;
    case 'cancel':
      // The referral is cancelled by the caller after the turn is stored; the flow resumes where it waited.
      if (situation.handoffOpen) {
        turn.events.push({ type: 'handoff_cancel_requested' });
        turn.say({ key: 'system:handoff_cancelled' });
        // "Let us continue where we were": a pause held for the counsellor ends with the request.
        unpause(turn);
      } else turn.say({ key: 'system:nothing_to_cancel' });
      repeatCurrent(turn);
      return;
    case 'erase':
      turn.state.pending = { kind: 'confirm_erase' };
      promptErase(turn);
      return;
    case 'faq':
      turn.state.pending = { kind: 'faq' };
      promptFaq(turn);
      return;
    case 'safety':
      handleSafety(turn, situation);
      return;
    case 'withdraw':
      withdrawConsent(turn);
      return;
    default: {
      const unreachable: never = intent;
      throw new Error(`unknown intent ${String(unreachable)}`);
    }
  }
}

/**
 * A person in danger. The questionnaire stops here: nothing after this in the turn asks a question.
 * The emergency numbers for the host country and the honest word on when a counsellor can answer
 * are put first by the handoff (it knows the organisation's numbers and office hours, see
 * src/handoff/service.ts `emergencyHelp`); the engine adds the last message, which carries the
 * only button: "continue with the questions", for when, and if, the person wants to. The flow's
 * position is kept underneath. While a counsellor owns the chat there is nothing to continue.
 * `alarm` is what the detector heard (absent for the "I am in danger" button).
 */
function handleSafety(turn: Turn, situation: TurnSituation, alarm?: SafetyAlarm): void {
  turn.events.push({ type: 'handoff_requested', reason: safetyReason, ...(alarm ? { category: alarm.category } : {}) });
  if (situation.counsellorOnChat) return;
  pause(turn, 'safety');
  promptPause(turn, 'safety');
}

/**
 * "Is it safe to go back to Syria?" is not an emergency: an honest answer (nobody here can promise
 * safety; situations change; a counsellor can go through it with them; there is no hurry), and a
 * counsellor offered at normal priority, beside "continue".
 */
function answerSafetyOfReturn(turn: Turn, situation: TurnSituation): void {
  if (situation.counsellorOnChat) return turn.say({ key: 'system:safety_path.return_question_counsellor' });
  pause(turn, 'return_question');
  turn.say({ key: 'system:safety_path.return_question' });
  promptPause(turn, 'return_question');
}

/** Back to the flow underneath a pause, with a multi-select's picks as they were. */
function unpause(turn: Turn): void {
  const { pending } = turn.state;
  if (pending?.kind === 'pause') turn.state.pending = pending.selected ? { kind: 'multi', selected: pending.selected } : undefined;
}

/** The answer while the questionnaire stands still: "continue" resumes it; after a disclosure, anything else is heard, not parsed. */
function replyInPause(turn: Turn, answer: Reply, pending: Extract<NonNullable<ConversationState['pending']>, { kind: 'pause' }>): void {
  const chosen = matchChoice(answer, pauseChoices(pending.reason), turn.t);
  if (chosen?.value === continueValue || (pending.reason === 'return_question' && !chosen)) {
    unpause(turn);
    if (chosen) return repeatCurrent(turn);
    return reply(turn, answer);
  }
  // A typed message after a disclosure is for the counsellor, who reads the chat: say so, keep the button.
  turn.say({ key: 'system:safety_path.heard' });
  promptPause(turn, pending.reason);
}

/**
 * Withdrawing consent stops collection but keeps the chat going: the answers given so far leave the
 * state, the conversation continues on the consent question's "no" path (general information and a
 * counsellor; that path asks nothing about the person), the decision is recorded as a `consent`
 * event, and erasure of what is already stored is offered. Without consent there is nothing to
 * withdraw, but erasure is offered all the same: that is what a person asking this wants to know.
 */
function withdrawConsent(turn: Turn): void {
  if (turn.state.consent === 'given') {
    const question = findConsentQuestion(turn.ctx);
    turn.state = stateAfterWithdrawal(turn.state, question);
    turn.events.push({ type: 'consent', granted: false, noticeVersion: question?.node.noticeVersion ?? 'unversioned' });
    turn.say({ key: 'system:consent_withdrawn' });
  } else turn.say({ key: 'system:consent_not_given' });
  turn.state.pending = { kind: 'confirm_erase' };
  promptErase(turn);
}

interface ConsentQuestion {
  flow: string;
  id: string;
  node: Extract<FlowNode, { type: 'ask' }>;
}

/** The ask node that records consent, in the entry flow first (flows are data: it is looked up, not named). */
function findConsentQuestion(ctx: EngineContext): ConsentQuestion | undefined {
  const flows = [...ctx.flows.values()].sort((a, b) => Number(b.id === ctx.entryFlow) - Number(a.id === ctx.entryFlow));
  for (const flow of flows) {
    for (const [id, node] of Object.entries(flow.nodes)) {
      if (node.type === 'ask' && node.effect === 'consent') return { flow: flow.id, id, node };
    }
  }
  return undefined;
}

/**
 * Only the consent answer itself ("no") is kept, so the flow can branch as if consent had been
 * declined. A flow without a consent question cannot have recorded consent; should one change
 * under a stored conversation, the conversation ends (the person can still ask for a person or start again).
 */
function stateAfterWithdrawal(state: ConversationState, question: ConsentQuestion | undefined): ConversationState {
  if (!question) return { ...state, answers: {}, awaiting: false, finished: true, pending: undefined, consent: 'withdrawn' };
  const answers = { [question.node.answer]: 'no' };
  const node = resolveNext(question.node.next, answers);
  if (node === undefined) throw new EngineError('no next step applies when consent is withdrawn', { flow: question.flow, node: question.id });
  return { v: 1, flow: question.flow, node, awaiting: false, finished: false, answers, consent: 'withdrawn' };
}

function engineChoiceContext(turn: Turn) {
  return { locales: turn.ctx.locales, namespace: 'system', locale: turn.locale };
}

function promptLanguage(turn: Turn): void {
  const choices = choicesFor({ kind: 'language' }, engineChoiceContext(turn));
  turn.say({ key: 'system:choose_language' }, { choices, node: currentPromptId(turn) });
}

function promptErase(turn: Turn): void {
  const choices = choicesFor({ kind: 'yes_no' }, engineChoiceContext(turn));
  turn.say({ key: 'system:erase_confirm' }, { choices, node: currentPromptId(turn) });
}

function promptFinished(turn: Turn): void {
  turn.say(
    { key: 'system:finished' },
    {
      choices: [
        { value: `${intentPrefix}handoff`, label: { key: 'system:answer.talk_to_person' } },
        { value: `${intentPrefix}restart`, label: { key: 'system:answer.restart' } },
      ],
    },
  );
}

function faqChoices(): OutboundChoice[] {
  return [
    ...faqTopics.map((topic) => ({ value: topic, label: { key: `system:faq.topic.${topic}` } })),
    { value: faqBackValue, label: { key: 'system:faq.back' } },
  ];
}

function promptFaq(turn: Turn): void {
  turn.say({ key: 'system:faq.intro' }, { choices: faqChoices(), node: currentPromptId(turn) });
}

function changeLocale(turn: Turn, locale: string): void {
  if (locale === turn.locale || !turn.ctx.locales.some((info) => info.code === locale)) return;
  turn.events.push({ type: 'locale_changed', from: turn.locale, to: locale });
  turn.locale = locale;
}

/** The client's answer to whatever is open: an engine prompt, or the flow's current question. */
function reply(turn: Turn, answer: Reply): void {
  const { pending } = turn.state;
  if (pending?.kind === 'pause') return replyInPause(turn, answer, pending);
  if (pending?.kind === 'language') {
    const input = { kind: 'language' } as const;
    const choices = choicesFor(input, engineChoiceContext(turn));
    const parsed = parseAnswer(input, answer, { t: turn.t, locale: turn.locale, choices, locales: turn.ctx.locales });
    if (parsed.status === 'fail') return reAsk(turn, parsed.reason);
    turn.state.pending = undefined;
    changeLocale(turn, String(parsed.value));
    return repeatCurrent(turn);
  }
  if (pending?.kind === 'confirm_erase') {
    const chosen = matchChoice(answer, choicesFor({ kind: 'yes_no' }, engineChoiceContext(turn)), turn.t);
    if (!chosen) return reAsk(turn, { key: 'system:error.pick_a_choice' });
    turn.state.pending = undefined;
    if (chosen.value === 'yes') {
      turn.events.push({ type: 'erasure_requested' });
      turn.say({ key: 'system:erased' });
      turn.state = startState(turn.ctx);
      return;
    }
    turn.say({ key: 'system:erase_cancelled' });
    return repeatCurrent(turn);
  }
  if (pending?.kind === 'faq') {
    const chosen = matchChoice(answer, faqChoices(), turn.t);
    if (!chosen) return reAsk(turn, { key: 'system:error.pick_a_choice' });
    if (chosen.value === faqBackValue) {
      turn.state.pending = undefined;
      return repeatCurrent(turn);
    }
    // The menu stays open after an answer: one question often leads to the next, and the person
    // leaves it with "Back to the questions" (at the end of a flow, that is the end's own menu).
    turn.say({ key: `system:faq.answer.${chosen.value}` });
    return promptFaq(turn);
  }
  if (turn.state.finished) return promptFinished(turn);
  if (!turn.state.awaiting) return walk(turn);
  answerQuestion(turn, answer);
}

function reAsk(turn: Turn, reason: { key: string; params?: Record<string, unknown> }): void {
  turn.say(reason);
  repeatCurrent(turn);
}

function answerQuestion(turn: Turn, answer: Reply): void {
  const node = turn.node();
  if (node.type !== 'ask') throw new EngineError('awaiting an answer on a node that is not an ask', { flow: turn.state.flow, node: turn.state.node });
  const choices = turn.currentChoices();
  const detail = chosenDetail(turn, answer, choices);
  if (detail) {
    // "More about X": the detail, then the same question again, its buttons with it.
    turn.say(detail);
    return turn.prompt();
  }

  let value: AnswerValue;
  if (node.input.kind === 'choice' && node.input.multiple) {
    const collected = collectSeveral(turn, answer, choices);
    if (collected === 'waiting') return;
    value = collected;
  } else {
    const parsed = parseAnswer(node.input, answer, { t: turn.t, locale: turn.locale, choices, locales: turn.ctx.locales });
    if (parsed.status === 'fail') return reAsk(turn, parsed.reason);
    value = parsed.value;
  }

  turn.state.answers = { ...turn.state.answers, [node.answer]: value };
  turn.state.awaiting = false;
  if (node.input.kind === 'language' && typeof value === 'string') changeLocale(turn, value);
  if (node.effect === 'consent') {
    const granted = value === 'yes';
    turn.state.consent = granted ? 'given' : 'declined';
    turn.events.push({ type: 'consent', granted, noticeVersion: node.noticeVersion ?? 'unversioned' });
  }
  const target = resolveNext(node.next, turn.state.answers);
  if (target === undefined) throw new EngineError('no next step applies', { flow: turn.state.flow, node: turn.state.node });
  turn.state.node = target;
  walk(turn);
}

/** The detail a "more about" button (or its label typed) asks for, if the answer is one. */
function chosenDetail(turn: Turn, answer: Reply, choices: ReturnType<Turn['currentChoices']>): TextRef | undefined {
  const buttons = choices.filter((choice) => choice.value.startsWith(detailPrefix));
  if (buttons.length === 0) return undefined;
  const chosen = matchChoice(answer, buttons, turn.t);
  if (!chosen) return undefined;
  return turn.programmeDetails().find(({ programme }) => `${detailPrefix}${programme}` === chosen.value)?.detail;
}

/**
 * Multi-select: a tap adds one value and asks for more until "done"; typed numbers ("1, 3")
 * or a "don't know" answer complete it at once.
 */
function collectSeveral(turn: Turn, answer: Reply, choices: ReturnType<Turn['currentChoices']>): string[] | string | 'waiting' {
  const selected = turn.state.pending?.kind === 'multi' ? turn.state.pending.selected : [];
  const single = matchChoice(answer, choices, turn.t);
  if (single && (specialAnswers as readonly string[]).includes(single.value)) return finishMulti(turn, single.value);
  if (single?.value === doneValue) return finishMulti(turn, selected);
  // "None of these" ends the question at once; picks made before it are kept, not thrown away.
  if (single?.value === noneValue) return finishMulti(turn, selected.length > 0 ? selected : [noneValue]);
  if (single) {
    const next = selected.includes(single.value) ? selected : [...selected, single.value];
    turn.state.pending = { kind: 'multi', selected: next };
    turn.say({ key: 'system:multi_added', params: { count: next.length } });
    turn.prompt();
    return 'waiting';
  }
  if (answer.type === 'text') {
    // "1 3 5" lists numbers, in any script's digits ("১ ৩", "፩ ፫"); otherwise only commas separate
    // picks, as labels have several words.
    const separators = /^[\d\s,،;]+$/.test(asciiDigits(answer.text)) ? /[\s,،;]+/ : /[,،;]+/;
    const parts = answer.text
      .split(separators)
      .map((part) => part.trim())
      .filter(Boolean);
    const picks = parts.map((part) => matchChoice({ type: 'text', text: part }, choices, turn.t)?.value);
    const valid = picks.filter((value): value is string => value !== undefined && value !== doneValue);
    if (valid.length > 0 && valid.length === parts.length) return finishMulti(turn, [...new Set(valid)]);
  }
  reAsk(turn, { key: 'system:error.pick_a_choice' });
  return 'waiting';
}

function finishMulti<T extends string[] | string>(turn: Turn, value: T): T {
  turn.state.pending = undefined;
  return value;
}
