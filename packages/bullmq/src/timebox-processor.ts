import { describeValue } from '@timebox/core/strategy-kit';
import type { Job } from 'bullmq';
import {
  type AnyTask,
  createTimebox,
  isTask,
  type Task,
  TaskUnsupportedError,
  type Timebox,
  type TimeoutStrategy,
} from 'timebox';
import { jobFailure } from './job-failure.js';
import { jobMetadata } from './job-metadata.js';
import { type JobTaskSource, prepareJobRun } from './job-run.js';
import {
  type HardStrategyName,
  type ResolvedTimeboxProcessorOptions,
  resolveTimeboxProcessorOptions,
  type TimeboxProcessorOptions,
} from './timebox-processor-options.js';

/** Anything that emits BullMQ's `closed` event once, such as a BullMQ `Worker`. */
export interface ClosableWorker {
  /** Registers a listener for the worker's `closed` event. */
  once(event: 'closed', listener: () => void): unknown;
}

/**
 * A BullMQ processor that runs each job's task under a hard timebox strategy. Pass it to
 * `new Worker(queueName, processor, options)`.
 */
export interface TimeboxProcessor<Data = unknown, Result = unknown> {
  /**
   * Runs the job's task in a worker thread or child process with the job's time limit, and
   * resolves with its result (the job's return value) or rejects with what fails the job:
   * `TaskTimeoutError`, `TaskCrashedError`, `TaskAbortedError` (BullMQ's `cancelJob`), the
   * task's own error, or BullMQ's `UnrecoverableError` for the kinds listed in the
   * `unrecoverable` option.
   */
  (job: Job<Data, Result>, token?: string, signal?: AbortSignal): Promise<Result>;
  /**
   * Closes the strategies of the processor's own timebox: worker threads and child
   * processes end. A `timebox` or `strategy` passed in options stays open (it is yours).
   * Safe to call more than once; a later job starts the strategies again.
   */
  close(): Promise<void>;
  /**
   * Closes the processor when `worker` emits `closed` (after `worker.close()` has waited
   * for its running jobs, or at once after `worker.close(true)`), and returns `worker`.
   * `await processor.close()` after `await worker.close()` waits for the strategies to end.
   */
  closeWith<W extends ClosableWorker>(worker: W): W;
  /** The timebox that runs the jobs: `explain(task, { timeout })` tells which strategy a task gets and why. */
  readonly timebox: Timebox;
}

/**
 * Makes a BullMQ processor that runs every job under timebox with a hard strategy: the
 * job's task runs in a worker thread (or a child process) that is stopped at the job's time
 * limit, so the worker's event loop stays free, BullMQ keeps renewing the job's lock, and a
 * runaway job fails with `TaskTimeoutError` instead of stalling. Retries, backoff, events
 * and rate limits stay BullMQ's.
 *
 * `task` is a task made by `defineTask()` (a module task or a self-contained function), or
 * a function that picks the task for a job. Every job needs a finite time limit: from the
 * `jobTimeout` option, the `timeout` option or the task's own `timeout`.
 *
 * @example
 * ```ts
 * const resize = defineTask({
 *   name: 'resize',
 *   timeout: 30_000,
 *   run: { module: new URL('./resize.js', import.meta.url), export: 'resize' },
 * });
 * const processor = timeboxProcessor(resize, { worker: { maxWorkers: 4 } });
 * const worker = processor.closeWith(new Worker('images', processor, { connection, concurrency: 4 }));
 * ```
 */
export function timeboxProcessor<Args extends unknown[], Result, Data = Args[0]>(
  task: Task<Args, Result> | ((job: Job<Data, Result>) => Task<Args, Result>),
  options?: TimeboxProcessorOptions<Data, Args>,
): TimeboxProcessor<Data, Result> {
  const source = taskSource<Data>(task);
  const resolved = resolveTimeboxProcessorOptions(options) as ResolvedTimeboxProcessorOptions<
    Data,
    unknown[]
  >;
  if (isTask(source) && source.timeout === Infinity) {
    requireSomeLimit(source.name, resolved.timeout, resolved.jobTimeout);
  }
  const ownTimebox =
    resolved.timebox === undefined
      ? createTimebox({
          thread: false,
          worker: resolved.worker,
          process: resolved.process,
          closures: 'reject',
          ...(resolved.selector === undefined ? {} : { selector: resolved.selector }),
          ...(resolved.logger === undefined ? {} : { logger: resolved.logger }),
        })
      : undefined;
  const timebox = resolved.timebox ?? ownTimebox!;
  let closing: Promise<void> | undefined;

  function strategyFor(runTask: AnyTask, timeout: number): TimeoutStrategy | HardStrategyName {
    if (resolved.strategy !== undefined) return resolved.strategy;
    const selection = timebox.explain(runTask, { timeout });
    if (selection.strategy !== null && selection.enforcement === 'hard') {
      return selection.strategy;
    }
    throw new TaskUnsupportedError({
      taskName: runTask.name,
      strategy: selection.name,
      reason: `a job runs only under a hard strategy, so that the worker's event loop stays free, and the selector chose the ${selection.enforcement} ${selection.name} strategy (${selection.reason})`,
    });
  }

  // Three declared parameters: BullMQ passes its cancellation signal only to a processor
  // whose length is at least 3.
  async function processJob(
    job: Job<Data, Result>,
    _token: string | undefined,
    signal: AbortSignal | undefined,
  ): Promise<Result> {
    try {
      const run = prepareJobRun(job as Job<Data>, source, resolved);
      return (await timebox.runTaskWithTimeout(run.task as Task<unknown[], Result>, run.args, {
        strategy: strategyFor(run.task, run.timeout),
        signal,
        timeout: run.timeout,
        logger: resolved.logger,
        metadata: jobMetadata(job),
      })) as Result;
    } catch (error) {
      throw jobFailure(error, resolved.unrecoverable);
    }
  }

  function close(): Promise<void> {
    if (ownTimebox === undefined) return Promise.resolve();
    closing ??= ownTimebox.close().finally(() => {
      closing = undefined;
    });
    return closing;
  }

  return Object.assign(processJob, {
    close,
    closeWith<W extends ClosableWorker>(worker: W): W {
      if (typeof (worker as Partial<ClosableWorker> | null)?.once !== 'function') {
        throw new TypeError(
          `closeWith() expects a BullMQ Worker (anything with once('closed', listener)), got ${describeValue(worker)}`,
        );
      }
      worker.once('closed', () => {
        close().catch((error: unknown) => {
          if (resolved.logger !== undefined) {
            resolved.logger.error('closing the timebox strategies failed', { error });
          } else {
            process.emitWarning(
              `closing the timebox strategies after the worker closed failed: ${String(error)}`,
            );
          }
        });
      });
      return worker;
    },
    timebox,
  }) as TimeboxProcessor<Data, Result>;
}

function taskSource<Data>(task: unknown): JobTaskSource<Data> {
  if (isTask(task)) return task;
  if (typeof task === 'function') return task as (job: Job<Data>) => AnyTask;
  throw new TypeError(
    `timeboxProcessor() expects a task made by defineTask(), or a function from the job to a task, got ${describeValue(task)}`,
  );
}

function requireSomeLimit(taskName: string, timeout: unknown, jobTimeout: unknown): void {
  if (timeout === undefined && jobTimeout === undefined) {
    throw new RangeError(
      `timeboxProcessor(): task '${taskName}' has no time limit; give it a timeout (in defineTask, or the processor's timeout or jobTimeout option) so that a runaway job is stopped`,
    );
  }
}
