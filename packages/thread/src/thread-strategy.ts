import {
  type AnyTask,
  isModuleReference,
  StrategyClosedError,
  type StrategyRunOptions,
  type StrategySupport,
  type Task,
  TaskAbortedError,
  type TaskFunction,
  TaskTimeoutError,
  type TimeoutStrategy,
} from '@timebox/core';
import {
  elapsedSince,
  loadTaskFunction,
  onAbort,
  runInTaskContext,
  setDeadlineTimer,
  TaskContext,
} from '@timebox/core/strategy-kit';
import { asyncTaskContext, type RunWithAsyncContext } from './async-task-context.js';
import { type OverrunReporter, reportLateOutcome, reportOverrun } from './overrun-reporter.js';
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
  /** Rejects a running task's caller when the strategy closes; one entry per running task. */
  const runningTasks = new Set<() => void>();

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
      const started = performance.now();
      const context = new TaskContext(task.name, started + timeout);
      let overrun: OverrunReporter | undefined;
      let waiting = true;

      const stopWaiting = (): void => {
        waiting = false;
        timer.clear();
        stopListening();
        runningTasks.delete(closeTask);
      };

      const timeOut = (): TaskTimeoutError => {
        const error = new TaskTimeoutError({
          taskName: task.name,
          timeout,
          elapsed: elapsedSince(started),
          strategy: 'thread',
          enforcement: 'soft',
        });
        context.abort(error);
        return error;
      };

      const timer = setDeadlineTimer(
        () => {
          stopWaiting();
          const error = timeOut();
          overrun = reportOverrun(
            { taskName: task.name, timeout, start: started, logger },
            overrunWarningAfter,
          );
          reject(error);
        },
        timeout,
        started,
      );

      const stopListening = onAbort(signal, () => {
        stopWaiting();
        const error = new TaskAbortedError({
          taskName: task.name,
          phase: 'running',
          cause: signal?.reason,
        });
        context.abort(error);
        reject(error);
      });

      const closeTask = (): void => {
        stopWaiting();
        const error = new StrategyClosedError({
          taskName: task.name,
          strategy: 'thread',
          phase: 'running',
        });
        context.abort(error);
        reject(error);
      };
      runningTasks.add(closeTask);

      const finish = (outcome: 'fulfilled' | 'rejected', settle: () => void): void => {
        if (!waiting) {
          overrun?.settled(outcome);
          return;
        }
        stopWaiting();
        if (performance.now() - started < timeout) {
          settle();
          return;
        }
        // The outcome came after the deadline (the task blocked the thread, so the timer
        // could not fire): the deadline wins, as under every strategy.
        const error = timeOut();
        reportLateOutcome({ taskName: task.name, timeout, start: started, logger }, outcome);
        reject(error);
      };

      let running: unknown;
      try {
        const call = (): unknown => runInTaskContext(context, () => run(...args));
        running = runWithAsyncContext ? runWithAsyncContext(context, call) : call();
      } catch (error) {
        running = Promise.reject(error);
      }
      Promise.resolve(running).then(
        (value) => finish('fulfilled', () => resolve(value as Result)),
        (error: unknown) => finish('rejected', () => reject(error)),
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
      for (const closeTask of [...runningTasks]) closeTask();
    },
  };
}
