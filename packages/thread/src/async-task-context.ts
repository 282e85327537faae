import type { AsyncLocalStorage } from 'node:async_hooks';
import { addTaskContextLookup, type TaskContext } from '@timebox/core/strategy-kit';

/** Runs a callback with a task as the current one across its awaits. */
export type RunWithAsyncContext = <T>(context: TaskContext, callback: () => T) => T;

let storage: AsyncLocalStorage<TaskContext> | undefined;

/**
 * An `AsyncLocalStorage` shared by every thread strategy made with `asyncContext: true`,
 * registered once as a way for `taskSignal()` to find the task after an await. Loaded
 * through `process.getBuiltinModule`, so runtimes without it fail only when asked for it.
 */
export function asyncTaskContext(): RunWithAsyncContext {
  if (storage === undefined) {
    const builtins = (
      globalThis as {
        process?: { getBuiltinModule?: (id: string) => unknown };
      }
    ).process;
    const asyncHooks = builtins?.getBuiltinModule?.('node:async_hooks') as
      | typeof import('node:async_hooks')
      | undefined;
    if (asyncHooks === undefined) {
      throw new Error(
        'threadStrategy({ asyncContext: true }) needs AsyncLocalStorage from node:async_hooks (Node 20.16 or later, Bun, Deno), which this runtime does not offer',
      );
    }
    const created = new asyncHooks.AsyncLocalStorage<TaskContext>();
    addTaskContextLookup(() => created.getStore());
    storage = created;
  }
  const active = storage;
  return (context, callback) => active.run(context, callback);
}
