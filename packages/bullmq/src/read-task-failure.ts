import type { Job } from 'bullmq';
import { parseFailureRecord, type TaskFailureRecord } from './failure-record.js';

/**
 * The name and fields of the timebox error that failed the latest attempt of `job`, read
 * from the stack trace BullMQ stored with it, on any machine: `{ name: 'TaskTimeoutError',
 * taskName, timeout, elapsed, strategy, enforcement, stillRunning }` and so on. `undefined`
 * when that attempt failed otherwise (the task's own error, say) or kept no stack trace
 * (`stackTraceLimit: 0`).
 *
 * @example
 * ```ts
 * queueEvents.on('failed', async ({ jobId }) => {
 *   const job = await queue.getJob(jobId);
 *   const failure = job && readTaskFailure(job);
 *   if (failure?.name === 'TaskTimeoutError') console.log(`stopped after ${failure.elapsed} ms`);
 * });
 * ```
 */
export function readTaskFailure(
  job: Pick<Job, 'stacktrace'> | { readonly stacktrace: readonly string[] | null | undefined },
): TaskFailureRecord | undefined {
  const stacks = job.stacktrace;
  if (!Array.isArray(stacks) || stacks.length === 0) return undefined;
  const latest: unknown = stacks[stacks.length - 1];
  return typeof latest === 'string' ? parseFailureRecord(latest) : undefined;
}
