// `npm run flows:check [-- FLOWS_DIR]`: validates and lints every flow, the programme catalogue (FLOWS_DIR/programmes) and
// the safety lexicon (FLOWS_DIR/safety) against every locale.
import { join, resolve } from 'node:path';
import { isMainModule, processIo, type CliIo } from '../../cli-io.js';
import { createLocalisation } from '../../i18n/index.js';
import { defaultEntryFlow } from '../../config.js';
import { checkFlows } from '../check.js';
import { formatIssue } from '../../flows/load.js';

/** Checks the flows in `argv[0]` (default: `root`/flows) against the locales in `root`; returns the exit code. */
export async function main(argv: string[], io: CliIo, root: string = process.cwd()): Promise<number> {
  const localisation = await createLocalisation(join(root, 'locales'));
  const flowsDir = resolve(root, argv[0] ?? 'flows');
  const { loaded, programmes, safetyLexicons, issues } = checkFlows(flowsDir, localisation, defaultEntryFlow);
  for (const issue of issues) io.err(formatIssue(issue));
  if (issues.length > 0) {
    io.err(`\n${issues.length} problem${issues.length === 1 ? '' : 's'} found.`);
    return 1;
  }
  io.out(
    `${loaded.flows.size} flow(s), ${programmes.length} programme(s) and ${safetyLexicons.length} safety lexicon(s) checked against ${localisation.locales.length} locale(s): no problems.`,
  );
  return 0;
}

if (isMainModule(import.meta.url)) process.exitCode = await main(process.argv.slice(2), processIo);
