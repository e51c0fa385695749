// The flow diagrams page: pick a flow, see it drawn by the server. The diagram is an <img> of the
// same-origin SVG (the console's CSP allows images from 'self' only, and an image cannot run
// script), with links to the SVG alone and to its Mermaid text.
import { z } from 'zod';
import { h } from '../../../../channels/web/widget/client/dom.js';
import type { AdminPage, AdminView } from './page.js';

const flowsSchema = z.object({
  flows: z.array(z.object({ name: z.string(), start: z.string(), nodes: z.number(), questions: z.number(), handoffs: z.number() })),
});
type FlowSummary = z.infer<typeof flowsSchema>['flows'][number];

const diagramUrl = (name: string, extension: 'svg' | 'mmd', lng: string) =>
  `/console/api/admin/flows/${encodeURIComponent(name)}.${extension}?lng=${encodeURIComponent(lng)}`;

async function renderFlows(view: AdminView): Promise<void> {
  const { flows } = await view.call(flowsSchema, 'GET', '/admin/flows');
  const title = view.t('admin.flows.nav');
  if (flows.length === 0) return view.show(title, h('p', {}, view.t('admin.flows.none')));

  const select = h(
    'select',
    { id: 'flow-pick' },
    ...flows.map((flow) => h('option', { value: flow.name }, view.t('admin.flows.option', { name: flow.name, count: flow.nodes }))),
  );
  const image = h('img', { class: 'flow-diagram', decoding: 'async' });
  const status = h('p', { role: 'status' });
  const svgLink = h('a', { target: '_blank', rel: 'noopener' }, view.t('admin.flows.open_svg'));
  const mermaidLink = h('a', { target: '_blank', rel: 'noopener' }, view.t('admin.flows.mermaid'));
  // Focusable so a keyboard user can scroll a diagram larger than the screen.
  const frame = h('div', { role: 'region', tabindex: '0', style: 'overflow:auto;max-height:75vh;border:1px solid #cbd5e0;background:#fff' }, image);

  const pick = (flow: FlowSummary) => {
    status.textContent = '';
    image.setAttribute('alt', view.t('admin.flows.image_alt', { name: flow.name }));
    image.setAttribute('src', diagramUrl(flow.name, 'svg', view.lng));
    frame.setAttribute('aria-label', view.t('admin.flows.region', { name: flow.name }));
    svgLink.setAttribute('href', diagramUrl(flow.name, 'svg', view.lng));
    mermaidLink.setAttribute('href', diagramUrl(flow.name, 'mmd', view.lng));
  };
  image.addEventListener('error', () => {
    status.textContent = view.t('admin.flows.load_failed');
  });
  select.addEventListener('change', () => {
    const flow = flows.find((candidate) => candidate.name === select.value);
    if (flow) pick(flow);
  });
  pick(flows[0]!);

  view.show(
    title,
    h('p', {}, view.t('admin.flows.intro')),
    h('p', {}, h('label', { for: 'flow-pick' }, view.t('admin.flows.pick')), ' ', select),
    h('p', {}, svgLink, ' · ', mermaidLink),
    status,
    frame,
  );
}

export const flowsPages: AdminPage[] = [{ path: 'flows', navKey: 'admin.flows.nav', render: renderFlows }];
