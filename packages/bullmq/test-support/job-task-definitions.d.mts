import type { Task } from '@timebox/bullmq';
import type { Job } from 'bullmq';

/** The task of each job name. */
export declare const jobTasks: {
  readonly square: Task<[{ n: number }], number>;
  readonly spin: Task<[{ ms: number }], string>;
  readonly crash: Task<[], never>;
  readonly fail: Task<[{ message: string; name?: string }], never>;
};

/** The task for a job, by its name. */
export declare function taskForJob(job: Job): Task<[unknown], unknown>;
