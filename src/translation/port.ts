/**
 * Machine translation, behind one small port: the LibreTranslate adapter (`libretranslate.ts`) is
 * the first; a DeepL or Azure Translator adapter is one more file implementing `Translator`.
 *
 * @example
 * const translator = createLibreTranslate({ url: 'http://localhost:5000', timeoutMs: 4000 });
 * await translator.translate('Hello', { source: 'en', target: 'ar' }); // 'مرحبا'
 */
export interface Translator {
  /** The text in `target`; rejects with `TranslationError` when the engine is down, slow or answers nonsense. */
  translate(text: string, languages: { source: string; target: string }): Promise<string>;
  /** The languages the engine offers, as codes (`en`, `ar`, `fa`) with their names. */
  languages(): Promise<TranslationLanguage[]>;
}

export interface TranslationLanguage {
  code: string;
  name: string;
  /** Codes this language translates into, when the engine says. */
  targets?: string[];
}

/** `unavailable`: no connection or an HTTP error; `timeout`: slower than allowed; `invalid_response`: not the API's shape. */
export type TranslationFailure = 'unavailable' | 'timeout' | 'invalid_response';

/** A failed call to the engine, with what failed; upstream details stay in `cause`, never the text. */
export class TranslationError extends Error {
  override name = 'TranslationError';
  constructor(
    readonly failure: TranslationFailure,
    message: string,
    options?: { cause?: unknown; status?: number },
  ) {
    super(message, options?.cause === undefined ? undefined : { cause: options.cause });
    this.status = options?.status;
  }
  readonly status: number | undefined;
}

/**
 * Stored translations, per conversation so they go with it (erasure, retention). The store's
 * implementation seals the text at rest; `get` answers null when nothing is stored.
 */
export interface TranslationCache {
  get(conversationId: string, key: TranslationKey): Promise<string | null>;
  put(conversationId: string, key: TranslationKey, translated: string): Promise<void>;
}

export interface TranslationKey {
  source: string;
  target: string;
  text: string;
}

/** What a caller gets: a translation, or that there is none (the original then goes as written). */
export type TranslationResult = { status: 'translated'; text: string } | { status: 'failed'; failure: TranslationFailure };
