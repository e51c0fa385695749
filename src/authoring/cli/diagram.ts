// `npm run flows:diagram [-- --flow intake] [--lang de] [--format mermaid|svg] [--out DIR] [--dir FLOWS_DIR]`:
// draws every flow (or one) for review. Without --out it prints Mermaid; with --out it writes
// <flow>.mmd or <flow>.svg files into DIR.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { z } from 'zod';
import { isMainModule, processIo, type CliIo } from '../../cli-io.js';
import { createLocalisation } from '../../i18n/index.js';
import { diagramLanguage, renderFlow } from '../diagram/index.js';
import { formatIssue, loadFlows } from '../../flows/load.js';
import { issueLines } from '../../validation/zod-issues.js';

const optionsSchema = z.strictObject({
  flow: z
    .string()
    .regex(/^[A-Za-z][A-Za-z0-9_.-]*$/)
    .optional(),
  lang: z
    .string()
    .regex(/^[a-z]{2,3}(-[A-Za-z0-9]{2,8})?$/)
    .default('en'),
  format: z.enum(['mermaid', 'svg']).default('mermaid'),
  out: z.string().min(1).optional(),
  dir: z.string().min(1).optional(),
});

/** Draws the flows as `argv` asks, relative to `root`, writing to `io`; returns the exit code. */
export async function main(argv: string[], io: CliIo, root: string = process.cwd()): Promise<number> {
  let values: Record<string, string | boolean | undefined>;
  try {
    ({ values } = parseArgs({
      args: argv,
      options: { flow: { type: 'string' }, lang: { type: 'string' }, format: { type: 'string' }, out: { type: 'string' }, dir: { type: 'string' } },
      strict: true,
    }));
  } catch (error) {
    io.err(`flows:diagram: ${error instanceof Error ? error.message : String(error)}`);
    return 2;
  }
  const parsed = optionsSchema.safeParse(values);
  if (!parsed.success) {
    io.err(`flows:diagram: ${issueLines(parsed.error, { prefix: '--' }).join('; ')}`);
    return 2;
  }
  const options = parsed.data;
  if (options.format === 'svg' && options.out === undefined) {
    io.err('flows:diagram: --format svg needs --out DIR');
    return 2;
  }

  const localisation = await createLocalisation(join(root, 'locales'));
  const loaded = loadFlows(resolve(root, options.dir ?? 'flows'));
  for (const issue of loaded.issues) io.err(formatIssue(issue));
  const flows = options.flow === undefined ? [...loaded.flows.values()] : [loaded.flows.get(options.flow)].filter((flow) => flow !== undefined);
  if (flows.length === 0) {
    io.err(options.flow === undefined ? 'flows:diagram: no flows found' : `flows:diagram: no flow "${options.flow}"`);
    return 1;
  }

  const language = diagramLanguage(localisation, Object.hasOwn(localisation.resources, options.lang) ? options.lang : localisation.baseLocale);
  const outDir = options.out === undefined ? undefined : resolve(root, options.out);
  if (outDir !== undefined) mkdirSync(outDir, { recursive: true });
  for (const flow of flows) {
    const { output } = renderFlow(flow, language, options.format);
    if (outDir === undefined) {
      io.out(output);
      continue;
    }
    const file = join(outDir, `${flow.id}.${options.format === 'svg' ? 'svg' : 'mmd'}`);
    writeFileSync(file, output);
    io.err(`wrote ${file}`);
  }
  return loaded.issues.length > 0 ? 1 : 0;
}

if (isMainModule(import.meta.url)) process.exitCode = await main(process.argv.slice(2), processIo);
