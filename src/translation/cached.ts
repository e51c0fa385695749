import { TranslationError, type TranslationCache, type TranslationResult, type Translator } from './port.js';

/** Language codes as the engine knows them: `pt-BR` -> `pt`; the same language needs no engine. */
const base = (code: string) => code.toLowerCase().split('-')[0] ?? code;

/**
 * Translation as the console uses it: from the cache when this conversation already had this text
 * in this language pair, otherwise from the engine (and then cached). Never throws: a failure is a
 * result, so the caller sends or shows the original.
 *
 * @example
 * const translation = new CachedTranslation(createLibreTranslate(options), cache);
 * const result = await translation.translate(conversation.id, { source: 'ar', target: 'en', text });
 * if (result.status === 'translated') show(result.text);
 */
export class CachedTranslation {
  constructor(
    private readonly translator: Translator,
    private readonly cache: TranslationCache,
    private readonly onFailure?: (error: TranslationError) => void,
  ) {}

  /** True when the two languages differ, so a translation is wanted at all. */
  needed(source: string, target: string): boolean {
    return base(source) !== base(target);
  }

  async translate(conversationId: string, request: { source: string; target: string; text: string }): Promise<TranslationResult> {
    const key = { source: base(request.source), target: base(request.target), text: request.text };
    const cached = await this.cache.get(conversationId, key);
    if (cached !== null) return { status: 'translated', text: cached };
    try {
      const text = await this.translator.translate(key.text, { source: key.source, target: key.target });
      await this.cache.put(conversationId, key, text);
      return { status: 'translated', text };
    } catch (error) {
      if (!(error instanceof TranslationError)) throw error;
      this.onFailure?.(error);
      return { status: 'failed', failure: error.failure };
    }
  }
}
