import {
  type AnyTask,
  isModuleReference,
  StrategyClosedError,
  type StrategyRunOptions,
  type StrategySupport,
  type Task,
  TaskAbortedError,
  type TaskFunction,
  type TimeoutStrategy,
} from '@timebox/core';
import { loadTaskFunction, runInTaskContext } from '@timebox/core/strategy-kit';
import { asyncTaskContext, type RunWithAsyncContext } from './async-task-context.js';
import { RunningRuns, SoftRun } from './soft-run.js';
import {
  resolveThreadStrategyOptions,
  type ThreadStrategyOptions,
} from './thread-strategy-options.js';

const supported: StrategySupport = Object.freeze({ supported: true });

/**
 * The soft strategy: runs the task on the calling thread and races it against its
 * deadline. At the deadline the task's signal aborts and the caller gets a
 * `TaskTimeoutError` with `stillRunning: true`; the task itself is not stopped (nothing on
 * the calling thread can stop it). Accepts closures and any function, in every runtime.
 *
 * A synchronous CPU-bound task blocks the calling thread, so no timer can fire until it
 * yields: use `@timebox/worker` or `@timebox/process` to stop such tasks. When its outcome
 * arrives after the deadline, the deadline wins: the run rejects with `TaskTimeoutError`
 * (its real `elapsed`) and a warning names the task. After `close()`, running tasks'
 * callers get `StrategyClosedError` (their signals abort) and every new run is refused
 * with it.
 *
 * @example
 * ```ts
 * const strategy = threadStrategy();
 * await runTaskWithTimeout(task, [url], { strategy });
 * ```
 */
export function threadStrategy(options?: ThreadStrategyOptions): TimeoutStrategy {
  const { overrunWarningAfter, asyncContext } = resolveThreadStrategyOptions(options);
  const runWithAsyncContext: RunWithAsyncContext | undefined = asyncContext
    ? asyncTaskContext()
    : undefined;
  const loadedFunctions = new WeakMap<AnyTask, Promise<TaskFunction>>();

  function taskFunction(task: AnyTask): TaskFunction | Promise<TaskFunction> {
    if (!isModuleReference(task.run)) return task.run as TaskFunction;
    let loading = loadedFunctions.get(task);
    if (loading === undefined) {
      loading = loadTaskFunction(task.name, task.run);
      loadedFunctions.set(task, loading);
    }
    return loading;
  }

  let closed = false;
  const runs = new RunningRuns();

  function start<Result>(
    task: AnyTask,
    run: TaskFunction,
    args: unknown[],
    { timeout, signal, logger }: StrategyRunOptions,
  ): Promise<Result> {
    return new Promise<Result>((resolve, reject) => {
      if (closed) {
        // The strategy closed while a module task was being imported.
        reject(
          new StrategyClosedError({ taskName: task.name, strategy: 'thread', phase: 'queued' }),
        );
        return;
      }
      if (signal?.aborted) {
        reject(
          new TaskAbortedError({
            taskName: task.name,
            phase: 'before-start',
            cause: signal.reason,
          }),
        );
        return;
      }
      const softRun = new SoftRun(
        { task, timeout, signal, logger, overrunWarningAfter },
        runs,
        resolve as (value: unknown) => void,
        reject,
      );
      const context = softRun.context;
      let running: unknown;
      try {
        const call = (): unknown => runInTaskContext(context, () => run(...args));
        running = runWithAsyncContext ? runWithAsyncContext(context, call) : call();
      } catch (error) {
        running = Promise.reject(error);
      }
      Promise.resolve(running).then(
        (value) => softRun.fulfilled(value),
        (error: unknown) => softRun.rejected(error),
      );
    });
  }

  return {
    name: 'thread',
    enforcement: 'soft',
    supports: () => supported,
    run<Args extends unknown[], Result>(
      task: Task<Args, Result>,
      args: Args,
      runOptions: StrategyRunOptions,
    ): Promise<Result> {
      const anyTask = task as unknown as AnyTask;
      if (closed) {
        return Promise.reject(
          new StrategyClosedError({
            taskName: anyTask.name,
            strategy: 'thread',
            phase: 'after-close',
          }),
        );
      }
      const run = taskFunction(anyTask);
      if (typeof run === 'function') return start<Result>(anyTask, run, args, runOptions);
      return run.then((loaded) => start<Result>(anyTask, loaded, args, runOptions));
    },
    async close() {
      closed = true;
      runs.closeAll();
    },
  };
}
