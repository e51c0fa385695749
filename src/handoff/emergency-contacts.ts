import { z } from 'zod';
import { parseState, type Translate } from '../engine/types.js';
import type { StoredConversation } from '../store/repositories/conversations.js';

/**
 * One number to call. `labelKey` names a text in `locales/` (so it reaches the person in their
 * language); `label` is a proper name shown as written (a helpline's own name).
 */
export const emergencyContactSchema = z.union([
  z.strictObject({ labelKey: z.string().regex(/^handoff:emergency_label\.[a-z_]+$/, 'must be a handoff:emergency_label.* key'), number: z.string().trim().regex(/^\+?[0-9][0-9 ]{1,24}$/, 'digits and spaces, optionally after +') }),
  z.strictObject({ label: z.string().trim().min(1).max(80), number: z.string().trim().regex(/^\+?[0-9][0-9 ]{1,24}$/, 'digits and spaces, optionally after +') }),
]);
export type EmergencyContact = z.infer<typeof emergencyContactSchema>;

/**
 * An organisation's emergency numbers per host country (ISO 3166-1 alpha-2), as stored in
 * `Organisation.emergencyContacts`.
 *
 * @example { "DE": [{ "labelKey": "handoff:emergency_label.general", "number": "112" }, { "label": "TelefonSeelsorge", "number": "0800 111 0 111" }] }
 */
export const emergencyContactsSchema = z.record(z.string().regex(/^[A-Z]{2}$/, 'country codes are two capital letters'), z.array(emergencyContactSchema).min(1).max(10));
export type EmergencyContacts = z.infer<typeof emergencyContactsSchema>;

/** 112 reaches emergency services everywhere in the European Union, and from most mobile phones beyond. */
export const fallbackContacts: readonly EmergencyContact[] = [{ labelKey: 'handoff:emergency_label.general', number: '112' }];

/**
 * The contacts for the person's host country when they gave one and the organisation has it;
 * otherwise all of the organisation's (each number once); otherwise 112. Invalid stored contacts
 * count as none: a person in danger still gets 112.
 */
export function contactsFor(stored: unknown, conversation: Pick<StoredConversation, 'flowState'>): { contacts: readonly EmergencyContact[]; country: string | null; valid: boolean } {
  const parsed = emergencyContactsSchema.safeParse(stored ?? {});
  const byCountry = parsed.success ? parsed.data : {};
  const state = parseState(conversation.flowState);
  const host = state.status === 'success' ? state.state.answers.hostCountry : undefined;
  const country = typeof host === 'string' && /^[A-Z]{2}$/.test(host) ? host : null;
  const forCountry = country ? byCountry[country] : undefined;
  if (forCountry && forCountry.length > 0) return { contacts: forCountry, country, valid: parsed.success };
  const seen = new Set<string>();
  const all = Object.values(byCountry)
    .flat()
    .filter((contact) => {
      const key = `${'label' in contact ? contact.label : contact.labelKey}|${contact.number.replace(/\s/g, '')}`;
      if (seen.has(key)) return false;
      seen.add(key);
      return true;
    });
  return { contacts: all.length > 0 ? all : fallbackContacts, country: null, valid: parsed.success };
}

/** The list as lines "label: number", labels in the person's language; the notice `handoff:emergency_contacts` shows it. */
export function formatContacts(contacts: readonly EmergencyContact[], t: Translate): string {
  return contacts.map((contact) => `${'label' in contact ? contact.label : t(contact.labelKey)}: ${contact.number}`).join('\n');
}

/**
 * Sample numbers for the demo organisation: 112 everywhere, and one national crisis line where
 * we are sure of it. Sample data: an organisation must check and set its own.
 */
export const sampleEmergencyContacts: EmergencyContacts = {
  DE: [fallbackContacts[0]!, { label: 'TelefonSeelsorge', number: '0800 111 0 111' }],
  NL: [fallbackContacts[0]!, { label: '113 Zelfmoordpreventie', number: '113' }],
  BE: [fallbackContacts[0]!],
  FR: [fallbackContacts[0]!, { label: '3114 Prévention du suicide', number: '3114' }],
  AT: [fallbackContacts[0]!, { label: 'Telefonseelsorge', number: '142' }],
};
