import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    // Two cores: PGlite and Chromium tests are CPU-heavy; more workers only add contention.
    maxWorkers: 2,
  },
});
