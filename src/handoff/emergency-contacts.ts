import { parseState, type Translate } from '../engine/types.js';
import { emergencyContactsSchema, fallbackContacts, type EmergencyContact } from '../safety/emergency-numbers.js';
import type { SafetyCategory } from '../safety/types.js';
import type { StoredConversation } from '../store/repositories/conversations.js';

/**
 * The contacts for the person's host country when they gave one and the organisation has it;
 * otherwise all of the organisation's (each number once); otherwise 112. Invalid stored contacts
 * count as none: a person in danger still gets 112. With a `category` (what the detector heard),
 * only the general lines and the lines for that danger, general first: a short list is read.
 * @example contactsFor(org.emergencyContacts, conversation, 'suicide').contacts // [112, TelefonSeelsorge]
 */
export function contactsFor(
  stored: unknown,
  conversation: Pick<StoredConversation, 'flowState'>,
  category?: SafetyCategory,
): { contacts: readonly EmergencyContact[]; country: string | null; valid: boolean } {
  const parsed = emergencyContactsSchema.safeParse(stored ?? {});
  const byCountry = parsed.success ? parsed.data : {};
  const state = parseState(conversation.flowState);
  const host = state.status === 'success' ? state.state.answers.hostCountry : undefined;
  const country = typeof host === 'string' && /^[A-Z]{2}$/.test(host) ? host : null;
  const forCountry = country ? byCountry[country] : undefined;
  if (forCountry && forCountry.length > 0) return { contacts: forDanger(forCountry, category), country, valid: parsed.success };
  const seen = new Set<string>();
  const all = Object.values(byCountry)
    .flat()
    .filter((contact) => {
      const key = `${'label' in contact ? contact.label : contact.labelKey}|${contact.number.replace(/\s/g, '')}`;
      if (seen.has(key)) return false;
      seen.add(key);
      return true;
    });
  return { contacts: all.length > 0 ? forDanger(all, category) : fallbackContacts, country: null, valid: parsed.success };
}

function forDanger(contacts: readonly EmergencyContact[], category: SafetyCategory | undefined): readonly EmergencyContact[] {
  if (!category) return contacts;
  const general = contacts.filter((contact) => !contact.for);
  const specific = contacts.filter((contact) => contact.for?.includes(category));
  const chosen = [...general, ...specific];
  return chosen.length > 0 ? chosen : fallbackContacts;
}

/** The list as lines "label: number", labels in the person's language; the notice `handoff:emergency_contacts` shows it. */
export function formatContacts(contacts: readonly EmergencyContact[], t: Translate): string {
  return contacts.map((contact) => `${'label' in contact ? contact.label : t(contact.labelKey)}: ${contact.number}`).join('\n');
}
