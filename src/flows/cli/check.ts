// `npm run flows:check [-- FLOWS_DIR]`: validates and lints every flow, the programme catalogue (FLOWS_DIR/programmes) and
// the safety lexicon (FLOWS_DIR/safety) against every locale.
import { join, resolve } from 'node:path';
import { createLocalisation } from '../../i18n/index.js';
import { checkFlows, defaultEntryFlow } from '../check.js';
import { formatIssue } from '../load.js';

const root = process.cwd();
const localisation = await createLocalisation(join(root, 'locales'));
const flowsDir = resolve(process.argv[2] ?? join(root, 'flows'));
const { loaded, programmes, safetyLexicons, issues } = checkFlows(flowsDir, localisation, defaultEntryFlow);
for (const issue of issues) console.error(formatIssue(issue));
if (issues.length > 0) {
  console.error(`\n${issues.length} problem${issues.length === 1 ? '' : 's'} found.`);
  process.exit(1);
}
console.log(`${loaded.flows.size} flow(s), ${programmes.length} programme(s) and ${safetyLexicons.length} safety lexicon(s) checked against ${localisation.locales.length} locale(s): no problems.`);
