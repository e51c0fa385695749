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

const offeredCache = new WeakMap<readonly LocaleInfo[], Map<string, readonly LocaleInfo[]>>();

/**
 * The languages left to offer (the widget's picker, the bot's language question), in their order.
 * The same list for the same hidden set, every turn: what is cached per list of languages (the
 * language names typed answers are read against) is then built once, not on every turn.
 */
export function offeredLocales(locales: readonly LocaleInfo[], hidden: readonly string[]): readonly LocaleInfo[] {
  if (hidden.length === 0) return locales;
  let byHidden = offeredCache.get(locales);
  if (!byHidden) offeredCache.set(locales, (byHidden = new Map()));
  const key = [...hidden].sort().join(',');
  let offered = byHidden.get(key);
  if (!offered) {
    offered = locales.filter((locale) => !hidden.includes(locale.code));
    byHidden.set(key, offered);
  }
  return offered;
}
