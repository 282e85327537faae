/**
 * The built worker script beside this module: `worker-entry.js` for the ESM build,
 * `worker-entry.cjs` for the CommonJS one. When this module runs from its TypeScript
 * source (the package's own tests), the entry comes from `dist/`, which the tests build
 * first: Node 20 cannot start a worker from a `.ts` file.
 */
export const workerEntryUrl = new URL(
  import.meta.url.endsWith('.ts')
    ? '../dist/worker-entry.js'
    : import.meta.url.endsWith('.cjs')
      ? './worker-entry.cjs'
      : './worker-entry.js',
  import.meta.url,
);
