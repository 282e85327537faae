import { describeValue, validateTimeout } from '@timebox/core/strategy-kit';
import type { Job } from 'bullmq';
import { type AnyTask, isTask } from 'timebox';
import type { ResolvedTimeboxProcessorOptions } from './timebox-processor-options.js';

/** A task, or a function that picks the task for a job (by `job.name`, say). */
export type JobTaskSource<Data> = AnyTask | ((job: Job<Data>) => AnyTask);

/** What one job runs: the task, its arguments and its finite time limit. */
export interface JobRun {
  /** The task the job runs. */
  readonly task: AnyTask;
  /** The task's arguments, made from the job. */
  readonly args: unknown[];
  /** The job's time limit in milliseconds (finite). */
  readonly timeout: number;
}

/**
 * Works out the task, arguments and time limit of `job`. Throws a `TypeError` or
 * `RangeError` that names the job and the option when one of them gives a bad value, or when
 * the job has no finite time limit: without one, core would run the task directly on the
 * worker's event loop.
 */
export function prepareJobRun<Data>(
  job: Job<Data>,
  source: JobTaskSource<Data>,
  options: ResolvedTimeboxProcessorOptions<Data, unknown[]>,
): JobRun {
  const task = jobTask(job, source);
  const args = options.args === undefined ? [job.data] : options.args(job);
  if (!Array.isArray(args)) {
    throw new TypeError(
      `Task '${task.name}', ${jobLabel(job)}: option args must return an array of the task's arguments, got ${describeValue(args)}`,
    );
  }
  const fromJob = options.jobTimeout?.(job);
  const timeout =
    fromJob !== undefined
      ? validateTimeout(task.name, fromJob, `jobTimeout(job) for ${jobLabel(job)}`)
      : (options.timeout ?? task.timeout);
  if (timeout === Infinity) {
    throw new RangeError(
      `Task '${task.name}', ${jobLabel(job)}: the job has no time limit; give it one (the task's timeout, or the processor's timeout or jobTimeout option) so that a runaway job is stopped`,
    );
  }
  return { task, args, timeout };
}

function jobTask<Data>(job: Job<Data>, source: JobTaskSource<Data>): AnyTask {
  if (isTask(source)) return source;
  const task: unknown = source(job);
  if (!isTask(task)) {
    throw new TypeError(
      `${jobLabel(job)}: the processor's task function must return a task made by defineTask(), got ${describeValue(task)}`,
    );
  }
  return task;
}

/** `job 42 ('resize')`: how errors name a job. */
export function jobLabel(job: Pick<Job, 'id' | 'name'>): string {
  return `job ${job.id ?? '(no id)'} (${JSON.stringify(job.name)})`;
}
