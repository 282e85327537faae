import { existsSync } from 'node:fs';

/** Set by the build (tsup's `define`): the worker entry bundled into one CommonJS script. */
declare const TIMEBOX_WORKER_ENTRY_SOURCE: string | undefined;

/** What a worker thread is started from: a script file, or script text to evaluate. */
export interface WorkerEntry {
  /** The file's URL, or the script's text. */
  readonly script: URL | string;
  /** Whether `script` is text (`new Worker(script, { eval: true })`). */
  readonly eval: boolean;
}

/**
 * The built worker script beside this module: `worker-entry.js` for the ESM build,
 * `worker-entry.cjs` for the CommonJS one. When this module runs from its TypeScript
 * source (the package's own tests), the entry comes from `dist/`, which the tests build
 * first: Node 20 cannot start a worker from a `.ts` file. Undefined where this module has
 * no URL (bundled into a CommonJS file). The name is not a literal, so that bundlers leave
 * the URL alone.
 */
function entryFileUrl(): URL | undefined {
  const moduleUrl: string | undefined = import.meta.url;
  if (typeof moduleUrl !== 'string') return undefined;
  const name = moduleUrl.endsWith('.ts')
    ? '../dist/worker-entry.js'
    : moduleUrl.endsWith('.cjs')
      ? './worker-entry.cjs'
      : './worker-entry.js';
  return new URL(name, moduleUrl);
}

let entry: WorkerEntry | undefined;

/**
 * Where worker threads start: the entry file beside this module, as installed; where it
 * is not there (an app bundled with esbuild or Vite, deployed without `node_modules`), the
 * same entry built into this module as one self-contained script, evaluated.
 */
export function workerEntry(): WorkerEntry {
  entry ??= findWorkerEntry();
  return entry;
}

function findWorkerEntry(): WorkerEntry {
  const file = entryFileUrl();
  if (file !== undefined && existsSync(file)) return { script: file, eval: false };
  if (typeof TIMEBOX_WORKER_ENTRY_SOURCE === 'string') {
    return { script: TIMEBOX_WORKER_ENTRY_SOURCE, eval: true };
  }
  return { script: file ?? 'worker-entry.js', eval: false };
}
