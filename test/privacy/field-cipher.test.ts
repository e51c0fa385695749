import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { ConfigError, createConfig } from '../../src/config.js';
import { createFieldCipher, DecryptionError, generateKey, isSealed, keyIdOf, noEncryption, parseKey } from '../../src/crypto/field-cipher.js';
import { cipherFromKeys } from '../../src/privacy/keys.js';

describe('field encryption', () => {
  const key = randomBytes(32);
  const cipher = createFieldCipher({ current: key });

  it('seals text and JSON with a fresh nonce each time, and opens them again', () => {
    const a = cipher.seal('message.text', 'Amina, 34, Herat');
    const b = cipher.seal('message.text', 'Amina, 34, Herat');
    expect(a).not.toBe(b);
    expect(a).toMatch(new RegExp(`^hwe1\\.${keyIdOf(key)}\\.`));
    expect(a).not.toContain('Amina');
    expect(cipher.open('message.text', a)).toBe('Amina, 34, Herat');
    const json = { answers: { name: 'Amina', children: 2 }, list: [1, 'two'] };
    const sealed = cipher.sealJson('conversation.flowState', json);
    expect(isSealed(sealed)).toBe(true);
    expect(cipher.openJson('conversation.flowState', sealed)).toEqual(json);
    expect(cipher.open('message.text', cipher.seal('message.text', ''))).toBe('');
    expect(cipher.open('message.text', cipher.seal('message.text', 'مرحبا 👋'))).toBe('مرحبا 👋');
  });

  it('refuses tampered values, values from another column and unknown keys, without echoing them', () => {
    const sealed = cipher.seal('message.text', 'secret words');
    // Flip a character well inside the ciphertext: the last base64 character may carry only padding bits.
    const at = sealed.length - 10;
    const flipped = sealed[at] === 'A' ? 'B' : 'A';
    expect(() => cipher.open('message.text', `${sealed.slice(0, at)}${flipped}${sealed.slice(at + 1)}`)).toThrow(DecryptionError);
    expect(() => cipher.open('referral.record', sealed)).toThrow(/failed authentication/);
    const other = createFieldCipher({ current: randomBytes(32) });
    try {
      other.open('message.text', sealed);
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(DecryptionError);
      expect(String(error)).not.toContain('secret');
    }
  });

  it('keeps older keys for reading and says which values need rotation; values from before encryption pass through', () => {
    const next = createFieldCipher({ current: randomBytes(32), previous: [key] });
    const old = cipher.seal('message.text', 'from before');
    expect(next.open('message.text', old)).toBe('from before');
    expect(next.needsRotation(old)).toBe(true);
    expect(next.needsRotation(next.seal('message.text', 'x'))).toBe(false);
    expect(next.needsRotation('typed before encryption existed')).toBe(true);
    expect(next.needsRotation(null)).toBe(false);
    expect(next.open('message.text', 'typed before encryption existed')).toBe('typed before encryption existed');
    expect(next.openJson('conversation.flowState', { v: 1 })).toEqual({ v: 1 });
    expect(() => noEncryption.open('message.text', old)).toThrow(/without a key/);
  });

  it('makes blind indexes: equal under one key, different across keys and fields, findable under every configured key', () => {
    const index = cipher.blindIndex('conversation.channelRef', '123456789');
    expect(index).toBe(cipher.blindIndex('conversation.channelRef', '123456789'));
    expect(index).toMatch(new RegExp(`^hwi1\\.${keyIdOf(key)}\\.`));
    expect(index).not.toContain('123456789');
    expect(cipher.blindIndex('conversation.channelRef', '123456788')).not.toBe(index);
    expect(cipher.blindIndex('other.field', '123456789')).not.toBe(index);
    const next = createFieldCipher({ current: randomBytes(32), previous: [key] });
    expect(next.blindIndex('conversation.channelRef', '123456789')).not.toBe(index);
    expect(next.blindIndexes('conversation.channelRef', '123456789')).toEqual([next.blindIndex('conversation.channelRef', '123456789'), index]);
    expect(noEncryption.blindIndexes('conversation.channelRef', '42')).toEqual(['42']);
  });

  it('reads keys as base64, base64url or hex, and nothing else', () => {
    const raw = randomBytes(32);
    expect(parseKey(raw.toString('base64'))?.equals(raw)).toBe(true);
    expect(parseKey(raw.toString('base64url'))?.equals(raw)).toBe(true);
    expect(parseKey(raw.toString('hex'))?.equals(raw)).toBe(true);
    expect(parseKey(generateKey())).toHaveLength(32);
    for (const bad of ['', 'changeme', randomBytes(16).toString('base64'), randomBytes(31).toString('hex'), randomBytes(33).toString('base64')])
      expect(parseKey(bad)).toBeNull();
    const keys = { key: raw.toString('hex'), oldKeys: [key.toString('base64')] };
    expect(cipherFromKeys(keys).open('message.text', cipher.seal('message.text', 'ok'))).toBe('ok');
  });

  it('config: DATA_ENCRYPTION_KEY is required in production and validated everywhere', () => {
    const production = { NODE_ENV: 'production', TOKEN_SECRET: 'p'.repeat(40) };
    expect(() => createConfig(production)).toThrow(/DATA_ENCRYPTION_KEY: is required when NODE_ENV=production/);
    expect(() => createConfig({ DATA_ENCRYPTION_KEY: 'changeme' })).toThrow(ConfigError);
    expect(() => createConfig({ DATA_ENCRYPTION_KEY: generateKey(), DATA_ENCRYPTION_OLD_KEYS: `${generateKey()},short` })).toThrow(/DATA_ENCRYPTION_OLD_KEYS/);
    const current = generateKey();
    const old = randomBytes(32).toString('hex');
    expect(createConfig({ ...production, DATA_ENCRYPTION_KEY: current, DATA_ENCRYPTION_OLD_KEYS: ` ${old} ,` }).dataEncryption).toEqual({
      key: current,
      oldKeys: [old],
    });
    expect(createConfig({}).dataEncryption).toBeUndefined();
    expect(createConfig({}).retentionIntervalMinutes).toBe(60);
    expect(() => createConfig({ RETENTION_INTERVAL_MINUTES: 'hourly' })).toThrow(/RETENTION_INTERVAL_MINUTES/);
  });
});
