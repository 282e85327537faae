import type { Job } from 'bullmq';

/**
 * What a job's run carries as `metadata` on the `timebox:run` diagnostics channel, so that
 * a trace or a metric can name the job: its id, name, queue and attempt (1 for the first).
 */
export type JobRunMetadata = {
  /** BullMQ's id of the job. */
  readonly jobId: string | undefined;
  /** The job's name, as given to `queue.add(name, data)`. */
  readonly jobName: string;
  /** The name of the queue the job came from. */
  readonly queue: string;
  /** Which attempt this run is: 1 for the first, 2 for the first retry… */
  readonly attempt: number;
};

/** The {@link JobRunMetadata} of `job`. */
export function jobMetadata(
  job: Pick<Job, 'id' | 'name' | 'queueName' | 'attemptsMade'>,
): JobRunMetadata {
  return {
    jobId: job.id,
    jobName: job.name,
    queue: job.queueName,
    attempt: job.attemptsMade + 1,
  };
}
