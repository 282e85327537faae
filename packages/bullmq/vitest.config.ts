import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['src/**/*.test.ts'],
    reporters: ['default', 'json'],
    outputFile: { json: './test-results.json' },
    globalSetup: ['./test-support/redis-global-setup.ts'],
    // The queue tests run worker processes that keep both cores busy; one file at a time
    // keeps their lock renewal and stall checks on time.
    fileParallelism: false,
    testTimeout: 30_000,
    hookTimeout: 30_000,
  },
});
