// What an organisation admin's page gets from the console shell, so each page is a module of its
// own: texts, the one way to put a view on screen, notices and error wording.
import type { z } from 'zod';

export interface AdminView {
  /** The console's texts (`locales/<lng>/console.json`), `{{name}}` filled from params. */
  t(key: string, params?: Record<string, string | number>): string;
  /** Puts the view in <main> under an <h1> with `title` and the admin sub-navigation, focus on the heading. */
  show(title: string, ...content: Node[]): void;
  /** A polite live-region notice ("Saved."). */
  notify(text: string): void;
  /** An API error in the admin's language. */
  errorText(error: unknown): string;
  /** The console's current language, for Intl formatting. */
  lng: string;
  /** The console API (`/console/api` + path), answers checked with `schema`. */
  call<T>(schema: z.ZodType<T>, method: string, path: string, body?: unknown): Promise<T>;
}

export interface AdminPage {
  /** `#/admin/<path>`. */
  path: string;
  /** Key of its link text and heading in console.json, e.g. `admin.nav.settings`. */
  navKey: string;
  render(view: AdminView): void | Promise<void>;
}
