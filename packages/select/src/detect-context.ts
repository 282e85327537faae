import type { DetectionGlobals } from './builtin-modules.js';
import type { DetectedContext } from './detected-context.js';
import { readContext } from './read-context.js';

let detected: DetectedContext | undefined;

/**
 * Finds out where the code runs: the runtime and its version, the platform, main or worker
 * thread, whether the process has an IPC channel to a parent, whether Node's permission
 * model is on and what it grants, whether `worker_threads` and `child_process` can be
 * loaded and used, and how many tasks can run in parallel. The first call does the work,
 * mostly loading `worker_threads` and `child_process` (a millisecond or two on Node 20);
 * later calls return the same frozen object.
 *
 * Built-in modules are reached through `process.getBuiltinModule`, never imported
 * statically, so this package also loads in browsers and edge runtimes.
 *
 * @example
 * ```ts
 * const context = detectContext();
 * if (!context.workersAllowed) console.log('no worker threads here');
 * ```
 */
export function detectContext(): DetectedContext {
  detected ??= readContext(globalThis as DetectionGlobals);
  return detected;
}
