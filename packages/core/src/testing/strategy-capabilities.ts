import type { TimeoutStrategy } from '@timebox/core';

/** Options the suite asks a strategy factory for; a factory applies those it supports. */
export interface ConformanceStrategyOptions {
  /** How many tasks may run at once (the pool size); the suite asks for 1 to queue tasks. */
  readonly runners?: number;
  /** The bound, in milliseconds, on how long a runner may take to become ready. */
  readonly startTimeout?: number;
  /** Node flags each runner starts with (a worker's or child process's `execArgv`). */
  readonly execArgv?: readonly string[];
}

/** Creates a fresh strategy for the suite, applying the options it supports. */
export type ConformanceStrategyFactory = (options?: ConformanceStrategyOptions) => TimeoutStrategy;

/**
 * What a strategy can do, so that the suite runs the cases that apply to it. Every flag
 * that is absent counts as false: the cases behind it are not registered, as hard-only
 * cases are not registered for a soft strategy.
 */
export interface StrategyCapabilities {
  /** `hard` strategies must also stop a `while (true) {}` task, report crashes and clone checks. */
  readonly enforcement: 'soft' | 'hard';
  /** Whether it runs self-contained inline functions (not only module references). */
  readonly inlineFunctions: boolean;
  /**
   * The factory honours `runners`, so that a task can wait in a queue: the cases "the limit
   * counts from the start of execution", "abort while queued" and "close() with a queued task".
   */
  readonly queue?: boolean;
  /**
   * The factory honours `startTimeout` and `execArgv`: a run settles within a bound even
   * when its runner never becomes ready.
   */
  readonly startTimeout?: boolean;
  /** The strategy offers `stats()` with the shape of `StrategyStats`. */
  readonly stats?: boolean;
  /** The caller's abort reason reaches the task's `taskSignal()` (as its reason or its cause). */
  readonly callerReasonInTask?: boolean;
  /** A run after `close()` rejects with `StrategyClosedError`. */
  readonly closedRejectsRuns?: boolean;
  /**
   * The runtime may keep a stopped runner's thread running (Chromium stops a busy web
   * worker about 2 s after `terminate()`, Deno never): instead of confirming a stop, the
   * `TaskTimeoutError` says the task may still be running and why.
   */
  readonly unconfirmedStops?: boolean;
  /** A `TaskTimeoutError`'s `elapsed` is never below the limit. */
  readonly elapsedAtLeastLimit?: boolean;
  /**
   * The "strategy" is a front that itself calls `runTaskWithTimeout` (a selector seen as a
   * strategy), so each run the suite makes is published twice on `timebox:run`: the
   * channel cases are left out for it and belong in its own tests.
   */
  readonly callsRunTaskWithTimeout?: boolean;
}
