import type { ResourceLimits } from 'node:worker_threads';
import {
  type CrashReason,
  TaskCrashedError,
  TaskSerializationError,
  TaskTimeoutError,
} from '@timebox/core';
import {
  type AbortRequest,
  deserializeThrown,
  elapsedSince,
  type LongTimeout,
  maximumTimerDelay,
  setLongTimeout,
  type TaskResponse,
} from '@timebox/core/strategy-kit';
import { crashDetail } from './crash-details.js';
import { Escalation } from './escalation.js';
import { stuckInSynchronousCode } from './stuck-thread.js';
import type { TaskJob } from './task-job.js';
import type { WorkerMessage } from './wire-messages.js';
import type { ThreadListener, WorkerThread } from './worker-thread.js';
import {
  type PoolPromise,
  PoolPromiseClass,
  type PoolResolver,
  type PoolWorkerHandler,
} from './workerpool-internals.js';

/** What every worker of a strategy shares. */
export interface PoolWorkerContext {
  /** See `WorkerStrategyOptions.graceMs`. */
  readonly graceMs: number;
  /** See `WorkerStrategyOptions.idleTimeout`. */
  readonly idleTimeout: number;
  /** The thread limits, named in out-of-memory errors. */
  readonly resourceLimits: ResourceLimits | undefined;
  /**
   * Takes a worker out of the pool: `finished` when it stopped a task, crashed or exited
   * (the pool refills its slot), `idle` when it idled past `idleTimeout`.
   */
  retire(worker: PoolWorker, why: 'finished' | 'idle'): void;
  /** A worker took its job directly (not from the pool's queue) and is free again. */
  free(): void;
}

/**
 * Drives one worker thread for workerpool's `Pool` (it replaces workerpool's own
 * `WorkerHandler`): runs one task at a time with its deadline counted from when the thread
 * starts it, stops it the hard way at the deadline or when the caller aborts, and turns a
 * dying thread into `TaskCrashedError` at once. A worker that stopped or lost a task is
 * never reused: it reports itself `terminated`, so the pool drops it and takes a spare.
 */
export class PoolWorker implements PoolWorkerHandler<TaskJob>, ThreadListener {
  /** Whether this worker is finished (stopped, crashed or retired); the pool drops it. */
  terminated = false;
  readonly #thread: WorkerThread;
  readonly #context: PoolWorkerContext;
  readonly #exitCallbacks: Array<(error: Error | null) => void> = [];
  readonly #onDeadline = (): void => this.#deadlinePassed();
  readonly #onIdleTimer = (): void => this.#idleTimerFired();
  #job: TaskJob | undefined;
  #resolver: PoolResolver | undefined;
  #deadline: ReturnType<typeof setTimeout> | undefined;
  #longDeadline: LongTimeout | undefined;
  #escalation: Escalation | undefined;
  #crashed = false;
  #retired = false;
  #referenced = false;
  #idleSince = 0;
  #idleTimer: ReturnType<typeof setTimeout> | undefined;

  constructor(thread: WorkerThread, context: PoolWorkerContext) {
    this.#thread = thread;
    this.#context = context;
    thread.listen(this);
  }

  /** Whether it holds a task or is finished; the pool hands tasks only to workers that are not. */
  busy(): boolean {
    return this.#job !== undefined || this.terminated;
  }

  /** Takes a job from the pool's queue; the returned promise settles when the worker is free or dead. */
  exec(
    _method: string,
    _params: unknown[] | null,
    resolver: PoolResolver,
    job: TaskJob,
  ): PoolPromise {
    this.#resolver = resolver;
    this.#take(job);
    return resolver.promise;
  }

  /** Takes a job directly, when the worker is idle and no job waits in the queue. */
  run(job: TaskJob): void {
    this.#resolver = undefined;
    this.#take(job);
  }

  /** The thread is ready: starts the job that waited for it. */
  onReady(): void {
    const job = this.#job;
    if (job !== undefined && job.state === 'starting') this.#start(job);
  }

  /** A response or event from the thread. */
  onMessage(message: WorkerMessage): void {
    if ('outcome' in message) {
      this.#responded(message);
    } else if (message.event === 'abort-received') {
      this.#escalation?.answered();
    } else if (message.event === 'uncaught-exception') {
      this.#crash('uncaught-exception', deserializeThrown(message.error), undefined);
    }
  }

  /** The thread died of an error: out of memory, an uncaught exception, or a failed start. */
  onError(error: Error): void {
    if (this.#crashed || this.#escalation !== undefined || this.#retired) return;
    const outOfMemory = (error as { code?: unknown }).code === 'ERR_WORKER_OUT_OF_MEMORY';
    this.#crash(outOfMemory ? 'out-of-memory' : 'uncaught-exception', error, undefined);
  }

  /** The thread is gone. */
  onExit(exitCode: number): void {
    this.#clearDeadline();
    clearTimeout(this.#idleTimer);
    this.#idleTimer = undefined;
    if (this.#escalation !== undefined) this.#escalation.exited();
    else if (!this.#crashed && !this.#retired) this.#crash('exit', undefined, exitCode);
    this.terminated = true;
    for (const callback of this.#exitCallbacks.splice(0)) callback(null);
  }

  /**
   * Stops the running task the hard way with `error` for the caller: rejects at once, then
   * aborts the task's signal with `request`, gives it the grace period, terminates the
   * thread. A task whose thread is still starting is handed back instead (see
   * {@link withdraw}).
   */
  stop(error: unknown, request: AbortRequest): void {
    const job = this.#job;
    if (job === undefined || this.#escalation !== undefined || this.#crashed) return;
    this.#clearDeadline();
    this.#job = undefined;
    const resolver = this.#resolver;
    this.#resolver = undefined;
    this.terminated = true;
    const stuck = stuckInSynchronousCode(this.#thread, job.startedAt, job.idleAtStart);
    this.#escalation = new Escalation(this.#thread, request, this.#context.graceMs, job, stuck);
    this.#lost(resolver, error);
    job.fail(error);
  }

  /** Gives back a job whose thread has not started it yet, rejecting it with `error`. */
  withdraw(job: TaskJob, error: unknown): void {
    if (this.#job !== job || job.state !== 'starting') return;
    this.#job = undefined;
    const resolver = this.#resolver;
    this.#resolver = undefined;
    this.#released(resolver);
    job.fail(error);
  }

  /**
   * For the strategy's `close()`: stops a running task (its signal aborts with a
   * `StrategyClosedError`) or hands back one whose thread had not started it, rejecting it with
   * `closedError(taskName, phase)`.
   */
  close(closedError: (taskName: string, phase: 'queued' | 'running') => unknown): void {
    const job = this.#job;
    if (job === undefined) return;
    if (job.state === 'starting') this.withdraw(job, closedError(job.taskName, 'queued'));
    else this.stop(closedError(job.taskName, 'running'), { cause: 'closed', strategy: 'worker' });
  }

  /** workerpool's call to end the worker; `callback` runs once the thread is gone. */
  terminate(_force: boolean, callback?: (error: Error | null) => void): void {
    if (callback !== undefined) {
      if (this.#thread.gone) callback(null);
      else this.#exitCallbacks.push(callback);
    }
    if (this.#thread.gone || this.#escalation !== undefined || this.#job !== undefined) return;
    this.#retired = true;
    this.terminated = true;
    clearTimeout(this.#idleTimer);
    this.#idleTimer = undefined;
    this.#thread.terminate();
  }

  /** Like {@link terminate}, as a workerpool promise. */
  terminateAndNotify(force: boolean): PoolPromise {
    return new PoolPromiseClass((resolve) => this.terminate(force, () => resolve(this)));
  }

  #take(job: TaskJob): void {
    this.#job = job;
    job.worker = this;
    // While a task runs, something must keep the host process alive: its deadline timer
    // does once it starts; until then, and for a task without a limit, the thread does.
    if (!this.#thread.ready || job.timeout > maximumTimerDelay) this.#reference();
    if (this.#thread.ready) {
      this.#start(job);
    } else {
      job.state = 'starting';
      if (this.#thread.gone || this.#thread.error !== undefined) {
        this.#crash('spawn-failed', this.#thread.error, undefined);
      }
    }
  }

  #reference(): void {
    if (this.#referenced) return;
    this.#referenced = true;
    this.#thread.ref();
  }

  /** The job is done and the worker healthy: tells whoever handed it the job. */
  #released(resolver: PoolResolver | undefined): void {
    if (this.#referenced) {
      this.#referenced = false;
      this.#thread.unref();
    }
    this.#becameIdle();
    if (resolver !== undefined) resolver.resolve();
    else this.#context.free();
  }

  /** The worker is finished (stopped or crashed) while holding a job. */
  #lost(resolver: PoolResolver | undefined, error: unknown): void {
    if (resolver !== undefined) resolver.reject(error);
    else this.#context.retire(this, 'finished');
  }

  #start(job: TaskJob): void {
    job.state = 'running';
    job.startedAt = performance.now();
    job.idleAtStart = this.#thread.idleTime();
    try {
      this.#thread.post(job.request);
    } catch (error) {
      this.#refused(job, error);
      return;
    }
    const timeout = job.timeout;
    if (timeout <= maximumTimerDelay) this.#deadline = setTimeout(this.#onDeadline, timeout);
    else if (timeout !== Infinity) this.#longDeadline = setLongTimeout(this.#onDeadline, timeout);
  }

  #responded(response: TaskResponse): void {
    const job = this.#job;
    if (job === undefined || job.state !== 'running') {
      this.#escalation?.taskSettled();
      return;
    }
    this.#clearDeadline();
    const resolver = this.#resolver;
    this.#job = undefined;
    this.#resolver = undefined;
    this.#released(resolver);
    job.settleWith(response);
  }

  #deadlinePassed(): void {
    this.#deadline = undefined;
    const job = this.#job;
    if (job === undefined || job.state !== 'running') return;
    const elapsed = elapsedSince(job.startedAt);
    const error = new TaskTimeoutError({
      taskName: job.taskName,
      timeout: job.timeout,
      elapsed,
      strategy: 'worker',
      enforcement: 'hard',
    });
    this.stop(error, { cause: 'timeout', timeout: job.timeout, elapsed, strategy: 'worker' });
  }

  /** postMessage refused the request (an argument the cloneability check let through). */
  #refused(job: TaskJob, error: unknown): void {
    this.#job = undefined;
    const resolver = this.#resolver;
    this.#resolver = undefined;
    this.#released(resolver);
    job.fail(
      new TaskSerializationError({
        taskName: job.taskName,
        subject: 'argument',
        path: 'args',
        reason: `postMessage refused it: ${error instanceof Error ? error.message : String(error)}`,
        cause: error,
      }),
    );
  }

  #crash(reason: CrashReason, cause: unknown, exitCode: number | undefined): void {
    if (this.#crashed) return;
    this.#crashed = true;
    this.terminated = true;
    this.#clearDeadline();
    const job = this.#job;
    const resolver = this.#resolver;
    this.#job = undefined;
    this.#resolver = undefined;
    const crashReason: CrashReason =
      this.#thread.ready || reason === 'out-of-memory' ? reason : 'spawn-failed';
    if (job !== undefined) {
      const error = new TaskCrashedError({
        taskName: job.taskName,
        strategy: 'worker',
        reason: crashReason,
        exitCode: exitCode ?? null,
        threadId: this.#thread.threadId,
        detail: crashDetail(crashReason, cause, exitCode, this.#context.resourceLimits),
        ...(cause === undefined ? {} : { cause }),
      });
      this.#lost(resolver, error);
      job.fail(error);
    } else {
      this.#context.retire(this, 'finished');
    }
    this.#thread.terminate();
  }

  #clearDeadline(): void {
    if (this.#deadline !== undefined) {
      clearTimeout(this.#deadline);
      this.#deadline = undefined;
    }
    if (this.#longDeadline !== undefined) {
      this.#longDeadline.clear();
      this.#longDeadline = undefined;
    }
  }

  #becameIdle(): void {
    const idleTimeout = this.#context.idleTimeout;
    if (idleTimeout === Infinity) return;
    this.#idleSince = performance.now();
    if (this.#idleTimer === undefined) this.#armIdleTimer(idleTimeout);
  }

  #armIdleTimer(delay: number): void {
    this.#idleTimer = setTimeout(this.#onIdleTimer, Math.min(delay, maximumTimerDelay));
    this.#idleTimer.unref();
  }

  #idleTimerFired(): void {
    this.#idleTimer = undefined;
    if (this.busy()) return;
    const idleFor = performance.now() - this.#idleSince;
    const idleTimeout = this.#context.idleTimeout;
    if (idleFor + 1 < idleTimeout) {
      this.#armIdleTimer(idleTimeout - idleFor);
      return;
    }
    this.#retired = true;
    this.terminated = true;
    this.#context.retire(this, 'idle');
  }
}
