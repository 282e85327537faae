import { describeValue } from './describe-value.js';
import type { Enforcement } from './errors/task-timeout-error.js';
import type { Logger } from './logger.js';
import type { AnyTask, Task } from './task.js';

/** A strategy's answer to "can you run this task here?". */
export type StrategySupport =
  | { readonly supported: true }
  | { readonly supported: false; readonly reason: string };

/**
 * Facts about where the code runs that a strategy may weigh in `supports()`. The selector
 * package fills it in (`detectContext()`); strategies read only what they need.
 */
export interface RuntimeContext {
  /** The runtime: `node`, `bun`, `deno`, `browser`, `edge` or `unknown`. */
  readonly runtime?: string;
  /** Whether `worker_threads` workers may be started here. */
  readonly workersAllowed?: boolean;
  /** Whether child processes may be started here. */
  readonly childProcessesAllowed?: boolean;
  /** Anything else a selector knows. */
  readonly [fact: string]: unknown;
}

/** What a strategy's `run` receives besides the task and its arguments. */
export interface StrategyRunOptions {
  /** The time limit in milliseconds (finite). */
  readonly timeout: number;
  /** The caller's signal; when it aborts, the run rejects with `TaskAbortedError`. */
  readonly signal?: AbortSignal | undefined;
  /** Where to log; every line names the task. */
  readonly logger: Logger;
  /**
   * The task's `isolate`: run it in a runner no task used before and retire that runner
   * after it. Hard strategies honour it; the thread strategy ignores it.
   */
  readonly isolate?: boolean | undefined;
}

/** Percentiles of a duration in milliseconds, over the runs a strategy remembers. */
export interface DurationPercentiles {
  /** The median. */
  readonly p50: number;
  /** The 90th percentile. */
  readonly p90: number;
  /** The 99th percentile. */
  readonly p99: number;
  /** The longest. */
  readonly max: number;
}

/**
 * A snapshot of a strategy's state and history, from `stats()`. Counts of runners are
 * now; counts of tasks are since the strategy was created. Every hard strategy offers it.
 */
export interface StrategyStats {
  /** Tasks waiting for a runner. */
  readonly queued: number;
  /** Tasks executing now. */
  readonly running: number;
  /** Started runners with no task. */
  readonly idleRunners: number;
  /** Runners started ahead of need (warm spares), ready for the next task. */
  readonly spareRunners: number;
  /** Tasks that settled with their result or their own error. */
  readonly completed: number;
  /** Tasks rejected with `TaskTimeoutError`. */
  readonly timedOut: number;
  /** Tasks rejected with `TaskCrashedError`. */
  readonly crashed: number;
  /** Runners the strategy had to stop (terminate, kill) because of a timeout, abort or close. */
  readonly kills: number;
  /** Time from `run()` to the start of execution, in milliseconds. */
  readonly waitTime: DurationPercentiles;
  /** Time from the start of execution to the outcome, in milliseconds. */
  readonly runTime: DurationPercentiles;
}

/**
 * How a time limit is enforced. Implemented by `@timebox/thread` (soft), `@timebox/worker`
 * and `@timebox/process` (hard); others can implement it too and pass the conformance
 * suite in `@timebox/core/testing`.
 */
export interface TimeoutStrategy {
  /** A short name for logs and errors, such as `thread`, `worker` or `process`. */
  readonly name: string;
  /** `soft`: the caller gets the error on time, the task runs on. `hard`: the task is stopped. */
  readonly enforcement: Enforcement;
  /** Whether this strategy can run `task` here; when not, the reason in a sentence. */
  supports(task: AnyTask, context?: RuntimeContext): StrategySupport;
  /**
   * Runs the task with the limit in `options.timeout`. Resolves with its result, or rejects
   * with the task's error, `TaskTimeoutError`, `TaskCrashedError`, `TaskSerializationError`
   * or `TaskAbortedError`.
   */
  run<Args extends unknown[], Result>(
    task: Task<Args, Result>,
    args: Args,
    options: StrategyRunOptions,
  ): Promise<Result>;
  /**
   * Releases workers, processes and timers; afterwards nothing keeps the host alive. Tasks
   * still queued or running reject with `StrategyClosedError`, and so does every later run.
   */
  close(): Promise<void>;
  /** A snapshot of queues, runners and outcomes so far; offered by every hard strategy. */
  stats?(): StrategyStats;
}

/** Whether `value` has the shape of a {@link TimeoutStrategy}. */
export function isTimeoutStrategy(value: unknown): value is TimeoutStrategy {
  if (typeof value !== 'object' || value === null) return false;
  const candidate = value as Record<string, unknown>;
  return (
    typeof candidate.name === 'string' &&
    (candidate.enforcement === 'soft' || candidate.enforcement === 'hard') &&
    typeof candidate.supports === 'function' &&
    typeof candidate.run === 'function' &&
    typeof candidate.close === 'function'
  );
}

/** Checks a strategy option, throwing a `TypeError` that names the task and the value. */
export function validateStrategy(taskName: string, strategy: unknown): TimeoutStrategy {
  if (isTimeoutStrategy(strategy)) return strategy;
  throw new TypeError(
    `Task '${taskName}': strategy must be a TimeoutStrategy (name, enforcement, supports, run, close), such as threadStrategy(), got ${describeValue(strategy)}`,
  );
}
