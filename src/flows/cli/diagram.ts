// `npm run flows:diagram [-- --flow intake] [--lang de] [--format mermaid|svg] [--out DIR] [--dir FLOWS_DIR]`:
// draws every flow (or one) for review. Without --out it prints Mermaid; with --out it writes
// <flow>.mmd or <flow>.svg files into DIR.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { z } from 'zod';
import { createLocalisation } from '../../i18n/index.js';
import { diagramLanguage, renderFlow } from '../diagram/index.js';
import { formatIssue, loadFlows } from '../load.js';

const optionsSchema = z.strictObject({
  flow: z.string().regex(/^[A-Za-z][A-Za-z0-9_.-]*$/).optional(),
  lang: z.string().regex(/^[a-z]{2,3}(-[A-Za-z0-9]{2,8})?$/).default('en'),
  format: z.enum(['mermaid', 'svg']).default('mermaid'),
  out: z.string().min(1).optional(),
  dir: z.string().min(1).optional(),
});

const { values } = parseArgs({
  options: { flow: { type: 'string' }, lang: { type: 'string' }, format: { type: 'string' }, out: { type: 'string' }, dir: { type: 'string' } },
  strict: true,
});
const parsed = optionsSchema.safeParse(values);
if (!parsed.success) {
  console.error(`flows:diagram: ${parsed.error.issues.map((issue) => `--${issue.path.join('.')}: ${issue.message}`).join('; ')}`);
  process.exit(2);
}
const options = parsed.data;
if (options.format === 'svg' && options.out === undefined) {
  console.error('flows:diagram: --format svg needs --out DIR');
  process.exit(2);
}

const root = process.cwd();
const localisation = await createLocalisation(join(root, 'locales'));
const loaded = loadFlows(resolve(options.dir ?? join(root, 'flows')));
for (const issue of loaded.issues) console.error(formatIssue(issue));
const flows = options.flow === undefined ? [...loaded.flows.values()] : [loaded.flows.get(options.flow)].filter((flow) => flow !== undefined);
if (flows.length === 0) {
  console.error(options.flow === undefined ? 'flows:diagram: no flows found' : `flows:diagram: no flow "${options.flow}"`);
  process.exit(1);
}

const language = diagramLanguage(localisation, Object.hasOwn(localisation.resources, options.lang) ? options.lang : localisation.baseLocale);
if (options.out !== undefined) mkdirSync(resolve(options.out), { recursive: true });
for (const flow of flows) {
  const { output } = renderFlow(flow, language, options.format);
  if (options.out === undefined) {
    process.stdout.write(`${output}\n`);
    continue;
  }
  const file = join(resolve(options.out), `${flow.id}.${options.format === 'svg' ? 'svg' : 'mmd'}`);
  writeFileSync(file, output);
  console.error(`wrote ${file}`);
}
if (loaded.issues.length > 0) process.exit(1);
