import type { Job } from 'bullmq';
import { defineTask } from 'timebox';
import { describe, expect, it } from 'vitest';
import { jobLabel, prepareJobRun } from './job-run.js';
import { resolveTimeboxProcessorOptions } from './timebox-processor-options.js';

const task = defineTask({ name: 'echo', timeout: 1_000, run: (value: unknown) => value });
const job = { id: '7', name: 'echo', data: { value: 1, limit: 250 } } as Job<{
  value: number;
  limit: number;
}>;

describe('prepareJobRun', () => {
  it("runs the task with [job.data] and the task's limit by default", () => {
    const run = prepareJobRun(job, task, resolveTimeboxProcessorOptions(undefined));
    expect(run).toEqual({ task, args: [job.data], timeout: 1_000 });
  });

  it('prefers jobTimeout, then the timeout option, then the task', () => {
    expect(
      prepareJobRun(job, task, resolveTimeboxProcessorOptions({ jobTimeout: (j) => j.data.limit }))
        .timeout,
    ).toBe(250);
    expect(
      prepareJobRun(
        job,
        task,
        resolveTimeboxProcessorOptions({ timeout: 500, jobTimeout: () => undefined }),
      ).timeout,
    ).toBe(500);
  });

  it('rejects args that are not an array, naming the job', () => {
    const options = resolveTimeboxProcessorOptions({ args: () => 'value' as never });
    expect(() => prepareJobRun(job, task, options)).toThrow(
      new TypeError(
        `Task 'echo', job 7 ("echo"): option args must return an array of the task's arguments, got "value"`,
      ),
    );
  });

  it('rejects a jobTimeout that is not a number', () => {
    const options = resolveTimeboxProcessorOptions({ jobTimeout: () => '1s' as never });
    expect(() => prepareJobRun(job, task, options)).toThrow(
      new TypeError(
        `Task 'echo': jobTimeout(job) for job 7 ("echo") must be a number of milliseconds, got "1s"`,
      ),
    );
  });

  it('rejects a job without a time limit', () => {
    const unlimited = defineTask({ name: 'unlimited', run: () => 1 });
    expect(() => prepareJobRun(job, unlimited, resolveTimeboxProcessorOptions({}))).toThrow(
      RangeError,
    );
    const options = resolveTimeboxProcessorOptions({ jobTimeout: () => Infinity });
    expect(() => prepareJobRun(job, task, options)).toThrow(
      /^Task 'echo', job 7 \("echo"\): the job has no time limit/,
    );
  });

  it('rejects a task function that returns something other than a task', () => {
    expect(() =>
      prepareJobRun(job, (() => undefined) as never, resolveTimeboxProcessorOptions({})),
    ).toThrow(
      new TypeError(
        `job 7 ("echo"): the processor's task function must return a task made by defineTask(), got undefined`,
      ),
    );
  });

  it('names a job without an id', () => {
    expect(jobLabel({ name: 'x' } as Job)).toBe('job (no id) ("x")');
  });
});
