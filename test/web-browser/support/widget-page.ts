import type { BrowserContext, Locator, Page } from 'playwright-core';

/** What a person sees in the widget, read from its (open) shadow root. */
export interface WidgetView {
  lang: string | null;
  dir: string | null;
  open: boolean;
  log: { kind: string; text: string; pending: boolean }[];
  choices: string[];
  status: string | null;
}

export function readWidget(page: Page): Promise<WidgetView> {
  return page.evaluate(() => {
    const root = document.querySelector('[data-homeward]')?.shadowRoot;
    const panel = root?.querySelector('#hw-panel');
    if (!root || !panel) throw new Error('the widget is not on the page');
    const status = root.querySelector<HTMLElement>('.status');
    return {
      lang: panel.getAttribute('lang'),
      dir: panel.getAttribute('dir'),
      open: !panel.hasAttribute('hidden'),
      log: Array.from(root.querySelectorAll('.log li')).map((item) => ({
        kind: ['greeting', 'bot', 'me', 'event'].find((kind) => item.classList.contains(kind)) ?? '',
        // The bubble's own text, without its "sending..." line.
        text: Array.from(item.childNodes)
          .filter((node) => node.nodeType === Node.TEXT_NODE)
          .map((node) => node.textContent)
          .join(''),
        pending: item.classList.contains('pending'),
      })),
      choices: Array.from(root.querySelectorAll('.choices button')).map((button) => button.textContent ?? ''),
      status: status && !status.hidden ? status.textContent : null,
    };
  });
}

/** Locators pierce open shadow roots, so these reach inside the widget. */
export function widget(page: Page) {
  const host = page.locator('[data-homeward]');
  return {
    launcher: host.locator('.launcher'),
    panel: host.locator('#hw-panel'),
    input: host.locator('#hw-input'),
    language: host.locator('#hw-language'),
    choice: (name: string): Locator => host.locator('.choices button', { hasText: name }),
    bot: (text: string): Locator => host.locator('.log li.bot', { hasText: text }),
    mine: (text: string): Locator => host.locator('.log li.me', { hasText: text }),
    delivered: (text: string): Locator => host.locator('.log li.me:not(.pending)', { hasText: text }),
    status: host.locator('.status'),
  };
}

export async function send(page: Page, text: string): Promise<void> {
  const { input } = widget(page);
  await input.fill(text);
  await input.press('Enter');
}

/** What the widget keeps in localStorage (the widget key is "demo"): its resume ticket and watermark, nothing else. */
export async function storedSession(page: Page): Promise<{ resume: string; watermark?: string } & Record<string, unknown>> {
  const state = await page.evaluate(() => JSON.parse(localStorage.getItem('homeward:demo') ?? '{}') as { session?: unknown });
  if (!state.session) throw new Error('the widget stored no conversation');
  return state.session as { resume: string; watermark?: string };
}

/** Everything the page keeps in localStorage, as one string (to check what it does not hold). */
export function storedText(page: Page): Promise<string> {
  return page.evaluate(() => JSON.stringify({ ...localStorage }));
}

export async function changeStoredSession(page: Page, change: Record<string, unknown>): Promise<void> {
  await page.evaluate((patch) => {
    const state = JSON.parse(localStorage.getItem('homeward:demo') ?? '{}') as { session: Record<string, unknown> };
    state.session = { ...state.session, ...patch };
    localStorage.setItem('homeward:demo', JSON.stringify(state));
  }, change);
}

/** Counts requests whose URL matches, from now on. */
export function countRequests(context: BrowserContext, pattern: RegExp): { readonly count: number } {
  const counter = { count: 0 };
  context.on('request', (request) => {
    if (pattern.test(request.url())) counter.count += 1;
  });
  return counter;
}
