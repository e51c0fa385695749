import { explainEligibility } from '../eligibility/explain.js';
import type { Programme } from '../eligibility/programme.js';
import type { Flow } from '../flows/schema.js';
import type { Localisation } from '../i18n/index.js';
import { offeredLocales } from '../i18n/offered.js';
import type { SafetyDetector } from '../safety/types.js';
import { buildIntentPhrases } from './intents.js';
import type { EngineContext } from './types.js';

/**
 * Assembles the engine's context once at start-up (flows, translations, the safety lexicon and the
 * programme catalogue are immutable while running). Without `programmes`, `eligibility` nodes say
 * that programme information is not available.
 * @example
 * const { loaded, programmes, safetyLexicons } = checkFlows('flows', localisation, 'intake');
 * const ctx = createEngineContext(loaded.flows, localisation, 'intake', compileSafetyLexicons(safetyLexicons), programmes);
 */
export function createEngineContext(
  flows: ReadonlyMap<string, Flow>,
  localisation: Localisation,
  entryFlow: string,
  safety: SafetyDetector,
  programmes?: readonly Programme[],
): EngineContext {
  const intentPhrases = buildIntentPhrases(
    localisation.locales.map((locale) => locale.code),
    localisation.translatorFor,
  );
  return {
    flows,
    entryFlow,
    locales: localisation.locales,
    translatorFor: localisation.translatorFor,
    intentPhrases,
    safety,
    ...(programmes
      ? {
          eligibility: (answers, options) =>
            explainEligibility(offered(programmes, options?.disabledProgrammes), answers, options?.today !== undefined ? { today: options.today } : {}),
        }
      : {}),
  };
}

function offered(programmes: readonly Programme[], disabled: readonly string[] | undefined): readonly Programme[] {
  return disabled === undefined || disabled.length === 0 ? programmes : programmes.filter((programme) => !disabled.includes(programme.id));
}

/**
 * The context for one organisation's turn: its `eligibility` nodes explain only the programmes the
 * organisation offers, with deadlines compared with `today`, and its language question offers no
 * language the organisation hides (`hiddenLocales`, src/i18n/offered.ts). A conversation already
 * in a hidden language carries on in it: the turn's locale is the conversation's, never switched
 * here, since a person is never moved to another language mid-conversation. The context itself
 * stays global (built once); this is a cheap per-turn view.
 * @example runTurn(forTurn(ctx, { disabledProgrammes: ['de-starthilfeplus'], today: '2026-12-02', hiddenLocales: ['am'] }), state, 'en', event)
 */
export function forTurn(ctx: EngineContext, turn: { disabledProgrammes: readonly string[]; today?: string; hiddenLocales?: readonly string[] }): EngineContext {
  const explain = ctx.eligibility;
  const hidden = turn.hiddenLocales ?? [];
  const locales = hidden.length === 0 ? ctx : { ...ctx, locales: offeredLocales(ctx.locales, hidden) };
  if (!explain || (turn.disabledProgrammes.length === 0 && turn.today === undefined)) return locales;
  return {
    ...locales,
    eligibility: (answers, options) =>
      explain(answers, {
        ...options,
        disabledProgrammes: [...turn.disabledProgrammes, ...(options?.disabledProgrammes ?? [])],
        ...(turn.today !== undefined ? { today: turn.today } : {}),
      }),
  };
}
