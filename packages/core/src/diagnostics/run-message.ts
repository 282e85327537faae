import type { Enforcement } from '../errors/task-timeout-error.js';

/** How a traced run ended, in {@link RunMessage.outcome}. */
export type RunOutcome = 'completed' | 'failed' | 'timed-out' | 'aborted' | 'crashed';

/** Facts the caller attaches to a run (a job id, a queue name…), passed on untouched. */
export type RunMetadata = Readonly<Record<string, unknown>>;

/**
 * The message of the `timebox:run` tracing channel: one object per run, the same object in
 * all five events. The fields below `startTime` are filled in when the run settles, before
 * `error` / `asyncStart` are published. Subscribers may add their own fields (a span…).
 */
export interface RunMessage {
  /** The task's name. */
  readonly task: string;
  /** The name of the strategy that runs it, such as `thread` or `worker`. */
  readonly strategy: string;
  /** How that strategy enforces the limit: `soft` or `hard`. */
  readonly enforcement: Enforcement;
  /** The time limit of this run, in milliseconds. */
  readonly timeout: number;
  /** The caller's `metadata` option (for BullMQ jobs: `jobId`, `queue`…), or `undefined`. */
  readonly metadata: RunMetadata | undefined;
  /** `performance.now()` when the run started (before any wait for a runner). */
  readonly startTime: number;
  /** How the run ended. */
  outcome?: RunOutcome;
  /** Milliseconds from `startTime` to the settlement, including any wait in a queue. */
  elapsed?: number;
  /**
   * On a timeout: the error's `forced` at the settlement. A hard strategy rejects at once
   * and knows whether the stop had to be forced only when `error.stopped` settles, so
   * this is `undefined` for a hard timeout; read the report of `error.stopped` for it.
   */
  forced?: boolean | undefined;
  /**
   * On a timeout: the error's `stillRunning` at the settlement. True for `soft`, and for
   * `hard` too, since the runner is still being stopped when the caller gets the error;
   * `error.stopped` settles with whether it was confirmed gone.
   */
  stillRunning?: boolean | undefined;
  /** The task's result, on success (set by the tracing convention). */
  result?: unknown;
  /** The rejection, on failure (set by the tracing convention). */
  error?: unknown;
}
