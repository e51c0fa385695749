import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // Tests that start the whole app or a browser take seconds on an idle 2-core machine and far
    // longer when it is busy; the limits only catch hangs, speed is measured by `npm run bench`.
    testTimeout: 120_000,
    hookTimeout: 180_000,
    // Two cores: PGlite and Chromium tests are CPU-heavy; more workers only add contention.
    maxWorkers: 2,
  },
});
