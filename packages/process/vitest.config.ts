import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['src/**/*.test.ts'],
    reporters: ['default', 'json'],
    outputFile: { json: './test-results.json' },
    // Each test file runs in a process of its own, so that it can check which child
    // processes it left behind.
    pool: 'forks',
    testTimeout: 20_000,
    hookTimeout: 20_000,
  },
});
