// Loaded before every test file (vitest `setupFiles`): every `memory://` database the file opens,
// through openTestDatabase or an app started with DATA_DIR=memory://, starts from the migrated
// template test/global-setup.ts saved. A template made from other migrations than the checkout's
// is refused by useMigratedTemplate, and the databases then migrate from empty as before.
import { readFile } from 'node:fs/promises';
import { inject } from 'vitest';
import { useMigratedTemplate } from '../../src/store/memory-template.js';

declare module 'vitest' {
  export interface ProvidedContext {
    /** The migrated PGlite data folder saved by test/global-setup.ts. */
    pgliteTemplate: { file: string; fingerprint: string };
  }
}

const provided = inject('pgliteTemplate');
if (provided) {
  const dataDir = new Blob([await readFile(provided.file)]);
  await useMigratedTemplate({ fingerprint: provided.fingerprint, dataDir });
}
