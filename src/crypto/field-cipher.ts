import { createCipheriv, createDecipheriv, createHmac, randomBytes } from 'node:crypto';

/**
 * Field encryption at rest: AES-256-GCM with a fresh 96-bit nonce per value.
 *
 * A sealed value is one ASCII string, `hwe1.<keyId>.<nonce>.<ciphertext+tag>` (base64url parts),
 * so it fits a text column or a JSON string alike. The key id names the key that sealed it: old
 * values stay readable while an older key is still configured, and `keys:rotate` finds what is not
 * yet under the current key. The field's name is bound in as associated data, so a value copied
 * into another column does not decrypt.
 *
 * @example
 * const cipher = createFieldCipher({ current: key, previous: [oldKey] });
 * const sealed = cipher.seal('message.text', 'Ahmed, 34, from Kabul');
 * cipher.open('message.text', sealed); // 'Ahmed, 34, from Kabul'
 */
export interface FieldCipher {
  /** False only for the pass-through used by tests that do not care about encryption. */
  readonly encrypts: boolean;
  /** The id of the key new values are sealed with. */
  readonly currentKeyId: string | null;
  seal(field: string, plaintext: string): string;
  /** Opens a sealed value; a value that is not sealed (written before encryption existed) is returned as is. */
  open(field: string, stored: string): string;
  /** What to store for a JSON value: one sealed string (the pass-through returns the value itself). */
  sealJson(field: string, value: unknown): unknown;
  /** The inverse of `sealJson`; unsealed JSON (older rows) is returned as is. */
  openJson(field: string, stored: unknown): unknown;
  /** Whether a stored value (text or JSON) needs rewriting to be under the current key. */
  needsRotation(stored: unknown): boolean;
  /**
   * A keyed hash of an identifier that must stay findable (a Telegram chat id): equal inputs give
   * equal outputs under one key, and nothing about the input shows. `hwi1.<keyId>.<hmac>`.
   */
  blindIndex(field: string, value: string): string;
  /** The blind index under every configured key, current first: lookups during a rotation find rows not yet rewritten. */
  blindIndexes(field: string, value: string): string[];
}

export interface KeyRing {
  current: Buffer;
  /** Keys that only open, for values sealed before a rotation. */
  previous?: readonly Buffer[];
}

const PREFIX = 'hwe1';
const INDEX_PREFIX = 'hwi1';
const sealedPattern = /^hwe1\.([A-Za-z0-9_-]{8})\.([A-Za-z0-9_-]{16})\.([A-Za-z0-9_-]{22,})$/;

export class DecryptionError extends Error {
  override name = 'DecryptionError';
}

/** Decodes a 32-byte key written as 64 hex digits or base64 / base64url; null for anything else. */
export function parseKey(text: string): Buffer | null {
  const trimmed = text.trim();
  if (/^[0-9a-fA-F]{64}$/.test(trimmed)) return Buffer.from(trimmed, 'hex');
  if (/^[A-Za-z0-9+/_-]{43}=?$/.test(trimmed)) {
    const bytes = Buffer.from(trimmed.replace(/-/g, '+').replace(/_/g, '/'), 'base64');
    return bytes.length === 32 ? bytes : null;
  }
  return null;
}

/** A new random key in the base64 form `DATA_ENCRYPTION_KEY` takes. */
export function generateKey(): string {
  return randomBytes(32).toString('base64');
}

/** A short public name of a key: an HMAC of a constant, so it says nothing about the key itself. */
export function keyIdOf(key: Buffer): string {
  return createHmac('sha256', key).update('homeward/data-encryption-key-id').digest('base64url').slice(0, 8);
}

export function isSealed(value: unknown): value is string {
  return typeof value === 'string' && sealedPattern.test(value);
}

export function createFieldCipher(ring: KeyRing): FieldCipher {
  for (const key of [ring.current, ...(ring.previous ?? [])]) {
    if (key.length !== 32) throw new Error('data encryption keys must be 32 bytes');
  }
  const currentId = keyIdOf(ring.current);
  const keys = new Map<string, Buffer>();
  for (const key of [...(ring.previous ?? []), ring.current]) keys.set(keyIdOf(key), key);

  // A separate key for hashing, so the index never reuses the encryption key directly.
  const indexKeyOf = (key: Buffer) => ({ id: keyIdOf(key), key: createHmac('sha256', key).update('homeward/blind-index-key').digest() });
  const currentIndexKey = indexKeyOf(ring.current);
  const indexKeys = [currentIndexKey, ...(ring.previous ?? []).map(indexKeyOf)];
  const index = (entry: { id: string; key: Buffer }, field: string, value: string) =>
    `${INDEX_PREFIX}.${entry.id}.${createHmac('sha256', entry.key).update(`${field}\0${value}`).digest('base64url')}`;

  const seal = (field: string, plaintext: string): string => {
    const nonce = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', ring.current, nonce);
    cipher.setAAD(Buffer.from(field, 'utf8'));
    const body = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final(), cipher.getAuthTag()]);
    return `${PREFIX}.${currentId}.${nonce.toString('base64url')}.${body.toString('base64url')}`;
  };

  const open = (field: string, stored: string): string => {
    const match = sealedPattern.exec(stored);
    if (!match) return stored;
    const [, keyId = '', nonce = '', bodyText = ''] = match;
    const key = keys.get(keyId);
    // Never echo the value: it may be a person's words under a key we lost.
    if (!key)
      throw new DecryptionError(`a ${field} value is sealed with key ${keyId}, which is not configured (DATA_ENCRYPTION_KEY / DATA_ENCRYPTION_OLD_KEYS)`);
    const body = Buffer.from(bodyText, 'base64url');
    if (body.length < 16) throw new DecryptionError(`a ${field} value is truncated`);
    try {
      const decipher = createDecipheriv('aes-256-gcm', key, Buffer.from(nonce, 'base64url'));
      decipher.setAAD(Buffer.from(field, 'utf8'));
      decipher.setAuthTag(body.subarray(body.length - 16));
      return Buffer.concat([decipher.update(body.subarray(0, body.length - 16)), decipher.final()]).toString('utf8');
    } catch (error) {
      throw new DecryptionError(`a ${field} value failed authentication (tampered, or moved from another column)`, { cause: error });
    }
  };

  return {
    encrypts: true,
    currentKeyId: currentId,
    seal,
    open,
    sealJson: (field, value) => seal(field, JSON.stringify(value ?? null)),
    openJson: (field, stored) => (isSealed(stored) ? (JSON.parse(open(field, stored)) as unknown) : stored),
    needsRotation: (stored) => (isSealed(stored) ? stored.slice(PREFIX.length + 1, PREFIX.length + 9) !== currentId : stored !== null && stored !== undefined),
    blindIndex: (field, value) => index(currentIndexKey, field, value),
    blindIndexes: (field, value) => [...new Set(indexKeys.map((entry) => index(entry, field, value)))],
  };
}

/**
 * Stores values as they are. Only for tests and tools that build a repository without a key;
 * the app and the admin commands always pass a real cipher. Reading still opens sealed values
 * it cannot decrypt with an error, never as garbage.
 */
export const noEncryption: FieldCipher = {
  encrypts: false,
  currentKeyId: null,
  seal: (_field, plaintext) => plaintext,
  open: (field, stored) => {
    if (isSealed(stored)) throw new DecryptionError(`a ${field} value is encrypted but this repository was built without a key`);
    return stored;
  },
  sealJson: (_field, value) => value,
  openJson: (field, stored) => {
    if (isSealed(stored)) throw new DecryptionError(`a ${field} value is encrypted but this repository was built without a key`);
    return stored;
  },
  needsRotation: () => false,
  blindIndex: (_field, value) => value,
  blindIndexes: (_field, value) => [value],
};
