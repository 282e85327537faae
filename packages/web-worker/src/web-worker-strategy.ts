import {
  type AnyTask,
  isModuleReference,
  type RuntimeContext,
  type StrategyRunOptions,
  type StrategySupport,
  silentLogger,
  type Task,
  type TimeoutStrategy,
} from '@timebox/core';
import {
  createTaskRequest,
  inlineFunctionSupport,
  onAbort,
  type TaskRequest,
} from '@timebox/core/strategy-kit';
import { detectRuntimeTermination } from './runtime-termination.js';
import { supportsModuleSpecifier } from './supported-module-specifier.js';
import { callerAbortedError, closedError, TaskRun } from './task-run.js';
import { WebWorkerPool } from './web-worker-pool.js';
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

/**
 * The hard strategy on Web Workers, for browsers, Bun and Deno: runs each task in a module
 * worker from a small pool and terminates the worker when the task passes its time limit.
 * The limit counts from when a worker starts the task, not from the call.
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
export function webWorkerStrategy(options?: WebWorkerStrategyOptions): TimeoutStrategy {
  const settings = resolveWebWorkerStrategyOptions(options);
  const termination = detectRuntimeTermination();
  const pool = new WebWorkerPool(strategyName, settings, termination);
  const runs = new Set<TaskRun>();
  let closed = false;
  let closing: Promise<void> | undefined;

  function callerAborted(run: TaskRun, reason: unknown): void {
    if (run.state === 'queued') {
      pool.withdraw(run);
      run.refuse(callerAbortedError(run.taskName, 'queued', reason));
      return;
    }
    const phase = run.state === 'starting' ? 'queued' : 'running';
    run.stop(callerAbortedError(run.taskName, phase, reason), { cause: 'caller' });
  }

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
      const taskName = task.name;
      if (closed) return Promise.reject(closedError(taskName, strategyName, 'after-close'));
      const anyTask = task as unknown as AnyTask;
      if (isModuleReference(anyTask.run)) {
        const support = supportsModuleSpecifier(anyTask.run.module);
        if (!support.supported) {
          return Promise.reject(new TypeError(`Task '${taskName}': ${support.reason}`));
        }
      }
      let request: TaskRequest;
      try {
        request = createTaskRequest(task, args);
      } catch (error) {
        return Promise.reject(error);
      }
      const { signal } = runOptions;
      if (signal?.aborted) {
        return Promise.reject(callerAbortedError(taskName, 'before-start', signal.reason));
      }
      return new Promise<Result>((resolve, reject) => {
        const run = new TaskRun(
          taskName,
          request,
          runOptions.timeout,
          runOptions.logger ?? silentLogger,
          {
            strategyName,
            graceMs: settings.graceMs,
            termination,
            release: (runner, reusable) => pool.release(runner, reusable),
            setAside: (runner) => pool.setAside(runner),
          },
          resolve as (value: unknown) => void,
          reject,
        );
        const stopListening = onAbort(signal, () => callerAborted(run, signal?.reason));
        runs.add(run);
        run.onSettled = stopListening;
        run.released.then(() => runs.delete(run));
        pool.submit(run);
      });
    },

    close(): Promise<void> {
      closing ??= (async () => {
        closed = true;
        for (const run of pool.close()) {
          run.refuse(closedError(run.taskName, strategyName, 'queued'));
        }
        for (const run of runs) {
          run.stop(closedError(run.taskName, strategyName, 'running'), {
            cause: 'closed',
            strategy: strategyName,
          });
        }
        await Promise.all([...runs].map((run) => run.released));
        pool.close();
      })();
      return closing;
    },
  };
}
