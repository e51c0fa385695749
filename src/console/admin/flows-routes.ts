import { Router } from 'express';
import { z } from 'zod';
import type { Flow } from '../../flows/schema.js';
import { diagramLanguage, renderFlow, type DiagramFormat } from '../../authoring/diagram/index.js';
import type { Localisation } from '../../i18n/index.js';
import { refuse, type ConsoleAuth } from '../auth/auth.js';
import { adminOnly } from '../auth/route-helpers.js';

/** `intake.svg`, `counselling.mmd`: a flow id (as the flow schema allows it) and the format. */
export const flowDiagramParamsSchema = z.strictObject({
  file: z
    .string()
    .max(120)
    .regex(/^[A-Za-z][A-Za-z0-9_.-]*\.(svg|mmd)$/),
});
/** The language of the person's texts in the diagram; the console's language by default, English where a text is missing. */
export const flowDiagramQuerySchema = z.object({
  lng: z
    .string()
    .regex(/^[a-z]{2,3}(-[A-Za-z0-9]{2,8})?$/)
    .optional(),
});

const formats: Readonly<Record<string, { format: DiagramFormat; type: string }>> = {
  svg: { format: 'svg', type: 'image/svg+xml; charset=utf-8' },
  mmd: { format: 'mermaid', type: 'text/plain; charset=utf-8' },
};

/**
 * Admin-only flow diagrams, so an organisation can review what the bot asks without reading YAML:
 * `GET /admin/flows` lists the flows with their step counts; `GET /admin/flows/<id>.svg` draws one,
 * `.mmd` gives the same as Mermaid text. The flows are the installation's, the same for every
 * organisation, and read-only here: nothing changes, so there is nothing to audit.
 */
export function flowsAdminRouter(deps: { auth: ConsoleAuth; flows: ReadonlyMap<string, Flow>; localisation: Localisation }): Router {
  const router = Router();

  router.get('/admin/flows', deps.auth.authenticate(), adminOnly, (_req, res) => {
    res.json({
      flows: [...deps.flows.values()].map((flow) => {
        const nodes = Object.values(flow.nodes);
        return {
          name: flow.id,
          start: flow.start,
          nodes: nodes.length,
          questions: nodes.filter((node) => node.type === 'ask').length,
          handoffs: nodes.filter((node) => node.type === 'handoff').length,
        };
      }),
    });
  });

  router.get('/admin/flows/:file', deps.auth.authenticate(), adminOnly, (req, res) => {
    const params = flowDiagramParamsSchema.safeParse(req.params);
    const query = flowDiagramQuerySchema.safeParse(req.query);
    if (!params.success) return refuse(res, 404, 'not_found', 'no such flow diagram');
    if (!query.success) return refuse(res, 400, 'invalid_query', 'lng must be a language code');
    const dot = params.data.file.lastIndexOf('.');
    const flow = deps.flows.get(params.data.file.slice(0, dot));
    const kind = formats[params.data.file.slice(dot + 1)];
    if (!flow || !kind) return refuse(res, 404, 'not_found', 'no such flow');
    // Any language with texts in `locales/` (the console's own included); i18next falls back to English key by key.
    const asked = query.data.lng ?? deps.localisation.baseLocale;
    const lng = Object.hasOwn(deps.localisation.resources, asked) ? asked : deps.localisation.baseLocale;
    const { output } = renderFlow(flow, diagramLanguage(deps.localisation, lng), kind.format);
    res.setHeader('Cache-Control', 'private, no-cache');
    res.setHeader('Content-Language', lng);
    res.type(kind.type).send(output);
  });
  return router;
}
