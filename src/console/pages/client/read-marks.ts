// Which referrals a counsellor has not read: one never opened in this browser, or one the person
// wrote in since it was last opened. The server keeps no "last seen" of anyone, and a per-user table
// written on every opened chat would be a new store of who looked at what; so the marks live in the
// browser (localStorage, one key per user id, so two counsellors sharing a desk keep their own).
// The cost: marks do not follow a counsellor to another browser, and a reply that came while no
// console was open is not marked (the live stream has no history).
import { z } from 'zod';

/** `seen`: opened, nothing new since; `wrote`: the person wrote after it was last opened. */
const marksSchema = z.record(z.string(), z.enum(['seen', 'wrote']));
export type ReadMarks = z.infer<typeof marksSchema>;

/** The part of `localStorage` the marks use (a Map-backed stand-in in unit tests). */
export type MarkStorage = Pick<Storage, 'getItem' | 'setItem'>;

export const marksKey = (userId: string) => `homeward-console:read:${userId}`;

export function readMarks(storage: MarkStorage, userId: string): ReadMarks {
  try {
    const parsed = marksSchema.safeParse(JSON.parse(storage.getItem(marksKey(userId)) ?? '{}'));
    return parsed.success ? parsed.data : {};
  } catch {
    return {};
  }
}

/**
 * Unread: in `openIds` (the counsellor's open queue) and never opened, or written in since.
 * @example unreadIds(['a', 'b', 'c'], { a: 'seen', b: 'wrote' }) // ['b', 'c']
 */
export function unreadIds(openIds: readonly string[], marks: ReadMarks): string[] {
  return openIds.filter((id) => marks[id] !== 'seen');
}

/**
 * The marks after `change`, kept to `openIds` so the stored list does not grow with every referral
 * ever seen (one that reopens later is new again, as it is to the queue).
 */
export function nextMarks(marks: ReadMarks, change: { opened: string } | { wrote: string } | { keep: readonly string[] }): ReadMarks {
  if ('opened' in change) return { ...marks, [change.opened]: 'seen' };
  // A reply in a chat never opened leaves it unopened: unread either way.
  if ('wrote' in change) return marks[change.wrote] === 'seen' ? { ...marks, [change.wrote]: 'wrote' } : marks;
  return Object.fromEntries(Object.entries(marks).filter(([id]) => change.keep.includes(id)));
}

export function writeMarks(storage: MarkStorage, userId: string, marks: ReadMarks): void {
  try {
    storage.setItem(marksKey(userId), JSON.stringify(marks));
  } catch {
    // Storage full or refused (private mode): the marks hold for this page only.
  }
}
