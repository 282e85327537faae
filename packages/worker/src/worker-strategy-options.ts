import { availableParallelism } from 'node:os';
import { type ResourceLimits, SHARE_ENV } from 'node:worker_threads';
import type { Logger } from '@timebox/core';
import { describeValue } from '@timebox/core/strategy-kit';
import {
  checkStrategyOptions,
  engineOptionRules,
  type OptionRules,
  poolSizeRule,
  type SharedSettings,
  sharedSettings,
  spareCountRule,
} from '@timebox/engine';

/** Options of {@link workerStrategy}. Every one is optional. */
export interface WorkerStrategyOptions {
  /**
   * The most worker threads running tasks at once; more tasks wait in a queue. An integer
   * of at least 1. Default: the number of CPUs the process may use, less one (at least 1).
   */
  readonly maxWorkers?: number;
  /**
   * Threads started ahead and kept idle, so that a worker terminated at a deadline (or by a
   * crash) is replaced at once instead of paying a thread's start-up (tens of
   * milliseconds). They run no tasks of their own, also with `maxWorkers: 1`. An integer
   * from 0 to 64. Default: 1.
   */
  readonly spareWorkers?: number;
  /**
   * Tasks each busy worker thread holds besides the one it runs, so that it starts the next
   * as soon as one ends instead of waiting for the host to send it. A held task's time limit
   * still counts from when it really starts (the thread marks that in shared memory); a held
   * task is taken back and waits again when its thread is stopped, goes to a thread that
   * becomes idle, never runs once its caller aborts, and counts against `maxQueue`. An
   * integer from 0 (send a task only to an idle thread) to 8. Default: 4.
   */
  readonly prefetch?: number;
  /**
   * Milliseconds a task gets, after its signal aborts (at the deadline or when the caller's
   * signal aborts), to stop on its own before its thread is terminated; the thread ends as
   * soon as the task settles. The caller's promise rejects at once regardless. A thread
   * busy in synchronous code (its event loop not waiting at that moment, and waiting for
   * less than a tenth of the task's time) cannot see its signal and is terminated at once.
   * At least 0; `Infinity` waits for the task to stop on its own. Default: 100.
   */
  readonly graceMs?: number;
  /**
   * V8 heap and stack limits for each worker thread (`worker_threads` `resourceLimits`), in
   * megabytes; `stackSizeMb` is at least 1 (a smaller stack overflows while the thread
   * starts, which ends the whole process).
   */
  readonly resourceLimits?: ResourceLimits;
  /** Node options for each worker thread, such as `['--enable-source-maps']`. Default: none. */
  readonly execArgv?: readonly string[];
  /**
   * The environment the worker threads see: an object of strings, or `SHARE_ENV` from
   * `node:worker_threads` to share the host's. Default: a copy of `process.env`.
   */
  readonly env?: Readonly<Record<string, string>> | typeof SHARE_ENV;
  /**
   * Milliseconds an idle worker thread is kept before it is ended to give its memory back;
   * `Infinity` keeps it. When the last one ends, the spares end too. Idle threads never
   * keep the host process alive either way. At least 0. Default: 30 000.
   */
  readonly idleTimeout?: number;
  /**
   * How many tasks may wait for a worker; one more is refused with `TaskQueueFullError`.
   * An integer of at least 0, or `Infinity`. Default: `Infinity`.
   */
  readonly maxQueue?: number;
  /**
   * Milliseconds a new thread may take to become ready; a start that takes longer counts
   * as failed. After `startAttempts` failed starts in a row, the oldest waiting task is
   * rejected with `TaskCrashedError` (reason `spawn-failed`, the real cause attached), so
   * no call waits forever for a thread. At least 0. Default: 10 000.
   */
  readonly startTimeout?: number;
  /** Failed thread starts in a row before a waiting task is rejected. From 1 to 100. Default: 3. */
  readonly startAttempts?: number;
  /**
   * Milliseconds to wait for a terminated thread's exit before giving up on it: a thread
   * blocked in a system call cannot be terminated; it is then unreferenced, its slot
   * refilled, and `close()` settles anyway. At least 0. Default: 5 000.
   */
  readonly exitTimeout?: number;
  /**
   * The strategy's own logger: events between tasks (a crash after a task settled, a spare
   * that could not start, a thread that could not be confirmed gone) go here, naming the
   * task where there is one. Lines about one task go to that run's logger. Default: silent.
   */
  readonly logger?: Logger;
}

/** {@link WorkerStrategyOptions} with defaults applied. */
export interface ResolvedWorkerStrategyOptions extends SharedSettings {
  /** See {@link WorkerStrategyOptions.maxWorkers}. */
  readonly maxWorkers: number;
  /** See {@link WorkerStrategyOptions.spareWorkers}. */
  readonly spareWorkers: number;
  /** See {@link WorkerStrategyOptions.prefetch}. */
  readonly prefetch: number;
  /** See {@link WorkerStrategyOptions.resourceLimits}. */
  readonly resourceLimits: ResourceLimits | undefined;
  /** See {@link WorkerStrategyOptions.execArgv}. */
  readonly execArgv: readonly string[];
  /** See {@link WorkerStrategyOptions.env}. */
  readonly env: Readonly<Record<string, string>> | typeof SHARE_ENV | undefined;
}

const factoryName = 'workerStrategy()';

/** Tasks a busy thread holds by default besides the one it runs. */
const defaultPrefetch = 4;

/** The most tasks a busy thread may hold besides the one it runs (within its ring's tickets). */
const maximumPrefetch = 8;

const workerOptionRules: OptionRules = Object.freeze({
  maxWorkers: poolSizeRule,
  spareWorkers: spareCountRule,
  prefetch: { kind: 'count', minimum: 0, maximum: maximumPrefetch },
  resourceLimits: { kind: 'other' },
  execArgv: { kind: 'other' },
  env: { kind: 'other' },
  ...engineOptionRules,
});

const resourceLimitNames = [
  'maxOldGenerationSizeMb',
  'maxYoungGenerationSizeMb',
  'codeRangeSizeMb',
  'stackSizeMb',
] as const;

/** The smallest `stackSizeMb` a thread starts with (smaller ones overflow during start-up). */
const minimumStackSizeMb = 1;

/** The default of `maxWorkers`: the CPUs this process may use, less one, at least 1. */
export function defaultMaxWorkers(): number {
  return Math.max(1, availableParallelism() - 1);
}

/** Applies defaults and rejects bad values with a `TypeError` or `RangeError` naming them. */
export function resolveWorkerStrategyOptions(options: unknown): ResolvedWorkerStrategyOptions {
  const given = checkStrategyOptions(factoryName, options, workerOptionRules);
  return {
    ...sharedSettings(given),
    maxWorkers: (given.maxWorkers as number | undefined) ?? defaultMaxWorkers(),
    spareWorkers: (given.spareWorkers as number | undefined) ?? 1,
    prefetch: (given.prefetch as number | undefined) ?? defaultPrefetch,
    resourceLimits: resourceLimitsOption(given.resourceLimits),
    execArgv: execArgvOption(given.execArgv),
    env: envOption(given.env),
  };
}

function resourceLimitsOption(value: unknown): ResourceLimits | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new TypeError(
      `workerStrategy() option resourceLimits must be an object such as { maxOldGenerationSizeMb: 256 }, got ${describeValue(value)}`,
    );
  }
  const limits: Record<string, number> = {};
  for (const [key, limit] of Object.entries(value)) {
    if (!(resourceLimitNames as readonly string[]).includes(key)) {
      throw new TypeError(
        `workerStrategy() option resourceLimits has an unknown limit ${describeValue(key)}; the limits are ${resourceLimitNames.join(', ')}`,
      );
    }
    if (limit === undefined) continue;
    if (typeof limit !== 'number') {
      throw new TypeError(
        `workerStrategy() option resourceLimits.${key} must be a number of megabytes, got ${describeValue(limit)}`,
      );
    }
    if (!Number.isFinite(limit) || limit <= 0) {
      throw new RangeError(
        `workerStrategy() option resourceLimits.${key} must be a positive number of megabytes, got ${describeValue(limit)}`,
      );
    }
    if (key === 'stackSizeMb' && limit < minimumStackSizeMb) {
      throw new RangeError(
        `workerStrategy() option resourceLimits.stackSizeMb must be at least ${minimumStackSizeMb} megabyte (a smaller stack overflows while the thread starts, which ends the whole process), got ${describeValue(limit)}`,
      );
    }
    limits[key] = limit;
  }
  return limits;
}

function execArgvOption(value: unknown): readonly string[] {
  if (value === undefined) return [];
  if (!Array.isArray(value) || value.some((argument) => typeof argument !== 'string')) {
    throw new TypeError(
      `workerStrategy() option execArgv must be an array of strings such as ['--enable-source-maps'], got ${describeValue(value)}`,
    );
  }
  return Object.freeze([...value]);
}

function envOption(
  value: unknown,
): Readonly<Record<string, string>> | typeof SHARE_ENV | undefined {
  if (value === undefined || value === SHARE_ENV) return value;
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new TypeError(
      `workerStrategy() option env must be an object of strings or SHARE_ENV, got ${describeValue(value)}`,
    );
  }
  for (const [key, entry] of Object.entries(value)) {
    if (typeof entry !== 'string') {
      throw new TypeError(
        `workerStrategy() option env.${key} must be a string, got ${describeValue(entry)}`,
      );
    }
  }
  return Object.freeze({ ...(value as Record<string, string>) });
}
