import type { FlowNode } from '../../flows/schema.js';
import { resolveNext } from '../conditions.js';
import { EngineError, type Turn } from '../turn.js';
import { pause, promptPause, safetyReason } from '../pause.js';

/** What a node does next: go to another node, wait for the client, or finish the flow. */
export type Step =
  | { kind: 'goto'; node: string }
  | { kind: 'jump'; flow: string; node?: string }
  | { kind: 'wait' }
  /** Stop the turn here and resume at `node` only when the person chooses to (see ../pause.ts). */
  | { kind: 'hold'; node: string }
  | { kind: 'finish' };

type Executor<T extends FlowNode['type']> = (node: Extract<FlowNode, { type: T }>, turn: Turn) => Step;

function follow(turn: Turn, next: Parameters<typeof resolveNext>[0] | undefined): Step {
  if (next === undefined) return { kind: 'finish' };
  const target = resolveNext(next, turn.state.answers);
  if (target === undefined) throw new EngineError('no next step applies', { flow: turn.state.flow, node: turn.state.node });
  return { kind: 'goto', node: target };
}

const say: Executor<'say'> = (node, turn) => {
  turn.sayFlowText(node.text);
  return follow(turn, node.next);
};

const ask: Executor<'ask'> = (node, turn) => {
  if (node.why) turn.sayFlowText(node.why);
  turn.prompt();
  return { kind: 'wait' };
};

const branch: Executor<'branch'> = (node, turn) => follow(turn, node.next);

const set: Executor<'set'> = (node, turn) => {
  turn.state.answers = { ...turn.state.answers, ...node.values };
  return follow(turn, node.next);
};

const handoff: Executor<'handoff'> = (node, turn) => {
  if (node.reason === safetyReason) return disclosure(node, turn);
  if (node.text) turn.sayFlowText(node.text);
  turn.events.push({ type: 'handoff_requested', reason: node.reason });
  return follow(turn, node.next);
};

/**
 * A "yes" to "is anyone hurting you": the same path as a danger heard in a typed message. The
 * emergency numbers come first (from the handoff), then only "continue": the next question (with
 * its buttons) comes when the person taps it, never behind the numbers.
 */
function disclosure(node: Extract<FlowNode, { type: 'handoff' }>, turn: Turn): Step {
  turn.events.push({ type: 'handoff_requested', reason: node.reason });
  const next = follow(turn, node.next);
  if (next.kind !== 'goto') return next;
  turn.state.node = next.node;
  pause(turn, 'safety');
  promptPause(turn, 'safety');
  return { kind: 'hold', node: next.node };
}

const end: Executor<'end'> = (node, turn) => {
  if (node.text) turn.sayFlowText(node.text);
  return { kind: 'finish' };
};

const eligibility: Executor<'eligibility'> = (node, turn) => {
  const explain = turn.ctx.eligibility;
  if (!explain) {
    turn.say({ key: 'system:eligibility_unavailable' });
    return follow(turn, node.next);
  }
  const explanation = explain(turn.state.answers);
  for (const message of explanation.messages) turn.say(message);
  const outcomes = Object.fromEntries(explanation.programmes.map(({ programme, outcome }) => [programme, outcome]));
  if (Object.keys(outcomes).length > 0) turn.events.push({ type: 'eligibility_evaluated', outcomes });
  return follow(turn, node.next);
};

const jump: Executor<'jump'> = (node) => ({ kind: 'jump', flow: node.flow, ...(node.node ? { node: node.node } : {}) });

/** One executor per node type; the `never` check makes a new node type a compile error here. */
export function execute(node: FlowNode, turn: Turn): Step {
  switch (node.type) {
    case 'say':
      return say(node, turn);
    case 'ask':
      return ask(node, turn);
    case 'branch':
      return branch(node, turn);
    case 'set':
      return set(node, turn);
    case 'handoff':
      return handoff(node, turn);
    case 'end':
      return end(node, turn);
    case 'jump':
      return jump(node, turn);
    case 'eligibility':
      return eligibility(node, turn);
    default: {
      const unreachable: never = node;
      throw new Error(`unknown node type ${JSON.stringify(unreachable)}`);
    }
  }
}
