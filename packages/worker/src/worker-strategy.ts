import {
  type AnyTask,
  isModuleReference,
  type RuntimeContext,
  type StrategyRunOptions,
  type StrategySupport,
  type Task,
  type TimeoutStrategy,
} from '@timebox/core';
import { assertTaskModuleLoadable, createTaskRequest } from '@timebox/core/strategy-kit';
import { type EngineStats, inlineFunctionSupport, TaskEngine } from '@timebox/engine';
import {
  resolveWorkerStrategyOptions,
  type WorkerStrategyOptions,
} from './worker-strategy-options.js';
import { WorkerThreadRunner } from './worker-thread-runner.js';

const strategyName = 'worker';
const supported: StrategySupport = Object.freeze({ supported: true });
const workersForbidden: StrategySupport = Object.freeze({
  supported: false,
  reason: 'worker threads may not be started here (the runtime context says workersAllowed: false)',
});

/** The worker strategy: a {@link TimeoutStrategy} with `stats()`. */
export interface WorkerStrategy extends TimeoutStrategy {
  /** Queued and running tasks, idle and spare threads, outcomes, kills, wait and run times. */
  stats(): EngineStats;
}

/**
 * The hard strategy on worker threads: runs each task in a `worker_threads` worker from a
 * pool and terminates the worker when the task passes its time limit. The limit counts
 * from when a worker starts the task, not from the call.
 *
 * At the deadline the caller's promise rejects at once with `TaskTimeoutError`; the task's
 * signal aborts, the task gets `graceMs` to stop on its own (none if its thread is stuck in
 * synchronous code), then its thread is terminated and its exit confirmed, and a warm spare
 * takes its place. Tasks are module references (ESM or CommonJS, default or named export)
 * or self-contained functions, shipped as source; an inline function reaches its signal as
 * the free identifier `taskSignal()`. The pool is `@timebox/engine`'s; this package adds
 * the worker-thread runner.
 *
 * @example
 * ```ts
 * const strategy = workerStrategy({ maxWorkers: 2 });
 * const task = defineTask({ name: 'hash', timeout: 1_000, run: { module: new URL('./hash.js', import.meta.url) } });
 * await runTaskWithTimeout(task, [input], { strategy });
 * await strategy.close();
 * ```
 */
export function workerStrategy(options?: WorkerStrategyOptions): WorkerStrategy {
  const settings = resolveWorkerStrategyOptions(options);
  const engine = new TaskEngine({
    ...settings,
    strategy: strategyName,
    runners: { start: (events) => new WorkerThreadRunner(settings, events) },
    maxRunners: settings.maxWorkers,
    spareRunners: settings.spareWorkers,
  });

  return {
    name: strategyName,
    enforcement: 'hard',

    supports(task: AnyTask, runtime?: RuntimeContext): StrategySupport {
      if (runtime?.workersAllowed === false) return workersForbidden;
      if (isModuleReference(task.run)) return supported;
      return inlineFunctionSupport(task.run);
    },

    run<Args extends unknown[], Result>(
      task: Task<Args, Result>,
      args: Args,
      runOptions: StrategyRunOptions,
    ): Promise<Result> {
      return engine.run(
        task.name,
        () => {
          assertTaskModuleLoadable(task);
          // The limit travels with the request: tasks this one runs in its thread are capped by it.
          return createTaskRequest(task, args, 'thread', runOptions.timeout);
        },
        runOptions,
      ) as Promise<Result>;
    },

    stats: () => engine.stats(),

    close: () => engine.close(),
  };
}
