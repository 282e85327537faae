import { type TaskStopReport, TaskTimeoutError } from '@timebox/core';
import type { EngineJob } from './engine-job.js';
import type { StopOutcome } from './stop-ladder.js';

/** A timeout error whose stop is still under way, and the function that reports its end. */
export interface PendingStopTimeout {
  /** The error the caller gets at once: `stillRunning: true` until the stop is reported. */
  readonly error: TaskTimeoutError;
  /** Settles the error's `stopped` promise (which updates `forced` and `stillRunning`). */
  readonly reportStop: (outcome: StopOutcome) => void;
}

/**
 * The error for a job whose deadline passed while it ran: the runner is being stopped, so
 * the error says `stillRunning: true` until `reportStop` confirms the runner gone. With
 * `stillRunningReason` (a runtime that may run a stopped thread on) it says why, for good.
 */
export function pendingStopTimeoutError(
  strategy: string,
  job: EngineJob,
  elapsed: number,
  stillRunningReason?: string,
): PendingStopTimeout {
  let settleStopped: (report: TaskStopReport) => void = () => {};
  const stopped = new Promise<TaskStopReport>((resolve) => {
    settleStopped = resolve;
  });
  const error = new TaskTimeoutError({
    taskName: job.taskName,
    timeout: job.timeout,
    elapsed,
    strategy,
    enforcement: 'hard',
    stopped,
    ...(stillRunningReason === undefined ? {} : { stillRunningReason }),
  });
  const reportStop = (outcome: StopOutcome): void =>
    settleStopped({
      confirmed: outcome.confirmed,
      forced: outcome.forced,
      afterMs: outcome.afterMs,
      ...(outcome.reason === undefined ? {} : { reason: outcome.reason }),
    });
  return { error, reportStop };
}

/**
 * The error for a result that came after the deadline, before its timer ran: the deadline
 * wins, as under every strategy. The task has ended on its own, so nothing is still running.
 */
export function lateResultError(
  strategy: string,
  job: EngineJob,
  ranFor: number,
): TaskTimeoutError {
  const elapsed = Math.max(job.timeout, Math.ceil(ranFor * 10) / 10);
  job.logger.debug(
    `task '${job.taskName}' returned after its ${job.timeout} ms limit (${elapsed} ms); the deadline wins, so the caller gets a TaskTimeoutError`,
    { task: job.taskName, strategy, timeout: job.timeout, elapsed },
  );
  const error = new TaskTimeoutError({
    taskName: job.taskName,
    timeout: job.timeout,
    elapsed,
    strategy,
    enforcement: 'hard',
    stillRunning: false,
    stopped: Promise.resolve({ confirmed: true, forced: false, afterMs: 0 }),
  });
  error.forced = false;
  return error;
}
