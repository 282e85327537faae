import {
  type AnyTask,
  isModuleReference,
  type RuntimeContext,
  StrategyClosedError,
  type StrategyRunOptions,
  type StrategySupport,
  silentLogger,
  type Task,
  TaskAbortedError,
  TaskQueueFullError,
  type TimeoutStrategy,
} from '@timebox/core';
import { createTaskRequest, onAbort, type TaskRequest } from '@timebox/core/strategy-kit';
import { inlineFunctionSupport } from '@timebox/engine';
import { ModulePreloads } from './module-preloads.js';
import { PoolWorker, type PoolWorkerContext } from './pool-worker.js';
import { SpareThreads } from './spare-threads.js';
import { TaskJob } from './task-job.js';
import { TaskQueue } from './task-queue.js';
import { ThreadPool } from './thread-pool.js';
import {
  resolveWorkerStrategyOptions,
  type WorkerStrategyOptions,
} from './worker-strategy-options.js';
import { WorkerThread } from './worker-thread.js';

const strategyName = 'worker';
const supported: StrategySupport = Object.freeze({ supported: true });
const workersForbidden: StrategySupport = Object.freeze({
  supported: false,
  reason: 'worker threads may not be started here (the runtime context says workersAllowed: false)',
});

/**
 * The hard strategy on worker threads: runs each task in a `worker_threads` worker from a
 * pool (workerpool's `Pool`, extended) and terminates the worker when the task passes its
 * time limit. The limit counts from when a worker starts the task, not from the call.
 *
 * At the deadline the caller's promise rejects at once with `TaskTimeoutError`
 * (`stillRunning: false`); the task's signal aborts, the task gets `graceMs` to stop on its
 * own (none if its thread is stuck in synchronous code), then its thread is terminated and
 * its exit confirmed, and a warm spare takes its place. Tasks are module references (ESM or
 * CommonJS, default or named export) or self-contained functions, shipped as source; an
 * inline function reaches its signal as the free identifier `taskSignal()`.
 *
 * @example
 * ```ts
 * const strategy = workerStrategy({ maxWorkers: 2 });
 * const task = defineTask({ name: 'hash', timeout: 1_000, run: { module: new URL('./hash.js', import.meta.url) } });
 * await runTaskWithTimeout(task, [input], { strategy });
 * await strategy.close();
 * ```
 */
export function workerStrategy(options?: WorkerStrategyOptions): TimeoutStrategy {
  const settings = resolveWorkerStrategyOptions(options);
  const threads = new Set<WorkerThread>();
  const queue = new TaskQueue<TaskJob>();
  let closed = false;
  let closing: Promise<void> | undefined;

  const startThread = (): WorkerThread => {
    const thread = new WorkerThread(settings);
    if (!thread.gone) {
      threads.add(thread);
      thread.exited.then(() => threads.delete(thread));
    }
    return thread;
  };
  const dyingThread = (): WorkerThread | undefined => {
    for (const thread of threads) if (thread.dying) return thread;
    return undefined;
  };
  const preloads = new ModulePreloads();
  const spares = new SpareThreads(settings.spareWorkers, {
    startThread,
    dyingThread,
    prepareThread(thread) {
      const requests = preloads.requests();
      if (requests.length > 0) thread.post({ control: 'preload', requests });
    },
  });

  const context: PoolWorkerContext = {
    graceMs: settings.graceMs,
    idleTimeout: settings.idleTimeout,
    resourceLimits: settings.resourceLimits,
    retire(worker, why) {
      pool.retire(worker);
      if (why === 'idle' && pool.poolWorkers.length === 0 && queue.size() === 0) spares.close();
    },
    free() {
      if (queue.size() > 0) pool._next();
    },
  };

  const pool = new ThreadPool(settings.maxWorkers, queue, () => {
    const worker = new PoolWorker(spares.take() ?? startThread(), context);
    spares.scheduleRefill();
    return worker;
  });

  function callerAborted(job: TaskJob, reason: unknown): void {
    const { taskName } = job;
    switch (job.state) {
      case 'queued':
        queue.remove(job);
        job.fail(new TaskAbortedError({ taskName, phase: 'queued', cause: reason }));
        break;
      case 'starting':
        job.worker?.withdraw(
          job,
          new TaskAbortedError({ taskName, phase: 'queued', cause: reason }),
        );
        break;
      case 'running':
        job.worker?.stop(new TaskAbortedError({ taskName, phase: 'running', cause: reason }), {
          cause: 'caller',
        });
        break;
    }
  }

  function closedError(taskName: string, phase: 'queued' | 'running' | 'after-close') {
    return new StrategyClosedError({ taskName, strategy: strategyName, phase });
  }

  return {
    name: strategyName,
    enforcement: 'hard',

    supports(task: AnyTask, runtime?: RuntimeContext): StrategySupport {
      if (runtime?.workersAllowed === false) return workersForbidden;
      if (isModuleReference(task.run)) return supported;
      return inlineFunctionSupport(task.run);
    },

    run<Args extends unknown[], Result>(
      task: Task<Args, Result>,
      args: Args,
      runOptions: StrategyRunOptions,
    ): Promise<Result> {
      const taskName = task.name;
      if (closed) return Promise.reject(closedError(taskName, 'after-close'));
      let request: TaskRequest;
      try {
        request = createTaskRequest(task, args);
      } catch (error) {
        return Promise.reject(error);
      }
      preloads.note(task as unknown as AnyTask, request);
      const { signal } = runOptions;
      if (signal?.aborted) {
        return Promise.reject(
          new TaskAbortedError({ taskName, phase: 'before-start', cause: signal.reason }),
        );
      }
      return new Promise<Result>((resolve, reject) => {
        const job = new TaskJob(
          taskName,
          request,
          runOptions.timeout,
          runOptions.logger ?? silentLogger,
          resolve as (value: unknown) => void,
          reject,
        );
        if (signal !== undefined) {
          job.stopListening = onAbort(signal, () => callerAborted(job, signal.reason));
        }
        const idle = queue.size() === 0 ? pool.idleWorker() : undefined;
        if (idle !== undefined) {
          idle.run(job);
          return;
        }
        pool.exec('run', null, job);
        if (job.state === 'queued' && queue.size() > settings.maxQueue) {
          queue.remove(job);
          job.fail(
            new TaskQueueFullError({
              taskName,
              strategy: strategyName,
              maxQueue: settings.maxQueue,
            }),
          );
        }
      });
    },

    close(): Promise<void> {
      closing ??= (async () => {
        closed = true;
        for (const job of queue.drain()) job.fail(closedError(job.taskName, 'queued'));
        for (const worker of [...pool.poolWorkers]) worker.close(closedError);
        spares.close();
        await pool.terminate(true);
        await Promise.all([...threads].map((thread) => thread.exited));
      })();
      return closing;
    },
  };
}
