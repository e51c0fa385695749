import type { Localisation } from '../../i18n/index.js';
import type { Flow } from '../../flows/schema.js';
import { buildDiagram, type FlowDiagram } from './model.js';
import { toMermaid } from './mermaid.js';
import { toSvg } from './svg.js';
import type { DiagramLanguage } from './words.js';

export type DiagramFormat = 'mermaid' | 'svg';

/**
 * A diagram's language from the project's locales: the flow's texts as the person reads them in
 * `lng` (i18next falls back to English key by key), the diagram's own words from
 * `console:admin.flows.diagram.*`, handoff reasons as the console names them.
 */
export function diagramLanguage(localisation: Pick<Localisation, 'translatorFor' | 'i18n'>, lng: string): DiagramLanguage {
  const t = localisation.translatorFor(lng);
  return {
    words: (key, params) => t(`console:admin.flows.diagram.${key}`, params),
    text: (key, params) => (localisation.i18n.exists(key, { lng }) ? t(key, params) : undefined),
    reason: (reason) => t(`console:handoff_reason.${reason}`, { defaultValue: reason }),
  };
}

/** One flow drawn in one language and format: what the CLI prints and the console serves. */
export function renderFlow(flow: Flow, language: DiagramLanguage, format: DiagramFormat): { diagram: FlowDiagram; output: string } {
  const diagram = buildDiagram(flow, language);
  return { diagram, output: format === 'svg' ? toSvg(diagram, language.words) : toMermaid(diagram, language.words) };
}
