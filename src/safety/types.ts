/**
 * The safety net's contract: what a detector hears in a message, whatever language the chat is in.
 * The engine asks `detect` before anything else on every typed message, in bot and in human mode.
 */

/** Kinds of danger, each with its own priority and its own help lines. */
export const safetyCategories = ['suicide', 'violence', 'trafficking', 'threat_to_life', 'child_at_risk', 'medical'] as const;
export type SafetyCategory = (typeof safetyCategories)[number];

export interface SafetyAlarm {
  category: SafetyCategory;
  /** The lexicon (language code) whose entry matched: may differ from the chat's language. */
  language: string;
}

export interface SafetyDetector {
  /**
   * A present danger in `text`, or undefined. Pure and offline (no network, no model).
   * @example detector.detect('my husband beats me') // { category: 'violence', language: 'en' }
   */
  detect(text: string): SafetyAlarm | undefined;
  /**
   * A question about danger in the country of return ("is it safe to go back to Syria?"): not an
   * emergency, answered honestly with a counsellor offered at normal priority.
   */
  asksAboutSafetyOfReturn(text: string): boolean;
}
