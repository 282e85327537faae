import { loadTaskFunction } from '../load-task-function.js';
import type { TaskFunction } from '../task.js';
import type { WireTaskRun } from './task-request.js';

/** A module task's wire form. */
export type ModuleWireRun = Extract<WireTaskRun, { kind: 'module' }>;

/**
 * The functions of module tasks this thread (or process) has imported, shared by the runs
 * and the preloads of its entry: a module preloaded by a spare is not imported again by
 * the first task that runs it there, and that task starts in the same turn.
 */
const loading = new Map<string, Promise<TaskFunction>>();
const loaded = new Map<string, TaskFunction>();

function moduleKey(run: ModuleWireRun): string {
  return `${run.exportName ?? 'default'} ${run.specifier}`;
}

/**
 * Imports the module of a module task once per thread and resolves with its function
 * (`TaskModuleLoadError` when it cannot be loaded; a module that failed is tried again
 * next time).
 */
export function loadModuleFunction(taskName: string, run: ModuleWireRun): Promise<TaskFunction> {
  const key = moduleKey(run);
  let load = loading.get(key);
  if (load === undefined) {
    load = loadTaskFunction(
      taskName,
      run.exportName === undefined
        ? { module: run.specifier }
        : { module: run.specifier, export: run.exportName },
    );
    loading.set(key, load);
    load.then(
      (taskFunction) => loaded.set(key, taskFunction),
      () => loading.delete(key),
    );
  }
  return load;
}

/** The function of a module task already imported here, if it is. */
export function loadedModuleFunction(run: ModuleWireRun): TaskFunction | undefined {
  return loaded.size === 0 ? undefined : loaded.get(moduleKey(run));
}
