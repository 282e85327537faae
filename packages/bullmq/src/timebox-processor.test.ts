import { randomUUID } from 'node:crypto';
import diagnosticsChannel from 'node:diagnostics_channel';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type Job, Queue, UnrecoverableError, Worker, type WorkerOptions } from 'bullmq';
import {
  createSelector,
  createTimebox,
  defineRule,
  defineTask,
  isTaskAbortedError,
  isTaskCrashedError,
  isTaskTimeoutError,
  isTaskUnsupportedError,
  type RunMessage,
  type Task,
  timeboxChannels,
} from 'timebox';
import { afterAll, afterEach, beforeAll, describe, expect, inject, it } from 'vitest';
import {
  childrenOf,
  eventually,
  isRunning,
  readWhenWritten,
  settledJob,
} from '../test-support/queue-test-helpers.js';
import { readTaskFailure } from './read-task-failure.js';
import { type TimeboxProcessor, timeboxProcessor } from './timebox-processor.js';

const module = new URL('../test-support/job-tasks.mjs', import.meta.url);
const square = defineTask({ name: 'square', timeout: 5_000, run: { module, export: 'square' } });
const spin = defineTask({ name: 'spin', timeout: 400, run: { module, export: 'spin' } });
const spinAndReport = defineTask({
  name: 'spin-and-report',
  timeout: 20_000,
  run: { module, export: 'spinAndReport' },
});
const crash = defineTask({ name: 'crash', timeout: 5_000, run: { module, export: 'crash' } });
const fail = defineTask({ name: 'fail', timeout: 5_000, run: { module, export: 'fail' } });

const connection = { host: '127.0.0.1', port: inject('redisPort') };
const cleanups: (() => Promise<unknown>)[] = [];
const queues: Queue[] = [];
let scratch: string;

beforeAll(() => {
  scratch = mkdtempSync(join(tmpdir(), 'timebox-bullmq-test-'));
});

afterAll(() => {
  rmSync(scratch, { recursive: true, force: true });
});

afterEach(async () => {
  while (cleanups.length > 0) await cleanups.pop()!();
  for (const queue of queues.splice(0)) {
    await queue.obliterate({ force: true });
    await queue.close();
  }
});

/** A fresh queue and a worker on it that runs `processor`; both are closed after the test. */
function startWorker<Data, Result>(
  processor: TimeboxProcessor<Data, Result>,
  workerOptions: Partial<WorkerOptions> = {},
): { queue: Queue; worker: Worker<Data, Result> } {
  const name = `unit-${randomUUID()}`;
  const queue = new Queue(name, { connection });
  queues.push(queue);
  const worker = processor.closeWith(
    new Worker<Data, Result>(name, processor, { connection, ...workerOptions }),
  );
  cleanups.push(() => processor.close());
  cleanups.push(() => worker.close(true));
  return { queue, worker };
}

describe('timeboxProcessor', () => {
  it('declares the three parameters that make BullMQ pass its cancellation signal', () => {
    const processor = timeboxProcessor(square);
    expect(processor.length).toBe(3);
  });

  it("completes a job with the task's result, from job.data by default", async () => {
    const processor = timeboxProcessor(square);
    const { queue } = startWorker(processor);
    const job = await queue.add('square', { n: 12 });
    const settled = await settledJob(queue, job.id);
    expect(await settled.getState()).toBe('completed');
    expect(settled.returnvalue).toBe(144);
  });

  it("names the job, its queue and attempt in the run's message on the timebox:run channel", async () => {
    const started: RunMessage[] = [];
    const onStart = (message: unknown) => {
      started.push(message as RunMessage);
    };
    const channel = `tracing:${timeboxChannels.run}:start`;
    diagnosticsChannel.subscribe(channel, onStart);
    cleanups.push(async () => diagnosticsChannel.unsubscribe(channel, onStart));
    const processor = timeboxProcessor(square);
    const { queue } = startWorker(processor);
    const job = await queue.add('square', { n: 3 });
    expect(await (await settledJob(queue, job.id)).getState()).toBe('completed');
    expect(started.filter((message) => message.task === 'square')).toEqual([
      expect.objectContaining({
        metadata: { jobId: job.id, jobName: 'square', queue: queue.name, attempt: 1 },
      }),
    ]);
  });

  it('runs a self-contained function in a worker thread, and fails a closure instead of running it on the event loop', async () => {
    const inline = defineTask({
      name: 'inline',
      timeout: 5_000,
      run: (data: { n: number }) => data.n * 2,
    });
    const processor = timeboxProcessor(inline);
    expect(processor.timebox.explain(inline).name).toBe('worker');
    const { queue } = startWorker(processor);
    const job = await queue.add('inline', { n: 21 });
    expect((await settledJob(queue, job.id)).returnvalue).toBe(42);

    const factor = 3;
    const closure = defineTask({
      name: 'closure',
      timeout: 5_000,
      run: (data: { n: number }) => data.n * factor,
    });
    const second = startWorker(timeboxProcessor(closure));
    const closureJob = await second.queue.add('closure', { n: 2 });
    const failed = await settledJob(second.queue, closureJob.id);
    expect(failed.stacktrace![0]).toMatch(/^TaskSerializationError: /);
    expect(readTaskFailure(failed)).toMatchObject({ name: 'TaskSerializationError' });
  });

  it('makes the arguments with the args option and picks the task with a function of the job', async () => {
    const tasks: Record<string, Task<unknown[], unknown>> = { square };
    const processor = timeboxProcessor((job: Job<{ value: number }>) => tasks[job.name]!, {
      args: (job) => [{ n: job.data.value + 1 }],
    });
    const { queue } = startWorker(processor);
    const job = await queue.add('square', { value: 4 });
    expect((await settledJob(queue, job.id)).returnvalue).toBe(25);
  });

  it('fails a runaway job with the TaskTimeoutError at its limit, visible in failedReason and stacktrace, while the lock is renewed', async () => {
    const processor = timeboxProcessor(spin, { timeout: 1_500 });
    const { queue, worker } = startWorker(processor, { lockDuration: 600, stalledInterval: 300 });
    const renewed: string[] = [];
    const stalled: string[] = [];
    const errors: unknown[] = [];
    worker.on('locksRenewed', ({ jobIds }) => renewed.push(...jobIds));
    worker.on('stalled', (jobId) => stalled.push(jobId));
    worker.on('failed', (_job, error) => errors.push(error));
    const job = await queue.add('spin', { ms: 60_000 });
    const settled = await settledJob(queue, job.id);

    expect(await settled.getState()).toBe('failed');
    expect(settled.failedReason).toBe(
      "Task 'spin' timed out after 1500 ms; the worker strategy is stopping it",
    );
    expect(settled.stacktrace![0]).toMatch(/^TaskTimeoutError: Task 'spin' timed out/);
    const failure = readTaskFailure(settled);
    expect(failure).toMatchObject({
      name: 'TaskTimeoutError',
      taskName: 'spin',
      timeout: 1_500,
      strategy: 'worker',
      enforcement: 'hard',
      // The failure is recorded at the rejection, while the runner is being stopped.
      stillRunning: true,
    });
    expect(failure?.elapsed).toBeGreaterThanOrEqual(1_500 - 2); // timers' millisecond clock
    expect(failure?.elapsed).toBeLessThan(6_000);
    expect(settled.finishedOn! - settled.processedOn!).toBeLessThan(6_000);
    expect(errors).toHaveLength(1);
    expect(isTaskTimeoutError(errors[0])).toBe(true);
    // The event loop stayed free: the 600 ms lock was renewed while the task spun.
    expect(renewed).toContain(job.id);
    expect(stalled).toEqual([]);
  });

  it("retries a timed-out job as the job's attempts and backoff say", async () => {
    const processor = timeboxProcessor(spin);
    const { queue } = startWorker(processor);
    const job = await queue.add(
      'spin',
      { ms: 60_000 },
      { attempts: 3, backoff: { type: 'fixed', delay: 20 } },
    );
    const settled = await settledJob(queue, job.id);
    expect(await settled.getState()).toBe('failed');
    expect(settled.attemptsMade).toBe(3);
    expect(settled.stacktrace).toHaveLength(3);
    for (const stack of settled.stacktrace!) expect(stack).toMatch(/^TaskTimeoutError: /);
  });

  it("fails a timed-out job at once with BullMQ's UnrecoverableError when timeouts are unrecoverable", async () => {
    const processor = timeboxProcessor(spin, { unrecoverable: ['timeout'] });
    const { queue, worker } = startWorker(processor);
    const errors: unknown[] = [];
    worker.on('failed', (_job, error) => errors.push(error));
    const job = await queue.add('spin', { ms: 60_000 }, { attempts: 3 });
    const settled = await settledJob(queue, job.id);

    expect(await settled.getState()).toBe('failed');
    expect(settled.attemptsMade).toBe(1);
    expect(settled.failedReason).toMatch(/^Task 'spin' timed out after 400 ms/);
    expect(settled.stacktrace![0]).toMatch(/^UnrecoverableError: Task 'spin' timed out/);
    expect(readTaskFailure(settled)).toMatchObject({ name: 'TaskTimeoutError', timeout: 400 });
    expect(errors[0]).toBeInstanceOf(UnrecoverableError);
    expect(isTaskTimeoutError((errors[0] as Error).cause)).toBe(true);
  });

  it('takes the limit of a job from its data with jobTimeout, and the timeout option otherwise', async () => {
    const processor = timeboxProcessor(spin, {
      timeout: 300,
      jobTimeout: (job: Job<{ ms: number; limit?: number }>) => job.data.limit,
    });
    const { queue } = startWorker(processor, { concurrency: 2 });
    const fromData = await queue.add('spin', { ms: 60_000, limit: 700 });
    const fromOption = await queue.add('spin', { ms: 60_000 });
    expect(readTaskFailure(await settledJob(queue, fromData.id))?.timeout).toBe(700);
    expect(readTaskFailure(await settledJob(queue, fromOption.id))?.timeout).toBe(300);
  });

  it('fails a job whose jobTimeout gives a bad value with a RangeError naming the job', async () => {
    const processor = timeboxProcessor(square, { jobTimeout: () => -5 });
    const { queue } = startWorker(processor);
    const job = await queue.add('square', { n: 2 });
    const settled = await settledJob(queue, job.id);
    expect(settled.failedReason).toBe(
      `Task 'square': jobTimeout(job) for job ${job.id} ("square") must not be negative, got -5`,
    );
  });

  it('fails a job that has no time limit with a RangeError, instead of running it on the event loop', async () => {
    const unlimited = defineTask({ name: 'unlimited', run: { module, export: 'square' } });
    const processor = timeboxProcessor(unlimited, { jobTimeout: () => undefined });
    const { queue } = startWorker(processor);
    const job = await queue.add('square', { n: 2 });
    const settled = await settledJob(queue, job.id);
    expect(settled.failedReason).toMatch(
      /^Task 'unlimited', job \d+ \("square"\): the job has no time limit/,
    );
    expect(settled.stacktrace![0]).toMatch(/^RangeError: /);
  });

  it('fails a job whose thread died with TaskCrashedError', async () => {
    const processor = timeboxProcessor(crash);
    const { queue } = startWorker(processor);
    const job = await queue.add('crash', {});
    const settled = await settledJob(queue, job.id);
    expect(settled.stacktrace![0]).toMatch(/^TaskCrashedError: Task 'crash' crashed/);
    expect(readTaskFailure(settled)).toMatchObject({
      name: 'TaskCrashedError',
      taskName: 'crash',
      strategy: 'worker',
      reason: 'exit',
      exitCode: 7,
    });
  });

  it('fails a job whose process died with TaskCrashedError, and retries it as attempts say', async () => {
    const processor = timeboxProcessor(crash, { strategy: 'process' });
    const { queue } = startWorker(processor);
    const job = await queue.add('crash', {}, { attempts: 2 });
    const settled = await settledJob(queue, job.id);
    expect(settled.attemptsMade).toBe(2);
    expect(readTaskFailure(settled)).toMatchObject({
      name: 'TaskCrashedError',
      strategy: 'process',
      reason: 'exit',
      exitCode: 7,
    });
  });

  it("passes the task's own error through, and a task's UnrecoverableError still stops the retries", async () => {
    const processor = timeboxProcessor(fail);
    const { queue } = startWorker(processor, { concurrency: 2 });
    const own = await queue.add('fail', { message: 'no such image', name: 'ImageError' });
    const unrecoverable = await queue.add(
      'fail',
      { message: 'bad input', name: 'UnrecoverableError' },
      { attempts: 3 },
    );
    const ownSettled = await settledJob(queue, own.id);
    expect(ownSettled.failedReason).toBe('no such image');
    expect(ownSettled.stacktrace![0]).toMatch(/^ImageError: no such image/);
    expect(readTaskFailure(ownSettled)).toBeUndefined();
    const unrecoverableSettled = await settledJob(queue, unrecoverable.id);
    expect(unrecoverableSettled.attemptsMade).toBe(1);
  });

  it("stops the running task when BullMQ's cancelJob aborts the job, failing it with TaskAbortedError", async () => {
    const processor = timeboxProcessor(spinAndReport, { strategy: 'process' });
    const { queue, worker } = startWorker(processor);
    const file = join(scratch, `${randomUUID()}.json`);
    const job = await queue.add('spin', { ms: 60_000, file });
    const { pid } = await readWhenWritten<{ pid: number }>(file);
    expect(isRunning(pid)).toBe(true);
    const errors: unknown[] = [];
    worker.on('failed', (_job, error) => errors.push(error));

    expect(worker.cancelJob(job.id!, 'the user cancelled the export')).toBe(true);
    const settled = await settledJob(queue, job.id);

    expect(settled.failedReason).toBe(
      "Task 'spin-and-report' was aborted by the caller's signal while it was running",
    );
    expect(readTaskFailure(settled)).toMatchObject({
      name: 'TaskAbortedError',
      phase: 'running',
      cause: 'the user cancelled the export',
    });
    expect(isTaskAbortedError(errors[0])).toBe(true);
    expect(await eventually(() => !isRunning(pid), 5_000)).toBe(true);
  });

  it('fails a cancelled job at once when aborts are unrecoverable', async () => {
    const processor = timeboxProcessor(spinAndReport, { unrecoverable: ['abort'] });
    const { queue, worker } = startWorker(processor);
    const file = join(scratch, `${randomUUID()}.json`);
    const job = await queue.add('spin', { ms: 60_000, file }, { attempts: 3 });
    await readWhenWritten(file);
    worker.cancelJob(job.id!);
    const settled = await settledJob(queue, job.id);
    expect(settled.attemptsMade).toBe(1);
    expect(settled.stacktrace![0]).toMatch(/^UnrecoverableError: /);
    expect(readTaskFailure(settled)).toMatchObject({ name: 'TaskAbortedError', phase: 'running' });
  });

  it('closes its strategies when the worker closes, stopping a task that a forced close left running', async () => {
    const processor = timeboxProcessor(spinAndReport, { strategy: 'process' });
    const { queue, worker } = startWorker(processor);
    const file = join(scratch, `${randomUUID()}.json`);
    await queue.add('spin', { ms: 60_000, file });
    const { pid } = await readWhenWritten<{ pid: number }>(file);
    expect(
      processor.timebox.strategies.find((strategy) => strategy.name === 'process')?.started,
    ).toBe(true);

    await worker.close(true);
    await processor.close();

    expect(processor.timebox.strategies.every((strategy) => !strategy.started)).toBe(true);
    expect(await eventually(() => !isRunning(pid), 5_000)).toBe(true);
    expect(await eventually(() => childrenOf(process.pid).length === 0, 5_000)).toBe(true);
  });

  it('waits for the running job when the worker closes gracefully, then closes its strategies', async () => {
    const processor = timeboxProcessor(square);
    const { queue, worker } = startWorker(processor);
    const job = await queue.add('square', { n: 3 });
    await settledJob(queue, job.id);
    expect(processor.timebox.strategies.some((strategy) => strategy.started)).toBe(true);
    await worker.close();
    await processor.close();
    expect(processor.timebox.strategies.every((strategy) => !strategy.started)).toBe(true);
  });

  it('runs jobs on a timebox passed in, and leaves it open on close', async () => {
    const timebox = createTimebox({ thread: false, process: false });
    cleanups.push(() => timebox.close());
    const processor = timeboxProcessor(square, { timebox });
    const { queue, worker } = startWorker(processor);
    const job = await queue.add('square', { n: 5 });
    expect((await settledJob(queue, job.id)).returnvalue).toBe(25);
    await worker.close();
    await processor.close();
    expect(timebox.strategies.find((strategy) => strategy.name === 'worker')?.started).toBe(true);
  });

  it('fails a job with TaskUnsupportedError when the selector of a timebox passed in picks a soft strategy', async () => {
    const alwaysSoft = defineRule('always-soft', () => ({
      strategy: 'thread',
      reason: 'this rule always picks the calling thread',
    }));
    const timebox = createTimebox({ selector: createSelector([alwaysSoft]) });
    cleanups.push(() => timebox.close());
    const processor = timeboxProcessor(square, { timebox });
    const { queue, worker } = startWorker(processor);
    const errors: unknown[] = [];
    worker.on('failed', (_job, error) => errors.push(error));
    const job = await queue.add('square', { n: 5 });
    const settled = await settledJob(queue, job.id);
    expect(settled.failedReason).toMatch(
      /^Task 'square' cannot run under the thread strategy: a job runs only under a hard strategy/,
    );
    expect(isTaskUnsupportedError(errors[0])).toBe(true);
  });

  it('reports a crash as TaskCrashedError, never as a timeout', async () => {
    const processor = timeboxProcessor(crash, { timeout: 100 });
    const { queue, worker } = startWorker(processor);
    const errors: unknown[] = [];
    worker.on('failed', (_job, error) => errors.push(error));
    const job = await queue.add('crash', {});
    await settledJob(queue, job.id);
    expect(isTaskCrashedError(errors[0])).toBe(true);
    expect(isTaskTimeoutError(errors[0])).toBe(false);
  });
});
