import { escapeMermaid, mermaidId } from './escape.js';
import { boxLines } from './lines.js';
import type { FlowDiagram } from './model.js';
import { palette } from './palette.js';
import type { DiagramNodeKind, DiagramWords } from './words.js';

/** Opening and closing of each kind's Mermaid shape, around a quoted label. */
const shapes: Readonly<Record<DiagramNodeKind, readonly [string, string]>> = {
  say: ['["', '"]'],
  ask: ['[/"', '"/]'],
  branch: ['{{"', '"}}'],
  set: ['[("', '")]'],
  handoff: ['[["', '"]]'],
  end: ['(["', '"])'],
  jump: ['>"', '"]'],
  eligibility: ['("', '")'],
  flow: ['>"', '"]'],
  missing: ['["', '"]'],
};

/**
 * The diagram as Mermaid (`flowchart TD`), for mermaid.live or a Markdown file: one line per box,
 * one per arrow, a class per kind. Labels are quoted and entity-escaped, ids reduced to
 * `[A-Za-z0-9_]` with a prefix, so no text from a flow can break the syntax.
 */
export function toMermaid(diagram: FlowDiagram, words: DiagramWords): string {
  const ids = mermaidIds(diagram.nodes.map((node) => node.key));
  const lines = [`%% ${escapeMermaid(diagram.title)}`, `%% ${escapeMermaid(diagram.description)}`, 'flowchart TD'];
  for (const node of diagram.nodes) {
    const box = boxLines(node, words);
    const label = [box.start, box.heading, box.text, ...box.details]
      .filter((line): line is string => line !== undefined)
      .map(escapeMermaid)
      .join('<br/>');
    const [open, close] = shapes[node.kind];
    lines.push(`  ${ids.get(node.key)}${open}${label}${close}`);
  }
  for (const edge of diagram.edges) {
    const arrow = edge.to.startsWith('flow:') ? '-.->' : '-->';
    const label = edge.labels.length > 0 ? `|"${edge.labels.map(escapeMermaid).join('<br/>')}"|` : '';
    lines.push(`  ${ids.get(edge.from)} ${arrow}${label} ${ids.get(edge.to)}`);
  }
  const kinds = [...new Set(diagram.nodes.map((node) => node.kind))];
  for (const kind of kinds) {
    const style = palette[kind];
    lines.push(
      `  classDef ${kind}Kind fill:${style.fill},stroke:${style.stroke},stroke-width:${style.strokeWidth}px${style.dashed ? ',stroke-dasharray:5 3' : ''}`,
    );
    lines.push(
      `  class ${diagram.nodes
        .filter((node) => node.kind === kind)
        .map((node) => ids.get(node.key))
        .join(',')} ${kind}Kind`,
    );
  }
  return `${lines.join('\n')}\n`;
}

/** Unique Mermaid ids: `n_` for the flow's nodes, `f_` for other flows, `m_` for missing targets. */
function mermaidIds(keys: readonly string[]): Map<string, string> {
  const ids = new Map<string, string>();
  const used = new Set<string>();
  for (const key of keys) {
    const [prefix, rest] = key.startsWith('flow:') ? ['f', key.slice(5)] : key.startsWith('missing:') ? ['m', key.slice(8)] : ['n', key];
    let id = mermaidId(prefix, rest);
    for (let suffix = 2; used.has(id); suffix += 1) id = `${mermaidId(prefix, rest)}_${suffix}`;
    used.add(id);
    ids.set(key, id);
  }
  return ids;
}
