import type { WidgetStrings } from './protocol.js';

export type Translate = (key: string, params?: Record<string, string>) => string;

/** `{{name}}` placeholders only; a missing key shows the key itself so a gap is visible, never blank. */
export function translator(strings: WidgetStrings): Translate {
  return (key, params) => (strings[key] ?? key).replace(/\{\{\s*(\w+)\s*\}\}/g, (_match, name: string) => params?.[name] ?? '');
}

/** The first of the browser's languages the widget offers (exact, then by base language), else the fallback. */
export function guessLanguage(preferences: readonly string[], offered: readonly string[], fallback: string): string {
  for (const preference of preferences) {
    const lower = preference.toLowerCase();
    const exact = offered.find((code) => code.toLowerCase() === lower);
    if (exact) return exact;
    const base = lower.split('-')[0];
    const byBase = offered.find((code) => code.toLowerCase() === base);
    if (byBase) return byBase;
  }
  return offered.includes(fallback) ? fallback : (offered[0] ?? fallback);
}
