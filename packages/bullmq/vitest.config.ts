import { defineConfig } from 'vitest/config';
import { packageTests } from '../../vitest.shared.js';

export default defineConfig({
  test: {
    ...packageTests,
    globalSetup: ['./test-support/redis-global-setup.ts'],
    // The queue tests run worker processes that keep both cores busy; one file at a time
    // keeps their lock renewal and stall checks on time.
    fileParallelism: false,
    testTimeout: 30_000,
    hookTimeout: 30_000,
  },
});
