// What draws a counsellor's attention, whichever view is on screen: their open queue (the waiting
// referrals and their own) with its unread marks, the count of unread ones in the page title, and
// a sound and a desktop notification for a new urgent referral or a reply in a chat they own.
// It reads the queue itself, on the live stream's events, so the title counts on every page.
import type { z } from 'zod';
import { desktopAllowed, readAlertSettings, type AlertSettings } from './alert-settings.js';
import { playAlertTone } from './alert-tone.js';
import { listSchema, type ConsoleEvent, type Summary } from './api.js';
import { nextMarks, readMarks, unreadIds, writeMarks, marksKey, type ReadMarks } from './read-marks.js';

export const OPEN_STATUSES = 'new,claimed,in_progress,referred';
/** Pages of 100 followed up to this many referrals (the API pages; the queue shows them at once). */
export const MAX_ROWS = 500;

export interface AttentionDeps {
  userId: string;
  t(key: string, params?: Record<string, string | number>): string;
  call<T>(schema: z.ZodType<T>, method: string, path: string, body?: unknown): Promise<T>;
  /** A failed read of the queue (the view says it). */
  failed(error: unknown): void;
}

export interface Attention {
  /** The open queue as last read: waiting referrals and the counsellor's own. */
  readonly rows: readonly Summary[];
  isUnread(id: string): boolean;
  /** Reads the queue again (after an event, a reconnection, a change of mind). */
  reload(): Promise<void>;
  handle(event: ConsoleEvent): void;
  /** The referral on screen (null: none); opening one marks it read. */
  viewing(id: string | null): void;
  /** The urgent tone and notification, once per referral, from whichever view saw it first. */
  urgent(id: string): void;
  /** The page's own title; the count of unread referrals goes before it. */
  title(base: string): void;
  settingsChanged(settings: AlertSettings): void;
  /** Called after every change of rows or marks. */
  onChange(listener: () => void): void;
  stop(): void;
}

/** The organisation's referrals in `statuses` (a comma list), page after page up to MAX_ROWS. */
export async function readReferrals(call: AttentionDeps['call'], statuses: string): Promise<Summary[]> {
  const found: Summary[] = [];
  let cursor: string | null = null;
  do {
    const page: z.infer<typeof listSchema> = await call(
      listSchema,
      'GET',
      `/referrals?status=${statuses}&limit=100${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`,
    );
    found.push(...page.referrals);
    cursor = page.nextCursor;
  } while (cursor && found.length < MAX_ROWS);
  return found;
}

export function createAttention(deps: AttentionDeps): Attention {
  let rows: Summary[] = [];
  let marks: ReadMarks = readMarks(localStorage, deps.userId);
  let settings = readAlertSettings(localStorage, deps.userId);
  let onScreen: string | null = null;
  let baseTitle = document.title;
  let listener = () => {};
  /** Urgent referrals already alerted; undefined until the first read, whose urgent ones are not news. */
  let alerted: Set<string> | undefined;
  let generation = 0;
  const shown = new Set<Notification>();

  const retitle = () => {
    const count = unreadIds(
      rows.map((row) => row.id),
      marks,
    ).length;
    document.title = count > 0 ? deps.t('attention.title_count', { count, title: baseTitle }) : baseTitle;
  };
  const changed = () => {
    retitle();
    listener();
  };
  const mark = (change: Parameters<typeof nextMarks>[1]) => {
    marks = nextMarks(marks, change);
    writeMarks(localStorage, deps.userId, marks);
  };
  // Seen now: on screen in a tab the counsellor is looking at.
  const looking = (id: string) => onScreen === id && document.visibilityState === 'visible';

  /** A desktop notification that brings the counsellor to `hash` when clicked; no words of the person in it. */
  const desktop = (title: string, body: string, tag: string, hash: string) => {
    if (!desktopAllowed(settings)) return;
    try {
      const notification = new Notification(title, { body, tag, lang: document.documentElement.lang });
      shown.add(notification);
      notification.onclose = () => shown.delete(notification);
      notification.onclick = () => {
        window.focus();
        location.hash = hash;
        notification.close();
      };
    } catch {
      // A browser that allows notifications only from a service worker (Android): the page's alerts stand.
    }
  };

  const urgent = (id: string) => {
    if (alerted?.has(id)) return;
    alerted?.add(id);
    if (settings.sound) playAlertTone('urgent');
    desktop(deps.t('attention.urgent_title'), deps.t('attention.urgent_body'), `urgent-${id}`, `#/queue/${id}`);
  };

  const reload = async () => {
    const mine = ++generation;
    try {
      const found = await readReferrals(deps.call, OPEN_STATUSES);
      // A newer read started meanwhile: it decides.
      if (mine !== generation) return;
      rows = found.filter((row) => row.status === 'new' || row.assignedUserId === deps.userId);
      const urgentIds = rows.filter((row) => row.priority === 'urgent').map((row) => row.id);
      if (alerted) for (const id of urgentIds) urgent(id);
      else alerted = new Set(urgentIds);
      if (onScreen && looking(onScreen)) mark({ opened: onScreen });
      mark({ keep: rows.map((row) => row.id) });
      changed();
    } catch (error) {
      deps.failed(error);
    }
  };

  const onStorage = (event: StorageEvent) => {
    // Another tab of the same counsellor opened a referral: its mark clears here too.
    if (event.key !== marksKey(deps.userId)) return;
    marks = readMarks(localStorage, deps.userId);
    changed();
  };
  const onVisible = () => {
    if (onScreen && looking(onScreen) && marks[onScreen] !== 'seen') {
      mark({ opened: onScreen });
      changed();
    }
  };
  window.addEventListener('storage', onStorage);
  document.addEventListener('visibilitychange', onVisible);

  return {
    get rows() {
      return rows;
    },
    isUnread: (id) => marks[id] !== 'seen' && rows.some((row) => row.id === id),
    reload,
    handle(event) {
      if (event.type === 'referral_created' || event.type === 'referral_updated' || event.type === 'conversation_erased') {
        void reload();
        return;
      }
      if (event.type !== 'client_message' || !event.referralId) return;
      const id = event.referralId;
      const row = rows.find((candidate) => candidate.id === id);
      if (row?.assignedUserId !== deps.userId) return;
      if (looking(id)) return;
      mark({ wrote: id });
      changed();
      if (settings.sound) playAlertTone('reply');
      desktop(deps.t('attention.reply_title'), deps.t('attention.reply_body'), `reply-${id}`, `#/referral/${id}`);
    },
    viewing(id) {
      onScreen = id;
      if (id && looking(id)) {
        mark({ opened: id });
        changed();
      }
    },
    urgent,
    title(base) {
      baseTitle = base;
      retitle();
    },
    settingsChanged(next) {
      settings = next;
    },
    onChange(next) {
      listener = next;
    },
    stop() {
      generation++;
      window.removeEventListener('storage', onStorage);
      document.removeEventListener('visibilitychange', onVisible);
      for (const notification of shown) notification.close();
      document.title = baseTitle;
    },
  };
}
