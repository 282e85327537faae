import { defineConfig } from 'vitest/config';
import { packageTests } from '../../vitest.shared.js';

export default defineConfig({
  test: {
    ...packageTests,
    globalSetup: ['../../vitest.build-first.ts'],
    // Each test file runs in a process of its own, so that it can check which child
    // processes it left behind.
    pool: 'forks',
    hookTimeout: 20_000,
  },
});
