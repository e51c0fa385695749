import { escapeXml } from './escape.js';
import { layoutGraph, type PlacedBox, type Point } from './layout.js';
import { boxLines } from './lines.js';
import type { DiagramNode, FlowDiagram } from './model.js';
import { edgeColour, palette, textColour } from './palette.js';
import { wrapText, textWidth } from './wrap.js';
import { diagramNodeKinds, type DiagramNodeKind, type DiagramWords } from './words.js';

const boxWidth = 250;
const padding = { x: 12, y: 10 };
/** Jump boxes point down with a tip this tall. */
const tipHeight = 12;
const fonts = { start: 11, heading: 12, text: 13, detail: 11.5, label: 11, legend: 12 };
const lineHeight = (size: number) => Math.round(size * 1.4);
const labelChars = 28;

interface TextLine {
  text: string;
  size: number;
  weight: 'bold' | 'normal';
  colour: string;
}

/**
 * The diagram as a standalone SVG document, drawn on the server with the layered layout: one
 * shape and colour per kind (named in a legend), the person's texts wrapped in the boxes, arrows
 * labelled with their conditions. Every text is XML-escaped; `role="img"`, `<title>` and `<desc>`
 * name it for assistive technology.
 */
export function toSvg(diagram: FlowDiagram, words: DiagramWords): string {
  const content = new Map(diagram.nodes.map((node) => [node.key, linesOf(node, words)]));
  const labels = new Map(diagram.edges.map((edge) => [edge, edge.labels.flatMap((label) => wrapText(label, labelChars))]));
  const layout = layoutGraph(
    diagram.nodes.map((node) => ({ key: node.key, width: boxWidth, height: heightOf(node.kind, content.get(node.key)!) })),
    diagram.edges.map((edge) => ({ from: edge.from, to: edge.to, labelHeight: labelBlockHeight(labels.get(edge)!.length) })),
    diagram.nodes.find((node) => node.start)?.key,
  );

  const legendKinds = diagramNodeKinds.filter((kind) => diagram.nodes.some((node) => node.kind === kind));
  const legend = legendLayout(legendKinds, words, Math.max(layout.width, 640));
  const width = Math.ceil(Math.max(layout.width, legend.width));
  const height = Math.ceil(layout.height + legend.height);

  const edgePaths: string[] = [];
  const edgeLabels: string[] = [];
  const taken: Rect[] = [];
  layout.edges.forEach((route) => {
    const edge = diagram.edges.find((candidate) => candidate.from === route.from && candidate.to === route.to)!;
    const box = layout.boxes.get(route.from)!;
    const d = route.self ? selfLoop(box) : curveThrough(route.points);
    const dashed = edge.to.startsWith('flow:') ? ' stroke-dasharray="6 4"' : '';
    edgePaths.push(
      `<g class="edge" data-from="${escapeXml(edge.from)}" data-to="${escapeXml(edge.to)}"><path d="${d}" fill="none" stroke="${edgeColour}" stroke-width="1.5"${dashed} marker-end="url(#arrow)"/></g>`,
    );
    const lines = labels.get(edge)!;
    if (lines.length === 0) return;
    const at = route.self ? { x: box.x + box.width + 44, y: box.y + box.height / 2 } : labelPoint(route.points);
    edgeLabels.push(labelBox(lines, at, route.self, taken));
  });

  const nodes = diagram.nodes.map((node) => drawNode(node, layout.boxes.get(node.key)!, content.get(node.key)!));
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" role="img" aria-labelledby="diagram-title diagram-desc" font-family="system-ui, -apple-system, 'Segoe UI', Roboto, 'Noto Sans', sans-serif">`,
    `<title id="diagram-title">${escapeXml(diagram.title)}</title>`,
    `<desc id="diagram-desc">${escapeXml(diagram.description)}</desc>`,
    `<defs><marker id="arrow" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="8" markerHeight="8" orient="auto-start-reverse"><path d="M0,0 L10,5 L0,10 z" fill="${edgeColour}"/></marker></defs>`,
    `<rect width="${width}" height="${height}" fill="#ffffff"/>`,
    `<g class="edges">${edgePaths.join('')}</g>`,
    `<g class="nodes">${nodes.join('')}</g>`,
    `<g class="edge-labels">${edgeLabels.join('')}</g>`,
    `<g class="legend" transform="translate(0 ${Math.ceil(layout.height)})">${legend.markup}</g>`,
    '</svg>',
    '',
  ].join('\n');
}

function linesOf(node: DiagramNode, words: DiagramWords): TextLine[] {
  const box = boxLines(node, words);
  const style = palette[node.kind];
  const inner = boxWidth - 2 * padding.x;
  const wrap = (text: string, size: number) => wrapText(text, Math.max(8, Math.floor(inner / (size * 0.56))));
  return [
    ...(box.start ? [{ text: box.start, size: fonts.start, weight: 'bold' as const, colour: style.stroke }] : []),
    ...wrap(box.heading, fonts.heading).map((text) => ({ text, size: fonts.heading, weight: 'bold' as const, colour: style.stroke })),
    ...(box.text ? wrap(box.text, fonts.text).map((text) => ({ text, size: fonts.text, weight: 'normal' as const, colour: textColour })) : []),
    ...box.details.flatMap((detail) => wrap(detail, fonts.detail).map((text) => ({ text, size: fonts.detail, weight: 'normal' as const, colour: '#2d3748' }))),
  ];
}

function heightOf(kind: DiagramNodeKind, lines: TextLine[]): number {
  const tip = kind === 'jump' || kind === 'flow' ? tipHeight : 0;
  return 2 * padding.y + lines.reduce((sum, line) => sum + lineHeight(line.size), 0) + tip;
}

function labelBlockHeight(lines: number): number {
  return lines === 0 ? 0 : lines * lineHeight(fonts.label) + 8;
}

function drawNode(node: DiagramNode, box: PlacedBox, lines: TextLine[]): string {
  const tooltip = [node.textKey, node.text].filter(Boolean).join(': ') || node.id;
  const identity = node.key === node.id ? `data-node="${escapeXml(node.id)}"` : `data-ref="${escapeXml(node.key)}"`;
  let y = box.y + padding.y;
  const spans = lines.map((line) => {
    y += lineHeight(line.size);
    const weight = line.weight === 'bold' ? ' font-weight="bold"' : '';
    return `<text x="${fmt(box.x + padding.x)}" y="${fmt(y - line.size * 0.35)}" font-size="${line.size}"${weight} fill="${line.colour}">${escapeXml(line.text)}</text>`;
  });
  return `<g class="node" ${identity} data-kind="${node.kind}"><title>${escapeXml(tooltip)}</title>${shape(node.kind, box)}${spans.join('')}</g>`;
}

/** The outline of a box: the shape says the kind as much as the colour does. */
export function shape(kind: DiagramNodeKind, box: { x: number; y: number; width: number; height: number }): string {
  const style = palette[kind];
  const paint = `fill="${style.fill}" stroke="${style.stroke}" stroke-width="${style.strokeWidth}"${style.dashed ? ' stroke-dasharray="6 3"' : ''}`;
  const { x, y, width: w, height: h } = box;
  const rect = (radius: number, extra = '') => `<rect x="${fmt(x)}" y="${fmt(y)}" width="${fmt(w)}" height="${fmt(h)}" rx="${fmt(radius)}" ${paint}${extra}/>`;
  const polygon = (points: [number, number][]) => `<polygon points="${points.map(([px, py]) => `${fmt(px)},${fmt(py)}`).join(' ')}" ${paint}/>`;
  switch (kind) {
    case 'say':
      return rect(6);
    case 'ask':
      // A question: a solid bar down its left edge.
      return `${rect(2)}<rect x="${fmt(x)}" y="${fmt(y)}" width="5" height="${fmt(h)}" fill="${style.stroke}"/>`;
    case 'branch': {
      const inset = Math.min(12, w / 4);
      return polygon([
        [x + inset, y],
        [x + w - inset, y],
        [x + w, y + h / 2],
        [x + w - inset, y + h],
        [x + inset, y + h],
        [x, y + h / 2],
      ]);
    }
    case 'handoff':
      // A handoff: a double border.
      return `${rect(4)}<rect x="${fmt(x + 5)}" y="${fmt(y + 5)}" width="${fmt(w - 10)}" height="${fmt(h - 10)}" rx="2" fill="none" stroke="${style.stroke}" stroke-width="1"/>`;
    case 'end':
      return rect(Math.min(h / 2, 22));
    case 'jump':
    case 'flow':
      return polygon([
        [x, y],
        [x + w, y],
        [x + w, y + h - tipHeight],
        [x + w / 2, y + h],
        [x, y + h - tipHeight],
      ]);
    case 'eligibility':
      return rect(14);
    case 'set':
    case 'missing':
      return rect(0);
    default: {
      const unreachable: never = kind;
      return unreachable;
    }
  }
}

/** Smooth vertical S-curves through the points. */
function curveThrough(points: readonly Point[]): string {
  const [first, ...rest] = points;
  if (!first) return '';
  let d = `M${fmt(first.x)},${fmt(first.y)}`;
  let previous = first;
  for (const point of rest) {
    const middle = (previous.y + point.y) / 2;
    d += ` C${fmt(previous.x)},${fmt(middle)} ${fmt(point.x)},${fmt(middle)} ${fmt(point.x)},${fmt(point.y)}`;
    previous = point;
  }
  return d;
}

/** An edge that returns to its own box loops out on the right. */
function selfLoop(box: PlacedBox): string {
  const x = box.x + box.width;
  const [top, bottom] = [box.y + box.height / 2 - 12, box.y + box.height / 2 + 12];
  return `M${fmt(x)},${fmt(top)} C${fmt(x + 40)},${fmt(top - 20)} ${fmt(x + 40)},${fmt(bottom + 20)} ${fmt(x)},${fmt(bottom)}`;
}

/** The middle of an edge's first stretch: in the gap under its source, which the layout made tall enough. */
function labelPoint(points: readonly Point[]): Point {
  const [a, b] = [points[0]!, points[1] ?? points[0]!];
  return { x: (a.x + b.x) / 2, y: (a.y + b.y) / 2 };
}

interface Rect {
  x: number;
  y: number;
  width: number;
  height: number;
}

const overlaps = (a: Rect, b: Rect) => a.x < b.x + b.width && b.x < a.x + a.width && a.y < b.y + b.height && b.y < a.y + a.height;

/** A label on a white plate; nudged down past labels already placed, so two conditions never print over each other. */
function labelBox(lines: string[], at: Point, leftAligned: boolean, taken: Rect[]): string {
  const width = Math.max(...lines.map((line) => textWidth(line, fonts.label))) + 10;
  const height = lines.length * lineHeight(fonts.label) + 6;
  const x = leftAligned ? at.x : at.x - width / 2;
  let y = at.y - height / 2;
  for (let tries = 0; tries < 8; tries += 1) {
    const clash = taken.find((rect) => overlaps(rect, { x, y, width, height }));
    if (!clash) break;
    y = clash.y + clash.height + 2;
  }
  taken.push({ x, y, width, height });
  const texts = lines.map(
    (line, i) =>
      `<text x="${fmt(x + 5)}" y="${fmt(y + 3 + (i + 1) * lineHeight(fonts.label) - fonts.label * 0.35)}" font-size="${fonts.label}" fill="${textColour}">${escapeXml(line)}</text>`,
  );
  return `<g class="edge-label"><rect x="${fmt(x)}" y="${fmt(y)}" width="${fmt(width)}" height="${fmt(height)}" rx="3" fill="#ffffff" fill-opacity="0.92" stroke="#cbd5e0" stroke-width="0.75"/>${texts.join('')}</g>`;
}

/** The legend: a small sample of each kind's shape with its name, in rows as wide as the diagram. */
function legendLayout(kinds: readonly DiagramNodeKind[], words: DiagramWords, maxWidth: number): { markup: string; width: number; height: number } {
  const margin = 24;
  const sample = { width: 34, height: 22 };
  const rowHeight = 32;
  const heading = `<text x="${margin}" y="${margin + fonts.legend}" font-size="${fonts.legend}" font-weight="bold" fill="${textColour}">${escapeXml(words('legend'))}</text>`;
  const items: string[] = [];
  let [x, y] = [margin, margin + fonts.legend + 12];
  let widest = 0;
  for (const kind of kinds) {
    const name = words(`kind.${kind}`);
    const itemWidth = sample.width + 8 + textWidth(name, fonts.legend) + 24;
    if (x + itemWidth > maxWidth - margin && x > margin) {
      x = margin;
      y += rowHeight;
    }
    items.push(
      `<g class="legend-item" data-kind="${kind}">${shape(kind, { x, y, width: sample.width, height: sample.height })}<text x="${fmt(x + sample.width + 8)}" y="${fmt(y + sample.height / 2 + fonts.legend * 0.35)}" font-size="${fonts.legend}" fill="${textColour}">${escapeXml(name)}</text></g>`,
    );
    x += itemWidth;
    widest = Math.max(widest, x);
  }
  return { markup: heading + items.join(''), width: widest + margin, height: y + rowHeight + margin };
}

const fmt = (value: number) => (Math.round(value * 10) / 10).toString();
