// Which way imports point (README, "Architecture"): every folder of src/ has a layer, and a module
// may import only from its own folder or a lower layer. A loop between folders is then impossible,
// and a wrong-way import is named with the files that make it. The graph is dependency-cruiser's, the
// maintained tool for this job (it reads TypeScript imports, `import type` included).
import { cruise, type ICruiseResult } from 'dependency-cruiser';
import { beforeAll, describe, expect, it } from 'vitest';

/** Lowest first. Folders of one layer do not import each other. */
const layers: readonly (readonly string[])[] = [
  ['text', 'crypto', 'cli-io', 'validation', 'translation'], // leaves: folding and country names, the field cipher, CLI output, zod issues, the machine-translation port
  ['config', 'secrets'], // the environment, read once; the key files (both use only zod and the cipher)
  ['flows', 'i18n', 'eligibility'], // the flow model, texts, the programme rules
  ['safety'], // the safety lexicons and emergency numbers
  ['engine'], // the pure conversation engine
  ['authoring'], // flows:check, lint and diagrams for the people who write flows
  ['store'], // PostgreSQL / PGlite and the repositories
  ['referral'], // the referral record
  ['conversation'], // one turn through the door
  ['handoff'], // queue, relay, crisis path, events
  ['http'], // shared HTTP pieces (headers, limits, errors)
  ['channels'], // web (Direct Line) and Telegram
  ['privacy'], // retention and erasure
  ['console'], // the counsellors' console and its API
  ['app'], // the composition root
  ['main'], // the process
];

const folderOf = (path: string) => /^src\/([^/]+?)(?:\.ts)?(?:\/|$)/.exec(path)?.[1];

let graph: ICruiseResult;
beforeAll(async () => {
  const result = await cruise(['src'], {
    doNotFollow: { path: 'node_modules' },
    // Prisma's generated client has import loops of its own; it is nobody's code to fix.
    exclude: { path: '^src/store/generated' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
  });
  if (typeof result.output === 'string') throw new Error('dependency-cruiser gave text, not a graph');
  graph = result.output;
});

describe('imports', () => {
  it('give every folder of src/ a layer', () => {
    const folders = new Set(graph.modules.map((module) => folderOf(module.source)).filter((folder) => folder !== undefined));
    const placed = new Set(layers.flat());
    expect([...folders].filter((folder) => !placed.has(folder)).sort()).toEqual([]);
  });

  it('point from a higher layer to a lower one, never back or sideways', () => {
    const layerOf = new Map(layers.flatMap((folders, rank) => folders.map((folder) => [folder, rank] as const)));
    const wrongWay: string[] = [];
    for (const module of graph.modules) {
      const from = folderOf(module.source);
      for (const dependency of module.dependencies) {
        const to = folderOf(dependency.resolved);
        if (!from || !to || from === to) continue;
        if ((layerOf.get(to) ?? Infinity) >= (layerOf.get(from) ?? -Infinity)) wrongWay.push(`${module.source} -> ${dependency.resolved}`);
      }
    }
    expect(wrongWay).toEqual([]);
  });

  it('make no loop between files inside a folder either', () => {
    const loops = graph.modules.flatMap((module) =>
      module.dependencies.filter((dependency) => dependency.circular).map((dependency) => `${module.source} -> ${dependency.resolved}`),
    );
    expect(loops).toEqual([]);
  });
});
