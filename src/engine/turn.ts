import type { Flow, FlowNode, FlowText } from '../flows/schema.js';
import { choicesFor, withNamespace } from './answers/parse.js';
import type { ConversationState, DomainEvent, EngineContext, Explanation, OutboundChoice, OutboundMessage, TextRef, Translate } from './types.js';

export class EngineError extends Error {
  constructor(
    message: string,
    readonly where: { flow: string; node: string },
  ) {
    super(`${message} (flow ${where.flow}, node ${where.node})`);
    this.name = 'EngineError';
  }
}

/** The working copy of one turn: the state being advanced and what it produces. */
export class Turn {
  readonly messages: OutboundMessage[] = [];
  readonly events: DomainEvent[] = [];

  constructor(
    readonly ctx: EngineContext,
    public state: ConversationState,
    public locale: string,
  ) {}

  get t(): Translate {
    return this.ctx.translatorFor(this.locale);
  }

  flow(id = this.state.flow): Flow {
    const flow = this.ctx.flows.get(id);
    if (!flow) throw new EngineError(`unknown flow "${id}"`, { flow: id, node: this.state.node });
    return flow;
  }

  node(): FlowNode {
    const node = this.flow().nodes[this.state.node];
    if (!node) throw new EngineError('unknown node', { flow: this.state.flow, node: this.state.node });
    return node;
  }

  /** Adds a message. Answers can be quoted in params as "$answerName"; `audience` picks i18next context variants. */
  say(text: TextRef, extra: Pick<OutboundMessage, 'choices' | 'node'> = {}): void {
    const params: Record<string, unknown> = {};
    for (const [name, value] of Object.entries(text.params ?? {})) {
      params[name] = typeof value === 'string' && value.startsWith('$') ? (this.state.answers[value.slice(1)] ?? '') : value;
    }
    const audience = this.state.answers.audience;
    if (typeof audience === 'string' && params.context === undefined) params.context = audience;
    this.messages.push({ key: text.key, ...(Object.keys(params).length > 0 ? { params } : {}), ...extra });
  }

  sayFlowText(text: FlowText): void {
    this.say(flowTextRef(text, this.flow().namespace));
  }

  /** The choices the current ask offers (with the multi-select "done" button when it collects several). */
  currentChoices(): OutboundChoice[] {
    const node = this.node();
    if (node.type !== 'ask') return [];
    const choices = choicesFor(node.input, { locales: this.ctx.locales, namespace: this.flow().namespace, locale: this.locale });
    choices.push(
      ...this.programmeDetails().map(({ programme, nameKey }) => ({ value: `${detailPrefix}${programme}`, label: { key: moreAboutKey, params: { nameKey } } })),
    );
    if (!(node.input.kind === 'choice' && node.input.multiple)) return choices;
    choices.push({ value: doneValue, label: { key: 'system:answer.done' } });
    // What is already chosen shows a mark, so the person sees their picks on the buttons themselves.
    const { pending } = this.state;
    const selected = pending?.kind === 'multi' || pending?.kind === 'pause' ? (pending.selected ?? []) : [];
    return choices.map((choice) =>
      selected.includes(choice.value) ? { ...choice, label: { key: 'system:answer.chosen', params: { label: this.labelText(choice.label) } } } : choice,
    );
  }

  /**
   * What the current question's "more about" buttons give (a question with `details: programmes`):
   * the programmes the explanation said fit or may fit, each with its detail.
   */
  programmeDetails(): Explanation['programmes'] {
    const node = this.node();
    if (node.type !== 'ask' || node.details !== 'programmes' || !this.ctx.eligibility) return [];
    return this.ctx.eligibility(this.state.answers).programmes.filter(({ outcome }) => outcome !== 'not_eligible');
  }

  private labelText(label: OutboundChoice['label']): string {
    return 'literal' in label ? label.literal : this.t(label.key, label.params);
  }

  /** Asks the current question (again). */
  prompt(): void {
    const node = this.node();
    if (node.type !== 'ask') throw new EngineError('prompt on a node that is not an ask', { flow: this.state.flow, node: this.state.node });
    this.say(flowTextRef(node.text, this.flow().namespace), { choices: this.currentChoices(), node: this.state.node });
  }
}

export const doneValue = '__done';
/** The value of a "more about" button: `more:<programme id>`. */
export const detailPrefix = 'more:';
const moreAboutKey = 'eligibility:explain.more_about';
/** The "none of these" choice of a multi-select: it finishes the question at once. */
export const noneValue = 'none';

export function flowTextRef(text: FlowText, namespace: string): TextRef {
  return typeof text === 'string'
    ? { key: withNamespace(text, namespace) }
    : { key: withNamespace(text.key, namespace), ...(text.params ? { params: text.params } : {}) };
}
