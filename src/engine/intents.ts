import { normalise } from './normalise.js';
import { intents, type Intent, type Translate } from './types.js';

/** Slash commands a person may type on any channel (Telegram shows them in its menu). */
const commands: Readonly<Record<string, Intent>> = {
  '/help': 'help',
  '/restart': 'restart',
  '/language': 'language',
  '/counsellor': 'handoff',
  '/forget': 'erase',
  '/faq': 'faq',
};

/**
 * Intents also recognised inside a longer message ("my husband hits me, I am in danger"): missing a
 * person in danger costs far more than offering a counsellor once too often.
 */
const heardAnywhere: readonly Intent[] = ['safety'];

/**
 * Builds the phrase index from every shipped language: each locale's `system:intent.<name>`
 * holds "|"-separated phrases, so "talk to a person" works typed in any of them.
 */
export function buildIntentPhrases(languages: readonly string[], translatorFor: (lng: string) => Translate): Map<string, Intent> {
  const phrases = new Map<string, Intent>();
  for (const lng of languages) {
    const t = translatorFor(lng);
    for (const intent of intents) {
      for (const phrase of t(`system:intent.${intent}`).split('|')) {
        const folded = normalise(phrase);
        if (folded && !phrases.has(folded)) phrases.set(folded, intent);
      }
    }
  }
  return phrases;
}

export function recogniseIntent(text: string, phrases: ReadonlyMap<string, Intent>): Intent | undefined {
  const command = text.trim().split(/[\s@]/)[0]?.toLowerCase() ?? '';
  const folded = normalise(text);
  const exact = commands[command] ?? phrases.get(folded);
  if (exact) return exact;
  const padded = ` ${folded} `;
  for (const [phrase, intent] of phrases) {
    if (heardAnywhere.includes(intent) && padded.includes(` ${phrase} `)) return intent;
  }
  return undefined;
}
