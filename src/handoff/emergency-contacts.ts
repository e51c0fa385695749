import { parseState, type Translate } from '../engine/types.js';
import { emergencyContactsSchema, fallbackContacts, type EmergencyContact } from '../safety/emergency-numbers.js';
import type { SafetyCategory } from '../safety/types.js';
import type { StoredConversation } from '../store/repositories/conversations.js';
import { countryName } from '../text/countries.js';

/** A contact, and the country it works in when the list holds several countries' lines. */
export type ListedContact = EmergencyContact & { country?: string };

/**
 * The contacts for the person's host country when they gave one and the organisation has it;
 * otherwise all of the organisation's (each number once, and a number that works in only some of
 * the countries says which: 142 rings in Austria, not in Germany); otherwise 112. Invalid stored contacts
 * count as none: a person in danger still gets 112. With a `category` (what the detector heard),
 * only the general lines and the lines for that danger, general first: a short list is read.
 * @example contactsFor(org.emergencyContacts, conversation, 'suicide').contacts // [112, TelefonSeelsorge]
 */
export function contactsFor(
  stored: unknown,
  conversation: Pick<StoredConversation, 'flowState'>,
  category?: SafetyCategory,
): { contacts: readonly ListedContact[]; country: string | null; valid: boolean } {
  const parsed = emergencyContactsSchema.safeParse(stored ?? {});
  const byCountry = parsed.success ? parsed.data : {};
  const state = parseState(conversation.flowState);
  const host = state.status === 'success' ? state.state.answers.hostCountry : undefined;
  const country = typeof host === 'string' && /^[A-Z]{2}$/.test(host) ? host : null;
  const forCountry = country ? byCountry[country] : undefined;
  if (forCountry && forCountry.length > 0) return { contacts: forDanger(forCountry, category), country, valid: parsed.success };
  const countries = Object.entries(byCountry).filter(([, contacts]) => contacts.length > 0);
  const digits = (contact: EmergencyContact) => contact.number.replace(/\s/g, '');
  // A number every country lists (112) needs no country beside it.
  const everywhere = (contact: EmergencyContact) => countries.every(([, contacts]) => contacts.some((other) => digits(other) === digits(contact)));
  const seen = new Set<string>();
  const all: ListedContact[] = countries
    .flatMap(([code, contacts]) => contacts.map((contact) => (countries.length > 1 && !everywhere(contact) ? { ...contact, country: code } : contact)))
    .filter((contact) => {
      const key = `${'label' in contact ? contact.label : contact.labelKey}|${digits(contact)}`;
      if (seen.has(key)) return false;
      seen.add(key);
      return true;
    });
  return { contacts: all.length > 0 ? forDanger(all, category) : fallbackContacts, country: null, valid: parsed.success };
}

function forDanger(contacts: readonly ListedContact[], category: SafetyCategory | undefined): readonly ListedContact[] {
  if (!category) return contacts;
  const general = contacts.filter((contact) => !contact.for);
  const specific = contacts.filter((contact) => contact.for?.includes(category));
  const chosen = [...general, ...specific];
  return chosen.length > 0 ? chosen : fallbackContacts;
}

/**
 * The list as lines "label: number" ("label (country): number" where a line works in one country
 * of several), labels and country names in the person's language; `handoff:emergency_contacts` shows it.
 */
export function formatContacts(contacts: readonly ListedContact[], t: Translate, locale: string): string {
  return contacts
    .map((contact) => {
      const label = 'label' in contact ? contact.label : t(contact.labelKey);
      return `${label}${contact.country ? ` (${countryName(contact.country, locale)})` : ''}: ${contact.number}`;
    })
    .join('\n');
}
