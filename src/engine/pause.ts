import type { OutboundChoice } from './types.js';
import type { Turn } from './turn.js';

/*
 * The questionnaire standing still: after a disclosure of danger, or after a question about the
 * safety of return. It goes on only when the person taps "continue"; the flow's position (node,
 * awaiting, a multi-select's picks) is kept underneath, untouched.
 */

export type PauseReason = 'safety' | 'return_question';

/** The handoff reason of a disclosure; the referral makes it urgent. */
export const safetyReason = 'safety_concern';
export const continueValue = 'pause:continue';
const handoffValue = 'intent:handoff';

/** Identifies the question on screen, so a tap on an older question's button is recognised as stale. */
export function currentPromptId(turn: Turn): string {
  const { pending } = turn.state;
  return pending && pending.kind !== 'multi' ? `${turn.state.node}#${pending.kind}` : turn.state.node;
}

/** Holds the flow where it is; a multi-select's picks so far are kept, to be restored on "continue". */
export function pause(turn: Turn, reason: PauseReason): void {
  const { pending } = turn.state;
  if (pending?.kind === 'pause') return;
  const selected = pending?.kind === 'multi' ? pending.selected : undefined;
  turn.state.pending = { kind: 'pause', reason, ...(selected ? { selected } : {}) };
}

/** After a disclosure only "continue"; after a question about return, a counsellor too (normal priority). */
export function pauseChoices(reason: PauseReason): OutboundChoice[] {
  const go = { value: continueValue, label: { key: 'system:answer.continue_questions' } };
  return reason === 'safety' ? [go] : [{ value: handoffValue, label: { key: 'system:answer.talk_to_person' } }, go];
}

/** The last message of the turn: it carries the only buttons, so no channel can hide them behind another message. */
export function promptPause(turn: Turn, reason: PauseReason): void {
  const key = reason === 'safety' ? 'system:safety_path.continue_when_ready' : 'system:safety_path.return_question_continue';
  turn.say({ key }, { choices: pauseChoices(reason), node: currentPromptId(turn) });
}
