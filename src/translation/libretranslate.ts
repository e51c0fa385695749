import { z } from 'zod';
import { TranslationError, type TranslationLanguage, type Translator } from './port.js';

export interface LibreTranslateOptions {
  /** The server's base address, without a trailing slash: `http://localhost:5000`. */
  url: string;
  apiKey?: string;
  /** Each request is aborted after this long. */
  timeoutMs: number;
  fetch?: typeof fetch;
}

/* The engine's answers, checked at the edge: anything else is `invalid_response`. */
const translateResponseSchema = z.object({ translatedText: z.string().min(1) });
const languagesResponseSchema = z.array(z.object({ code: z.string().min(1), name: z.string(), targets: z.array(z.string()).optional() }));

/**
 * The LibreTranslate HTTP API (`POST /translate`, `GET /languages`), self-hostable and open source;
 * any server speaking it works.
 *
 * @example
 * const translator = createLibreTranslate({ url: config.translation.url, timeoutMs: 4000 });
 */
export function createLibreTranslate(options: LibreTranslateOptions): Translator {
  const fetchImpl = options.fetch ?? fetch;
  async function call(path: string, init: RequestInit): Promise<unknown> {
    let response: Response;
    try {
      response = await fetchImpl(`${options.url}${path}`, { ...init, signal: AbortSignal.timeout(options.timeoutMs) });
    } catch (error) {
      const timedOut = error instanceof DOMException && (error.name === 'TimeoutError' || error.name === 'AbortError');
      throw new TranslationError(
        timedOut ? 'timeout' : 'unavailable',
        timedOut ? `no answer within ${options.timeoutMs} ms` : 'cannot reach the translation server',
        {
          cause: error,
        },
      );
    }
    let body: unknown;
    try {
      body = await response.json();
    } catch (error) {
      const timedOut = error instanceof DOMException && (error.name === 'TimeoutError' || error.name === 'AbortError');
      throw new TranslationError(timedOut ? 'timeout' : 'invalid_response', timedOut ? `no answer within ${options.timeoutMs} ms` : 'the answer is not JSON', {
        cause: error,
        status: response.status,
      });
    }
    if (!response.ok) throw new TranslationError('unavailable', `the translation server answered ${response.status}`, { status: response.status });
    return body;
  }
  return {
    async translate(text, { source, target }) {
      const body = await call('/translate', {
        method: 'POST',
        headers: { 'content-type': 'application/json', accept: 'application/json' },
        body: JSON.stringify({ q: text, source, target, format: 'text', ...(options.apiKey ? { api_key: options.apiKey } : {}) }),
      });
      const parsed = translateResponseSchema.safeParse(body);
      if (!parsed.success) throw new TranslationError('invalid_response', 'the answer has no translatedText');
      return parsed.data.translatedText;
    },
    async languages(): Promise<TranslationLanguage[]> {
      const body = await call('/languages', { method: 'GET', headers: { accept: 'application/json' } });
      const parsed = languagesResponseSchema.safeParse(body);
      if (!parsed.success) throw new TranslationError('invalid_response', 'the answer is not a list of languages');
      return parsed.data.map((language) => ({ code: language.code, name: language.name, ...(language.targets ? { targets: language.targets } : {}) }));
    },
  };
}
