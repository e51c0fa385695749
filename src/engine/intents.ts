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

/** Words around a phrase that are still a request ("talk to a person please", "can I change language"). */
const maxWordsAroundPhrase = 3;

/**
 * A request said the other way round ("I don't want to talk to a person") is not one. Words that
 * mean "not", "no", "never" or "I don't want" in every client language, heard beside a phrase of
 * any language: en, de, nl, fr, es, pt, ru, uk, ar, fa, prs ("نمی‌خواهم" loses its joiner in
 * `normalise`), ps, ur (Urdu and Bengali in Latin letters too), bn, ka, sq, tr, so, am, ti, ckb
 * and kmr (in Arabic and Latin letters, with and without the hats). Folded like typed text, so
 * "نہیں" is heard as the "نهیں" that `normalise` makes of it.
 */
const negations: ReadonlySet<string> = new Set(
  [
    'not dont never no cant wont cannot',
    'nicht kein keine nie niet geen nooit',
    'pas jamais nunca nao nem',
    'не ні нет немає ніколи никогда',
    'لا مش ما',
    'نه نمی‌خواهم نمیخواهم نمیخوام نمیخایم هرگز',
    'نہیں nahi nahin',
    'না নয় নেই',
    'არ არა ნუ',
    'mos jo nuk',
    'degil istemiyorum hayir asla',
    'አልፈልግም አይ አይደለም',
    'ኣይደልን ኣይፋል ኣይ',
    'نامەوێت نامەوێ ناکەم نەخێر namawet namawe',
    'naxwazim nexwazim naxwazin nexwazin',
  ]
    .join(' ')
    .split(' ')
    .map(normalise),
);

/**
 * Short negations that are ordinary words in other client languages (Portuguese "na" is "in the",
 * Albanian "ne" is "we", Somali "ma" also asks a question, Persian "نا" begins "نا امید"): each is
 * heard only beside a phrase of its own language, "na bi kesekî re biaxivim" but not "falar com
 * uma pessoa na Alemanha".
 */
const negationsOfLanguage: Readonly<Record<string, ReadonlySet<string>>> = Object.fromEntries(
  Object.entries({
    kmr: 'na ne',
    ckb: 'نا نە',
    prs: 'نی',
    bn: 'na nai',
    so: 'ma maya',
    ps: 'مه',
    ur: 'مت',
  }).map(([lng, words]) => [lng, new Set(words.split(' ').map(normalise))]),
);

/**
 * A slash command, or a message that is a phrase of any shipped language ("talk to a person",
 * "ayuda"), or a phrase of two words or more with at most three more around it ("talk to a person
 * please") and no negation among them. One word inside a sentence is not enough: an ordinary
 * sentence that contains "help" is an answer, not a request. `_locale` (the chat's language) is
 * accepted for the callers' sake; every language is heard alike.
 *
 * @example
 * recogniseIntent('talk to a person please', phrases); // 'handoff'
 * recogniseIntent("i don't want to talk to a person", phrases); // undefined
 */
export function recogniseIntent(text: string, phrases: ReadonlyMap<string, IntentPhrase>, _locale?: string): Intent | undefined {
  const command = text.trim().split(/[\s@]/)[0]?.toLowerCase() ?? '';
  const typed = normalise(text);
  return commands.get(command) ?? phrases.get(typed)?.intent ?? phraseWithin(typed, phrases);
}

function phraseWithin(typed: string, phrases: ReadonlyMap<string, IntentPhrase>): Intent | undefined {
  const words = typed.split(' ');
  if (words.some((word) => negations.has(word))) return undefined;
  let best: { length: number; intents: Set<Intent>; locales: Set<string> } | undefined;
  for (const [phrase, { intent, locales }] of phrases) {
    const length = phrase.split(' ').length;
    if (length < 2 || words.length - length > maxWordsAroundPhrase || !` ${typed} `.includes(` ${phrase} `)) continue;
    if (!best || length > best.length) best = { length, intents: new Set([intent]), locales: new Set(locales) };
    else if (length === best.length) {
      best.intents.add(intent);
      for (const lng of locales) best.locales.add(lng);
    }
  }
  if (best?.intents.size !== 1) return undefined;
  const { locales } = best;
  if (words.some((word) => [...locales].some((lng) => negationsOfLanguage[lng]?.has(word)))) return undefined;
  return [...best.intents][0];
}
