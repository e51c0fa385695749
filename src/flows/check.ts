import { engineTextKeys } from '../engine/text-keys.js';
import type { Localisation } from '../i18n/index.js';
import { lintFlows } from './lint.js';
import { loadFlows, type FlowIssue, type LoadedFlows } from './load.js';

export interface CheckResult {
  loaded: LoadedFlows;
  issues: FlowIssue[];
}

/** Everything `flows:check` verifies, also run at start-up: a broken flow never reaches a person. */
export function checkFlows(flowsDir: string, localisation: Localisation, entryFlow: string): CheckResult {
  const loaded = loadFlows(flowsDir);
  const lintIssues = lintFlows({
    flows: loaded.flows,
    files: loaded.files,
    entryFlow,
    locales: localisation.locales.map((locale) => locale.code),
    hasKey: localisation.hasKey,
    engineKeys: engineTextKeys,
  });
  return { loaded, issues: [...loaded.issues, ...lintIssues] };
}

/** The flow every new conversation starts in. */
export const defaultEntryFlow = 'intake';
