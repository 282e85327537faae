// Module tasks over job-tasks.mjs, one per job name; no time limits of their own (the
// processor's `timeout` option gives them one).
import { defineTask } from '@timebox/bullmq';

const module = new URL('./job-tasks.mjs', import.meta.url);

/** The task of each job name. */
export const jobTasks = {
  square: defineTask({ name: 'square', run: { module, export: 'square' } }),
  spin: defineTask({ name: 'spin', run: { module, export: 'spin' } }),
  crash: defineTask({ name: 'crash', run: { module, export: 'crash' } }),
  fail: defineTask({ name: 'fail', run: { module, export: 'fail' } }),
};

/** The task for a job, by its name. */
export function taskForJob(job) {
  return jobTasks[job.name];
}
