import { normalise } from '../text/normalise.js';
import { intents, type Intent, type IntentPhrase, type Translate } from './types.js';

/** Slash commands a person may type on any channel (Telegram shows them in its menu). */
const commands: Readonly<Record<string, Intent>> = {
  '/help': 'help',
  '/restart': 'restart',
  '/language': 'language',
  '/counsellor': 'handoff',
  '/cancel': 'cancel',
  '/forget': 'erase',
  // Stops collection but keeps the chat going, and offers erasure (engine.ts withdrawConsent).
  '/withdraw': 'withdraw',
  '/faq': 'faq',
};

/**
 * Intents a person may type as a phrase. `safety` is not among them: danger is heard by the safety
 * lexicon (src/safety/, every language at once, inside any sentence); the intent stays for the button.
 */
export const typedIntents: readonly Intent[] = intents.filter((intent) => intent !== 'safety');

/**
 * Builds the phrase index from every shipped language: each locale's `system:intent.<name>`
 * holds "|"-separated phrases, so "talk to a person" works typed in any of them.
 */
export function buildIntentPhrases(languages: readonly string[], translatorFor: (lng: string) => Translate): Map<string, IntentPhrase> {
  const phrases = new Map<string, { intent: Intent; locales: Set<string> }>();
  for (const lng of languages) {
    const t = translatorFor(lng);
    for (const intent of typedIntents) {
      for (const phrase of t(`system:intent.${intent}`).split('|')) {
        const folded = normalise(phrase);
        if (!folded) continue;
        const known = phrases.get(folded);
        if (!known) phrases.set(folded, { intent, locales: new Set([lng]) });
        else if (known.intent === intent) known.locales.add(lng);
      }
    }
  }
  return phrases;
}

/**
 * A slash command, or a whole message that is a phrase of any shipped language ("talk to a person",
 * "ayuda"). Only whole messages: an ordinary sentence that contains "help" is an answer, not a request.
 * `_locale` (the chat's language) is accepted for the callers' sake; every language is heard alike.
 */
export function recogniseIntent(text: string, phrases: ReadonlyMap<string, IntentPhrase>, _locale?: string): Intent | undefined {
  const command = text.trim().split(/[\s@]/)[0]?.toLowerCase() ?? '';
  return commands[command] ?? phrases.get(normalise(text))?.intent;
}
