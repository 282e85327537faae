/**
 * The built worker script beside this module: `worker-entry.js` for the ESM build,
 * `worker-entry.cjs` for the CommonJS one.
 */
export const workerEntryUrl = new URL(
  import.meta.url.endsWith('.cjs') ? './worker-entry.cjs' : './worker-entry.js',
  import.meta.url,
);
