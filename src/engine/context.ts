import type { Flow } from '../flows/schema.js';
import type { Localisation } from '../i18n/index.js';
import { buildIntentPhrases } from './intents.js';
import type { EngineContext } from './types.js';

/** Assembles the engine's context once at start-up (flows and translations are immutable while running). */
export function createEngineContext(flows: ReadonlyMap<string, Flow>, localisation: Localisation, entryFlow: string): EngineContext {
  return {
    flows,
    entryFlow,
    locales: localisation.locales,
    translatorFor: localisation.translatorFor,
    intentPhrases: buildIntentPhrases(
      localisation.locales.map((locale) => locale.code),
      localisation.translatorFor,
    ),
  };
}
