import { normalise } from '../text/normalise.js';
import { intents, type Intent, type IntentPhrase, type Translate } from './types.js';

/**
 * The one list of slash commands a person may type on any channel, and the intent each stands for;
 * Telegram shows them in its menu in this order (with `/start`, which it handles apart: it carries
 * a payload). Each needs `telegram:commands.<name>` in every language.
 */
export const slashCommands = {
  // "I am in danger": the same as the widget's button, for whoever cannot put it in words.
  emergency: 'safety',
  help: 'help',
  faq: 'faq',
  language: 'language',
  counsellor: 'handoff',
  cancel: 'cancel',
  restart: 'restart',
  // Stops collection but keeps the chat going, and offers erasure (engine.ts withdrawConsent).
  withdraw: 'withdraw',
  forget: 'erase',
} as const satisfies Record<string, Intent>;
export type SlashCommand = keyof typeof slashCommands;

const commands: ReadonlyMap<string, Intent> = new Map(Object.entries(slashCommands).map(([name, intent]) => [`/${name}`, intent]));

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
  return commands.get(command) ?? phrases.get(normalise(text))?.intent;
}
