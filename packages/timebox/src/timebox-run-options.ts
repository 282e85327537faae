import type { Logger, RunMetadata, TimeoutStrategy } from '@timebox/core';

/** The strategies a timebox manages, by name. */
export type ManagedStrategyName = 'thread' | 'worker' | 'process' | 'web-worker';

/** Options of a timebox's `runTaskWithTimeout`. Every one is optional. */
export interface TimeboxRunOptions {
  /** Aborting it rejects the run with `TaskAbortedError` (and stops a hard strategy's task). */
  readonly signal?: AbortSignal | undefined;
  /** Where this run logs; the timebox's logger when absent. */
  readonly logger?: Logger | undefined;
  /** A time limit in milliseconds for this run, instead of the task's own. */
  readonly timeout?: number | undefined;
  /**
   * Skip the selection: a strategy, or the name of one the timebox manages (`'thread'`,
   * `'worker'`, `'process'`; `'web-worker'` in the browser build).
   */
  readonly strategy?: TimeoutStrategy | ManagedStrategyName | undefined;
  /**
   * Facts about this run (a job id, a queue name…) carried as `metadata` in the message of
   * the `timebox:run` diagnostics channel.
   */
  readonly metadata?: RunMetadata | undefined;
}
