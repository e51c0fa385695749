import { randomBytes } from 'node:crypto';
import type { Config } from '../config.js';
import { developmentDataKeys } from '../secrets.js';
import { createFieldCipher, parseKey, type FieldCipher } from '../crypto/field-cipher.js';

/** The cipher for the configured key and the older keys that still decrypt. */
export function cipherFromKeys(keys: { key: string; oldKeys: readonly string[] }): FieldCipher {
  const decode = (text: string): Buffer => {
    const key = parseKey(text);
    // Config validated the keys already; this guards direct callers. Never print the key.
    if (!key) throw new Error('a data encryption key is not 32 bytes of base64 or hex');
    return key;
  };
  return createFieldCipher({ current: decode(keys.key), previous: keys.oldKeys.map(decode) });
}

/**
 * The data cipher for this process. Production always has DATA_ENCRYPTION_KEY (config enforces
 * it). Without it, an on-disk development database uses the key generated into the data folder;
 * a throwaway in-memory database (tests) gets a throwaway key.
 */
export async function resolveDataCipher(config: Pick<Config, 'mode' | 'dataEncryption' | 'database' | 'dataDir'>): Promise<FieldCipher> {
  if (config.dataEncryption) return cipherFromKeys(config.dataEncryption);
  if (config.mode === 'production') throw new Error('DATA_ENCRYPTION_KEY is required in production');
  if (config.database.kind === 'embedded' && config.database.dataDir === 'memory://') {
    return createFieldCipher({ current: randomBytes(32) });
  }
  return cipherFromKeys(await developmentDataKeys(config.dataDir));
}
