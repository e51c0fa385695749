import { randomUUID } from 'node:crypto';
import { link, readFile, rename, unlink, writeFile } from 'node:fs/promises';

/** The embedded database folder is held by another live process. */
export class DatabaseInUseError extends Error {
  constructor(
    readonly dataDir: string,
    readonly pid: number,
  ) {
    super(`the embedded database in ${dataDir} is in use by process ${pid} (the running server?); stop it first or set DATABASE_URL`);
    this.name = 'DatabaseInUseError';
  }
}

/**
 * Takes the lock file for a PGlite data folder (PGlite serves one process only; a second one on
 * the same folder fails with an opaque `ErrnoError`). A lock whose process is gone is taken over.
 * Returns the function that releases it.
 */
export async function lockDataDir(lockPath: string, dataDirLabel: string): Promise<() => Promise<void>> {
  for (let attempt = 0; attempt < 5; attempt++) {
    try {
      await writeFile(lockPath, `${process.pid}\n`, { flag: 'wx' });
      return () => releaseLock(lockPath);
    } catch (error) {
      if (errorCode(error) !== 'EEXIST') throw error;
    }
    const holder = await readPid(lockPath);
    if (holder !== undefined && isAlive(holder)) throw new DatabaseInUseError(dataDirLabel, holder);
    await moveStaleLockAside(lockPath, holder);
  }
  throw new Error(`could not take the lock ${lockPath}: it keeps changing hands`);
}

// Renaming is atomic, so of two processes taking over the same stale lock only one moves it; if
// what got moved is not the stale lock we looked at, it was just taken by someone else: put it back.
async function moveStaleLockAside(lockPath: string, stalePid: number | undefined): Promise<void> {
  const aside = `${lockPath}.${process.pid}.${randomUUID()}`;
  try {
    await rename(lockPath, aside);
  } catch (error) {
    if (errorCode(error) === 'ENOENT') return;
    throw error;
  }
  if ((await readPid(aside)) !== stalePid) {
    await link(aside, lockPath).catch(() => undefined);
  }
  await unlink(aside);
}

async function releaseLock(lockPath: string): Promise<void> {
  if ((await readPid(lockPath)) === process.pid) await unlink(lockPath).catch(() => undefined);
}

async function readPid(file: string): Promise<number | undefined> {
  const text = await readFile(file, 'utf8').catch(() => '');
  const pid = Number.parseInt(text.trim(), 10);
  return Number.isSafeInteger(pid) && pid > 0 ? pid : undefined;
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: it exists but belongs to another user.
    return errorCode(error) === 'EPERM';
  }
}

function errorCode(error: unknown): string | undefined {
  return error instanceof Error && 'code' in error && typeof error.code === 'string' ? error.code : undefined;
}
