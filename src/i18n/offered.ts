import type { LocaleInfo } from './types.js';

/**
 * The client languages an organisation does not offer to people: every draft one (meta.json
 * `status: "draft"`) when its admin chose to hide drafts in Settings, else none. The base language
 * is never hidden: it ends every fallback chain, so somebody is always served.
 * @example hiddenLocales(localisation.locales, organisation.hideDraftLanguages) // ['am', 'ar', ...]
 */
export function hiddenLocales(locales: readonly LocaleInfo[], hideDraftLanguages: boolean, baseLocale = 'en'): string[] {
  if (!hideDraftLanguages) return [];
  return locales.filter((locale) => locale.draft === true && locale.code !== baseLocale).map((locale) => locale.code);
}

/** The languages left to offer (the widget's picker, the bot's language question), in their order. */
export function offeredLocales(locales: readonly LocaleInfo[], hidden: readonly string[]): readonly LocaleInfo[] {
  return hidden.length === 0 ? locales : locales.filter((locale) => !hidden.includes(locale.code));
}
