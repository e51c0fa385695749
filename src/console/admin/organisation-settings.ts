import { z } from 'zod';
import { parseWidgetLook, widgetLookSchema } from '../../channels/web/widget/look.js';
import { emergencyContactsSchema } from '../../safety/emergency-numbers.js';
import { officeHoursSchema, parseOfficeHours, timeZoneSchema } from '../../handoff/office-hours.js';
import { retentionBodySchema } from './privacy-routes.js';
import type { OrganisationSettingsRecord, OrganisationSettingsUpdate } from '../../store/repositories/organisations.js';

/*
 * The organisation settings an admin edits in the console, as the API shows and takes them.
 * Each field reuses the schema its consumer already applies (office hours, emergency contacts,
 * retention, widget look), so what the console accepts is exactly what the rest can read.
 */

/**
 * One allowed-origin rule as src/channels/web/origins.ts matches them: an exact origin
 * (`https://ngo.example`) or a scheme and host with any port (`http://localhost:*`). Written in
 * canonical form (lower case, no path, no trailing slash), so what is stored is what matches.
 */
export const originRuleSchema = z
  .string()
  .trim()
  .max(200)
  // What people paste from the address bar ("https://NGO.example/") becomes the canonical form.
  .transform((rule) => rule.replace(/\/$/, '').toLowerCase())
  .refine((rule) => isCanonicalOriginRule(rule), {
    message: 'expected an origin such as https://ngo.example or http://localhost:*',
    params: { reason: 'origin' },
  });

function isCanonicalOriginRule(rule: string): boolean {
  const anyPort = rule.endsWith(':*');
  const base = anyPort ? rule.slice(0, -2) : rule;
  if (!URL.canParse(base)) return false;
  const url = new URL(base);
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return false;
  // With ":*" the base must name no port itself (`http://localhost:80:*` is no rule).
  return url.origin === base && (!anyPort || url.port === '');
}

/**
 * A Telegram bot's username as Telegram allows them: 5-32 letters, digits and underscores,
 * starting with a letter and ending in "bot". A leading "@" is accepted and dropped.
 */
export const telegramUsernameSchema = z
  .string()
  .trim()
  .transform((name) => name.replace(/^@/, ''))
  .refine((name) => /^(?=.{5,32}$)[A-Za-z][A-Za-z0-9_]*bot$/i.test(name) && !name.includes('__'), {
    message: 'expected a Telegram bot username such as homeward_help_bot',
    params: { reason: 'telegram_username' },
  });

// The retention route's own limits (src/console/admin/privacy-routes.ts), not a second opinion.
const retentionDays = retentionBodySchema.shape.closedDays.unwrap();

/** When the console's queue marks a waiting referral amber and red (src/console/pages/client/wait-level.ts): red after amber, at most a day. */
export const queueWaitSchema = z
  .strictObject({ amberMinutes: z.int().min(1).max(1440), redMinutes: z.int().min(1).max(1440) })
  .refine((wait) => wait.redMinutes > wait.amberMinutes, { message: 'red must come after amber', params: { reason: 'wait_order' }, path: ['redMinutes'] });

/** Every editable field; a PATCH sends any non-empty subset. */
export function organisationSettingsSchema(languages: readonly string[]) {
  const language = z.string().refine((code) => languages.includes(code), { message: 'not one of the client languages', params: { reason: 'language' } });
  const perLanguage = (max: number) => z.record(language, z.string().trim().min(1).max(max));
  return z.strictObject({
    name: z.string().trim().min(1).max(120),
    defaultLanguage: language,
    // Stored as Intl names it ("utc" -> "UTC"), so the console shows what is in effect.
    timeZone: timeZoneSchema.transform((zone) => new Intl.DateTimeFormat('en', { timeZone: zone }).resolvedOptions().timeZone),
    /** null: the default week (Monday to Friday 09:00-17:00). */
    officeHours: officeHoursSchema.nullable(),
    emergencyContacts: emergencyContactsSchema,
    retentionClosedDays: retentionDays,
    retentionIdleDays: retentionDays,
    /** Empty allows every origin (src/channels/web/origins.ts). */
    allowedOrigins: z.array(originRuleSchema).max(50),
    /** Replaces the whole look: what is left out falls back to the defaults. */
    widgetLook: widgetLookSchema.extend({ title: perLanguage(80).optional(), greeting: perLanguage(600).optional() }),
    telegramBotUsername: telegramUsernameSchema.nullable(),
    queueWait: queueWaitSchema,
    /** True: draft client languages are not offered to new people (src/i18n/offered.ts); conversations already in one carry on. */
    hideDraftLanguages: z.boolean(),
  });
}
export type OrganisationSettings = z.infer<ReturnType<typeof organisationSettingsSchema>>;

/** `PATCH /console/api/admin/organisation`: strict, every field optional, at least one. */
export function organisationSettingsPatchSchema(languages: readonly string[]) {
  return organisationSettingsSchema(languages)
    .partial()
    .refine((patch) => Object.keys(patch).length > 0, { message: 'send at least one setting' });
}
export type OrganisationSettingsPatch = z.infer<ReturnType<typeof organisationSettingsPatchSchema>>;

/** Stored -> API: JSON columns read through their schemas (an invalid stored value shows as its default). */
export function settingsFromRecord(record: OrganisationSettingsRecord): OrganisationSettings {
  const contacts = emergencyContactsSchema.safeParse(record.emergencyContacts ?? {});
  return {
    name: record.name,
    defaultLanguage: record.defaultLocale,
    timeZone: record.timeZone,
    officeHours: record.officeHours === null ? null : parseOfficeHours(record.officeHours).hours,
    emergencyContacts: contacts.success ? contacts.data : {},
    retentionClosedDays: record.retentionClosedDays,
    retentionIdleDays: record.retentionIdleDays,
    allowedOrigins: record.allowedOrigins,
    // Read as the widget reads it, so the form shows what visitors see.
    widgetLook: parseWidgetLook(record.widgetLook),
    telegramBotUsername: record.telegramBotUsername,
    queueWait: { amberMinutes: record.waitAmberMinutes, redMinutes: record.waitRedMinutes },
    hideDraftLanguages: record.hideDraftLanguages,
  };
}

/** API -> repository: the names the database uses. */
export function updateFromPatch(patch: OrganisationSettingsPatch): OrganisationSettingsUpdate {
  const { defaultLanguage, queueWait, ...rest } = patch;
  return {
    ...rest,
    ...(defaultLanguage !== undefined ? { defaultLocale: defaultLanguage } : {}),
    ...(queueWait !== undefined ? { waitAmberMinutes: queueWait.amberMinutes, waitRedMinutes: queueWait.redMinutes } : {}),
  };
}

/** The fields whose value the patch really changes (the audit names them, never their values). */
export function changedFields(current: OrganisationSettings, patch: OrganisationSettingsPatch): (keyof OrganisationSettings)[] {
  return (Object.keys(patch) as (keyof OrganisationSettings)[]).filter((field) => canonical(patch[field]) !== canonical(current[field])).sort();
}

/** JSON with object keys sorted, so `{a, b}` and `{b, a}` compare equal. */
function canonical(value: unknown): string {
  return JSON.stringify(value, (_key, item: unknown) =>
    typeof item === 'object' && item !== null && !Array.isArray(item) ? Object.fromEntries(Object.entries(item).sort(([a], [b]) => a.localeCompare(b))) : item,
  );
}
