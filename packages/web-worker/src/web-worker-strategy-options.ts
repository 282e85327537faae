import type { Logger } from '@timebox/core';
import { describeValue } from '@timebox/core/strategy-kit';
import {
  checkStrategyOptions,
  engineOptionRules,
  maximumRunners,
  type OptionRules,
  poolSizeRule,
  type SharedSettings,
  sharedSettings,
  spareCountRule,
} from '@timebox/engine';

/** Options of {@link webWorkerStrategy}. Every one is optional. */
export interface WebWorkerStrategyOptions {
  /**
   * The most workers running tasks at once; more tasks wait in a queue. An integer from 1
   * to 1024. Default: `navigator.hardwareConcurrency` less one (at least 1).
   */
  readonly maxWorkers?: number;
  /**
   * Workers started ahead and kept idle, so that a worker terminated at a deadline is
   * replaced at once instead of paying a worker's start-up. An integer from 0 to 64.
   * Default: 1.
   */
  readonly spareWorkers?: number;
  /**
   * Milliseconds a task gets, after its signal aborts (at the deadline or when the caller's
   * signal aborts), to stop on its own before its worker is terminated. The caller's
   * promise rejects at once regardless. At least 0; `Infinity` waits for the task to stop
   * on its own. Default: 100.
   */
  readonly graceMs?: number;
  /**
   * How many tasks may wait for a worker; one more is refused with `TaskQueueFullError`.
   * An integer of at least 0, or `Infinity`. Default: `Infinity`.
   */
  readonly maxQueue?: number;
  /**
   * How many terminated workers may still be running at once, in runtimes that do not stop
   * a busy worker at once (Chromium about 2 s after `terminate()`, Deno never); workers
   * still in their grace period count too. While that many are counted, no new worker
   * starts: tasks wait (Chromium), or are refused with `TaskUnsupportedError` when the
   * runtime never stops them (Deno). An integer of at least 1. Default: 2.
   */
  readonly maxZombieWorkers?: number;
  /**
   * The worker module to start, for bundlers that do not follow
   * `new Worker(new URL('./web-worker-entry.js', import.meta.url))`: copy
   * `@timebox/web-worker/web-worker-entry.js` to your static files and pass its URL.
   * Default: the built entry beside this package's module.
   */
  readonly workerUrl?: string | URL;
  /**
   * Milliseconds an idle worker is kept before it is ended to give its memory back;
   * `Infinity` keeps it. When the last one ends, the spares end too. At least 0.
   * Default: 30 000.
   */
  readonly idleTimeout?: number;
  /**
   * Milliseconds a new worker may take to load its entry and become ready; a start that
   * takes longer counts as failed. After `startAttempts` failed starts in a row, the oldest
   * waiting task is rejected with `TaskCrashedError` (reason `spawn-failed`). At least 0.
   * Default: 15 000.
   */
  readonly startTimeout?: number;
  /** Failed worker starts in a row before a waiting task is rejected. From 1 to 100. Default: 3. */
  readonly startAttempts?: number;
  /**
   * Milliseconds to wait for a terminated worker's exit before giving up on it. A web
   * worker's exit is reported as soon as it is terminated, so this bound is rarely
   * reached. At least 0. Default: 5 000.
   */
  readonly exitTimeout?: number;
  /**
   * The strategy's own logger: events between tasks (a crash after a task settled, a spare
   * that could not start, a worker that may still be running after it was terminated) go
   * here, naming the task where there is one. Default: silent.
   */
  readonly logger?: Logger;
}

/** {@link WebWorkerStrategyOptions} with defaults applied. */
export interface ResolvedWebWorkerStrategyOptions extends SharedSettings {
  /** See {@link WebWorkerStrategyOptions.maxWorkers}. */
  readonly maxWorkers: number;
  /** See {@link WebWorkerStrategyOptions.spareWorkers}. */
  readonly spareWorkers: number;
  /** See {@link WebWorkerStrategyOptions.maxZombieWorkers}. */
  readonly maxZombieWorkers: number;
  /** See {@link WebWorkerStrategyOptions.workerUrl}. */
  readonly workerUrl: string | URL | undefined;
}

const factoryName = 'webWorkerStrategy()';

const webWorkerOptionRules: OptionRules = Object.freeze({
  maxWorkers: poolSizeRule,
  spareWorkers: spareCountRule,
  maxZombieWorkers: { kind: 'count', minimum: 1, maximum: Infinity },
  workerUrl: { kind: 'other' },
  ...engineOptionRules,
});

/** A browser may load a worker's entry over the network: a longer start-up bound. */
const webWorkerStartTimeout = 15_000;

/**
 * The default of `maxWorkers`: the logical processors the runtime reports, less one, from 1
 * to 1024.
 */
export function defaultMaxWorkers(): number {
  const reported = (globalThis as { navigator?: { hardwareConcurrency?: unknown } }).navigator
    ?.hardwareConcurrency;
  return typeof reported === 'number' && reported > 1
    ? Math.min(maximumRunners, Math.floor(reported) - 1)
    : 1;
}

/** Applies defaults and rejects bad values with a `TypeError` or `RangeError` naming them. */
export function resolveWebWorkerStrategyOptions(
  options: unknown,
): ResolvedWebWorkerStrategyOptions {
  const given = checkStrategyOptions(factoryName, options, webWorkerOptionRules);
  return {
    ...sharedSettings(given, { startTimeout: webWorkerStartTimeout }),
    maxWorkers: (given.maxWorkers as number | undefined) ?? defaultMaxWorkers(),
    spareWorkers: (given.spareWorkers as number | undefined) ?? 1,
    maxZombieWorkers: (given.maxZombieWorkers as number | undefined) ?? 2,
    workerUrl: workerUrlOption(given.workerUrl),
  };
}

function workerUrlOption(value: unknown): string | URL | undefined {
  if (value === undefined || value instanceof URL) return value;
  if (typeof value !== 'string' || value === '') {
    throw new TypeError(
      `webWorkerStrategy() option workerUrl must be a URL or a non-empty string, got ${describeValue(value)}`,
    );
  }
  return value;
}
