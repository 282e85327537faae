import {
  type AnyTask,
  isModuleReference,
  type RuntimeContext,
  type StrategyRunOptions,
  type StrategySupport,
  type Task,
  type TimeoutStrategy,
} from '@timebox/core';
import {
  createTaskRequest,
  inlineFunctionSupport,
  type TaskRequest,
} from '@timebox/core/strategy-kit';
import { type EngineStats, TaskEngine } from '@timebox/engine';
import { detectRuntimeTermination } from './runtime-termination.js';
import { supportsModuleSpecifier } from './supported-module-specifier.js';
import { WebWorkerRunner } from './web-worker-runner.js';
import {
  resolveWebWorkerStrategyOptions,
  type WebWorkerStrategyOptions,
} from './web-worker-strategy-options.js';

/** The name this strategy gives itself in errors and logs (and the selector's rule uses). */
const strategyName = 'web-worker';
const noWorkers: StrategySupport = Object.freeze({
  supported: false,
  reason:
    'this runtime has no global Worker (web workers need a browser, Bun or Deno; on Node use the worker strategy)',
});
const webWorkersForbidden: StrategySupport = Object.freeze({
  supported: false,
  reason:
    'web workers may not be started here (the runtime context says webWorkersAvailable: false)',
});

/** The web-worker strategy: a {@link TimeoutStrategy} with `stats()`. */
export interface WebWorkerStrategy extends TimeoutStrategy {
  /** Queued and running tasks, idle and spare workers, outcomes, kills, wait and run times. */
  stats(): EngineStats;
}

/**
 * The hard strategy on Web Workers, for browsers, Bun and Deno: runs each task in a module
 * worker from a small pool and terminates the worker when the task passes its time limit.
 * The limit counts from when a worker starts the task, not from the call. The pool is
 * `@timebox/engine`'s, the same as under the worker and process strategies; this package
 * adds the web-worker runner.
 *
 * At the deadline the caller's promise rejects at once with `TaskTimeoutError`; the task's
 * signal aborts, the task gets `graceMs` to stop on its own, then its worker is terminated
 * and a warm spare takes its place. Where the runtime does not stop a busy worker at once
 * (Chromium about 2 s after `terminate()`, Deno never) the error has `stillRunning: true`
 * and says why, and at most `maxZombieWorkers` such workers are counted before new work
 * waits (Chromium) or is refused (Deno). Tasks are module references by URL (`http(s):`,
 * `blob:`, `data:`, `file:` or a bundler-resolved URL) or self-contained functions, shipped
 * as source; an inline function reaches its signal as the free identifier `taskSignal()`.
 *
 * @example
 * ```ts
 * const strategy = webWorkerStrategy({ maxWorkers: 2 });
 * const task = defineTask({ name: 'sum', timeout: 1_000, run: (n: number) => n + 1 });
 * await runTaskWithTimeout(task, [41], { strategy });
 * await strategy.close();
 * ```
 */
export function webWorkerStrategy(options?: WebWorkerStrategyOptions): WebWorkerStrategy {
  const settings = resolveWebWorkerStrategyOptions(options);
  const termination = detectRuntimeTermination();
  const runnerSettings = { workerUrl: settings.workerUrl, termination };
  const engine = new TaskEngine({
    ...settings,
    strategy: strategyName,
    runners: { start: (events) => new WebWorkerRunner(runnerSettings, events) },
    maxRunners: settings.maxWorkers,
    spareRunners: settings.spareWorkers,
    lingeringRunners: { limit: settings.maxZombieWorkers, option: 'maxZombieWorkers' },
  });

  return {
    name: strategyName,
    enforcement: 'hard',

    supports(task: AnyTask, runtime?: RuntimeContext): StrategySupport {
      if (runtime?.webWorkersAvailable === false) return webWorkersForbidden;
      if (typeof (globalThis as { Worker?: unknown }).Worker !== 'function') return noWorkers;
      if (isModuleReference(task.run)) return supportsModuleSpecifier(task.run.module);
      return inlineFunctionSupport(task.run);
    },

    run<Args extends unknown[], Result>(
      task: Task<Args, Result>,
      args: Args,
      runOptions: StrategyRunOptions,
    ): Promise<Result> {
      return engine.run(
        task.name,
        () => createWebWorkerRequest(task, args, runOptions.timeout),
        runOptions,
      ) as Promise<Result>;
    },

    stats: () => engine.stats(),

    close: () => engine.close(),
  };
}

/**
 * The task's request, carrying its time limit so that tasks it runs inside the worker are
 * capped by its deadline; a module a web worker cannot import is a `TypeError` naming the task.
 */
function createWebWorkerRequest<Args extends unknown[], Result>(
  task: Task<Args, Result>,
  args: Args,
  timeout: number,
): TaskRequest {
  const run = (task as unknown as AnyTask).run;
  if (isModuleReference(run)) {
    const support = supportsModuleSpecifier(run.module);
    if (!support.supported) throw new TypeError(`Task '${task.name}': ${support.reason}`);
  }
  return createTaskRequest(task, args, 'thread', timeout);
}
