/**
 * What survives a page reload: the resume ticket (sealed by the server: it shows no conversation
 * id, and only the server can turn it into a token) and how far the transcript was read. Never
 * the conversation id, a token or any message.
 */
export interface StoredSession {
  resume: string;
  watermark?: string;
}

export interface StoredState {
  userId: string;
  locale?: string;
  session?: StoredSession;
}

/** One record per widget key and page origin in localStorage; a blocked storage degrades to memory. */
export class SessionStore {
  private readonly name: string;
  private memory: StoredState;

  constructor(widgetKey: string) {
    this.name = `homeward:${widgetKey}`;
    this.memory = this.read() ?? { userId: `web-${randomId()}` };
    this.write();
  }

  get state(): Readonly<StoredState> {
    return this.memory;
  }

  update(change: Partial<StoredState>): void {
    this.memory = { ...this.memory, ...change };
    this.write();
  }

  updateSession(change: Partial<StoredSession>): void {
    if (!this.memory.session) return;
    this.update({ session: { ...this.memory.session, ...change } });
  }

  clearSession(): void {
    const { session: _dropped, ...rest } = this.memory;
    this.memory = rest;
    this.write();
  }

  private read(): StoredState | null {
    try {
      const raw = window.localStorage.getItem(this.name);
      if (!raw) return null;
      const value: unknown = JSON.parse(raw);
      return isStoredState(value) ? withoutCredentials(value) : null;
    } catch {
      return null;
    }
  }

  private write(): void {
    try {
      window.localStorage.setItem(this.name, JSON.stringify(this.memory));
    } catch {
      // Private modes and full quotas refuse writes; the chat still works for this page view.
    }
  }
}

/** Drops what older widgets kept beside the ticket (the conversation id and a token). */
function withoutCredentials(state: StoredState): StoredState {
  if (!state.session) return state;
  const { resume, watermark } = state.session;
  return { ...state, session: { resume, ...(watermark !== undefined ? { watermark } : {}) } };
}

function isStoredState(value: unknown): value is StoredState {
  if (typeof value !== 'object' || value === null) return false;
  const state = value as Record<string, unknown>;
  if (typeof state.userId !== 'string') return false;
  if (state.locale !== undefined && typeof state.locale !== 'string') return false;
  if (state.session === undefined) return true;
  const session = state.session as Record<string, unknown> | null;
  // A session of an older widget without a ticket cannot be resumed: the whole record is dropped and the chat starts anew.
  return (
    typeof session === 'object' &&
    session !== null &&
    typeof session.resume === 'string' &&
    (session.watermark === undefined || typeof session.watermark === 'string')
  );
}

function randomId(): string {
  const bytes = new Uint8Array(12);
  crypto.getRandomValues(bytes);
  return Array.from(bytes, (byte) => byte.toString(16).padStart(2, '0')).join('');
}
