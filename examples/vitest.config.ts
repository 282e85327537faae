import { defineConfig } from 'vitest/config';
import { packageTests } from '../vitest.shared.js';

// The examples' own tests sit beside them, so that an example cannot rot unnoticed.
export default defineConfig({
  test: {
    ...packageTests,
    include: ['**/*.test.mjs'],
  },
});
