import type { DiagramNodeKind } from './words.js';

/** Colours and strokes per kind, shared by the SVG and Mermaid output. Shapes differ too, so colour is never the only cue. */
export interface KindStyle {
  fill: string;
  stroke: string;
  strokeWidth: number;
  dashed: boolean;
}

export const palette: Readonly<Record<DiagramNodeKind, KindStyle>> = {
  say: { fill: '#e8f1fb', stroke: '#2b6cb0', strokeWidth: 1.5, dashed: false },
  ask: { fill: '#fff4d6', stroke: '#975a16', strokeWidth: 2, dashed: false },
  branch: { fill: '#f3e8ff', stroke: '#6b46c1', strokeWidth: 1.5, dashed: false },
  set: { fill: '#edf2f7', stroke: '#4a5568', strokeWidth: 1.5, dashed: true },
  handoff: { fill: '#fde8e8', stroke: '#c53030', strokeWidth: 3, dashed: false },
  end: { fill: '#e6f4ea', stroke: '#276749', strokeWidth: 3, dashed: false },
  jump: { fill: '#e6fffa', stroke: '#285e61', strokeWidth: 2, dashed: false },
  eligibility: { fill: '#f0fff4', stroke: '#2f855a', strokeWidth: 1.5, dashed: false },
  flow: { fill: '#ffffff', stroke: '#285e61', strokeWidth: 2, dashed: true },
  missing: { fill: '#fff5f5', stroke: '#c53030', strokeWidth: 2, dashed: true },
};

export const textColour = '#1a202c';
export const edgeColour = '#4a5568';
