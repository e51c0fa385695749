import { shorten, type DiagramNode } from './model.js';
import type { DiagramWords } from './words.js';

/** A box's lines, top to bottom: the start marker, kind and id, what the person reads, then the details. */
export interface BoxLines {
  start?: string;
  heading: string;
  text?: string;
  details: string[];
}

export function boxLines(node: DiagramNode, words: DiagramWords): BoxLines {
  return {
    ...(node.start ? { start: `▶ ${words('start')}` } : {}),
    heading: `${words(`kind.${node.kind}`)} · ${node.id}`,
    ...(node.text !== undefined ? { text: shorten(node.text) } : {}),
    details: node.details,
  };
}
