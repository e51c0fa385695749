import { normalise } from './normalise.js';
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
 * Intents also recognised inside a longer message ("my husband hits me, I am in danger"): missing a
 * person in danger costs far more than offering a counsellor once too often.
 */
const heardAnywhere: readonly Intent[] = ['safety'];

/**
 * Builds the phrase index from every shipped language: each locale's `system:intent.<name>`
 * holds "|"-separated phrases, so "talk to a person" works typed in any of them.
 */
export function buildIntentPhrases(languages: readonly string[], translatorFor: (lng: string) => Translate): Map<string, IntentPhrase> {
  const phrases = new Map<string, { intent: Intent; locales: Set<string> }>();
  for (const lng of languages) {
    const t = translatorFor(lng);
    for (const intent of intents) {
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
 * A whole message matches a phrase of any shipped language. Inside a longer message only the
 * person's own language (and English) is heard: Persian, Pashto and Urdu share Arabic's script,
 * and an Arabic danger word is an ordinary word in a Persian question.
 */
export function recogniseIntent(text: string, phrases: ReadonlyMap<string, IntentPhrase>, locale?: string): Intent | undefined {
  const command = text.trim().split(/[\s@]/)[0]?.toLowerCase() ?? '';
  const folded = normalise(text);
  const exact = commands[command] ?? phrases.get(folded)?.intent;
  if (exact) return exact;
  const padded = ` ${folded} `;
  for (const [phrase, { intent, locales }] of phrases) {
    const heard = locale === undefined || locales.has(locale) || locales.has('en');
    if (heard && heardAnywhere.includes(intent) && padded.includes(` ${phrase} `)) return intent;
  }
  return undefined;
}
