import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import i18next, { type i18n as I18n, type Resource } from 'i18next';
import { z } from 'zod';
import { countryName } from '../text/countries.js';
import type { Resources } from './completeness.js';
import { localeReviewSchema } from './review-record.js';
import { createFormatter, nestingKeyVariables } from './formatter.js';
import type { LocaleInfo, Translate } from './types.js';

/** Per-locale metadata, `locales/<lng>/meta.json`; `draft` until a native speaker has reviewed it. */
export const localeMetaSchema = z.strictObject({
  nativeName: z.string().min(1),
  /** Other names people type for the language ("عربي" for العربية); its name in English and in the chat's language are known already. */
  alsoCalled: z.array(z.string().min(1)).optional(),
  dir: z.enum(['ltr', 'rtl']),
  status: z.enum(['draft', 'reviewed']),
  /** The last native review (`npm run locales:review -- apply`). */
  review: localeReviewSchema.optional(),
});
export type LocaleMeta = z.infer<typeof localeMetaSchema>;

const metaFile = 'meta.json';
const resourceSchema = z.record(z.string(), z.unknown());

export interface Localisation {
  i18n: I18n;
  baseLocale: string;
  /** Every text as read from `locales/`: language -> namespace -> tree. */
  resources: Resources;
  /** Shipped client languages (those with a meta.json), base language first. */
  locales: LocaleInfo[];
  meta: ReadonlyMap<string, LocaleMeta>;
  /** A translator fixed to one language: never `changeLanguage` on the shared instance. */
  translatorFor(locale: string): Translate;
  /** Whether one locale has a key itself (no fallback); a plural key counts by its `_other` form. */
  hasKey(locale: string, key: string): boolean;
  /**
   * The best shipped language for a list of preferences (Accept-Language, Telegram's language_code),
   * leaving out `hidden` ones (an organisation that hides drafts): a hidden preference goes on down
   * its fallback chain (Dari to Persian), then to the next preference, the fallback, English.
   */
  choose(preferences: readonly string[], fallback: string, hidden?: readonly string[]): string;
}

/**
 * Fallback chains: a text missing in Dari (prs, also asked for as fa-AF) is read in Persian, the
 * closest written language, before English; a language not shipped itself (pt-BR) reads its base.
 * Every chain ends in English.
 */
const fallbackChains: Readonly<Record<string, readonly string[]>> = {
  prs: ['fa', 'en'],
  'fa-AF': ['prs', 'fa', 'en'],
  'pt-BR': ['pt', 'en'],
};
const fallbackLng = { ...fallbackChains, default: ['en'] };

/**
 * Languages people name differently from the locale that serves them, keyed in lower case: tags
 * arrive as "fa-AF", "fa-af" or "FA-AF" alike. Persian of Afghanistan (fa-AF, the tag a browser
 * set to Dari sends) is served in Dari (prs); fa and fa-IR stay Persian. Telegram sends a plain
 * "ku" for Kurdish of either kind: it is served in Kurmanji (kmr), since Kurmanji speakers are the
 * larger group of Kurds in Europe; a Sorani speaker still picks Sorani from the language list.
 * Sorani tagged with a country (ckb-IQ, ckb-IR) is Sorani.
 */
const languageAliases: Readonly<Record<string, string>> = { 'fa-af': 'prs', ku: 'kmr', 'ckb-iq': 'ckb', 'ckb-ir': 'ckb' };

/** Reads every `locales/<lng>/<namespace>.json` into one i18next instance. */
export async function createLocalisation(localesDir: string, baseLocale = 'en'): Promise<Localisation> {
  const resources: Resource = {};
  const meta = new Map<string, LocaleMeta>();
  const namespaces = new Set<string>();
  for (const lng of readdirSync(localesDir).sort()) {
    const dir = join(localesDir, lng);
    resources[lng] = {};
    for (const file of readdirSync(dir).filter((name) => name.endsWith('.json'))) {
      const content = JSON.parse(readFileSync(join(dir, file), 'utf8')) as unknown;
      if (file === metaFile) meta.set(lng, localeMetaSchema.parse(content));
      else {
        const ns = file.slice(0, -'.json'.length);
        namespaces.add(ns);
        resources[lng][ns] = resourceSchema.parse(content);
      }
    }
  }
  if (!meta.has(baseLocale)) throw new Error(`${join(localesDir, baseLocale, metaFile)} is missing`);

  const instance = i18next.createInstance();
  const isRightToLeft = (lng: string) => (meta.get(lng)?.dir ?? instance.dir(lng)) === 'rtl';
  // `lines` holds texts already rendered in the reader's language (see `renderLines`): not isolated again.
  const formatter = createFormatter(isRightToLeft, new Set([...nestingKeyVariables(allTexts(resources)), linesParam]));
  formatter.add('country', (value, lng) => formatCountry(instance, value, lng ?? baseLocale));
  await instance.use(formatter).init({
    resources,
    lng: baseLocale,
    fallbackLng,
    ns: [...namespaces],
    defaultNS: 'system',
    // Texts are rendered as plain text; channels escape for their own markup (Telegram HTML, the widget's DOM text).
    // alwaysFormat: every value passes the formatter, which isolates it in right-to-left texts.
    interpolation: { escapeValue: false, alwaysFormat: true },
    returnNull: false,
    initAsync: false,
  });

  const locales: LocaleInfo[] = [...meta]
    .map(([code, info]) => ({
      code,
      nativeName: info.nativeName,
      dir: info.dir,
      ...(info.alsoCalled ? { alsoCalled: info.alsoCalled } : {}),
      ...(info.status === 'draft' ? { draft: true } : {}),
    }))
    .sort((a, b) => (a.code === baseLocale ? -1 : b.code === baseLocale ? 1 : a.code.localeCompare(b.code)));
  const shipped = new Set(locales.map((locale) => locale.code));
  const translators = new Map<string, Translate>();

  return {
    i18n: instance,
    baseLocale,
    resources,
    locales,
    meta,
    translatorFor(locale) {
      let translate = translators.get(locale);
      if (!translate) {
        const fixed = instance.getFixedT(locale);
        const render: Translate = (key, params) => String(fixed(key, renderLines(params, render) ?? {}));
        translate = render;
        translators.set(locale, translate);
      }
      return translate;
    },
    hasKey(locale, key) {
      const [ns, path] = key.includes(':') ? (key.split(':', 2) as [string, string]) : ['system', key];
      return [path, `${path}_other`].some((candidate) => typeof instance.getResource(locale, ns, candidate) === 'string');
    },
    choose(preferences, fallback, hidden = []) {
      const offered = (candidate: string | undefined): candidate is string => candidate !== undefined && shipped.has(candidate) && !hidden.includes(candidate);
      for (const preference of preferences) {
        const tag = preference.toLowerCase();
        const base = tag.split('-')[0] ?? '';
        const alias = languageAliases[tag] ?? languageAliases[base];
        // The chain's last step, English, waits until every preference was tried.
        const next = (fallbackChains[preference] ?? (alias ? fallbackChains[alias] : undefined) ?? fallbackChains[base] ?? []).filter(
          (code) => code !== baseLocale,
        );
        const found = [preference, alias, base, ...next].find(offered);
        if (found) return found;
      }
      return offered(fallback) ? fallback : baseLocale;
    },
  };
}

/** The parameter that carries a list of texts, each rendered and put on its own line: `{{lines}}`. */
export const linesParam = 'lines';

/**
 * One message made of several texts (a summary listing programmes): `params.lines` is a list of
 * `{ key, params }`, each rendered in the reader's language with the message's i18next `context`
 * (a child's wording), then joined one per line. Kept as keys, not text, so a stored message can
 * be rendered again in another language (the console's "in your language").
 * @example t('eligibility:explain.summary', { lines: [{ key: 'eligibility:explain.intro' }, ...] })
 */
function renderLines(params: Record<string, unknown> | undefined, translate: Translate): Record<string, unknown> | undefined {
  const lines = params?.[linesParam];
  if (!Array.isArray(lines)) return params;
  const context = params?.context;
  const text = lines
    .filter((line): line is { key: string; params?: Record<string, unknown> } => typeof line?.key === 'string')
    .map((line) => translate(line.key, context === undefined || line.params?.context !== undefined ? line.params : { ...line.params, context }))
    .join('\n');
  return { ...params, [linesParam]: text };
}

function* allTexts(value: unknown): Generator<string> {
  if (typeof value === 'string') yield value;
  else if (typeof value === 'object' && value !== null) for (const inner of Object.values(value)) yield* allTexts(inner);
}

/** `{{code, country}}` in a text: the country's name in the reader's language, or the "don't know" wording. */
function formatCountry(instance: I18n, value: unknown, lng: string): string {
  const text = String(value ?? '');
  if (/^[A-Z]{2}$/.test(text)) return countryName(text, lng);
  return instance.t(`system:answer.${text}`, { lng, defaultValue: text });
}
