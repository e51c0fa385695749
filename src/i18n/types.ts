/** A client language as `locales/<code>/meta.json` describes it. */
export interface LocaleInfo {
  code: string;
  nativeName: string;
  /** Other names people type for it (meta.json `alsoCalled`). */
  alsoCalled?: readonly string[];
  dir: 'ltr' | 'rtl';
  /** True while meta.json says `status: "draft"`: not yet reviewed by a native speaker. */
  draft?: boolean;
}

/** Renders the text of `key` in one language, with its parameters. */
export type Translate = (key: string, params?: Record<string, unknown>) => string;
