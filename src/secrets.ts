import { randomBytes } from 'node:crypto';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { z } from 'zod';

const fileSchema = z.object({ tokenSecret: z.string().min(32) });

/**
 * Development only: a token secret generated once into the data folder, so `npm start` needs no
 * configuration and tokens survive a restart. Production must set TOKEN_SECRET (config enforces it).
 */
export async function developmentSecrets(dataDir: string): Promise<z.infer<typeof fileSchema>> {
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
