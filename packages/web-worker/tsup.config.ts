import { defineConfig } from 'tsup';

/**
 * ESM only, for browsers, Bun and Deno. The worker entry carries `@timebox/core` inside, so
 * that a worker loads it without a bundler or an import map; the main entry imports core.
 */
export default defineConfig([
  {
    entry: { index: 'src/index.ts' },
    format: ['esm'],
    dts: true,
    sourcemap: true,
    platform: 'neutral',
    target: 'es2022',
  },
  {
    entry: { 'web-worker-entry': 'src/web-worker-entry.ts' },
    format: ['esm'],
    dts: true,
    sourcemap: true,
    platform: 'neutral',
    target: 'es2022',
    noExternal: ['@timebox/core'],
  },
]);
