import { join } from 'node:path';
import type { Programme } from '../../src/eligibility/programme.js';
import { createEngineContext, forTurn } from '../../src/engine/context.js';
import type { EngineContext, OutboundMessage, Translate } from '../../src/engine/types.js';
import { checkFlows } from '../../src/authoring/check.js';
import { defaultEntryFlow } from '../../src/config.js';
import { createLocalisation, type Localisation } from '../../src/i18n/index.js';
import { compileSafetyLexicons, type ExplainingSafetyDetector } from '../../src/safety/detector.js';
import { loadSafetyLexicons } from '../../src/safety/load.js';

export const projectRoot = join(import.meta.dirname, '..', '..');

interface ShippedEngine {
  ctx: EngineContext;
  localisation: Localisation;
  programmes: Programme[];
}

let shared: Promise<ShippedEngine> | undefined;

/** The date engine tests run on: departure deadlines are compared with it, so results never drift. */
export const testToday = '2026-12-02';

/** The shipped flows and locales, loaded once per test file, on `testToday`. */
export function shippedEngine(): Promise<ShippedEngine> {
  shared ??= (async () => {
    const localisation = await createLocalisation(join(projectRoot, 'locales'));
    const { loaded, issues, programmes, safetyLexicons } = checkFlows(join(projectRoot, 'flows'), localisation, defaultEntryFlow);
    if (issues.length > 0) throw new Error(`shipped flows have problems: ${JSON.stringify(issues)}`);
    const ctx = forTurn(createEngineContext(loaded.flows, localisation, defaultEntryFlow, compileSafetyLexicons(safetyLexicons), programmes), {
      disabledProgrammes: [],
      today: testToday,
    });
    return { ctx, localisation, programmes };
  })();
  return shared;
}

let safety: ExplainingSafetyDetector | undefined;

/** The shipped safety lexicons (flows/safety), compiled once per test file; throws if one is broken. */
export function shippedSafetyDetector(): ExplainingSafetyDetector {
  if (!safety) {
    const { lexicons, issues } = loadSafetyLexicons(join(projectRoot, 'flows', 'safety'));
    if (issues.length > 0) throw new Error(`shipped safety lexicons have problems: ${JSON.stringify(issues)}`);
    safety = compileSafetyLexicons(lexicons.map((item) => item.lexicon));
  }
  return safety;
}

/** Renders messages as a person would read them, with choices as "[label]". */
export function render(messages: readonly OutboundMessage[], t: Translate): string[] {
  return messages.map((message) => {
    const text = t(message.key, message.params);
    const labels = (message.choices ?? []).map((choice) => ('literal' in choice.label ? choice.label.literal : t(choice.label.key, choice.label.params)));
    return labels.length > 0 ? `${text} ${labels.map((label) => `[${label}]`).join(' ')}` : text;
  });
}
