import type { Options } from 'tsup';

/**
 * The build every published package shares: ESM and CommonJS for Node 20, with type
 * declarations for both (`.d.ts`, `.d.cts`) and `import.meta.url` working in CommonJS.
 * A package adds its entries (and anything else it needs) on top.
 */
export const packageBuild = {
  format: ['esm', 'cjs'],
  dts: true,
  clean: true,
  shims: true,
  sourcemap: true,
  target: 'node20',
} satisfies Options;
