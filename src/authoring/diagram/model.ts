import { withNamespace } from '../../engine/answers/parse.js';
import type { Flow, FlowNode, FlowText, Input, Next } from '../../flows/schema.js';
import { conditionText } from './condition-text.js';
import type { DiagramLanguage, DiagramNodeKind } from './words.js';

/** One box of a diagram. */
export interface DiagramNode {
  /** Unique within the diagram: the node id, `flow:<id>` for another flow, `missing:<id>` for a target that does not exist. */
  key: string;
  /** The id shown to the reader: the flow node's id, or the other flow's. */
  id: string;
  kind: DiagramNodeKind;
  start: boolean;
  /** What the person reads at this step, in the diagram's language (whitespace flattened; renderers `shorten` it). */
  text?: string;
  /** The i18n key of `text`, so a reviewer can find it in `locales/`. */
  textKey?: string;
  /** Further lines: why we ask, the choices offered, the answer's name, values set, the handoff reason. */
  details: string[];
  /** Buttons a question offers, by label (also listed in `details`). */
  choices: string[];
}

/** An arrow; several ways from one box to the same box are one arrow with several labels. */
export interface DiagramEdge {
  from: string;
  to: string;
  labels: string[];
}

export interface FlowDiagram {
  flow: string;
  title: string;
  description: string;
  nodes: DiagramNode[];
  edges: DiagramEdge[];
}

/** The longest text a box shows; the full text stays in the SVG box's tooltip. */
export const maxTextLength = 280;

/**
 * Turns a validated flow into boxes and arrows: every node a box (in the order of a walk from the
 * start, so the reading order follows the conversation), conditions as arrow labels, jumps as
 * arrows to a box for the other flow. Pure: texts come from `language`.
 */
export function buildDiagram(flow: Flow, language: DiagramLanguage): FlowDiagram {
  const { words } = language;
  const nodes = new Map<string, DiagramNode>();
  const edges = new Map<string, DiagramEdge>();
  const textOf = (text: FlowText | undefined) => (text === undefined ? undefined : resolveText(text, flow.namespace, language));

  const addEdge = (from: string, to: string, label?: string) => {
    const id = `${from}\u0000${to}`;
    const edge = edges.get(id) ?? { from, to, labels: [] };
    if (label !== undefined && !edge.labels.includes(label)) edge.labels.push(label);
    edges.set(id, edge);
  };
  const targetKey = (target: string) => (flow.nodes[target] ? target : `missing:${target}`);
  const addNext = (from: string, next: Next | undefined) => {
    if (next === undefined) return;
    if (typeof next === 'string') return addEdge(from, targetKey(next));
    for (const step of next) {
      const label = step.if ? conditionText(step.if, words) : next.length > 1 ? words('otherwise') : undefined;
      addEdge(from, targetKey(step.goto), label);
    }
  };

  for (const id of walkOrder(flow)) {
    const node = flow.nodes[id];
    if (!node) continue;
    const box: DiagramNode = { key: id, id, kind: node.type, start: id === flow.start, details: [], choices: [] };
    describeNode(box, node, flow, language, textOf);
    nodes.set(id, box);
    if (node.type === 'jump') {
      const key = `flow:${node.flow}${node.node ? `#${node.node}` : ''}`;
      if (!nodes.has(key)) {
        nodes.set(key, { key, id: node.node ? `${node.flow} · ${node.node}` : node.flow, kind: 'flow', start: false, details: [], choices: [] });
      }
      addEdge(id, key);
    } else if (node.type !== 'end') addNext(id, node.next);
  }
  // Targets the linter would flag still get a box, so every arrow ends somewhere visible.
  for (const edge of edges.values()) {
    if (nodes.has(edge.to) || !edge.to.startsWith('missing:')) continue;
    const id = edge.to.slice('missing:'.length);
    nodes.set(edge.to, { key: edge.to, id, kind: 'missing', start: false, text: words('missing_text'), details: [], choices: [] });
  }

  const title = words('title', { flow: flow.id });
  const description = words('description', { flow: flow.id, nodes: Object.keys(flow.nodes).length, edges: edges.size, start: flow.start });
  return { flow: flow.id, title, description, nodes: [...nodes.values()], edges: [...edges.values()] };
}

function describeNode(
  box: DiagramNode,
  node: FlowNode,
  flow: Flow,
  language: DiagramLanguage,
  textOf: (text: FlowText | undefined) => { text: string; key: string } | undefined,
): void {
  const { words } = language;
  const setText = (text: FlowText | undefined) => {
    const resolved = textOf(text);
    if (!resolved) return;
    box.text = resolved.text.replace(/\s+/g, ' ').trim();
    box.textKey = resolved.key;
  };
  switch (node.type) {
    case 'say':
    case 'end':
      setText(node.text);
      break;
    case 'ask': {
      setText(node.text);
      const why = textOf(node.why);
      if (why) box.details.push(words('why', { text: shorten(why.text) }));
      box.details.push(inputWords(node.input, language));
      box.choices = choiceLabels(node.input, flow.namespace, language);
      box.details.push(...box.choices.map((label) => `○ ${label}`));
      box.details.push(words('saved_as', { answer: node.answer }));
      if (node.effect === 'consent') box.details.push(words('consent'));
      break;
    }
    case 'set':
      box.details.push(...Object.entries(node.values).map(([name, value]) => words('set_value', { name, value: String(value) })));
      break;
    case 'handoff':
      setText(node.text);
      box.details.push(words('handoff_reason', { reason: language.reason(node.reason) }));
      if (node.next === undefined) box.details.push(words('handoff_waits'));
      break;
    case 'eligibility':
      box.text = words('eligibility_text');
      break;
    case 'jump':
      box.text = node.node ? words('continues_at', { flow: node.flow, node: node.node }) : words('continues_in', { flow: node.flow });
      break;
    case 'branch':
      break;
    default: {
      const unreachable: never = node;
      return unreachable;
    }
  }
}

function inputWords(input: Input, language: DiagramLanguage): string {
  if (input.kind === 'choice') return language.words(input.multiple ? 'input.choice_multiple' : 'input.choice');
  return language.words(`input.${input.kind}`);
}

/** The buttons a question shows, in their order (as the engine's `choicesFor` offers them). */
function choiceLabels(input: Input, namespace: string, language: DiagramLanguage): string[] {
  const label = (key: string) => resolveText(key, namespace, language)?.text ?? key;
  const extras = input.kind === 'language' ? [] : (input.allow ?? []).map((value) => label(`system:answer.${value}`));
  switch (input.kind) {
    case 'choice':
      return [...input.choices.map((choice) => label(choice.label)), ...extras];
    case 'yes_no':
      return [label('system:answer.yes'), label('system:answer.no'), ...extras];
    case 'country':
      return [...(input.suggestions ?? []), ...extras];
    case 'language':
      return [];
    case 'number':
    case 'date':
    case 'text':
      return extras;
    default: {
      const unreachable: never = input;
      return unreachable;
    }
  }
}

function resolveText(text: FlowText, namespace: string, language: DiagramLanguage): { text: string; key: string } {
  const [key, params] = typeof text === 'string' ? [text, undefined] : [text.key, text.params];
  const full = withNamespace(key, namespace);
  return { text: language.text(full, params) ?? full, key: full };
}

/** A box's text cut to `maxTextLength`, so one long notice does not dwarf the diagram. */
export function shorten(text: string): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  return flat.length > maxTextLength ? `${flat.slice(0, maxTextLength - 1).trimEnd()}…` : flat;
}

/** Node ids in the order a conversation meets them (depth first along `next`), then any the start cannot reach. */
export function walkOrder(flow: Flow): string[] {
  const seen = new Set<string>();
  const visit = (id: string) => {
    const node = flow.nodes[id];
    if (seen.has(id) || !node) return;
    seen.add(id);
    for (const target of nextTargets(node)) visit(target);
  };
  visit(flow.start);
  for (const id of Object.keys(flow.nodes)) visit(id);
  return [...seen];
}

function nextTargets(node: FlowNode): string[] {
  if (node.type === 'end' || node.type === 'jump' || node.next === undefined) return [];
  return typeof node.next === 'string' ? [node.next] : node.next.map((step) => step.goto);
}
