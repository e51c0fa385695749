import { spawnSync } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DatabaseInUseError, openDatabase } from '../../src/store/client.js';

// Each case runs initdb on disk (several seconds on a busy 2-core machine).
describe('embedded database folder lock', { timeout: 90_000 }, () => {
  let dataDir: string;
  const lockFile = () => path.join(dataDir, 'pglite.lock');

  beforeEach(async () => {
    dataDir = await mkdtemp(path.join(tmpdir(), 'homeward-lock-'));
  });
  afterEach(async () => {
    await rm(dataDir, { recursive: true, force: true });
  });

  it('refuses a second open of the same folder while the first is open, and frees it on close', async () => {
    const first = await openDatabase({ dataDir });
    try {
      expect((await readFile(lockFile(), 'utf8')).trim()).toBe(String(process.pid));
      const second = openDatabase({ dataDir });
      await expect(second).rejects.toBeInstanceOf(DatabaseInUseError);
      await expect(second).rejects.toThrow(
        `the embedded database in ${dataDir} is in use by process ${process.pid} (the running server?); stop it first or set DATABASE_URL`,
      );
      await first.prisma.$queryRaw`SELECT 1`;
    } finally {
      await first.close();
    }
    await expect(readFile(lockFile(), 'utf8')).rejects.toThrow(/ENOENT/);

    const again = await openDatabase({ dataDir });
    await again.close();
  });

  it('takes over the lock of a process that is gone', async () => {
    const gone = spawnSync(process.execPath, ['-e', '']).pid;
    expect(gone).toBeGreaterThan(0);
    await writeFile(lockFile(), `${gone}\n`);

    const db = await openDatabase({ dataDir });
    try {
      expect((await readFile(lockFile(), 'utf8')).trim()).toBe(String(process.pid));
    } finally {
      await db.close();
    }
  });
});
