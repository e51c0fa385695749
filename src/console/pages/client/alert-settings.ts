// How the console draws a counsellor's attention, chosen per browser on their own account page:
// a sound (on unless turned off, as before there was a choice) and desktop notifications (off until
// turned on; the browser asks for permission then, and only then, once).
import { z } from 'zod';
import { h } from '../../../channels/web/widget/client/dom.js';
import type { MarkStorage } from './read-marks.js';

const settingsSchema = z.object({ sound: z.boolean().default(true), desktop: z.boolean().default(false) });
export type AlertSettings = z.infer<typeof settingsSchema>;

const settingsKey = (userId: string) => `homeward-console:alerts:${userId}`;

export function readAlertSettings(storage: MarkStorage, userId: string): AlertSettings {
  try {
    const parsed = settingsSchema.safeParse(JSON.parse(storage.getItem(settingsKey(userId)) ?? '{}'));
    return parsed.success ? parsed.data : settingsSchema.parse({});
  } catch {
    return settingsSchema.parse({});
  }
}

function writeAlertSettings(storage: MarkStorage, userId: string, settings: AlertSettings): void {
  try {
    storage.setItem(settingsKey(userId), JSON.stringify(settings));
  } catch {
    // Refused storage: the choice holds until the page is left.
  }
}

/** Desktop notifications may be shown: turned on here and allowed by the browser. */
export function desktopAllowed(settings: AlertSettings): boolean {
  return settings.desktop && typeof Notification !== 'undefined' && Notification.permission === 'granted';
}

/** The "Alerts" section of the account page; `changed` gets every saved choice. */
export function alertSettingsForm(t: (key: string) => string, userId: string, changed: (settings: AlertSettings) => void): HTMLElement {
  let settings = readAlertSettings(localStorage, userId);
  const sound = h('input', { type: 'checkbox', id: 'alerts-sound', checked: settings.sound });
  const desktop = h('input', { type: 'checkbox', id: 'alerts-desktop', checked: desktopAllowed(settings) });
  const status = h('p', { role: 'status', class: 'alerts-status' });
  const save = (next: AlertSettings) => {
    settings = next;
    writeAlertSettings(localStorage, userId, settings);
    changed(settings);
  };
  sound.addEventListener('change', () => save({ ...settings, sound: sound.checked }));
  desktop.addEventListener('change', () => {
    status.textContent = '';
    if (!desktop.checked) return save({ ...settings, desktop: false });
    if (typeof Notification === 'undefined') {
      desktop.checked = false;
      status.textContent = t('attention.desktop_unsupported');
      return;
    }
    // The browser asks the counsellor only now, on their own click; a refusal is theirs to undo.
    void Promise.resolve(Notification.permission === 'default' ? Notification.requestPermission() : Notification.permission).then((permission) => {
      desktop.checked = permission === 'granted';
      if (permission !== 'granted') status.textContent = t('attention.desktop_denied');
      save({ ...settings, desktop: desktop.checked });
    });
  });
  const row = (input: HTMLInputElement, label: string) => h('div', { class: 'check' }, input, h('label', { for: input.id }, label));
  return h(
    'section',
    {},
    h('h2', { id: 'alerts-title' }, t('attention.settings_title')),
    h('p', {}, t('attention.settings_intro')),
    h('form', { class: 'login', 'aria-labelledby': 'alerts-title' }, row(sound, t('attention.sound')), row(desktop, t('attention.desktop')), status),
  );
}
