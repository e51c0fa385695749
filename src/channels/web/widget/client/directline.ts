import { readActivitySet, readGrant, type Activity, type ActivitySet, type ConversationGrant } from './protocol.js';
import type { SessionStore } from './session-store.js';

export type ConnectionStatus = 'connecting' | 'online' | 'reconnecting' | 'offline';
export type Transport = 'websocket' | 'polling';

export interface DirectLineEvents {
  /** `history` marks the one batch read after a page load: already seen, not to be announced. */
  activities(activities: Activity[], history: boolean): void;
  status(status: ConnectionStatus): void;
  /** The stored conversation is gone (404, or its resume ticket no longer works); a new one starts. */
  reset(): void;
}

export interface DirectLineOptions {
  /** `https://host/v3/directline` */
  endpoint: string;
  widgetKey: string;
  store: SessionStore;
  events: DirectLineEvents;
  /** The language a new conversation starts in. */
  locale(): string;
  transport?: Transport;
}

export class HttpStatusError extends Error {
  constructor(readonly status: number) {
    super(`HTTP ${status}`);
    this.name = 'HttpStatusError';
  }
}

const POLL_INTERVAL_MS = 1_500;
const REQUEST_TIMEOUT_MS = 20_000;
/** The server sends keep-alive frames; this much silence means the socket is dead without having said so. */
const SILENT_SOCKET_MS = 90_000;
const MAX_BACKOFF_MS = 30_000;
const SOCKET_FAILURES_BEFORE_POLLING = 2;
const TOKEN_MIN_REMAINING_MS = 15_000;
const MAX_HISTORY_PAGES = 20;

/**
 * A Direct Line 3.0 client: one conversation, kept across reloads through `SessionStore`.
 * WebSocket first, polling after repeated socket failures; every delivered activity advances the
 * watermark, so a reconnect neither loses nor repeats anything (the UI also de-duplicates by id).
 */
export class DirectLineConnection {
  private socket: WebSocket | null = null;
  private transport: Transport;
  private socketFailures = 0;
  private attempt = 0;
  private historyLoaded = false;
  private running = false;
  private current: ConnectionStatus = 'connecting';
  /** Bumped whenever the transport is torn down, so callbacks of an older one do nothing. */
  private generation = 0;
  private freshStreamUrl: string | undefined;
  /** The conversation and its current token: in memory only, learnt again from the resume ticket after a reload. */
  private live: { conversationId: string; token: string; tokenExpiresAt: number } | null = null;
  private retryTimer = 0;
  private pollTimer = 0;
  private refreshTimer = 0;
  private silenceTimer = 0;

  private readonly endpoint: string;
  private readonly widgetKey: string;
  private readonly store: SessionStore;
  private readonly events: DirectLineEvents;
  private readonly locale: () => string;

  constructor(options: DirectLineOptions) {
    this.endpoint = options.endpoint;
    this.widgetKey = options.widgetKey;
    this.store = options.store;
    this.events = options.events;
    this.locale = options.locale;
    this.transport = typeof WebSocket === 'function' ? (options.transport ?? 'websocket') : 'polling';
  }

  get status(): ConnectionStatus {
    return this.current;
  }

  start(): void {
    if (this.running) return;
    this.running = true;
    window.addEventListener('online', this.onOnline);
    window.addEventListener('offline', this.onOffline);
    if (navigator.onLine) void this.connect();
    else this.setStatus('offline');
  }

  stop(): void {
    this.running = false;
    window.removeEventListener('online', this.onOnline);
    window.removeEventListener('offline', this.onOffline);
    this.closeTransport();
    window.clearTimeout(this.refreshTimer);
  }

  /** Sends one activity and returns the id the server gave it. */
  async post(activity: Activity): Promise<string> {
    try {
      return await this.postOnce(activity);
    } catch (error) {
      if (!isAuthFailure(error)) throw error;
      await this.renew();
      return this.postOnce(activity);
    } finally {
      if (this.transport === 'polling' && this.current === 'online') this.schedulePoll(this.generation, 250);
    }
  }

  private async postOnce(activity: Activity): Promise<string> {
    const live = this.live;
    if (!live) throw new HttpStatusError(this.store.state.session ? 403 : 404);
    const body = await this.request('POST', `/conversations/${encodeURIComponent(live.conversationId)}/activities`, live.token, activity);
    const id = isRecord(body) && typeof body.id === 'string' ? body.id : '';
    if (!id) throw new Error('the server returned no activity id');
    return id;
  }

  private readonly onOnline = (): void => {
    this.attempt = 0;
    void this.connect();
  };

  private readonly onOffline = (): void => {
    this.closeTransport();
    this.setStatus('offline');
  };

  private async connect(): Promise<void> {
    if (!this.running) return;
    this.closeTransport();
    const generation = this.generation;
    this.setStatus(this.historyLoaded ? 'reconnecting' : 'connecting');
    try {
      await this.ensureConversation();
      if (generation !== this.generation) return;
      if (!this.historyLoaded) {
        await this.loadHistory(generation);
        if (generation !== this.generation) return;
        this.historyLoaded = true;
      }
      if (this.transport === 'websocket') await this.openSocket(generation);
      else await this.poll(generation);
    } catch (error) {
      if (generation === this.generation) await this.recover(error);
    }
  }

  /** The transcript so far, page by page (the server sends a limited number per request). */
  private async loadHistory(generation: number): Promise<void> {
    let watermark: string | undefined;
    for (let page = 0; page < MAX_HISTORY_PAGES; page += 1) {
      const set = await this.getActivities(watermark);
      if (generation !== this.generation) return;
      this.deliver(set, true);
      if (set.activities.length === 0 || set.watermark === undefined || set.watermark === watermark) return;
      watermark = set.watermark;
    }
  }

  private async ensureConversation(): Promise<void> {
    const session = this.store.state.session;
    if (!session) {
      const body = { user: { id: this.store.state.userId }, locale: this.locale() };
      const grant = await this.grantFrom(await this.request('POST', '/conversations', this.widgetKey, body));
      this.live = { conversationId: grant.conversationId, token: grant.token, tokenExpiresAt: expiryOf(grant) };
      // Without a ticket the conversation lasts as long as this page; with one, the person can come back.
      if (grant.resume) this.store.update({ session: { resume: grant.resume } });
      this.freshStreamUrl = grant.streamUrl;
      this.scheduleRefresh();
      return;
    }
    if (!this.live || this.live.tokenExpiresAt - Date.now() < TOKEN_MIN_REMAINING_MS) await this.renew();
    else this.scheduleRefresh();
  }

  /** A fresh token for the stored conversation from its long-lived resume ticket. */
  private async renew(): Promise<void> {
    const session = this.store.state.session;
    if (!session?.resume) throw new HttpStatusError(404);
    const grant = await this.grantFrom(await this.request('POST', '/tokens/generate', this.widgetKey, { resume: session.resume }));
    if (this.live && grant.conversationId !== this.live.conversationId) throw new HttpStatusError(404);
    this.live = { conversationId: grant.conversationId, token: grant.token, tokenExpiresAt: expiryOf(grant) };
    if (grant.resume) this.store.updateSession({ resume: grant.resume });
    this.scheduleRefresh();
  }

  private scheduleRefresh(): void {
    window.clearTimeout(this.refreshTimer);
    const live = this.live;
    if (!live || !this.running) return;
    const delay = Math.max(1_000, (live.tokenExpiresAt - Date.now()) * 0.75);
    this.refreshTimer = window.setTimeout(() => void this.refresh(), delay);
  }

  private async refresh(): Promise<void> {
    const live = this.live;
    if (!live || !this.running) return;
    try {
      const body = await this.request('POST', '/tokens/refresh', live.token);
      const token = isRecord(body) && typeof body.token === 'string' ? body.token : '';
      if (!token) throw new Error('the server refreshed no token');
      const expiresIn = isRecord(body) && typeof body.expires_in === 'number' ? body.expires_in : 0;
      if (this.live === live) this.live = { ...live, token, tokenExpiresAt: Date.now() + (expiresIn > 0 ? expiresIn * 1000 : 60_000) };
      this.scheduleRefresh();
    } catch (error) {
      if (isAuthFailure(error)) {
        await this.recover(error);
        return;
      }
      this.refreshTimer = window.setTimeout(() => void this.refresh(), 15_000);
    }
  }

  private async openSocket(generation: number): Promise<void> {
    let url = this.freshStreamUrl;
    this.freshStreamUrl = undefined;
    if (!url) {
      const live = this.live;
      if (!live) throw new HttpStatusError(this.store.state.session ? 403 : 404);
      const stored = this.store.state.session?.watermark;
      const watermark = stored ? `?watermark=${encodeURIComponent(stored)}` : '';
      const grant = await this.grantFrom(await this.request('GET', `/conversations/${encodeURIComponent(live.conversationId)}${watermark}`, live.token));
      if (generation !== this.generation) return;
      if (grant.token !== live.token && this.live === live)
        this.live = { ...live, token: grant.token, ...(grant.expires_in ? { tokenExpiresAt: expiryOf(grant) } : {}) };
      url = grant.streamUrl;
    }
    if (!url) {
      this.transport = 'polling';
      await this.poll(generation);
      return;
    }
    let socket: WebSocket;
    try {
      socket = new WebSocket(url);
    } catch {
      this.socketFailed(false);
      return;
    }
    let opened = false;
    this.socket = socket;
    socket.onopen = () => {
      if (socket !== this.socket) return;
      opened = true;
      this.socketFailures = 0;
      this.attempt = 0;
      this.setStatus('online');
      this.armSilenceTimer();
      // Anything posted between the last frame seen and this socket's start.
      void this.catchUp(generation);
    };
    socket.onmessage = (message: MessageEvent) => {
      if (socket !== this.socket) return;
      this.armSilenceTimer();
      if (typeof message.data !== 'string' || message.data.trim() === '') return;
      try {
        const set = readActivitySet(JSON.parse(message.data));
        if (set) this.deliver(set, false);
      } catch {
        // A frame that is not JSON is ignored like a keep-alive.
      }
    };
    socket.onclose = () => {
      if (socket !== this.socket) return;
      this.socket = null;
      this.socketFailed(opened);
    };
  }

  private socketFailed(hadOpened: boolean): void {
    if (!hadOpened) this.socketFailures += 1;
    if (this.socketFailures >= SOCKET_FAILURES_BEFORE_POLLING) this.transport = 'polling';
    this.scheduleRetry();
  }

  private async catchUp(generation: number): Promise<void> {
    try {
      const set = await this.getActivities(this.store.state.session?.watermark);
      if (generation === this.generation) this.deliver(set, false);
    } catch {
      // The socket carries on; a real failure shows up there.
    }
  }

  private armSilenceTimer(): void {
    window.clearTimeout(this.silenceTimer);
    this.silenceTimer = window.setTimeout(() => this.scheduleRetry(), SILENT_SOCKET_MS);
  }

  private schedulePoll(generation: number, delay: number): void {
    window.clearTimeout(this.pollTimer);
    this.pollTimer = window.setTimeout(() => void this.poll(generation), delay);
  }

  private async poll(generation: number): Promise<void> {
    if (generation !== this.generation) return;
    try {
      const set = await this.getActivities(this.store.state.session?.watermark);
      if (generation !== this.generation) return;
      this.attempt = 0;
      this.setStatus('online');
      this.deliver(set, false);
      this.schedulePoll(generation, POLL_INTERVAL_MS);
    } catch (error) {
      if (generation === this.generation) await this.recover(error);
    }
  }

  private async recover(error: unknown): Promise<void> {
    if (!this.running) return;
    const status = error instanceof HttpStatusError ? error.status : 0;
    if (this.store.state.session && (status === 401 || status === 403)) {
      try {
        await this.renew();
      } catch (renewError) {
        if (isClientError(renewError)) this.reset();
      }
    } else if (this.store.state.session && status === 404) {
      this.reset();
    }
    this.scheduleRetry();
  }

  private reset(): void {
    this.store.clearSession();
    this.live = null;
    this.historyLoaded = false;
    this.events.reset();
  }

  private scheduleRetry(): void {
    this.closeTransport();
    if (!this.running) return;
    if (!navigator.onLine) {
      this.setStatus('offline');
      return;
    }
    this.setStatus(this.historyLoaded ? 'reconnecting' : 'connecting');
    const delay = this.attempt === 0 ? 0 : Math.min(MAX_BACKOFF_MS, 1_000 * 2 ** (this.attempt - 1)) * (0.75 + Math.random() * 0.5);
    this.attempt += 1;
    this.retryTimer = window.setTimeout(() => void this.connect(), delay);
  }

  private closeTransport(): void {
    this.generation += 1;
    window.clearTimeout(this.retryTimer);
    window.clearTimeout(this.pollTimer);
    window.clearTimeout(this.silenceTimer);
    const socket = this.socket;
    this.socket = null;
    if (socket && socket.readyState <= WebSocket.OPEN) socket.close();
  }

  private deliver(set: ActivitySet, history: boolean): void {
    const session = this.store.state.session;
    if (set.watermark !== undefined && session && isLater(set.watermark, session.watermark)) this.store.updateSession({ watermark: set.watermark });
    if (set.activities.length > 0) this.events.activities(set.activities, history);
  }

  private async getActivities(watermark: string | undefined): Promise<ActivitySet> {
    const live = this.live;
    if (!live) throw new HttpStatusError(this.store.state.session ? 403 : 404);
    const query = watermark ? `?watermark=${encodeURIComponent(watermark)}` : '';
    const set = readActivitySet(await this.request('GET', `/conversations/${encodeURIComponent(live.conversationId)}/activities${query}`, live.token));
    if (!set) throw new Error('the server sent no activity set');
    return set;
  }

  private setStatus(status: ConnectionStatus): void {
    if (status === this.current) return;
    this.current = status;
    this.events.status(status);
  }

  private async grantFrom(body: unknown): Promise<ConversationGrant> {
    const grant = readGrant(body);
    if (!grant) throw new Error('the server sent no conversation');
    return grant;
  }

  private async request(method: 'GET' | 'POST', path: string, bearer: string, body?: unknown): Promise<unknown> {
    const response = await fetch(`${this.endpoint}${path}`, {
      method,
      headers: { Authorization: `Bearer ${bearer}`, ...(body === undefined ? {} : { 'Content-Type': 'application/json' }) },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      cache: 'no-store',
      credentials: 'omit',
      ...(typeof AbortSignal.timeout === 'function' ? { signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS) } : {}),
    });
    if (!response.ok) throw new HttpStatusError(response.status);
    const text = await response.text();
    return text ? (JSON.parse(text) as unknown) : null;
  }
}

function expiryOf(grant: ConversationGrant): number {
  return Date.now() + (grant.expires_in && grant.expires_in > 0 ? grant.expires_in * 1000 : 60_000);
}

/** Watermarks are opaque, but ours are numbers: never move one backwards. */
function isLater(next: string, previous: string | undefined): boolean {
  if (previous === undefined) return true;
  const a = Number(next);
  const b = Number(previous);
  return Number.isFinite(a) && Number.isFinite(b) ? a > b : next !== previous;
}

const isAuthFailure = (error: unknown): boolean => error instanceof HttpStatusError && (error.status === 401 || error.status === 403);
const isClientError = (error: unknown): boolean => error instanceof HttpStatusError && error.status >= 400 && error.status < 500 && error.status !== 429;
const isRecord = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null;
