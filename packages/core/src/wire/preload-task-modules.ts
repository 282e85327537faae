import { loadModuleFunction } from './loaded-modules.js';
import type { TaskRequest } from './task-request.js';

/**
 * Imports the modules of module tasks ahead of need, in a worker or child that will run
 * them (a warm spare); inline functions are skipped. `prepare`, when given, runs before a
 * module's import (registering a TypeScript loader, say). Resolves once every import has
 * loaded or failed, so that the runner can tell its host it is ready; a module that fails
 * to load is left for its task to report when it runs, and one that exits or hangs at
 * import never lets it resolve.
 */
export function preloadTaskModules(
  requests: readonly TaskRequest[],
  prepare?: (request: TaskRequest) => Promise<void>,
): Promise<void> {
  const loads: Promise<unknown>[] = [];
  for (const request of requests) {
    const { taskName, run } = request;
    if (run.kind !== 'module') continue;
    const load = () => loadModuleFunction(taskName, run);
    loads.push(prepare === undefined ? load() : prepare(request).then(load));
  }
  return Promise.allSettled(loads).then(() => undefined);
}
