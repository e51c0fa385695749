// Flow diagrams: a graph model of a flow, drawn as Mermaid text or as an SVG with a layout of our own.
export { buildDiagram, type DiagramEdge, type DiagramNode, type FlowDiagram } from './model.js';
export { conditionText } from './condition-text.js';
export { toMermaid } from './mermaid.js';
export { toSvg } from './svg.js';
export { diagramLanguage, renderFlow, type DiagramFormat } from './language.js';
export { escapeMermaid, escapeXml, unescapeMermaid } from './escape.js';
export type { DiagramLanguage, DiagramWords, DiagramNodeKind } from './words.js';
