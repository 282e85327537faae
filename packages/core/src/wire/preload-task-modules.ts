import { loadTaskFunction } from '../load-task-function.js';
import type { TaskRequest } from './task-request.js';

/**
 * Imports the modules of module tasks ahead of need, in a worker or child that will run
 * them (a warm spare); inline functions are skipped. A module that fails to load is left
 * for its task to report when it runs.
 */
export function preloadTaskModules(requests: readonly TaskRequest[]): void {
  for (const { taskName, run } of requests) {
    if (run.kind !== 'module') continue;
    const reference =
      run.exportName === undefined
        ? { module: run.specifier }
        : { module: run.specifier, export: run.exportName };
    loadTaskFunction(taskName, reference).catch(() => {});
  }
}
