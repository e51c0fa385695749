import { z } from 'zod';
import shippedDefaults from './emergency-defaults.json' with { type: 'json' };
import { safetyCategories } from './types.js';

// The emergency numbers as data: what an organisation stores per host country, and the shipped
// defaults with their sources. A leaf the store validates with; choosing and wording the numbers
// for one person is `handoff/emergency-contacts.ts`.

/**
 * One number to call. `labelKey` names a text in `locales/` (so it reaches the person in their
 * language); `label` is a proper name shown as written (a helpline's own name).
 */
const numberSchema = z
  .string()
  .trim()
  .regex(/^\+?[0-9][0-9 ]{1,24}$/, 'digits and spaces, optionally after +');
/** The dangers a line is for; a line without it (112) is given for every danger. Optional: older data stays valid. */
const forSchema = z.array(z.enum(safetyCategories)).min(1).max(safetyCategories.length).optional();

export const emergencyContactSchema = z.union([
  z.strictObject({
    labelKey: z.string().regex(/^handoff:emergency_label\.[a-z_]+$/, 'must be a handoff:emergency_label.* key'),
    number: numberSchema,
    for: forSchema,
  }),
  z.strictObject({ label: z.string().trim().min(1).max(80), number: numberSchema, for: forSchema }),
]);
export type EmergencyContact = z.infer<typeof emergencyContactSchema>;

/**
 * An organisation's emergency numbers per host country (ISO 3166-1 alpha-2), as stored in
 * `Organisation.emergencyContacts`.
 *
 * @example { "DE": [{ "labelKey": "handoff:emergency_label.general", "number": "112" }, { "label": "TelefonSeelsorge", "number": "0800 111 0 111" }] }
 */
export const emergencyContactsSchema = z.record(
  z.string().regex(/^[A-Z]{2}$/, 'country codes are two capital letters'),
  z.array(emergencyContactSchema).min(1).max(10),
);
export type EmergencyContacts = z.infer<typeof emergencyContactsSchema>;

/** 112 reaches emergency services everywhere in the European Union, and from most mobile phones beyond. */
export const fallbackContacts: readonly EmergencyContact[] = [{ labelKey: 'handoff:emergency_label.general', number: '112' }];

/** A shipped number: the contact as stored, plus where it was read and when. */
const sourcedContactSchema = z.looseObject({ source: z.string().min(10), checked: z.iso.date() }).transform(({ source, checked, ...contact }, ctx) => {
  const parsed = emergencyContactSchema.safeParse(contact);
  if (!parsed.success) {
    for (const issue of parsed.error.issues) ctx.addIssue({ code: 'custom', message: issue.message, path: issue.path });
    return z.NEVER;
  }
  return { contact: parsed.data, source, checked };
});
const shippedDefaultsSchema = z.object({ contacts: z.record(z.string().regex(/^[A-Z]{2}$/), z.array(sourcedContactSchema).min(1).max(10)) });

/**
 * The shipped defaults (./emergency-defaults.json), each number with the page it was read from and
 * the date it was checked. Parsed once at start: a number without a source fails the start, not a person.
 */
export const defaultEmergencyContacts: Readonly<Record<string, readonly { contact: EmergencyContact; source: string; checked: string }[]>> =
  shippedDefaultsSchema.parse(shippedDefaults).contacts;

/**
 * The demo organisation's numbers: the shipped defaults without their sources (what
 * `Organisation.emergencyContacts` stores). Sample data: an organisation must check and set its own.
 */
export const sampleEmergencyContacts: EmergencyContacts = Object.fromEntries(
  Object.entries(defaultEmergencyContacts).map(([country, list]) => [country, list.map((item) => item.contact)]),
);
