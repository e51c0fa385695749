import { randomBytes } from 'node:crypto';
import { link, mkdir, readFile, rename, unlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { z } from 'zod';
import { generateKey, parseKey } from './crypto/field-cipher.js';

const fileSchema = z.object({ tokenSecret: z.string().min(32) });

/** `DATA_DIR=memory://` (an in-memory database, for trials and benchmarks): secrets live as long as the process. */
const inMemory = 'memory://';

/**
 * Development only: a token secret generated once into the data folder, so `npm start` needs no
 * configuration and tokens survive a restart. Production must set TOKEN_SECRET (config enforces it).
 */
export async function developmentSecrets(dataDir: string): Promise<z.infer<typeof fileSchema>> {
  if (dataDir === inMemory) return { tokenSecret: randomBytes(32).toString('base64url') };
  const file = join(dataDir, 'secrets.json');
  try {
    return fileSchema.parse(JSON.parse(await readFile(file, 'utf8')));
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw new Error(`${file} is unreadable; delete it to generate new secrets`, { cause: error });
  }
  const secrets = { tokenSecret: randomBytes(32).toString('base64url') };
  await mkdir(dataDir, { recursive: true });
  await writeFile(file, JSON.stringify(secrets, null, 2), { mode: 0o600 });
  return secrets;
}

const keyFileSchema = z.object({
  key: z.string().refine((value) => parseKey(value) !== null, 'not a 32-byte key'),
  // Keys replaced by `keys:rotate --generate`: they still decrypt what was not rewritten yet.
  oldKeys: z.array(z.string().refine((value) => parseKey(value) !== null, 'not a 32-byte key')).default([]),
});
export type DevelopmentKeys = z.infer<typeof keyFileSchema>;

/**
 * Development only: the data encryption key, generated once into `DATA_DIR/data-encryption-key.json`
 * (production must set DATA_ENCRYPTION_KEY). Several instances starting at once on a fresh folder
 * agree on one key: the file appears complete or not at all, and only the first one is kept.
 */
export async function developmentDataKeys(dataDir: string): Promise<DevelopmentKeys> {
  if (dataDir === inMemory) return { key: generateKey(), oldKeys: [] };
  const file = join(dataDir, 'data-encryption-key.json');
  const existing = await readKeys(file);
  if (existing) return existing;
  await mkdir(dataDir, { recursive: true });
  const temporary = `${file}.${process.pid}.${randomBytes(4).toString('hex')}`;
  await writeFile(temporary, JSON.stringify({ key: generateKey(), oldKeys: [] }, null, 2), { mode: 0o600 });
  try {
    await link(temporary, file);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
  } finally {
    await unlink(temporary);
  }
  const kept = await readKeys(file);
  if (!kept) throw new Error(`${file} vanished right after it was written`);
  return kept;
}

/** Replaces the development keys atomically (`keys:rotate --generate`). */
export async function saveDevelopmentDataKeys(dataDir: string, keys: DevelopmentKeys): Promise<void> {
  const file = join(dataDir, 'data-encryption-key.json');
  const temporary = `${file}.${process.pid}.${randomBytes(4).toString('hex')}`;
  await mkdir(dataDir, { recursive: true });
  await writeFile(temporary, JSON.stringify(keys, null, 2), { mode: 0o600 });
  await rename(temporary, file);
}

async function readKeys(file: string): Promise<DevelopmentKeys | null> {
  try {
    return keyFileSchema.parse(JSON.parse(await readFile(file, 'utf8')));
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
    // Never include the file's content: it is the key.
    // No cause: a parser's message may quote the file, which is the key.
    throw new Error(`${file} is unreadable; without it the stored texts cannot be read`);
  }
}
