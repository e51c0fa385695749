import { explainEligibility } from '../eligibility/explain.js';
import type { Programme } from '../eligibility/programme.js';
import type { Flow } from '../flows/schema.js';
import type { Localisation } from '../i18n/index.js';
import { buildIntentPhrases } from './intents.js';
import type { EngineContext } from './types.js';

/**
 * Assembles the engine's context once at start-up (flows, translations and the programme catalogue
 * are immutable while running). Without `programmes`, `eligibility` nodes say that programme
 * information is not available.
 */
export function createEngineContext(
  flows: ReadonlyMap<string, Flow>,
  localisation: Localisation,
  entryFlow: string,
  programmes?: readonly Programme[],
): EngineContext {
  return {
    flows,
    entryFlow,
    locales: localisation.locales,
    translatorFor: localisation.translatorFor,
    intentPhrases: buildIntentPhrases(
      localisation.locales.map((locale) => locale.code),
      localisation.translatorFor,
    ),
    ...(programmes ? { eligibility: (answers) => explainEligibility(programmes, answers) } : {}),
  };
}
