import { answersRead } from '../engine/conditions.js';
import { withNamespace } from '../engine/answers/parse.js';
import type { Condition, Flow, FlowNode, FlowText, Next } from '../flows/schema.js';
import type { FlowIssue } from '../flows/load.js';

/** Looks a key up in one locale without fallbacks (plural and context variants count). */
export type KeyLookup = (locale: string, key: string) => boolean;

export interface LintInput {
  flows: ReadonlyMap<string, Flow>;
  files: ReadonlyMap<string, string>;
  entryFlow: string;
  locales: readonly string[];
  hasKey: KeyLookup;
  /** Keys the engine itself uses (help, errors, buttons), checked like flow keys. */
  engineKeys: readonly string[];
  /** Answers that exist without an ask (set by the channel or the engine). */
  knownAnswers?: readonly string[];
}

/**
 * Reports what would break a conversation: unknown node or flow references, unreachable nodes,
 * dead ends, conditions on answers no question collects, i18n keys missing in any locale.
 */
export function lintFlows(input: LintInput): FlowIssue[] {
  const issues: FlowIssue[] = [];
  const collected = new Set(input.knownAnswers ?? []);
  for (const flow of input.flows.values()) {
    for (const node of Object.values(flow.nodes)) {
      if (node.type === 'ask') collected.add(node.answer);
      if (node.type === 'set') Object.keys(node.values).forEach((name) => collected.add(name));
    }
  }
  if (!input.flows.has(input.entryFlow)) issues.push({ file: '(flows)', message: `the entry flow "${input.entryFlow}" does not exist` });

  for (const flow of input.flows.values()) {
    const file = input.files.get(flow.id) ?? flow.id;
    const report = (node: string | undefined, message: string) => issues.push({ file, ...(node ? { node } : {}), message });
    if (!flow.nodes[flow.start]) report(undefined, `start node "${flow.start}" does not exist`);

    for (const [id, node] of Object.entries(flow.nodes)) {
      for (const target of targetsOf(node)) {
        if (!flow.nodes[target]) report(id, `goes to unknown node "${target}"`);
      }
      if (node.type === 'jump') {
        const other = input.flows.get(node.flow);
        if (!other) report(id, `jumps to unknown flow "${node.flow}"`);
        else if (node.node && !other.nodes[node.node]) report(id, `jumps to unknown node "${node.node}" of flow "${node.flow}"`);
      }
      const guarded = guardedSteps(node);
      if (guarded?.every((step) => step.if !== undefined)) {
        report(id, 'dead end: every next step has a condition, so none may apply (add a last step without "if")');
      }
      for (const condition of conditionsOf(node)) {
        for (const answer of answersRead(condition)) {
          if (!collected.has(answer)) report(id, `condition reads answer "${answer}", which no question collects`);
        }
      }
      for (const key of keysOf(node, flow.namespace)) {
        const missing = input.locales.filter((locale) => !input.hasKey(locale, key));
        if (missing.length > 0) report(id, `i18n key "${key}" is missing in ${missing.join(', ')}`);
      }
    }

    const reachable = reachableFrom(flow);
    for (const id of Object.keys(flow.nodes)) {
      if (!reachable.has(id)) report(id, 'unreachable: no path from the start node leads here');
    }
    for (const id of loopsWithoutExit(flow)) report(id, 'dead end: from here the flow can never finish or wait for an answer');
  }

  for (const key of input.engineKeys) {
    const missing = input.locales.filter((locale) => !input.hasKey(locale, key));
    if (missing.length > 0) issues.push({ file: '(engine)', message: `i18n key "${key}" is missing in ${missing.join(', ')}` });
  }
  return issues;
}

function nextTargets(next: Next | undefined): string[] {
  if (next === undefined) return [];
  return typeof next === 'string' ? [next] : next.map((step) => step.goto);
}

function targetsOf(node: FlowNode): string[] {
  return node.type === 'end' || node.type === 'jump' ? [] : nextTargets(node.next);
}

function guardedSteps(node: FlowNode): { if?: Condition }[] | undefined {
  if (node.type === 'end' || node.type === 'jump') return undefined;
  return Array.isArray(node.next) ? node.next : undefined;
}

function conditionsOf(node: FlowNode): Condition[] {
  return (guardedSteps(node) ?? []).flatMap((step) => (step.if ? [step.if] : []));
}

function keysOf(node: FlowNode, namespace: string): string[] {
  const texts: (FlowText | undefined)[] = [];
  const labels: string[] = [];
  switch (node.type) {
    case 'ask':
      texts.push(node.text, node.why);
      if (node.input.kind === 'choice') labels.push(...node.input.choices.map((choice) => choice.label));
      if (node.input.kind === 'yes_no' && node.input.labels) labels.push(node.input.labels.yes, node.input.labels.no);
      break;
    case 'say':
    case 'handoff':
    case 'end':
      texts.push(node.text);
      break;
    case 'branch':
    case 'set':
    case 'jump':
    // Its texts come from the programme catalogue, which `checkFlows` checks on its own.
    case 'eligibility':
      break;
    default: {
      const unreachable: never = node;
      return unreachable;
    }
  }
  const keys = texts.flatMap((text) => (text === undefined ? [] : [typeof text === 'string' ? text : text.key]));
  return [...keys, ...labels].map((key) => withNamespace(key, namespace));
}

function reachableFrom(flow: Flow): Set<string> {
  const seen = new Set<string>();
  const queue = [flow.start];
  for (let id = queue.pop(); id !== undefined; id = queue.pop()) {
    const node = flow.nodes[id];
    if (seen.has(id) || !node) continue;
    seen.add(id);
    queue.push(...targetsOf(node));
  }
  return seen;
}

/** Nodes that can only ever lead to other non-waiting nodes in a cycle: the engine would spin. */
function loopsWithoutExit(flow: Flow): string[] {
  const ids = Object.keys(flow.nodes);
  const canSettle = new Set<string>();
  let changed = true;
  while (changed) {
    changed = false;
    for (const id of ids) {
      const node = flow.nodes[id];
      if (!node || canSettle.has(id)) continue;
      const settles =
        node.type === 'ask' ||
        node.type === 'end' ||
        node.type === 'jump' ||
        (node.type !== 'branch' && node.next === undefined) ||
        targetsOf(node).some((target) => canSettle.has(target));
      if (settles) {
        canSettle.add(id);
        changed = true;
      }
    }
  }
  return ids.filter((id) => !canSettle.has(id));
}
