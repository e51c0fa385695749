import type { Localisation } from '../../../i18n/index.js';
import type { OrganisationRecord } from '../../../store/repositories/organisations.js';
import type { WidgetConfig, WidgetStrings } from './client/protocol.js';

/**
 * The widget's look until organisations can set their own (the admin issue adds colour, position,
 * title and greeting to the organisation record; then `lookOf` reads them first).
 * The colour keeps white text above 4.5:1 contrast.
 */
export const widgetLookDefaults = { colour: '#1b5e8a', position: 'right' } as const;

const namespace = 'widget';

/** `GET /v3/widget/config`: everything public about how one organisation's widget looks. */
export function widgetConfigFor(organisation: OrganisationRecord, localisation: Localisation): WidgetConfig {
  const title: Record<string, string> = {};
  const greeting: Record<string, string> = {};
  for (const { code } of localisation.locales) {
    const texts = widgetStringsFor(code, localisation);
    if (texts.title) title[code] = texts.title;
    if (texts.greeting) greeting[code] = texts.greeting;
  }
  return {
    look: { ...widgetLookDefaults, title, greeting },
    defaultLanguage: localisation.choose([organisation.defaultLocale], 'en'),
    languages: localisation.locales.map(({ code, nativeName, dir }) => ({ code, nativeName, dir })),
  };
}

/**
 * The `widget` texts for one language as flat `dotted.key -> text`: English first, then the
 * language that serves `lng` (Dari is served in Persian) over it. The demo page's own texts stay out.
 */
export function widgetStringsFor(lng: string, localisation: Localisation): WidgetStrings {
  const strings: WidgetStrings = {};
  const chain = ['en', localisation.choose([lng], 'en')];
  for (const code of new Set(chain)) {
    const bundle: unknown = localisation.i18n.getResourceBundle(code, namespace);
    flatten(bundle, '', strings);
  }
  for (const key of Object.keys(strings)) if (key.startsWith('demo.')) delete strings[key];
  return strings;
}

function flatten(value: unknown, prefix: string, into: WidgetStrings): void {
  if (typeof value === 'string') {
    if (prefix) into[prefix] = value;
    return;
  }
  if (typeof value !== 'object' || value === null) return;
  for (const [key, child] of Object.entries(value)) flatten(child, prefix ? `${prefix}.${key}` : key, into);
}
