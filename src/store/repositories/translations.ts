import { createHash, randomUUID } from 'node:crypto';
import { noEncryption, type FieldCipher } from '../../crypto/field-cipher.js';
import type { TranslationCache, TranslationKey } from '../../translation/port.js';
import type { PrismaClient } from '../generated/client.js';
import { isUuid } from './records.js';

/** The encrypted columns of the translation cache. */
export const translationFields = {
  /** Blind index of the language pair and the text: findable, not readable. */
  key: 'translationCache.key',
  text: 'translationCache.text',
} as const;

/**
 * Machine translations per conversation (`TranslationCache`): the text sealed like message texts,
 * looked up by a keyed hash of language pair and original, and deleted with the conversation
 * (its foreign key cascades; erasure also deletes the rows by name).
 *
 * @example
 * const cache = createTranslationCache(prisma, { cipher });
 * await cache.put(conversationId, { source: 'ar', target: 'en', text: 'مرحبا' }, 'Hello');
 * await cache.get(conversationId, { source: 'ar', target: 'en', text: 'مرحبا' }); // 'Hello'
 */
export function createTranslationCache(prisma: PrismaClient, options: { cipher?: FieldCipher } = {}): TranslationCache {
  const cipher = options.cipher ?? noEncryption;
  const keyOf = (key: TranslationKey) => {
    const plain = `${key.source}\u0000${key.target}\u0000${key.text}`;
    // Without a data key the index would hold the text itself; a plain hash keeps it short either way.
    return cipher.encrypts ? cipher.blindIndex(translationFields.key, plain) : createHash('sha256').update(plain).digest('base64url');
  };
  return {
    async get(conversationId, key) {
      if (!isUuid(conversationId)) return null;
      const row = await prisma.translationCache.findUnique({ where: { conversationId_key: { conversationId, key: keyOf(key) } }, select: { text: true } });
      if (!row) return null;
      try {
        return cipher.open(translationFields.text, row.text);
      } catch {
        // Sealed under a key no longer configured: ask the engine again rather than fail the transcript.
        return null;
      }
    },
    async put(conversationId, key, translated) {
      if (!isUuid(conversationId)) return;
      // Only while the conversation exists (an erasure may have just run); a concurrent twin wins quietly.
      await prisma.$executeRaw`
        INSERT INTO "TranslationCache" ("id", "conversationId", "key", "text")
        SELECT ${randomUUID()}::uuid, "id", ${keyOf(key)}, ${cipher.seal(translationFields.text, translated)} FROM "Conversation" WHERE "id" = ${conversationId}::uuid
        ON CONFLICT ("conversationId", "key") DO UPDATE SET "text" = EXCLUDED."text"`;
    },
  };
}
