import { fileURLToPath } from 'node:url';
import {
  type AnyTask,
  type RuntimeContext,
  StrategyClosedError,
  type StrategyRunOptions,
  type StrategySupport,
  type Task,
  TaskAbortedError,
  type TimeoutStrategy,
} from '@timebox/core';
import { createTaskRequest } from '@timebox/core/strategy-kit';
import { inlineFunctionSupport } from '@timebox/engine';
import { ProcessPool } from './process-pool.js';
import {
  type ProcessStrategyOptions,
  resolveProcessStrategyOptions,
} from './process-strategy-options.js';
import { createProcessTreeKiller } from './process-tree/process-tree-killer.js';

const supported: StrategySupport = Object.freeze({ supported: true });

/** The child entry script, built beside this module. */
function childEntryPath(): string {
  return fileURLToPath(new URL('./child-entry.js', import.meta.url));
}

/**
 * The hard strategy with the strongest isolation: runs each task in a child Node process
 * from a pool and, at the deadline, aborts the task's signal, waits `graceMs`, then
 * SIGTERMs and SIGKILLs the child's whole process group (on Windows, `taskkill /T /F`), so
 * that programs the task started stop with it. The pool keeps a warm spare, so the next
 * task does not wait for a process to start. Children end themselves with their group when
 * the host dies, even by SIGKILL.
 *
 * Tasks are module references (`{ module, export? }`) or self-contained functions (shipped
 * as source: no closures); arguments and results cross with Node's advanced serialization
 * (Map, Set, Date, BigInt, typed arrays).
 *
 * @example
 * ```ts
 * const strategy = processStrategy({ graceMs: 200 });
 * const convert = defineTask({ name: 'convert', timeout: 5_000, run: { module: new URL('./convert.js', import.meta.url) } });
 * await runTaskWithTimeout(convert, ['in.mov'], { strategy });
 * await strategy.close();
 * ```
 */
export function processStrategy(options?: ProcessStrategyOptions): TimeoutStrategy {
  const resolved = resolveProcessStrategyOptions(options);
  const killer = createProcessTreeKiller();
  let pool: ProcessPool | undefined;
  let closed = false;

  return {
    name: 'process',
    enforcement: 'hard',
    supports(task: AnyTask, context?: RuntimeContext): StrategySupport {
      if (closed) return { supported: false, reason: 'the process strategy was closed' };
      if (context?.childProcessesAllowed === false) {
        return { supported: false, reason: 'child processes cannot be started here' };
      }
      if (typeof task.run === 'function') return inlineFunctionSupport(task.run);
      return supported;
    },
    run<Args extends unknown[], Result>(
      task: Task<Args, Result>,
      args: Args,
      runOptions: StrategyRunOptions,
    ): Promise<Result> {
      try {
        if (closed) {
          throw new StrategyClosedError({
            taskName: task.name,
            strategy: 'process',
            phase: 'after-close',
          });
        }
        if (runOptions.signal?.aborted) {
          throw new TaskAbortedError({
            taskName: task.name,
            phase: 'before-start',
            cause: runOptions.signal.reason,
          });
        }
        const request = createTaskRequest(task, args, 'process');
        pool ??= new ProcessPool({ entry: childEntryPath(), options: resolved, killer });
        return pool.run(task.name, request, runOptions) as Promise<Result>;
      } catch (error) {
        return Promise.reject(error);
      }
    },
    async close(): Promise<void> {
      closed = true;
      await pool?.close();
    },
  };
}
