import type { Activity } from './protocol.js';

/** Who answers the person: the bot, or a counsellor who owns the chat (queued counts as the bot's: nobody has taken it). */
export type ChatOwner = 'bot' | 'counsellor';

/** Notices that say a counsellor took the chat, and those that say it went back to the bot (locales/<lng>/handoff.json). */
const joinedKeys = new Set(['handoff:counsellor_joined', 'handoff:counsellor_joined_named', 'handoff:counsellor_transferred_named']);
const returnedKeys = new Set(['handoff:handed_back', 'handoff:closed', 'handoff:cancelled']);

/** The author the server put on a counsellor's message (`channelData.author`), or undefined for the bot's. */
export function counsellorOf(activity: Activity): { name?: string } | undefined {
  const author = activity.channelData?.author;
  if (typeof author !== 'object' || author === null || !('role' in author) || author.role !== 'counsellor') return undefined;
  const name = 'name' in author && typeof author.name === 'string' && author.name.trim() ? author.name.trim() : undefined;
  return name ? { name } : {};
}

/**
 * Who owns the chat after `activity`, or undefined when it does not say. The live
 * `conversation.status` event says it at once; the stored notices and a counsellor's messages say
 * it again in the history a reloaded page replays, where the live event is not.
 */
export function ownerAfter(activity: Activity): ChatOwner | undefined {
  if (activity.type === 'event' && activity.name === 'conversation.status') {
    const value = activity.value;
    const status = typeof value === 'object' && value !== null && 'status' in value ? value.status : undefined;
    return status === 'human' ? 'counsellor' : status === 'bot' || status === 'queued' ? 'bot' : undefined;
  }
  if (activity.type !== 'message') return undefined;
  if (counsellorOf(activity)) return 'counsellor';
  const key = activity.channelData?.key;
  if (typeof key !== 'string') return undefined;
  return joinedKeys.has(key) ? 'counsellor' : returnedKeys.has(key) ? 'bot' : undefined;
}
