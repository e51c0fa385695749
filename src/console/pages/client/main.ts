// The counsellor console in the browser: login, the live queue, and one referral's chat. Text only
// ever goes in as text nodes (h() and textContent), so nothing a person wrote can become markup.
import { h } from '../../../channels/web/widget/client/dom.js';
import {
  ApiError,
  call,
  claimSchema,
  consoleEventSchema,
  counsellorsSchema,
  queueSettingsSchema,
  loadTexts,
  loginSchema,
  meSchema,
  notesSchema,
  recordSchema,
  recordStateSchema,
  transcriptSchema,
  type ConsoleEvent,
  type Counsellor,
  type Summary,
  type Texts,
} from './api.js';
import { z } from 'zod';
import type { AdminView } from './admin/page.js';
import { adminPages } from './admin/pages.js';
import { alertSettingsForm } from './alert-settings.js';
import { createAttention, OPEN_STATUSES, readReferrals, type Attention } from './attention.js';
import { setupView } from './setup.js';
import { installShortcuts } from './shortcuts.js';
import { passwordView } from './password-page.js';
import { allowedActions } from './chat-actions.js';
import { eligibilityTextsSchema, recordCard } from './record-card.js';
import { DEFAULT_WAIT_THRESHOLDS, waitLevel, type WaitThresholds } from './wait-level.js';

/** The queue's status filter: what each choice asks the API for ('open' is the attention's own read). */
const QUEUE_FILTERS = { open: OPEN_STATUSES, closed: 'closed,cancelled', all: `${OPEN_STATUSES},closed,cancelled` } as const;
type QueueFilter = keyof typeof QUEUE_FILTERS;
let queueFilter: QueueFilter = 'open';
const languageKey = 'homeward-console:lng';

interface State {
  texts: Texts;
  user: z.infer<typeof meSchema>['user'] | null;
  events: EventSource | null;
  /** Unread marks, the title's count, sounds and notifications, while someone is logged in. */
  attention: Attention | null;
  /** The current view's reaction to live events. */
  onEvent: (event: ConsoleEvent) => void;
  onReconnect: () => void;
  ticker: number | undefined;
}

const state: State = {
  texts: { lng: 'en', languages: [], texts: {}, canned: [] },
  user: null,
  events: null,
  attention: null,
  onEvent: () => undefined,
  onReconnect: () => undefined,
  ticker: undefined,
};

function t(key: string, params: Record<string, string | number> = {}): string {
  let node: unknown = state.texts.texts;
  for (const part of key.split('.')) node = typeof node === 'object' && node !== null ? (node as Record<string, unknown>)[part] : undefined;
  if (typeof node !== 'string') return key;
  return node.replace(/\{\{\s*(\w+)\s*\}\}/g, (_match, name: string) => String(params[name] ?? ''));
}

const main = () => document.getElementById('main') as HTMLElement;
const nav = () => document.querySelector('header.top nav') as HTMLElement;

function notify(text: string): void {
  const notice = document.getElementById('notice');
  if (notice) notice.textContent = text;
}

function errorText(error: unknown): string {
  if (error instanceof ApiError) {
    if (error.status === 401) return t('error.unauthenticated');
    if (error.status === 409 && error.reason === 'already_claimed') return t('queue.claimed_elsewhere');
    const key = `error.${error.reason}`;
    return t(key) === key ? t('error.generic') : t(key);
  }
  return t('error.generic');
}

/** Puts `view` in <main> and focus on its heading, so keyboard and screen reader users land there. */
function show(title: string, ...content: Node[]): void {
  const heading = h('h1', { tabindex: '-1' }, title);
  main().replaceChildren(heading, ...content);
  const full = `${title} · ${t('login.title')}`;
  if (state.attention) state.attention.title(full);
  else document.title = full;
  heading.focus();
}

async function setLanguage(lng: string): Promise<void> {
  state.texts = await loadTexts(lng);
  document.documentElement.lang = state.texts.lng;
  localStorage.setItem(languageKey, state.texts.lng);
  const brand = document.querySelector('header.top .brand');
  if (brand) brand.textContent = t('login.title');
  const skip = document.querySelector('.skip');
  if (skip) skip.textContent = t('nav.skip');
}

function renderNav(): void {
  const select = h('select', { id: 'console-language' });
  for (const language of state.texts.languages) {
    const option = h('option', { value: language.code }, language.name);
    option.selected = language.code === state.texts.lng;
    select.append(option);
  }
  select.addEventListener('change', () => {
    void setLanguage(select.value).then(() => route());
  });
  const items: Node[] = [h('label', { for: 'console-language', class: 'vh-label' }, t('nav.language')), select];
  if (state.user) {
    const logout = h('button', { type: 'button' }, t('login.logout'));
    logout.addEventListener('click', () => {
      void call(z.unknown(), 'POST', '/logout').finally(() => {
        signOut();
        location.hash = '#/';
        route();
      });
    });
    items.unshift(h('a', { href: '#/' }, t('nav.queue')));
    if (state.user.role === 'admin' && adminPages[0]) items.splice(1, 0, h('a', { href: `#/admin/${adminPages[0].path}` }, t('admin.nav.title')));
    items.push(h('a', { href: '#/password' }, t('password_change.nav')));
    items.push(h('span', {}, state.user.displayName ?? state.user.email), logout);
  }
  nav().setAttribute('aria-label', t('nav.label'));
  nav().replaceChildren(...items);
}

function connectEvents(): void {
  if (state.events) return;
  const source = new EventSource('/console/api/events');
  source.addEventListener('ready', () => {
    void state.attention?.reload();
    state.onReconnect();
  });
  source.addEventListener('handoff', (message) => {
    let raw: unknown;
    try {
      raw = JSON.parse(String((message as MessageEvent).data));
    } catch {
      return;
    }
    const event = consoleEventSchema.safeParse(raw);
    if (!event.success) return;
    state.attention?.handle(event.data);
    state.onEvent(event.data);
  });
  // The server ended the stream with its credential (logout elsewhere, deactivation, expiry): back to the login page.
  source.addEventListener('ended', () => {
    signOut();
    location.hash = '#/';
    route();
  });
  state.events = source;
}

function loginView(): void {
  const email = h('input', { id: 'login-email', type: 'email', name: 'email', autocomplete: 'username', required: true });
  const password = h('input', { id: 'login-password', type: 'password', name: 'password', autocomplete: 'current-password', required: true });
  const error = h('p', { class: 'error', role: 'alert' });
  const form = h(
    'form',
    { class: 'login', novalidate: true },
    h('label', { for: 'login-email' }, t('login.email')),
    email,
    h('label', { for: 'login-password' }, t('login.password')),
    password,
    error,
    h('button', { type: 'submit', class: 'primary' }, t('login.submit')),
  );
  form.addEventListener('submit', (submit) => {
    submit.preventDefault();
    error.textContent = '';
    call(loginSchema, 'POST', '/login', { email: email.value, password: password.value }).then(
      (result) => {
        state.user = result.user;
        renderNav();
        connectEvents();
        route();
      },
      (failure: unknown) => {
        error.textContent =
          failure instanceof ApiError && failure.status === 401
            ? t('login.invalid_credentials')
            : failure instanceof ApiError && failure.status === 429
              ? t('login.too_many_attempts')
              : t('error.generic');
        password.focus();
      },
    );
  });
  show(t('login.title'), form);
  email.focus();
}

function waitingSeconds(summary: Summary): number {
  return Math.max(0, Math.round((Date.now() - Date.parse(summary.createdAt)) / 1000));
}

function waiting(summary: Summary): string {
  const minutes = Math.floor(waitingSeconds(summary) / 60);
  return minutes < 1
    ? t('queue.just_now')
    : minutes < 60
      ? t('queue.minutes', { minutes })
      : t('queue.hours', { hours: Math.floor(minutes / 60), minutes: minutes % 60 });
}

function languageName(code: string | null): string {
  if (!code) return '–';
  try {
    return new Intl.DisplayNames([state.texts.lng], { type: 'language' }).of(code) ?? code;
  } catch {
    return code;
  }
}

function oneLine(summary: Summary): string {
  const parts = [
    summary.handoffReason ? t(`handoff_reason.${summary.handoffReason}`) : '',
    summary.priorityCause && summary.priorityCause !== 'none' ? t(`priority_cause.${summary.priorityCause}`) : '',
    summary.hostCountry
      ? t('queue.in_country', { country: new Intl.DisplayNames([state.texts.lng], { type: 'region' }).of(summary.hostCountry) ?? summary.hostCountry })
      : '',
    summary.pseudonym ?? '',
  ];
  return parts.filter(Boolean).join(' · ');
}

/** The queue; with `focusId` (a notification clicked), focus goes to that referral's row. */
function queueView(focusId?: string): void {
  const body = h('tbody');
  const empty = h('p', {}, t('queue.empty'));
  const table = h(
    'table',
    { class: 'queue' },
    h('caption', { class: 'vh-label' }, t('queue.title')),
    h(
      'thead',
      {},
      h(
        'tr',
        {},
        ...['priority', 'language', 'channel', 'waiting', 'summary', 'status'].map((key) => h('th', { scope: 'col' }, t(`queue.${key}`))),
        h('th', { scope: 'col' }, h('span', { class: 'vh-label' }, t('queue.action'))),
      ),
    ),
    body,
  );
  const filter = h(
    'select',
    { id: 'queue-filter' },
    ...(['open', 'closed', 'all'] as const).map((key) => h('option', { value: key }, t(`queue.filter_${key}`))),
  );
  filter.value = queueFilter;
  filter.addEventListener('change', () => {
    queueFilter = filter.value in QUEUE_FILTERS ? (filter.value as QueueFilter) : 'open';
    void reload();
  });
  const filterForm = h('div', { class: 'inline' }, h('label', { for: 'queue-filter' }, t('queue.filter')), filter);
  let rows: Summary[] = [];
  // The organisation's marks for a long wait; the defaults until (or unless) they are read.
  let thresholds: WaitThresholds = DEFAULT_WAIT_THRESHOLDS;
  void call(queueSettingsSchema, 'GET', '/queue-settings').then(
    (settings) => {
      thresholds = settings.queueWait;
      render();
    },
    () => undefined,
  );
  /** The waiting time, amber or red past the thresholds (said in words too, not by colour alone). */
  const waitCell = (row: Summary) => {
    if (row.status !== 'new') return h('td', {}, '–');
    const level = waitLevel(waitingSeconds(row), thresholds);
    if (level === 'ok') return h('td', { 'data-wait': level }, waiting(row));
    return h('td', { class: `wait-${level}`, 'data-wait': level }, waiting(row), h('span', { class: 'vh-label' }, ` (${t(`queue.wait_${level}`)})`));
  };
  const render = () => {
    empty.textContent = queueFilter === 'open' ? t('queue.empty') : t('queue.none_found');
    empty.hidden = rows.length > 0;
    table.hidden = rows.length === 0;
    // Rows are made anew on every change: focus stays on the row (or its button) it was on.
    const active = document.activeElement instanceof HTMLElement && body.contains(document.activeElement) ? document.activeElement : null;
    const activeRow = active?.closest<HTMLElement>('tr[data-referral]');
    body.replaceChildren(
      ...rows.map((row) => {
        const action =
          row.status === 'new'
            ? h('button', { type: 'button', class: 'primary', 'data-claim': row.id }, t('queue.claim'))
            : h('a', { href: `#/referral/${row.id}` }, t('queue.open'));
        if (action instanceof HTMLButtonElement) action.addEventListener('click', () => void claim(row.id, action));
        // Unread only in the open queue, the counsellor's work; in words too, not by the dot alone.
        const unread = queueFilter === 'open' && (state.attention?.isUnread(row.id) ?? false);
        return h(
          'tr',
          { 'data-referral': row.id, tabindex: '-1', ...(unread ? { class: 'unread', 'data-unread': '' } : {}) },
          h(
            'td',
            { class: `priority-${row.priority}` },
            ...(unread ? [h('span', { class: 'unread-dot', 'aria-hidden': 'true' }), h('span', { class: 'vh-label' }, `${t('queue.unread')}: `)] : []),
            t(`priority.${row.priority}`),
          ),
          h('td', {}, languageName(row.language)),
          h('td', {}, row.channel ? t(`channel.${row.channel}`) : '–'),
          waitCell(row),
          h('td', {}, oneLine(row)),
          h('td', {}, t(`status.${row.status}`)),
          h('td', {}, action),
        );
      }),
    );
    const again = activeRow ? body.querySelector<HTMLElement>(`tr[data-referral="${activeRow.dataset.referral}"]`) : null;
    if (again) (active === activeRow ? again : (again.querySelector<HTMLElement>('button, a') ?? again)).focus();
  };
  let focusPending = focusId;
  const renderRows = (next: readonly Summary[]) => {
    rows = [...next];
    render();
    const row = focusPending ? body.querySelector<HTMLElement>(`tr[data-referral="${focusPending}"]`) : null;
    if (row) {
      focusPending = undefined;
      row.focus();
    }
  };
  // The open queue is the attention's (the waiting ones and one's own, read once for the title and
  // this view); closed ones are anyone's, to be found again, read here.
  state.attention?.onChange(() => {
    if (queueFilter === 'open') renderRows(state.attention?.rows ?? []);
  });
  const reload = async () => {
    const shown = queueFilter;
    if (shown === 'open') return renderRows(state.attention?.rows ?? []);
    try {
      const found = await readReferrals(call, QUEUE_FILTERS[shown]);
      // A change of filter while the pages came in: the newer reload renders.
      if (shown === queueFilter) renderRows(found);
    } catch (error) {
      if (error instanceof ApiError && error.status === 401) return logout();
      notify(errorText(error));
    }
  };
  state.onEvent = (event) => {
    if (queueFilter === 'open') return;
    if (event.type === 'referral_created' || event.type === 'referral_updated' || event.type === 'conversation_erased') void reload();
  };
  state.onReconnect = () => void reload();
  clearInterval(state.ticker);
  state.ticker = window.setInterval(render, 15_000);
  show(t('queue.title'), filterForm, empty, table);
  void reload();
}

async function claim(id: string, button: HTMLButtonElement): Promise<void> {
  button.disabled = true;
  try {
    await call(claimSchema, 'POST', `/referrals/${id}/claim`, {});
    location.hash = `#/referral/${id}`;
  } catch (error) {
    notify(errorText(error));
    button.disabled = false;
  }
}

function chatView(id: string): void {
  const transcript = h('ol', { class: 'transcript', 'aria-live': 'polite', 'aria-relevant': 'additions' });
  const recordBox = h('div', { class: 'record' });
  const notesList = h('ul', { class: 'notes' });
  const statusLine = h('p', { class: 'status-line' });
  // Shown while the referral is urgent (a safety alarm, also one raised while this counsellor is in
  // the chat); role=alert reads it out the moment it appears.
  const urgentBanner = h('p', { class: 'urgent-banner', role: 'alert', hidden: '' });
  let priorityShown: string | undefined;
  /** Live words of the person not (yet) in the transcript, e.g. before consent, by seq. */
  const liveTexts = new Map<number, string>();
  let shownSeqs = new Set<number>();
  let conversationId = '';

  const author = (name: string) => t(`chat.author.${name}`);
  const renderTranscript = (data: z.infer<typeof transcriptSchema>) => {
    const seen = new Set<number>();
    const items = data.messages.map((message) => {
      seen.add(message.seq);
      // A placeholder kept instead of the person's words speaks to the person; the counsellor gets their own explanation.
      const withheld = message.key ? withheldKeys[message.key] : undefined;
      if (withheld) {
        return h(
          'li',
          { class: `${message.author} withheld`, 'data-seq': String(message.seq) },
          h(
            'span',
            { class: 'meta' },
            `${author(message.author)} · ${new Date(message.at).toLocaleTimeString(state.texts.lng, { hour: '2-digit', minute: '2-digit' })}`,
          ),
          h('span', { class: 'seen' }, t(withheld)),
        );
      }
      const text = liveTexts.get(message.seq) ?? message.text;
      const item = h(
        'li',
        { class: message.author, 'data-seq': String(message.seq), ...(message.value !== null ? { 'data-value': message.value } : {}) },
        h(
          'span',
          { class: 'meta' },
          `${author(message.author)} · ${new Date(message.at).toLocaleTimeString(state.texts.lng, { hour: '2-digit', minute: '2-digit' })}`,
        ),
        h('span', { class: 'seen', lang: message.locale ?? undefined, dir: 'auto' }, text),
      );
      // The original stays in view; a machine translation says so, and a failed one says that too.
      if (message.translated && message.translated !== message.text) {
        const label = message.translation === 'machine' ? t('chat.machine_translated') : t('chat.translated');
        item.append(h('span', { class: 'translated', lang: data.lang, dir: 'auto' }, `${label}: ${message.translated}`));
      }
      if (message.original !== null) item.append(h('span', { class: 'translated original', dir: 'auto' }, `${t('chat.original')}: ${message.original}`));
      if (message.translation === 'failed') {
        item.append(h('span', { class: 'not-translated' }, message.author === 'client' ? t('chat.not_translated') : t('chat.sent_untranslated')));
      }
      return item;
    });
    const atEnd = transcript.scrollTop + transcript.clientHeight >= transcript.scrollHeight - 20;
    // Only additions are announced: replacing everything would read the whole chat again.
    if (shownSeqs.size === 0) transcript.replaceChildren(...items);
    else for (const item of items) if (!shownSeqs.has(Number(item.dataset.seq))) transcript.append(item);
    shownSeqs = seen;
    if (atEnd || shownSeqs.size === items.length) transcript.scrollTop = transcript.scrollHeight;
  };
  const loadTranscript = async () => {
    const data = await call(transcriptSchema, 'GET', `/referrals/${id}/transcript?lang=${encodeURIComponent(state.texts.lng)}`);
    translateOption.hidden = !data.translationAvailable;
    renderTranscript(data);
  };
  const loadRecord = async () => {
    const record = await call(recordSchema, 'GET', `/referrals/${id}`);
    const conversation = record.conversation;
    if (typeof conversation === 'object' && conversation !== null && 'id' in conversation) conversationId = String(conversation.id);
    else if (typeof record.conversationId === 'string') conversationId = record.conversationId;
    const current = recordStateSchema.safeParse(record);
    const status = current.success ? current.data.status : '';
    const assignment = current.success ? current.data.assignment : null;
    const owner = assignment
      ? assignment.userId === state.user?.id
        ? t('chat.assigned_you')
        : (assignment.displayName ?? colleagueName(assignment.userId))
      : t('chat.assigned_nobody');
    statusLine.textContent = `${t('chat.status')}: ${t(`status.${status}`)} · ${t('chat.assigned_to', { name: owner })}`;
    applyActions(status, assignment?.userId ?? null);
    showPriority(record.priority);
    const eligibility = await call(eligibilityTextsSchema, 'GET', `/referrals/${id}/eligibility?lang=${encodeURIComponent(state.texts.lng)}`).catch(() => null);
    const { notes: _notes, ...rest } = record;
    // The person's own words come first: what makes them think of returning, and what worries them.
    // The raw record stays one click away; an open one stays open across refreshes.
    const rawOpen = recordBox.querySelector<HTMLDetailsElement>('details.raw-record')?.open ?? false;
    recordBox.replaceChildren(...recordCard(rest, eligibility, t, state.texts.lng));
    const raw = recordBox.querySelector<HTMLDetailsElement>('details.raw-record');
    if (raw) raw.open = rawOpen;
    const notes = await call(notesSchema, 'GET', `/referrals/${id}/notes`);
    notesList.replaceChildren(...notes.notes.map((note) => h('li', {}, noteText(note))));
  };
  const showPriority = (priority: unknown) => {
    const parsed = z.object({ level: z.string(), cause: z.string() }).safeParse(priority);
    const level = parsed.success ? parsed.data.level : undefined;
    const urgent = level === 'urgent';
    urgentBanner.hidden = !urgent;
    urgentBanner.textContent = urgent && parsed.success ? t('chat.urgent', { cause: t(`priority_cause.${parsed.data.cause}`) }) : '';
    if (urgent && priorityShown !== undefined && priorityShown !== 'urgent') state.attention?.urgent(id);
    priorityShown = level;
  };
  // Colleagues to hand the referral to (read with the record: their open counts change).
  let colleagues: Counsellor[] = [];
  const colleagueName = (userId: string) => {
    const colleague = colleagues.find((item) => item.id === userId);
    return colleague ? (colleague.displayName ?? colleague.email) : '–';
  };
  const loadColleagues = async () => {
    colleagues = (await call(counsellorsSchema, 'GET', '/counsellors')).counsellors;
  };
  const refresh = async () => {
    try {
      await loadColleagues();
      await Promise.all([loadTranscript(), loadRecord()]);
    } catch (error) {
      if (error instanceof ApiError && error.status === 401) return logout();
      notify(errorText(error));
    }
  };

  const act = async (work: () => Promise<unknown>, done?: string) => {
    try {
      await work();
      if (done) notify(done);
      await refresh();
    } catch (error) {
      notify(errorText(error));
    }
  };

  // The composer: free text as written, or a canned reply in the person's language.
  const message = h('textarea', { id: 'chat-message', name: 'message' });
  const composerSend = h('button', { type: 'submit', class: 'primary' }, t('chat.send'));
  // Shown only when the server has a translation engine (the transcript says so).
  const translate = h('input', { type: 'checkbox', id: 'chat-translate', name: 'translate' });
  const translateOption = h('label', { class: 'check', for: 'chat-translate', hidden: true }, translate, ` ${t('chat.translate')}`);
  const composer = h(
    'form',
    { class: 'composer' },
    h('label', { for: 'chat-message' }, t('chat.message')),
    message,
    h('div', { class: 'actions' }, translateOption, composerSend),
  );
  composer.addEventListener('submit', (event) => {
    event.preventDefault();
    const text = message.value.trim();
    if (!text) return;
    void act(async () => {
      await call(z.unknown(), 'POST', `/referrals/${id}/messages`, translate.checked && !translateOption.hidden ? { text, translate: true } : { text });
      message.value = '';
      message.focus();
    });
  });
  message.addEventListener('keydown', (event) => {
    if (event.key === 'Enter' && (event.ctrlKey || event.metaKey)) composer.requestSubmit();
  });
  const canned = h('select', { id: 'chat-canned' }, ...state.texts.canned.map((item) => h('option', { value: item.id }, item.text)));
  const cannedSend = h('button', { type: 'submit' }, t('chat.send_canned'));
  const cannedForm = h('form', { class: 'inline' }, h('div', {}, h('label', { for: 'chat-canned' }, t('chat.canned')), canned), cannedSend);
  cannedForm.addEventListener('submit', (event) => {
    event.preventDefault();
    void act(() => call(z.unknown(), 'POST', `/referrals/${id}/messages`, { canned: canned.value }));
  });

  const inProgress = h('button', { type: 'button' }, t('chat.mark_in_progress'));
  inProgress.addEventListener(
    'click',
    () => void act(() => call(z.unknown(), 'PATCH', `/referrals/${id}`, { status: 'in_progress' }), t('status.in_progress')),
  );
  const handBack = h('button', { type: 'button' }, t('chat.hand_back'));
  handBack.addEventListener('click', () => void act(() => call(z.unknown(), 'POST', `/referrals/${id}/handback`, {}), t('chat.handed_back')));

  const provider = h('input', { id: 'chat-provider', name: 'provider', required: true });
  const referSend = h('button', { type: 'submit' }, t('chat.refer'));
  const referForm = h('form', { class: 'inline' }, h('div', {}, h('label', { for: 'chat-provider' }, t('chat.referred_to')), provider), referSend);
  referForm.addEventListener('submit', (event) => {
    event.preventDefault();
    if (!provider.value.trim()) return provider.focus();
    void act(() => call(z.unknown(), 'PATCH', `/referrals/${id}`, { status: 'referred', provider: provider.value.trim() }), t('status.referred'));
  });
  const reason = h('input', { id: 'chat-close-reason', name: 'reason', required: true });
  const closeSend = h('button', { type: 'submit' }, t('chat.close'));
  const closeForm = h('form', { class: 'inline' }, h('div', {}, h('label', { for: 'chat-close-reason' }, t('chat.close_reason')), reason), closeSend);
  closeForm.addEventListener('submit', (event) => {
    event.preventDefault();
    if (!reason.value.trim()) return reason.focus();
    void act(() => call(z.unknown(), 'POST', `/referrals/${id}/close`, { reason: reason.value.trim() }), t('status.closed'));
  });

  const note = h('textarea', { id: 'chat-note', name: 'note' });
  const noteForm = h(
    'form',
    {},
    h('label', { for: 'chat-note' }, t('chat.note')),
    note,
    h('div', { class: 'actions' }, h('button', { type: 'submit' }, t('chat.add_note'))),
  );
  noteForm.addEventListener('submit', (event) => {
    event.preventDefault();
    const text = note.value.trim();
    if (!text) return;
    void act(async () => {
      await call(z.unknown(), 'POST', `/referrals/${id}/notes`, { text });
      note.value = '';
    });
  });

  const transferTo = h('select', { id: 'chat-transfer', name: 'transfer' });
  const transferButton = h('button', { type: 'submit' }, t('chat.transfer'));
  const transferForm = h('form', { class: 'inline' }, h('div', {}, h('label', { for: 'chat-transfer' }, t('chat.transfer_to')), transferTo), transferButton);
  transferForm.addEventListener('submit', (event) => {
    event.preventDefault();
    if (transferTo.value === '') return transferTo.focus();
    const userId = transferTo.value === 'nobody' ? null : transferTo.value;
    const done = userId === null ? t('chat.unassigned') : t('chat.transferred', { name: colleagueName(userId) });
    void act(() => call(claimSchema, 'POST', `/referrals/${id}/assign`, { userId }), done);
  });
  /** The colleagues but the one who has it now, and "nobody" while someone has it. */
  const renderTransferChoices = (assignedUserId: string | null) => {
    const chosen = transferTo.value;
    const options = [
      h('option', { value: '' }, t('chat.transfer_choose')),
      ...colleagues
        .filter((colleague) => colleague.id !== assignedUserId)
        .map((colleague) =>
          h('option', { value: colleague.id }, t('chat.colleague', { name: colleague.displayName ?? colleague.email, open: colleague.openReferrals })),
        ),
      ...(assignedUserId ? [h('option', { value: 'nobody' }, t('chat.transfer_nobody'))] : []),
    ];
    transferTo.replaceChildren(...options);
    if (options.some((option) => option.value === chosen)) transferTo.value = chosen;
  };
  /** Only what the server would allow is enabled: the status, the owner and the role decide. */
  const applyActions = (status: string, assignedUserId: string | null) => {
    const allowed = state.user ? allowedActions(status, assignedUserId, { userId: state.user.id, role: state.user.role }) : null;
    const set = (enabled: boolean, ...controls: (HTMLButtonElement | HTMLInputElement | HTMLSelectElement | HTMLTextAreaElement)[]) => {
      for (const control of controls) control.disabled = !enabled;
    };
    set(allowed?.work ?? false, message, composerSend, canned, cannedSend, handBack, provider, referSend);
    set(allowed?.inProgress ?? false, inProgress);
    set(allowed?.close ?? false, reason, closeSend);
    renderTransferChoices(assignedUserId);
    set(allowed?.transfer ?? false, transferTo, transferButton);
  };

  const exports = h(
    'p',
    { class: 'actions' },
    h('a', { href: `/console/api/referrals/${id}/export?format=json`, download: '' }, t('chat.export_json')),
    h('a', { href: `/console/api/referrals/${id}/export?format=csv`, download: '' }, t('chat.export_csv')),
  );

  const left = h(
    'section',
    { class: 'panel', 'aria-labelledby': 'chat-transcript' },
    urgentBanner,
    h('h2', { id: 'chat-transcript' }, t('chat.transcript')),
    transcript,
    composer,
    cannedForm,
    h('h2', {}, t('chat.actions')),
    statusLine,
    h('div', { class: 'actions' }, inProgress, handBack),
    referForm,
    closeForm,
    transferForm,
    exports,
  );
  const right = h(
    'section',
    { class: 'panel', 'aria-labelledby': 'chat-record' },
    h('h2', { id: 'chat-record' }, t('chat.record')),
    recordBox,
    h('h2', {}, t('chat.notes')),
    notesList,
    noteForm,
  );

  state.onEvent = (event) => {
    if (event.type === 'conversation_erased' && (event.referralIds?.includes(id) || event.conversationId === conversationId)) return erasedView();
    if (event.referralId !== id && event.conversationId !== conversationId) return;
    if (event.type === 'client_message' && event.seq !== undefined && event.text) liveTexts.set(event.seq, event.text);
    if (event.type === 'client_message' || event.type === 'counsellor_message') void loadTranscript().catch((error: unknown) => notify(errorText(error)));
    else void refresh();
  };
  state.onReconnect = () => void refresh();
  clearInterval(state.ticker);
  state.attention?.viewing(id);
  show(t('chat.title'), h('p', {}, h('a', { href: '#/' }, t('chat.back'))), h('div', { class: 'chat' }, left, right));
  void refresh();
}

/** Transcript placeholders (stored instead of the person's words) and what the counsellor reads for each. */
const withheldKeys: Record<string, string> = {
  'system:not_kept_before_consent': 'chat.withheld.before_consent',
  'system:not_kept_after_withdrawal': 'chat.withheld.after_withdrawal',
};

/** The person erased their data while this chat was open: nothing of it is left to show or act on. */
function erasedView(): void {
  state.onEvent = () => undefined;
  state.onReconnect = () => undefined;
  show(t('chat.title'), h('p', { role: 'status' }, t('chat.erased')), h('p', {}, h('a', { href: '#/' }, t('chat.back'))));
}

function noteText(note: unknown): string {
  if (typeof note !== 'object' || note === null) return String(note);
  const record = note as Record<string, unknown>;
  const at = typeof record.at === 'string' ? new Date(record.at).toLocaleString(state.texts.lng) : '';
  return [at, typeof record.text === 'string' ? record.text : ''].filter(Boolean).join(' · ');
}

/** Forgets the user: no stream, no marks or alerts of theirs on this page. */
function signOut(): void {
  state.user = null;
  state.events?.close();
  state.events = null;
  state.attention?.stop();
  state.attention = null;
}

function logout(): void {
  signOut();
  renderNav();
  loginView();
}

/** The logged-in user's attention, started once per login (its first read of the queue with it). */
function startAttention(userId: string): void {
  if (state.attention) return;
  state.attention = createAttention({
    userId,
    t,
    call,
    failed: (error) => (error instanceof ApiError && error.status === 401 ? logout() : notify(errorText(error))),
  });
  void state.attention.reload();
}

/** The admin area's own navigation, the current page marked for screen readers. */
function adminNav(current: string): HTMLElement {
  const links = adminPages.map((page) =>
    h('li', {}, h('a', { href: `#/admin/${page.path}`, ...(page.path === current ? { 'aria-current': 'page' } : {}) }, t(page.navKey))),
  );
  return h('nav', { class: 'admin-nav', 'aria-label': t('admin.nav.title') }, h('ul', {}, ...links));
}

function adminView(path: string): void {
  const page = adminPages.find((candidate) => candidate.path === path) ?? adminPages[0];
  if (!page) return queueView();
  clearInterval(state.ticker);
  state.onEvent = () => undefined;
  state.onReconnect = () => undefined;
  const view: AdminView = {
    t,
    show: (title, ...content) => show(title, adminNav(page.path), ...content),
    notify,
    errorText,
    lng: state.texts.lng,
    call,
  };
  void Promise.resolve(page.render(view)).catch((error: unknown) => notify(errorText(error)));
}

function route(): void {
  renderNav();
  // The first-run link the server logged; the server refuses it once anybody has a login.
  const setup = /^#\/setup\/([A-Za-z0-9_-]{1,200})$/.exec(location.hash);
  if (setup?.[1] && !state.user) {
    const done = (user: z.infer<typeof meSchema>['user']) => {
      state.user = user;
      // Replaced, not pushed: the spent link leaves the history, and hashchange routes on.
      location.replace('#/admin/settings');
    };
    return void setupView({ t, show, notify, call }, setup[1], done).catch((error: unknown) => notify(errorText(error)));
  }
  if (!state.user) return loginView();
  startAttention(state.user.id);
  state.attention?.viewing(null);
  state.attention?.onChange(() => undefined);
  connectEvents();
  const admin = /^#\/admin\/([a-z-]+)$/.exec(location.hash);
  if (admin?.[1] && state.user.role === 'admin') return adminView(admin[1]);
  if (location.hash === '#/password') {
    clearInterval(state.ticker);
    state.onEvent = () => undefined;
    state.onReconnect = () => undefined;
    const saved = (user: z.infer<typeof meSchema>['user']) => {
      // The header shows the name at once, as it now is.
      state.user = user;
      renderNav();
    };
    // The account page: password, name, and how the console alerts this counsellor.
    const userId = state.user.id;
    const withAlerts = (title: string, ...content: Node[]) =>
      show(
        title,
        ...content,
        alertSettingsForm(t, userId, (settings) => state.attention?.settingsChanged(settings)),
      );
    return passwordView({ t, show: withAlerts, notify, call }, { user: state.user, saved });
  }
  const match = /^#\/referral\/([0-9a-f-]{36})$/.exec(location.hash);
  if (match?.[1]) return chatView(match[1]);
  const row = /^#\/queue\/([0-9a-f-]{36})$/.exec(location.hash);
  queueView(row?.[1]);
}

async function start(): Promise<void> {
  const preferred = localStorage.getItem(languageKey) ?? navigator.language.split('-')[0] ?? 'en';
  await setLanguage(preferred);
  try {
    state.user = (await call(meSchema, 'GET', '/me')).user;
  } catch {
    state.user = null;
  }
  window.addEventListener('hashchange', route);
  installShortcuts(t);
  route();
}

document.addEventListener('DOMContentLoaded', () => void start());
