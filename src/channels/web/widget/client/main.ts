import type { Transport } from './directline.js';
import type { LanguageInfo, WidgetConfig, WidgetStrings } from './protocol.js';
import { SessionStore } from './session-store.js';
import { guessLanguage } from './texts.js';
import { ChatWidget } from './widget.js';

// Entry of `/widget.js`, embedded as
// `<script src="https://HOST/widget.js" data-key="WIDGET_KEY" async></script>`;
// `data-transport="polling"` skips WebSocket for sites whose proxies block it.

declare global {
  interface Window {
    __homewardWidget?: boolean;
  }
}

function ownScript(): HTMLScriptElement | null {
  const current = document.currentScript;
  if (current instanceof HTMLScriptElement && current.dataset.key) return current;
  return document.querySelector<HTMLScriptElement>('script[data-key][src*="/widget.js"]');
}

async function getJson(url: string): Promise<unknown> {
  for (let attempt = 0; ; attempt += 1) {
    try {
      const response = await fetch(url, { credentials: 'omit' });
      if (response.ok) return (await response.json()) as unknown;
      if (response.status < 500) throw new Error(`${url}: HTTP ${response.status}`);
    } catch (error) {
      if (attempt >= 4 || (error instanceof Error && error.message.includes('HTTP 4'))) throw error;
    }
    await new Promise((resolve) => window.setTimeout(resolve, 1_000 * 2 ** attempt));
  }
}

function isStrings(value: unknown): value is WidgetStrings {
  return typeof value === 'object' && value !== null && Object.values(value).every((text) => typeof text === 'string');
}

function isLanguage(value: unknown): value is LanguageInfo {
  const item = value as Partial<LanguageInfo> | null;
  return (
    typeof item === 'object' &&
    item !== null &&
    typeof item.code === 'string' &&
    typeof item.nativeName === 'string' &&
    (item.dir === 'ltr' || item.dir === 'rtl')
  );
}

function isConfig(value: unknown): value is WidgetConfig {
  const config = value as Partial<WidgetConfig> | null;
  return (
    typeof config === 'object' &&
    config !== null &&
    typeof config.defaultLanguage === 'string' &&
    Array.isArray(config.languages) &&
    config.languages.every(isLanguage) &&
    typeof config.look?.colour === 'string' &&
    (config.look.position === 'left' || config.look.position === 'right') &&
    isStrings(config.look.title) &&
    isStrings(config.look.greeting)
  );
}

async function boot(script: HTMLScriptElement): Promise<void> {
  const origin = new URL(script.src, document.baseURI).origin;
  const widgetKey = script.dataset.key ?? '';
  const config = await getJson(`${origin}/v3/widget/config?key=${encodeURIComponent(widgetKey)}`);
  if (!isConfig(config)) throw new Error('Homeward widget: the server sent an unreadable configuration');
  const loadStrings = async (locale: string): Promise<WidgetStrings> => {
    const strings = await getJson(`${origin}/v3/widget/strings/${encodeURIComponent(locale)}`);
    if (!isStrings(strings)) throw new Error('Homeward widget: unreadable texts');
    return strings;
  };
  const store = new SessionStore(widgetKey);
  const offered = config.languages.map((language) => language.code);
  const stored = store.state.locale;
  const locale = stored && offered.includes(stored) ? stored : guessLanguage(navigator.languages ?? [navigator.language], offered, config.defaultLanguage);
  const strings = await loadStrings(locale);
  if (document.readyState === 'loading') await new Promise((resolve) => document.addEventListener('DOMContentLoaded', resolve, { once: true }));
  const transport: Transport = script.dataset.transport === 'polling' ? 'polling' : 'websocket';
  new ChatWidget({ origin, widgetKey, config, store, locale, strings, loadStrings, transport }).mount();
}

const script = ownScript();
if (script && !window.__homewardWidget) {
  window.__homewardWidget = true;
  boot(script).catch((error: unknown) => console.error(error));
}
