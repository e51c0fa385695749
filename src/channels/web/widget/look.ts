import { z } from 'zod';
import type { Localisation } from '../../../i18n/index.js';
import { hiddenLocales, offeredLocales } from '../../../i18n/offered.js';
import type { OrganisationRecord } from '../../../store/repositories/organisations.js';
import type { WidgetConfig, WidgetStrings } from './client/protocol.js';

/**
 * The widget's look where an organisation set nothing: colour and launcher position here, title
 * and greeting from the `widget` texts of each language. The colour keeps white text above 4.5:1.
 */
export const widgetLookDefaults = { colour: '#1b5e8a', position: 'right' } as const;

/** WCAG 2 AA for normal text: the widget puts white text on the accent colour. */
export const minimumWhiteContrast = 4.5;

/** Contrast ratio of white text on `#rrggbb` (WCAG 2 relative luminance), 1 to 21. */
export function whiteTextContrast(colour: string): number {
  const channel = (offset: number): number => {
    const value = Number.parseInt(colour.slice(offset, offset + 2), 16) / 255;
    return value <= 0.03928 ? value / 12.92 : ((value + 0.055) / 1.055) ** 2.4;
  };
  const luminance = 0.2126 * channel(1) + 0.7152 * channel(3) + 0.0722 * channel(5);
  return 1.05 / (luminance + 0.05);
}

const languageCode = z.string().regex(/^[a-z]{2,3}(-[A-Za-z0-9]{2,8})*$/);
/** Issues carry `params.reason` so the console can say in the admin's language what is wrong. */
export const widgetColourSchema = z
  .string()
  .refine((colour) => /^#[0-9a-fA-F]{6}$/.test(colour), { message: 'expected a colour as #rrggbb', params: { reason: 'colour_format' }, abort: true })
  .transform((colour) => colour.toLowerCase())
  .refine((colour) => whiteTextContrast(colour) >= minimumWhiteContrast, {
    message: `white text on this colour has less than ${minimumWhiteContrast}:1 contrast; choose a darker colour`,
    params: { reason: 'low_contrast' },
  });

/**
 * `Organisation.widgetLook` as stored: every part optional, anything missing falls back to the
 * defaults. Texts are plain text (the widget inserts them as text nodes).
 *
 * @example { "colour": "#7a1f5c", "position": "left", "title": { "de": "Beratung zur Rückkehr" } }
 */
export const widgetLookSchema = z.strictObject({
  colour: widgetColourSchema.optional(),
  position: z.enum(['left', 'right']).optional(),
  title: z.record(languageCode, z.string().trim().min(1).max(80)).optional(),
  greeting: z.record(languageCode, z.string().trim().min(1).max(600)).optional(),
});
export type WidgetLook = z.infer<typeof widgetLookSchema>;

/**
 * Stored JSON -> look, part by part: a part that no longer validates (say a colour stored before
 * the contrast rule) counts as unset and its default shows, the other parts stay.
 */
export function parseWidgetLook(stored: unknown): WidgetLook {
  if (typeof stored !== 'object' || stored === null || Array.isArray(stored)) return {};
  const look: Record<string, unknown> = {};
  for (const [name, schema] of Object.entries(widgetLookSchema.shape)) {
    const parsed = schema.safeParse((stored as Record<string, unknown>)[name]);
    if (parsed.success && parsed.data !== undefined) look[name] = parsed.data;
  }
  return widgetLookSchema.parse(look);
}

const namespace = 'widget';

/**
 * `GET /v3/widget/config`: everything public about how one organisation's widget looks. This is
 * the one place that reads `Organisation.widgetLook`: the organisation's choices first, then the
 * defaults, and per language the organisation's title and greeting over the widget texts'.
 */
export function widgetConfigFor(
  organisation: Pick<OrganisationRecord, 'defaultLocale' | 'widgetLook' | 'hideDraftLanguages'>,
  localisation: Localisation,
): WidgetConfig {
  const look = parseWidgetLook(organisation.widgetLook);
  const hidden = hiddenLocales(localisation.locales, organisation.hideDraftLanguages, localisation.baseLocale);
  const title: Record<string, string> = {};
  const greeting: Record<string, string> = {};
  for (const { code } of localisation.locales) {
    const texts = widgetStringsFor(code, localisation);
    const ownTitle = look.title?.[code] ?? texts.title;
    const ownGreeting = look.greeting?.[code] ?? texts.greeting;
    if (ownTitle) title[code] = ownTitle;
    if (ownGreeting) greeting[code] = ownGreeting;
  }
  return {
    look: { colour: look.colour ?? widgetLookDefaults.colour, position: look.position ?? widgetLookDefaults.position, title, greeting },
    defaultLanguage: localisation.choose([organisation.defaultLocale], 'en', hidden),
    // `draft`: the picker says the translation is not reviewed yet, so nobody takes it for a checked text.
    languages: offeredLocales(localisation.locales, hidden).map(({ code, nativeName, dir, draft }) => ({ code, nativeName, dir, draft: draft === true })),
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
