import type { Logger } from '@timebox/core';
import {
  settleTaskResponse,
  type TaskRequest,
  type TaskResponse,
} from '@timebox/core/strategy-kit';
import type { PoolWorker } from './pool-worker.js';
import type { QueueEntry } from './task-queue.js';

/**
 * Where a job is: waiting in the queue, handed to a worker whose thread is still starting,
 * running on a worker (its deadline armed), or settled.
 */
export type JobState = 'queued' | 'starting' | 'running' | 'settled';

/** One call of `run`: the request to send, its limit, and the caller's promise to settle. */
export class TaskJob {
  /** The task's name, for errors and logs. */
  readonly taskName: string;
  /** What the worker runs. */
  readonly request: TaskRequest;
  /** The time limit in milliseconds, counted from the start of execution. */
  readonly timeout: number;
  /** Where to log; every line names the task. */
  readonly logger: Logger;
  /** Where the job is. */
  state: JobState = 'queued';
  /** When the worker started it (a `performance.now()` reading). */
  startedAt = 0;
  /** How long the worker's event loop had waited in all when the job started (ms). */
  idleAtStart = 0;
  /** The worker it was handed to. */
  worker: PoolWorker | undefined;
  /** Its place in the queue while it waits. */
  queueEntry: QueueEntry<TaskJob> | undefined;
  /** Stops listening to the caller's signal. */
  stopListening: (() => void) | undefined;
  readonly #resolve: (value: unknown) => void;
  readonly #reject: (reason: unknown) => void;

  constructor(
    taskName: string,
    request: TaskRequest,
    timeout: number,
    logger: Logger,
    resolve: (value: unknown) => void,
    reject: (reason: unknown) => void,
  ) {
    this.taskName = taskName;
    this.request = request;
    this.timeout = timeout;
    this.logger = logger;
    this.#resolve = resolve;
    this.#reject = reject;
  }

  /** Settles the caller's promise with what the worker answered. */
  settleWith(response: TaskResponse): void {
    if (!this.#settle()) return;
    try {
      this.#resolve(settleTaskResponse(this.taskName, response));
    } catch (error) {
      this.#reject(error);
    }
  }

  /** Rejects the caller's promise with `error` (a timeout, a crash, an abort…). */
  fail(error: unknown): void {
    if (this.#settle()) this.#reject(error);
  }

  #settle(): boolean {
    if (this.state === 'settled') return false;
    this.state = 'settled';
    this.worker = undefined;
    this.stopListening?.();
    return true;
  }
}
