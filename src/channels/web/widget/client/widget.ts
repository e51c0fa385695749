import { counsellorOf, ownerAfter, type ChatOwner } from './chat-owner.js';
import { DirectLineConnection, type ConnectionStatus, type Transport } from './directline.js';
import { h, icon, icons } from './dom.js';
import { suggestedActionsOf, type Activity, type CardAction, type WidgetConfig, type WidgetStrings } from './protocol.js';
import type { SessionStore } from './session-store.js';
import { styles } from './styles.js';
import { translator, type Translate } from './texts.js';

export interface WidgetOptions {
  /** Where the script came from: our server. */
  origin: string;
  widgetKey: string;
  config: WidgetConfig;
  store: SessionStore;
  locale: string;
  strings: WidgetStrings;
  loadStrings(locale: string): Promise<WidgetStrings>;
  transport: Transport;
}

type OutgoingState = 'queued' | 'sending' | 'sent' | 'failed' | 'delivered';

/** Something the person sent (a message, a tap, or an event such as "talk to a person"). */
interface Outgoing {
  activity: Activity;
  state: OutgoingState;
  id?: string;
  bubble?: HTMLLIElement;
  meta?: HTMLElement;
}

const TYPING_VISIBLE_MS = 6_000;

/** The launcher and the chat panel in one shadow root, driven by a Direct Line connection. */
export class ChatWidget {
  private readonly host = h('div', { 'data-homeward': 'widget' });
  private readonly root: ShadowRoot;
  private readonly frame = h('div', { class: 'frame' });
  private readonly launcher = h('button', { type: 'button', class: 'launcher', 'aria-expanded': 'false', 'aria-controls': 'hw-panel' }, icon(icons.chat));
  private readonly unreadDot = h('span', { class: 'dot', hidden: true });
  private readonly panel = h('section', { id: 'hw-panel', class: 'panel', role: 'dialog', 'aria-labelledby': 'hw-title', hidden: true });
  private readonly title = h('h2', { id: 'hw-title' });
  private readonly languageLabel = h('label', { class: 'vh', for: 'hw-language' });
  private readonly languageSelect = h('select', { id: 'hw-language' });
  private readonly closeButton = h('button', { type: 'button', class: 'icon-button close' }, icon(icons.close));
  private readonly statusLine = h('div', { class: 'status', role: 'status', hidden: true });
  private readonly log = h('ol', { class: 'log', tabindex: '0' });
  private readonly greeting = h('li', { class: 'greeting' });
  private readonly typing = h('div', { class: 'typing', hidden: true });
  /** The buttons the last question offers, in an area of its own that scrolls when they are many (a phone keeps the messages in view). */
  private readonly answers = h('div', { class: 'answers', hidden: true });
  private readonly choices = h('div', { class: 'choices', role: 'group' });
  /** How many buttons are below the fold; only a visual cue: keyboard focus and screen readers reach every button in the group anyway. */
  private readonly moreChoices = h('span', { class: 'choices-more', 'aria-hidden': 'true', hidden: true });
  /** Always there, whatever is on screen: a person in danger need not find the words the detector knows. */
  private readonly dangerButton = h('button', { type: 'button', class: 'danger' });
  private readonly handoffButton = h('button', { type: 'button', class: 'handoff' });
  private readonly moreMenu = h('details');
  private readonly moreSummary = h('summary', {}, icon(icons.more));
  private readonly restartButton = h('button', { type: 'button' });
  private readonly eraseButton = h('button', { type: 'button' });
  private readonly form = h('form', { novalidate: true });
  private readonly inputLabel = h('label', { class: 'vh', for: 'hw-input' });
  private readonly input = h('input', { id: 'hw-input', type: 'text', autocomplete: 'off', maxlength: '2000', enterkeyhint: 'send' });
  private readonly sendButton = h('button', { type: 'submit', class: 'icon-button send' }, icon(icons.send));
  private readonly announcer = h('div', { class: 'vh', 'aria-live': 'polite', 'aria-atomic': 'true' });

  private t: Translate;
  private locale: string;
  /** A language the person picked here, until the bot answers in it (older bot messages must not switch back). */
  private pickedLocale: string | undefined;
  private localeRequest = 0;
  /** The language being switched to (its texts may still be loading). */
  private wantedLocale: string;
  private readonly stringsCache = new Map<string, WidgetStrings>();
  private readonly seen = new Set<string>();
  private readonly outgoing: Outgoing[] = [];
  private readonly byId = new Map<string, Outgoing>();
  private flushing = false;
  private typingTimer = 0;
  private readonly connection: DirectLineConnection;
  private connected = false;
  private sentCount = 0;
  /** The first line the bot wrote since the person last did: where the answer they wait for begins. */
  private turnStart: Element | undefined;

  constructor(private readonly options: WidgetOptions) {
    this.locale = options.locale;
    this.wantedLocale = options.locale;
    this.t = translator(options.strings);
    this.stringsCache.set(options.locale, options.strings);
    this.root = this.host.attachShadow({ mode: 'open' });
    this.connection = new DirectLineConnection({
      endpoint: `${options.origin}/v3/directline`,
      widgetKey: options.widgetKey,
      store: options.store,
      events: {
        activities: (activities, history) => this.receive(activities, history),
        status: (status) => this.showStatus(status),
        reset: () => this.conversationReset(),
      },
      locale: () => this.locale,
      transport: options.transport,
    });
  }

  mount(): void {
    this.applyStyles();
    const { look } = this.options.config;
    this.host.style.setProperty('--hw-accent', look.colour);
    this.frame.className = `frame ${look.position}`;
    this.launcher.append(this.unreadDot);
    for (const language of this.options.config.languages) {
      this.languageSelect.append(h('option', { value: language.code, lang: language.code, dir: language.dir }, language.nativeName));
    }
    this.moreMenu.append(this.moreSummary, h('div', { class: 'menu' }, this.restartButton, this.eraseButton));
    this.answers.append(this.choices, this.moreChoices);
    this.form.append(this.inputLabel, this.input, this.sendButton);
    this.log.append(this.greeting);
    this.panel.append(
      h('header', {}, this.title, this.languageLabel, this.languageSelect, this.closeButton),
      this.statusLine,
      this.log,
      this.typing,
      this.answers,
      h('div', { class: 'tools' }, this.dangerButton, this.handoffButton, this.moreMenu),
      this.form,
      this.announcer,
    );
    this.frame.append(this.launcher, this.panel);
    this.root.append(this.frame);
    this.applyLocale();
    this.listen();
    document.body.append(this.host);
    // A returning visitor sees the conversation (and new replies) without first opening the panel.
    if (this.options.store.state.session) this.connect();
  }

  private applyStyles(): void {
    // Constructed sheets are not subject to the embedding page's CSP style-src; a <style> element is the fallback.
    try {
      const sheet = new CSSStyleSheet();
      sheet.replaceSync(styles);
      this.root.adoptedStyleSheets = [sheet];
    } catch {
      this.root.append(h('style', {}, styles));
    }
  }

  private listen(): void {
    this.launcher.addEventListener('click', () => this.toggle(this.panel.hidden));
    this.closeButton.addEventListener('click', () => this.toggle(false));
    this.panel.addEventListener('keydown', (event) => {
      if (event.key !== 'Escape') return;
      if (this.moreMenu.open) {
        this.moreMenu.open = false;
        this.moreSummary.focus();
      } else this.toggle(false);
    });
    this.form.addEventListener('submit', (event) => {
      event.preventDefault();
      const text = this.input.value.trim();
      if (!text) return;
      this.input.value = '';
      this.sendMessage(text);
    });
    this.choices.addEventListener('scroll', () => this.showChoicesOverflow(), { passive: true });
    // Sizes are known only once the panel is open, and change with the window (a phone turned, zoom).
    if (typeof ResizeObserver === 'function') new ResizeObserver(() => this.showChoicesOverflow()).observe(this.choices);
    this.languageSelect.addEventListener('change', () => void this.pickLanguage(this.languageSelect.value));
    // Sent as a tap on the engine's "I am in danger" intent: the chat shows what the person said, and
    // the engine stops the questions, gives the emergency numbers and asks a counsellor urgently.
    this.dangerButton.addEventListener('click', () => this.sendMessage(this.t('danger'), 'intent:safety'));
    this.handoffButton.addEventListener('click', () => this.sendEvent('handoff.request'));
    this.restartButton.addEventListener('click', () => {
      this.moreMenu.open = false;
      this.sendEvent('restart');
      this.input.focus();
    });
    this.eraseButton.addEventListener('click', () => {
      this.moreMenu.open = false;
      this.sendEvent('erase.request');
      this.input.focus();
    });
  }

  private toggle(open: boolean): void {
    this.panel.hidden = !open;
    this.frame.classList.toggle('open', open);
    this.launcher.setAttribute('aria-expanded', String(open));
    this.launcher.setAttribute('aria-label', this.t(open ? 'launcher.close' : 'launcher.open'));
    if (open) {
      this.unreadDot.hidden = true;
      this.connect();
      this.scrollTo(this.turnStart);
      this.input.focus();
    } else this.launcher.focus();
  }

  private connect(): void {
    // A site the organisation has not allowed: the server would refuse, so the widget does not try.
    if (this.connected || this.options.config.enabled === false) return;
    this.connected = true;
    this.connection.start();
  }

  /** A language's direction as its `locales/<code>/meta.json` says (sent in the config); 'auto' lets the browser decide for any other. */
  private directionOf(locale: string | undefined): 'ltr' | 'rtl' | 'auto' {
    return this.options.config.languages.find((language) => language.code === locale)?.dir ?? 'auto';
  }

  /**
   * A language not reviewed by a native speaker says so after its own name ("አማርኛ · draft
   * translation"), the marker in the language the widget speaks now, so the reader can read it.
   * The name is isolated (U+2068..U+2069): a right-to-left name keeps its place before the marker.
   */
  private markDraftLanguages(): void {
    const marker = this.t('language.draft');
    for (const [index, language] of this.options.config.languages.entries()) {
      const option = this.languageSelect.options[index];
      if (option) option.textContent = language.draft ? `\u2068${language.nativeName}\u2069 · ${marker}` : language.nativeName;
    }
  }

  private applyLocale(): void {
    const { config } = this.options;
    const dir = this.directionOf(this.locale);
    for (const element of [this.panel, this.launcher]) {
      element.setAttribute('lang', this.locale);
      element.setAttribute('dir', dir);
    }
    this.languageSelect.value = this.locale;
    this.title.textContent = config.look.title[this.locale] ?? this.t('title');
    this.greeting.textContent = config.look.greeting[this.locale] ?? this.t('greeting');
    this.launcher.setAttribute('aria-label', this.t(this.panel.hidden ? 'launcher.open' : 'launcher.close'));
    this.languageLabel.textContent = this.t('language.label');
    this.markDraftLanguages();
    this.closeButton.setAttribute('aria-label', this.t('close'));
    this.log.setAttribute('aria-label', this.t('messages'));
    this.choices.setAttribute('aria-label', this.t('choices'));
    this.dangerButton.textContent = this.t('danger');
    this.handoffButton.textContent = this.t('handoff');
    this.moreSummary.setAttribute('aria-label', this.t('more'));
    this.moreSummary.title = this.t('more');
    this.restartButton.textContent = this.t('restart');
    this.eraseButton.textContent = this.t('erase');
    this.inputLabel.textContent = this.t('input.label');
    this.input.placeholder = this.t('input.placeholder');
    this.sendButton.setAttribute('aria-label', this.t('send'));
    this.typing.textContent = this.t('typing');
    for (const item of this.outgoing) this.showState(item);
    this.showStatus(this.connection.status);
  }

  private async setLocale(locale: string): Promise<void> {
    const request = ++this.localeRequest;
    this.wantedLocale = locale;
    let strings = this.stringsCache.get(locale);
    if (!strings) {
      try {
        strings = await this.options.loadStrings(locale);
      } catch {
        return;
      }
      this.stringsCache.set(locale, strings);
    }
    if (request !== this.localeRequest) return;
    this.locale = locale;
    this.t = translator(strings);
    this.options.store.update({ locale });
    this.applyLocale();
  }

  private async pickLanguage(locale: string): Promise<void> {
    this.pickedLocale = locale;
    await this.setLocale(locale);
    this.sendEvent('locale', locale);
  }

  private followBotLocale(locale: string | undefined): void {
    if (!locale || locale === this.wantedLocale) {
      if (locale === this.pickedLocale) this.pickedLocale = undefined;
      return;
    }
    if (this.pickedLocale !== undefined && this.pickedLocale !== locale) return;
    if (!this.options.config.languages.some((language) => language.code === locale)) return;
    this.pickedLocale = undefined;
    void this.setLocale(locale);
  }

  private sendMessage(text: string, value?: unknown): void {
    this.clearChoices();
    const bubble = h('li', { class: 'me pending', dir: 'auto' }, text);
    const meta = h('span', { class: 'meta' });
    bubble.append(meta);
    this.log.append(bubble);
    this.turnStart = undefined;
    this.scrollTo();
    const activity: Activity = {
      type: 'message',
      from: { id: this.options.store.state.userId },
      text,
      locale: this.locale,
      ...(value === undefined ? {} : { value }),
      channelData: { clientActivityID: `${this.options.store.state.userId}-${++this.sentCount}-${Date.now().toString(36)}` },
    };
    this.enqueue({ activity, state: 'queued', bubble, meta });
  }

  private sendEvent(name: string, value?: string): void {
    this.turnStart = undefined;
    const activity: Activity = {
      type: 'event',
      name,
      from: { id: this.options.store.state.userId },
      locale: this.locale,
      ...(value === undefined ? {} : { value }),
    };
    this.enqueue({ activity, state: 'queued' });
  }

  private enqueue(item: Outgoing): void {
    this.outgoing.push(item);
    this.showState(item);
    this.connect();
    void this.flush();
  }

  /** Sends queued items one at a time, in order, while the connection is up. */
  private async flush(): Promise<void> {
    if (this.flushing) return;
    this.flushing = true;
    try {
      let next: Outgoing | undefined;
      while (this.connection.status === 'online' && (next = this.outgoing.find((item) => item.state === 'queued'))) {
        await this.post(next);
      }
    } finally {
      this.flushing = false;
    }
  }

  private async post(item: Outgoing): Promise<void> {
    item.state = 'sending';
    this.showState(item);
    try {
      const id = await this.connection.post(item.activity);
      item.id = id;
      this.byId.set(id, item);
      // The echo may already have come in on the stream, before this answer.
      item.state = this.seen.has(id) || (item.state as OutgoingState) === 'delivered' || !item.bubble ? 'delivered' : 'sent';
    } catch {
      // Offline before the request left: nothing reached the server, so it goes out again on reconnect.
      item.state = navigator.onLine ? 'failed' : 'queued';
    }
    this.settle(item);
  }

  private settle(item: Outgoing): void {
    this.showState(item);
    if (item.state === 'delivered') {
      const index = this.outgoing.indexOf(item);
      if (index >= 0) this.outgoing.splice(index, 1);
    }
  }

  private showState(item: Outgoing): void {
    const { bubble, meta } = item;
    if (!bubble || !meta) return;
    bubble.classList.toggle('pending', item.state !== 'delivered');
    meta.replaceChildren();
    if (item.state === 'delivered') meta.remove();
    else if (item.state === 'failed') {
      const retry = h('button', { type: 'button' }, this.t('message.retry'));
      retry.addEventListener('click', () => {
        item.state = 'queued';
        this.showState(item);
        this.input.focus();
        void this.flush();
      });
      meta.append(this.t('message.failed'), retry);
    } else meta.append(this.t(item.state === 'queued' && this.connection.status !== 'online' ? 'message.queued' : 'message.sending'));
  }

  private receive(activities: Activity[], history: boolean): void {
    // Someone reading further up keeps their place; only a person at the end is taken along.
    const following = this.atEnd();
    let firstNew: Element | undefined;
    const show = (line: HTMLLIElement) => {
      this.log.append(line);
      firstNew ??= line;
      this.turnStart ??= line;
    };
    const announcements: string[] = [];
    let lastMessage: Activity | undefined;
    let botLocale: string | undefined;
    for (const activity of activities) {
      if (activity.id) {
        if (this.seen.has(activity.id)) continue;
        this.seen.add(activity.id);
      }
      const owner = this.isMine(activity) ? undefined : ownerAfter(activity);
      if (owner) this.showOwner(owner);
      if (activity.type === 'message') {
        lastMessage = activity;
        if (this.isMine(activity)) this.receiveOwn(activity);
        else {
          const text = typeof activity.text === 'string' ? activity.text : '';
          if (!text) continue;
          const dir = activity.channelData?.dir ?? this.directionOf(activity.locale);
          const counsellor = counsellorOf(activity);
          if (counsellor) {
            const label = this.counsellorLabel(counsellor.name);
            show(h('li', { class: 'bot counsellor', lang: activity.locale, dir }, h('span', { class: 'who' }, label), text));
            announcements.push(`${label}: ${text}`);
          } else {
            show(h('li', { class: 'bot', lang: activity.locale, dir }, text));
            announcements.push(text);
          }
          this.hideTyping();
          botLocale = activity.locale ?? botLocale;
        }
      } else if (activity.type === 'typing' && !history && !this.isMine(activity)) {
        this.showTyping();
      } else if (activity.type === 'event') {
        const text = this.eventText(activity);
        if (text) {
          show(h('li', { class: 'event' }, text));
          announcements.push(text);
        }
      }
    }
    this.followBotLocale(botLocale);
    if (lastMessage) this.showChoices(this.isMine(lastMessage) ? [] : suggestedActionsOf(lastMessage));
    if (following) {
      // The start of the answer if it is still on screen (the person has not read past it), else the first line just in.
      const start = this.turnStart;
      this.scrollTo(start && this.topOf(start) >= this.log.scrollTop - 1 ? start : firstNew);
    }
    if (!history && announcements.length > 0) {
      this.announcer.textContent = announcements.map((text) => this.t('announce.new_message', { text })).join('\n');
      if (this.panel.hidden) this.unreadDot.hidden = false;
    }
  }

  /** "Amira · Counsellor", the word in the person's language; the word alone when the counsellor set no name. */
  private counsellorLabel(name: string | undefined): string {
    const word = this.t('counsellor');
    return name ? `${name} · ${word}` : word;
  }

  /** While a counsellor owns the chat, "talk to a person" is hidden: a person already answers. */
  private showOwner(owner: ChatOwner): void {
    this.handoffButton.hidden = owner === 'counsellor';
  }

  private isMine(activity: Activity): boolean {
    return activity.from?.role === 'user' || (activity.from?.id !== undefined && activity.from.id === this.options.store.state.userId);
  }

  private receiveOwn(activity: Activity): void {
    this.turnStart = undefined;
    const text = typeof activity.text === 'string' ? activity.text : '';
    const clientId = activity.channelData?.clientActivityID;
    const item =
      (activity.id ? this.byId.get(activity.id) : undefined) ??
      // The echo can beat the POST's answer: pair it by the id we gave it, else by its text.
      this.outgoing.find(
        (candidate) =>
          candidate.bubble &&
          candidate.state === 'sending' &&
          (clientId !== undefined ? candidate.activity.channelData?.clientActivityID === clientId : candidate.activity.text === text),
      );
    if (item) {
      item.state = 'delivered';
      this.settle(item);
      return;
    }
    if (text) this.log.append(h('li', { class: 'me', dir: 'auto' }, text));
  }

  private eventText(activity: Activity): string {
    if (typeof activity.name !== 'string') return '';
    const key = `event.${activity.name.replace(/[^\w]+/g, '_')}`;
    const text = this.t(key);
    if (text !== key) return text;
    return typeof activity.text === 'string' ? activity.text : '';
  }

  private showChoices(actions: CardAction[]): void {
    this.choices.replaceChildren();
    for (const action of actions) {
      const button = h('button', { type: 'button', dir: 'auto' }, action.title);
      button.addEventListener('click', () => {
        this.sendMessage(action.title, action.value);
        this.input.focus();
      });
      this.choices.append(button);
    }
    this.answers.hidden = actions.length === 0;
    this.choices.scrollTop = 0;
    this.showChoicesOverflow();
  }

  /** Marks the answers area as scrolled (a shadow above) and as holding more below (a fade and "+N"). */
  private showChoicesOverflow(): void {
    const { scrollTop, scrollHeight, clientHeight } = this.choices;
    const bottom = this.choices.getBoundingClientRect().bottom - 8;
    const below = clientHeight > 0 && scrollHeight - scrollTop - clientHeight > 2;
    const hidden = below ? Array.from(this.choices.children).filter((button) => button.getBoundingClientRect().bottom > bottom).length : 0;
    this.answers.classList.toggle('above', clientHeight > 0 && scrollTop > 2);
    this.answers.classList.toggle('below', hidden > 0);
    this.moreChoices.hidden = hidden === 0;
    this.moreChoices.replaceChildren(`+${hidden}`, icon(icons.down));
  }

  private clearChoices(): void {
    this.showChoices([]);
  }

  private showTyping(): void {
    this.typing.hidden = false;
    window.clearTimeout(this.typingTimer);
    this.typingTimer = window.setTimeout(() => this.hideTyping(), TYPING_VISIBLE_MS);
  }

  private hideTyping(): void {
    window.clearTimeout(this.typingTimer);
    this.typing.hidden = true;
  }

  private showStatus(status: ConnectionStatus): void {
    if (this.options.config.enabled === false) {
      this.statusLine.hidden = false;
      this.statusLine.textContent = this.t('status.not_enabled');
      this.form.setAttribute('aria-busy', 'false');
      for (const control of [this.input, this.sendButton, this.handoffButton]) control.disabled = true;
      return;
    }
    this.statusLine.hidden = status === 'online';
    this.statusLine.textContent = status === 'online' ? '' : this.t(`status.${status}`);
    this.form.setAttribute('aria-busy', String(status !== 'online'));
    for (const item of this.outgoing) if (item.state === 'queued') this.showState(item);
    if (status === 'online') void this.flush();
  }

  private conversationReset(): void {
    this.seen.clear();
    this.byId.clear();
    for (const item of this.outgoing) if (item.state === 'sending' || item.state === 'sent') item.state = 'queued';
    this.log.replaceChildren(this.greeting, h('li', { class: 'event' }, this.t('status.new_conversation')));
    for (const item of this.outgoing) if (item.bubble) this.log.append(item.bubble);
    this.turnStart = undefined;
    this.clearChoices();
    this.showOwner('bot');
  }

  /**
   * Puts `line` at the top of the log, so a long answer is read from its start (a phone shows only a
   * few lines); or the end, when everything after `line` fits, or without a `line`. Never smooth.
   */
  private scrollTo(line?: Element): void {
    this.log.scrollTop = Math.min(line?.isConnected ? this.topOf(line) : Infinity, this.log.scrollHeight);
  }

  /** Where `line` starts in the log's scrolled content, less the gap between lines. */
  private topOf(line: Element): number {
    return line.getBoundingClientRect().top - this.log.getBoundingClientRect().top + this.log.scrollTop - 8;
  }

  private atEnd(): boolean {
    return this.log.scrollHeight - this.log.scrollTop - this.log.clientHeight < 16;
  }
}
