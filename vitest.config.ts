import { defineConfig } from 'vitest/config';

// Which project a test file belongs to follows from where it lives, so a new file needs no list:
// - unit: pure code (engine, flows, eligibility, i18n, safety, format) and any `*.unit.test.ts`;
//   no app, no database, no browser. `npm run test:unit` runs these alone, in seconds.
// - browser: test/web-browser/ and any `*.browser.test.ts` (Chromium through playwright-core).
// - app: everything else (the app, databases, HTTP, the Telegram emulator).
const unitFolders = ['architecture', 'engine', 'flows', 'eligibility', 'i18n', 'safety', 'format'];
const unit = [...unitFolders.map((folder) => `test/${folder}/**/*.test.ts`), 'test/**/*.unit.test.ts'];
const browser = ['test/web-browser/**/*.test.ts', 'test/**/*.browser.test.ts'];
// In a unit folder but opening a database or the whole app: app tests, so they run beside the other
// app files instead of alone at the end. diagram.test.ts: its last block tests the console's flow
// routes (it belongs in test/console/). directline-contract.test.ts: plays corpus phrases through the
// running app over Direct Line, about 70 s of mostly waiting.
const notUnit = ['test/flows/diagram.test.ts', 'test/safety/directline-contract.test.ts'];
// The unit globs that leave `files` out (an extglob per folder), for the app project's exclude.
const unitExcept = (files: string[]) =>
  unit.map((glob) => {
    const names = files
      .filter((file) => file.startsWith(glob.slice(0, glob.indexOf('**'))))
      .map((file) => file.slice(file.lastIndexOf('/') + 1, -'.test.ts'.length));
    return names.length === 0 ? glob : glob.replace('*.test.ts', `!(${names.join('|')}).test.ts`);
  });

// Every file that may open a database (app and browser) starts from a migrated PGlite template
// built once per run (test/global-setup.ts), instead of migrating its own.
const withDatabaseTemplate = {
  globalSetup: ['test/global-setup.ts'],
  setupFiles: ['test/support/database-template.ts'],
};

export default defineConfig({
  test: {
    // Tests that start the whole app or a browser take seconds on an idle 2-core machine and far
    // longer when it is busy; the limits only catch hangs, speed is measured by `npm run bench`.
    testTimeout: 120_000,
    hookTimeout: 180_000,
    // Two cores: PGlite and Chromium tests are CPU-heavy; more workers only add contention.
    maxWorkers: 2,
    projects: [
      { extends: true, test: { name: 'unit', include: unit, exclude: notUnit } },
      // App files share their worker's modules (isolate: false): what a file loads once (the modules,
      // PGlite's WebAssembly, the compiled safety lexicons, see src/safety/detector.ts) the next file
      // in that worker finds loaded, and each app it starts costs its database and routes only. Measured
      // on test/handoff, test/conversation and test/privacy (171 tests, a busy machine): 309 s, 166 s of
      // CPU, isolated; 172-187 s, 99-109 s of CPU, shared. Each file still gets its own apps and
      // databases; none may leave a mock, a fake timer or an environment variable behind.
      {
        extends: true,
        test: { name: 'app', include: ['test/**/*.test.ts'], exclude: [...unitExcept(notUnit), ...browser], isolate: false, ...withDatabaseTemplate },
      },
      // Shared the same way: on the 41 browser tests (a quiet machine, runs taken in turn), 176 s and
      // 219 s of CPU isolated, 136 s and 144 s shared. Each file still launches its own Chromium.
      { extends: true, test: { name: 'browser', include: browser, isolate: false, ...withDatabaseTemplate } },
    ],
  },
});
