import type {
  AnyTask,
  RuntimeContext,
  StrategyRunOptions,
  StrategySupport,
  Task,
  TimeoutStrategy,
} from '@timebox/core';
import { assertTaskModuleLoadable, createTaskRequest } from '@timebox/core/strategy-kit';
import { type EngineStats, inlineFunctionSupport, TaskEngine } from '@timebox/engine';
import { ChildProcessRunner } from './child-process-runner.js';
import { childEntry } from './find-child-entry.js';
import type { PooledProcessSettings } from './pooled-process.js';
import {
  type ProcessStrategyOptions,
  resolveProcessStrategyOptions,
} from './process-strategy-options.js';
import { createProcessTreeKiller } from './process-tree/process-tree-killer.js';

const strategyName = 'process';
const supported: StrategySupport = Object.freeze({ supported: true });

/** The process strategy: a {@link TimeoutStrategy} with `stats()`. */
export interface ProcessStrategy extends TimeoutStrategy {
  /** Queued and running tasks, idle and spare processes, outcomes, kills, wait and run times. */
  stats(): EngineStats;
}

/**
 * The hard strategy with the strongest isolation: runs each task in a child Node process
 * from a pool and, at the deadline, aborts the task's signal, waits `graceMs`, then
 * SIGTERMs and SIGKILLs the child's whole process group (on Windows, `taskkill /T /F`), so
 * that programs the task started stop with it. The pool keeps a warm spare, so the next
 * task does not wait for a process to start. Children end themselves with their group when
 * the host dies, even by SIGKILL. The pool is `@timebox/engine`'s; this package adds the
 * child-process runner.
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
export function processStrategy(options?: ProcessStrategyOptions): ProcessStrategy {
  const settings = resolveProcessStrategyOptions(options);
  const processSettings: PooledProcessSettings = {
    entry: childEntry(),
    options: settings,
    killer: createProcessTreeKiller(),
  };
  const engine = new TaskEngine({
    ...settings,
    strategy: strategyName,
    runners: { start: (events) => new ChildProcessRunner(processSettings, events) },
    maxRunners: settings.maxProcesses,
    spareRunners: settings.spareProcesses,
  });

  return {
    name: strategyName,
    enforcement: 'hard',
    supports(task: AnyTask, context?: RuntimeContext): StrategySupport {
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
      return engine.run(
        task.name,
        () => {
          assertTaskModuleLoadable(task);
          // The limit travels with the request: tasks this one runs in its child are capped by it.
          return createTaskRequest(task, args, 'process', runOptions.timeout);
        },
        runOptions,
      ) as Promise<Result>;
    },
    stats: () => engine.stats(),
    close: () => engine.close(),
  };
}
