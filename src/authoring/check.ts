import { join } from 'node:path';
import { loadCatalogue } from '../eligibility/catalogue.js';
import { EXPLANATION_KEYS } from '../eligibility/explain.js';
import { catalogueKeys } from '../eligibility/keys.js';
import type { Programme } from '../eligibility/programme.js';
import { engineTextKeys } from '../engine/text-keys.js';
import { checkCompleteness } from '../i18n/completeness.js';
import type { LexiconFile } from '../safety/lexicon-schema.js';
import { lintLexicons } from '../safety/lint.js';
import { loadSafetyLexicons } from '../safety/load.js';
import type { Localisation } from '../i18n/index.js';
import { lintFlows } from './flow-lint.js';
import { loadFlows, type FlowIssue, type LoadedFlows } from '../flows/load.js';

export interface CheckResult {
  loaded: LoadedFlows;
  /** The valid programmes of the catalogue (`<flows>/programmes`), for the engine's explanations. */
  programmes: Programme[];
  /** The valid safety lexicons (`<flows>/safety/<lng>.yaml`), for `compileSafetyLexicons`. */
  safetyLexicons: LexiconFile[];
  issues: FlowIssue[];
}

/** Everything `flows:check` verifies, also run at start-up: a broken flow, programme or safety lexicon never reaches a person. */
export function checkFlows(
  flowsDir: string,
  localisation: Localisation,
  entryFlow: string,
  catalogueDir = join(flowsDir, 'programmes'),
  safetyDir = join(flowsDir, 'safety'),
): CheckResult {
  const loaded = loadFlows(flowsDir);
  const lintIssues = lintFlows({
    flows: loaded.flows,
    files: loaded.files,
    entryFlow,
    locales: localisation.locales.map((locale) => locale.code),
    hasKey: localisation.hasKey,
    engineKeys: engineTextKeys,
  });
  const catalogue = loadCatalogue(catalogueDir);
  const catalogueIssues: FlowIssue[] = catalogue.errors.map((error) => ({
    // An unreadable folder is reported under the folder's own path.
    file: error.file === catalogueDir ? catalogueDir : join(catalogueDir, error.file),
    message: `${error.path ? `${error.path}: ` : ''}${error.message}`,
  }));
  for (const key of [...new Set([...catalogueKeys(catalogue.programmes), ...EXPLANATION_KEYS])]) {
    const missing = localisation.locales.map((locale) => locale.code).filter((locale) => !hasAllForms(localisation, locale, key));
    if (missing.length > 0) catalogueIssues.push({ file: '(programmes)', message: `i18n key "${key}" is missing in ${missing.join(', ')}` });
  }
  const localeIssues: FlowIssue[] = checkCompleteness(
    localisation.resources,
    localisation.locales.map((locale) => locale.code),
    localisation.baseLocale,
  ).map((issue) => ({ file: `locales/${issue.locale}/${issue.namespace}.json`, message: `${issue.key}: ${issue.message}` }));
  const safety = loadSafetyLexicons(safetyDir);
  const safetyIssues = [
    ...safety.issues,
    ...lintLexicons(
      safety.lexicons,
      localisation.locales.map((locale) => locale.code),
    ),
  ];
  return {
    loaded,
    programmes: catalogue.programmes,
    safetyLexicons: safety.lexicons.map((item) => item.lexicon),
    issues: [...loaded.issues, ...lintIssues, ...catalogueIssues, ...localeIssues, ...safetyIssues],
  };
}

/** A key counts when it is a plain text, or when it has every plural form its language needs (Arabic has six). */
function hasAllForms(localisation: Localisation, locale: string, key: string): boolean {
  const [ns, path] = key.includes(':') ? key.split(':', 2) : ['system', key];
  const text = (candidate: string) => typeof localisation.i18n.getResource(locale, ns ?? 'system', candidate) === 'string';
  if (path === undefined) return false;
  if (text(path)) return true;
  const forms = new Intl.PluralRules(locale).resolvedOptions().pluralCategories;
  return forms.every((form) => text(`${path}_${form}`));
}
