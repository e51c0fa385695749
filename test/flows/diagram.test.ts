// Flow diagrams: the Mermaid text read back line by line, the SVG parsed as XML, escaping of
// hostile texts in both, the CLI, and the admin-only console routes.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import express from 'express';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConsoleAuth } from '../../src/console/auth/auth.js';
import { hashPassword } from '../../src/console/auth/password.js';
import { flowsAdminRouter } from '../../src/console/admin/flows-routes.js';
import { main as diagramCli } from '../../src/authoring/cli/diagram.js';
import { buildDiagram, conditionText, diagramLanguage, toMermaid, toSvg, unescapeMermaid, type DiagramLanguage } from '../../src/authoring/diagram/index.js';
import { loadFlows, parseFlowText } from '../../src/flows/load.js';
import type { Flow, FlowNode } from '../../src/flows/schema.js';
import { errorHandler, notFound } from '../../src/http/errors.js';
import { createLocalisation, type Localisation } from '../../src/i18n/index.js';
import { createConsoleRepository } from '../../src/store/repositories/console.js';
import { createOrganisationRepository } from '../../src/store/repositories/organisations.js';
import { captureCli, succeeds } from '../support/cli.js';
import { loginToConsole } from '../support/console.js';
import { useTestDatabase } from '../support/databases.js';
import { projectRoot } from '../support/engine.js';
import { silentLogger } from '../support/turns.js';

let localisation: Localisation;
let english: DiagramLanguage;
const shipped = loadFlows(join(projectRoot, 'flows'));
const fixture = (dir: string, id: string): Flow => {
  const flow = loadFlows(join(projectRoot, 'test/fixtures/flows', dir)).flows.get(id);
  if (!flow) throw new Error(`fixture flow ${id} did not load`);
  return flow;
};

beforeAll(async () => {
  localisation = await createLocalisation(join(projectRoot, 'locales'));
  english = diagramLanguage(localisation, 'en');
});

// --- reading the outputs back -------------------------------------------------------------------

interface MermaidGraph {
  /** Mermaid id -> decoded label lines. */
  nodes: Map<string, string[]>;
  edges: { from: string; to: string; labels: string[] }[];
}

/** Reads the node and edge lines of our Mermaid output; any other non-comment line fails the test. */
function parseMermaid(text: string): MermaidGraph {
  const graph: MermaidGraph = { nodes: new Map(), edges: [] };
  const lines = text.trimEnd().split('\n');
  expect(lines.filter((line) => !line.startsWith('%%'))[0]).toBe('flowchart TD');
  for (const line of lines.filter((candidate) => !candidate.startsWith('%%')).slice(1)) {
    const edge = /^ {2}([A-Za-z0-9_]+) (?:-->|-\.->)(?:\|"([^"]*)"\|)? ([A-Za-z0-9_]+)$/.exec(line);
    const node = /^ {2}([A-Za-z0-9_]+)(\[\/"|\{\{"|\[\("|\[\["|\(\["|>"|\("|\[")([^"]*)("\/\]|"\}\}|"\)\]|"\]\]|"\]\)|"\]|"\))$/.exec(line);
    if (edge) graph.edges.push({ from: edge[1]!, to: edge[3]!, labels: edge[2] === undefined ? [] : edge[2].split('<br/>').map(unescapeMermaid) });
    else if (node) graph.nodes.set(node[1]!, node[3]!.split('<br/>').map(unescapeMermaid));
    else expect(line, 'a line that is neither a node, an edge nor a class').toMatch(/^ {2}(classDef|class) /);
  }
  return graph;
}

/** The Mermaid id whose label's heading names `id` ("Question · consent"). */
function mermaidIdOf(graph: MermaidGraph, id: string): string | undefined {
  return [...graph.nodes].find(([, lines]) => lines.some((line) => line.endsWith(` · ${id}`)))?.[0];
}

interface XmlElement {
  name: string;
  attributes: Record<string, string>;
  children: XmlElement[];
  text: string;
}

/** A strict little XML reader: nesting, quoted attributes and the five entities; anything else throws. */
function parseXml(source: string): XmlElement {
  const decode = (text: string) => {
    if (/[<>]/.test(text)) throw new Error(`markup character in text: ${text}`);
    return text.replace(/&([a-z]+|#\d+);|&/g, (whole, name?: string) => {
      if (name === undefined) throw new Error(`bare & in ${text}`);
      const value =
        { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" }[name] ?? (name.startsWith('#') ? String.fromCodePoint(Number(name.slice(1))) : undefined);
      if (value === undefined) throw new Error(`unknown entity ${whole}`);
      return value;
    });
  };
  const root: XmlElement = { name: '#document', attributes: {}, children: [], text: '' };
  const stack = [root];
  const token = /<\/([\w:-]+)\s*>|<([\w:-]+)((?:\s+[\w:-]+="[^"]*")*)\s*(\/?)>|([^<]+)/gy;
  let match: RegExpExecArray | null;
  let at = 0;
  while (at < source.length && (match = token.exec(source))) {
    at = token.lastIndex;
    const top = stack[stack.length - 1]!;
    if (match[1]) {
      if (top.name !== match[1]) throw new Error(`</${match[1]}> closes <${top.name}>`);
      stack.pop();
    } else if (match[2]) {
      const attributes: Record<string, string> = {};
      for (const [, name, value] of (match[3] ?? '').matchAll(/([\w:-]+)="([^"]*)"/g)) attributes[name!] = decode(value!);
      const element: XmlElement = { name: match[2], attributes, children: [], text: '' };
      top.children.push(element);
      if (!match[4]) stack.push(element);
    } else if (match[5]) {
      if (top === root && match[5].trim() !== '') throw new Error('text outside the root element');
      top.text += decode(match[5]);
    }
  }
  if (at !== source.length) throw new Error(`not XML at offset ${at}: ${source.slice(at, at + 40)}`);
  if (stack.length !== 1 || root.children.length !== 1) throw new Error('unclosed elements or several roots');
  return root.children[0]!;
}

const descendants = (element: XmlElement): XmlElement[] => element.children.flatMap((child) => [child, ...descendants(child)]);
const textOf = (element: XmlElement): string => element.text + element.children.map(textOf).join('');

/** Where each node can lead, with the English condition the test expects, worked out from the flow itself. */
function expectedEdges(flow: Flow): { from: string; to: string; label?: string }[] {
  const steps = (id: string, node: FlowNode) => {
    if (node.type === 'end') return [];
    if (node.type === 'jump') return [{ from: id, to: `flow:${node.flow}` }];
    if (node.next === undefined) return [];
    if (typeof node.next === 'string') return [{ from: id, to: node.next }];
    return node.next.map((step) => ({
      from: id,
      to: step.goto,
      ...(step.if ? { label: conditionText(step.if, english.words) } : node.next!.length > 1 ? { label: 'otherwise' } : {}),
    }));
  };
  return Object.entries(flow.nodes).flatMap(([id, node]) => steps(id, node));
}

// --- the model and Mermaid ----------------------------------------------------------------------

describe('conditions as text', () => {
  it('says conditions the way a reader would, with brackets where they nest', () => {
    const words = english.words;
    expect(conditionText({ answer: 'country_of_origin', equals: 'AF' }, words)).toBe('country_of_origin = AF');
    expect(
      conditionText({ all: [{ answer: 'a', equals: 1 }, { any: [{ answer: 'b', in: ['x', 'y'] }, { not: { answer: 'c', answered: true } }] }] }, words),
    ).toBe('a = 1 and (b is one of x, y or not (c is answered))');
    expect(conditionText({ answer: 'n', gte: 1, lte: 3 }, words)).toBe('n from 1 to 3');
    expect(conditionText({ answer: 'n', gte: 1 }, words)).toBe('n ≥ 1');
  });
});

describe('Mermaid', () => {
  it('has every node of a fixture flow and every edge with its condition', () => {
    const flow = fixture('failing', 'failing');
    const graph = parseMermaid(toMermaid(buildDiagram(flow, english), english.words));
    for (const id of Object.keys(flow.nodes)) expect(mermaidIdOf(graph, id), id).toBeDefined();
    const decide = mermaidIdOf(graph, 'decide')!;
    const ask = mermaidIdOf(graph, 'ask')!;
    expect(graph.edges).toEqual(
      expect.arrayContaining([
        { from: ask, to: decide, labels: [] },
        { from: decide, to: ask, labels: ['consent = never'] },
      ]),
    );
    expect(graph.edges).toHaveLength(2);
    // The question's text and its buttons, in English.
    expect(graph.nodes.get(ask)).toEqual(expect.arrayContaining([localisation.translatorFor('en')('bot:intake.consent'), '○ Yes', '○ No']));
  });

  it('draws both shipped flows with every edge, its label, and a box at every end', () => {
    for (const flow of shipped.flows.values()) {
      const graph = parseMermaid(toMermaid(buildDiagram(flow, english), english.words));
      for (const id of Object.keys(flow.nodes)) expect(mermaidIdOf(graph, id), `${flow.id}.${id}`).toBeDefined();
      for (const edge of graph.edges) {
        expect(graph.nodes.has(edge.from), edge.from).toBe(true);
        expect(graph.nodes.has(edge.to), edge.to).toBe(true);
      }
      for (const want of expectedEdges(flow)) {
        const from = mermaidIdOf(graph, want.from)!;
        const to = want.to.startsWith('flow:') ? mermaidIdOf(graph, want.to.slice(5)) : mermaidIdOf(graph, want.to);
        const found = graph.edges.find((edge) => edge.from === from && (edge.to === to || (want.to.startsWith('flow:') && edge.to.startsWith('f_'))));
        expect(found, `${flow.id}: ${want.from} -> ${want.to}`).toBeDefined();
        if (want.label) expect(found!.labels, `${flow.id}: ${want.from} -> ${want.to}`).toContain(want.label);
      }
    }
  });

  it('gives targets that do not exist and other flows a box of their own', () => {
    const flow = fixture('broken', 'intake');
    const diagram = buildDiagram(flow, english);
    const graph = parseMermaid(toMermaid(diagram, english.words));
    expect(diagram.nodes.map((node) => node.key)).toEqual(expect.arrayContaining(['missing:nowhere', 'flow:missing_flow']));
    for (const edge of graph.edges) expect(graph.nodes.has(edge.to)).toBe(true);
    expect(graph.nodes.get('m_nowhere')).toContain('This step does not exist.');
    // `end` is a Mermaid keyword: ids are always prefixed.
    expect([...graph.nodes.keys()].every((id) => /^[nfm]_[A-Za-z0-9_]+$/.test(id))).toBe(true);
  });

  it('uses the chosen language, English where a text is missing', () => {
    const flow = shipped.flows.get('intake')!;
    const german = diagramLanguage(localisation, 'de');
    const graph = parseMermaid(toMermaid(buildDiagram(flow, german), german.words));
    const consent = graph.nodes.get(mermaidIdOf(graph, 'consent')!)!;
    expect(consent).toContain(localisation.translatorFor('de')('bot:intake.consent'));
    expect(consent[0]).toBe(`Frage · consent`);
    const missing: DiagramLanguage = { ...english, text: (key) => (key === 'bot:intake.consent' ? undefined : english.text(key)) };
    expect(buildDiagram(flow, missing).nodes.find((node) => node.id === 'consent')?.text).toBe('bot:intake.consent');
  });
});

// --- SVG ----------------------------------------------------------------------------------------

describe('SVG', () => {
  it('has one box per node of the intake flow, every arrow ending at a box, and names itself for assistive technology', () => {
    const flow = shipped.flows.get('intake')!;
    const svg = parseXml(toSvg(buildDiagram(flow, english), english.words));
    expect(svg.name).toBe('svg');
    expect(svg.attributes.role).toBe('img');
    const all = descendants(svg);
    const boxes = all.filter((element) => element.attributes.class === 'node' && element.attributes['data-node'] !== undefined);
    expect(boxes.map((box) => box.attributes['data-node']).sort()).toEqual(Object.keys(flow.nodes).sort());
    const targets = new Set(
      all.filter((element) => element.attributes.class === 'node').map((box) => box.attributes['data-node'] ?? box.attributes['data-ref']),
    );
    const edges = all.filter((element) => element.attributes.class === 'edge');
    expect(edges.length).toBe(expectedEdges(flow).length);
    for (const edge of edges) {
      expect(targets.has(edge.attributes['data-from']), edge.attributes['data-from']).toBe(true);
      expect(targets.has(edge.attributes['data-to']), edge.attributes['data-to']).toBe(true);
    }
    const title = svg.children.find((child) => child.name === 'title');
    const desc = svg.children.find((child) => child.name === 'desc');
    expect(svg.attributes['aria-labelledby']).toBe(`${title?.attributes.id} ${desc?.attributes.id}`);
    expect(textOf(title!)).toBe('Flow “intake”');
    // Handoff and end boxes are there, and the legend names every kind drawn.
    expect(boxes.find((box) => box.attributes['data-node'] === 'handoff')?.attributes['data-kind']).toBe('handoff');
    expect(boxes.find((box) => box.attributes['data-node'] === 'goodbye')?.attributes['data-kind']).toBe('end');
    const legend = all.filter((element) => element.attributes.class === 'legend-item').map((item) => item.attributes['data-kind']);
    expect(new Set(legend)).toEqual(new Set(all.filter((element) => element.attributes.class === 'node').map((box) => box.attributes['data-kind'])));
  });

  it('keeps boxes apart', () => {
    for (const flow of shipped.flows.values()) {
      const svg = parseXml(toSvg(buildDiagram(flow, english), english.words));
      const rects = descendants(svg)
        .filter((element) => element.attributes.class === 'node')
        .map((box) => box.children.find((child) => child.name === 'rect' || child.name === 'polygon')!)
        .filter((shape) => shape.name === 'rect')
        .map((rect) => ['x', 'y', 'width', 'height'].map((name) => Number(rect.attributes[name])) as [number, number, number, number]);
      for (let i = 0; i < rects.length; i += 1)
        for (let j = i + 1; j < rects.length; j += 1) {
          const [a, b] = [rects[i]!, rects[j]!];
          const apart = a[0] + a[2] <= b[0] || b[0] + b[2] <= a[0] || a[1] + a[3] <= b[1] || b[1] + b[3] <= a[1];
          expect(apart, `${flow.id}: boxes ${i} and ${j} overlap`).toBe(true);
        }
    }
  });
});

// --- escaping -----------------------------------------------------------------------------------

describe('escaping', () => {
  const hostile = 'Say "hi" <b>[x]</b> & {y} (z) | #1; `tick` \'q\'';
  const flowText = `
id: hostile
start: ask
nodes:
  ask:
    type: ask
    text: t.ask
    answer: colour
    input: { kind: choice, choices: [{ value: "a", label: t.choice }] }
    next:
      - { if: { answer: colour, equals: 'x"]<y>' }, goto: bye }
      - { goto: bye }
  bye: { type: end, text: t.bye }
`;
  const parsed = parseFlowText(flowText, 'hostile.yaml');
  if (!('flow' in parsed)) throw new Error('the hostile fixture does not parse');
  const language = (): DiagramLanguage => ({ ...english, text: () => hostile });

  it('keeps quotes, brackets and angle brackets inside Mermaid labels and reads them back unchanged', () => {
    const mermaid = toMermaid(buildDiagram(parsed.flow, language()), english.words);
    expect(mermaid).not.toContain('<b>');
    const graph = parseMermaid(mermaid);
    expect(graph.nodes.get('n_ask')).toContain(hostile);
    expect(graph.nodes.get('n_ask')).toContain(`○ ${hostile}`);
    expect(graph.edges.find((edge) => edge.to === 'n_bye' && edge.labels.length === 2)?.labels).toEqual(['colour = x"]<y>', 'otherwise']);
  });

  it('writes them as XML entities in the SVG, which still parses', () => {
    const source = toSvg(buildDiagram(parsed.flow, language()), english.words);
    expect(source).not.toContain('<b>');
    const svg = parseXml(source);
    const ask = descendants(svg).find((element) => element.attributes['data-node'] === 'ask')!;
    expect(textOf(ask.children.find((child) => child.name === 'title')!)).toBe(`bot:t.ask: ${hostile}`);
    const drawn = ask.children
      .filter((child) => child.name === 'text')
      .map(textOf)
      .join(' ');
    expect(drawn).toContain(hostile);
    const labels = descendants(svg)
      .filter((element) => element.attributes.class === 'edge-label')
      .map((label) =>
        label.children
          .filter((child) => child.name === 'text')
          .map(textOf)
          .join(' '),
      );
    expect(labels.join(' ')).toContain('colour = x"]<y>');
  });
});

// --- the CLI ------------------------------------------------------------------------------------

describe('npm run flows:diagram', () => {
  const cli = (args: string[]) => succeeds(captureCli((io) => diagramCli(args, io, projectRoot)));

  it('prints Mermaid for every flow', { timeout: 60_000 }, async () => {
    const { stdout } = await cli([]);
    expect(stdout.match(/^flowchart TD$/gm)).toHaveLength(shipped.flows.size);
    const parts = stdout.split('\n\n').filter((part) => part.trim() !== '');
    expect(parts).toHaveLength(shipped.flows.size);
    const graph = parseMermaid(parts.find((part) => part.startsWith('%% Flow “counselling”'))!);
    expect(mermaidIdOf(graph, 'age_band')).toBeDefined();
    for (const flow of shipped.flows.values()) expect(stdout).toContain(`%% Flow “${flow.id}”`);
  });

  it('writes SVG files for one flow in another language', { timeout: 60_000 }, async () => {
    const out = mkdtempSync(join(tmpdir(), 'flows-diagram-'));
    try {
      await cli(['--flow', 'intake', '--lang', 'fr', '--format', 'svg', '--out', out]);
      const svg = parseXml(readFileSync(join(out, 'intake.svg'), 'utf8'));
      expect(textOf(svg.children.find((child) => child.name === 'title')!)).toBe('Parcours « intake »');
    } finally {
      rmSync(out, { recursive: true, force: true });
    }
  });

  it('fails for a flow that does not exist', { timeout: 60_000 }, async () => {
    await expect(cli(['--flow', 'nope'])).rejects.toMatchObject({ code: 1 });
  });
});

// --- the console routes -------------------------------------------------------------------------

describe('GET /console/api/admin/flows', () => {
  const database = useTestDatabase('pglite');
  const password = 'a long enough password';
  let server: Server;
  let base: string;
  const cookies: Record<'admin' | 'counsellor', string> = { admin: '', counsellor: '' };

  beforeAll(async () => {
    const db = database();
    const organisation = await createOrganisationRepository(db.prisma).ensureDemoOrganisation();
    const repository = createConsoleRepository(db.prisma);
    const passwordHash = await hashPassword(password);
    const auth = new ConsoleAuth({ repository, secureCookies: false });
    const app = express();
    app.use('/console/api', auth.routes());
    app.use('/console/api', flowsAdminRouter({ auth, flows: shipped.flows, localisation }));
    app.use(notFound);
    app.use(errorHandler(silentLogger));
    server = createServer(app);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    for (const role of ['admin', 'counsellor'] as const) {
      const email = `${role}@flows.example.org`;
      await repository.createUser({ organisationId: organisation.id, email, passwordHash, role });
      cookies[role] = (await loginToConsole(base, email, password)).cookie;
    }
  });

  afterAll(async () => {
    server?.closeAllConnections();
    await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
  });

  const get = (path: string, role?: 'admin' | 'counsellor') => fetch(`${base}/console/api${path}`, { headers: role ? { cookie: cookies[role] } : {} });

  it('lists the flows with their node counts for an admin', async () => {
    const response = await get('/admin/flows', 'admin');
    expect(response.status).toBe(200);
    const body = (await response.json()) as { flows: { name: string; nodes: number }[] };
    expect(body.flows.map((flow) => [flow.name, flow.nodes]).sort()).toEqual(
      [...shipped.flows.values()].map((flow) => [flow.id, Object.keys(flow.nodes).length]).sort(),
    );
  });

  it('serves each flow as SVG and as Mermaid, in the asked language', async () => {
    const svg = await get('/admin/flows/counselling.svg?lng=nl', 'admin');
    expect(svg.status).toBe(200);
    expect(svg.headers.get('content-type')).toMatch(/^image\/svg\+xml/);
    expect(textOf(parseXml(await svg.text()).children.find((child) => child.name === 'title')!)).toBe('Verloop ‘counselling’');
    const mermaid = await get('/admin/flows/intake.mmd', 'admin');
    expect(mermaid.headers.get('content-type')).toMatch(/^text\/plain/);
    expect(mermaidIdOf(parseMermaid(await mermaid.text()), 'consent')).toBeDefined();
  });

  it('refuses counsellors (403) and strangers (401)', async () => {
    for (const path of ['/admin/flows', '/admin/flows/intake.svg', '/admin/flows/intake.mmd', '/admin/flows/unknown.svg']) {
      const counsellor = await get(path, 'counsellor');
      expect(counsellor.status, path).toBe(403);
      expect(await counsellor.json()).toMatchObject({ error: { reason: 'admins_only' } });
      expect((await get(path)).status, path).toBe(401);
    }
  });

  it('answers 404 for an unknown flow or format, and 400 for a bad language', async () => {
    for (const path of ['/admin/flows/unknown.svg', '/admin/flows/intake.png', '/admin/flows/intake', '/admin/flows/..%2Fintake.svg']) {
      expect((await get(path, 'admin')).status, path).toBe(404);
    }
    expect((await get('/admin/flows/intake.svg?lng=<script>', 'admin')).status).toBe(400);
  });
});
