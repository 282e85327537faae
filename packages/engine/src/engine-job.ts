import type { Logger } from '@timebox/core';
import {
  settleTaskResponse,
  type TaskRequest,
  type TaskResponse,
} from '@timebox/core/strategy-kit';
import type { RunnerSlot } from './runner-slot.js';

/**
 * Where a job is: waiting in the queue, handed to a runner that is still starting, sent
 * ahead to a busy runner that prefetches (it waits there for the task before it), running
 * (its runner's deadline set), or settled.
 */
export type JobState = 'queued' | 'starting' | 'sent' | 'running' | 'settled';

/** One call of a strategy's `run`: the request to send, its limit, the caller's promise. */
export class EngineJob {
  /** The task's name, for errors and logs. */
  readonly taskName: string;
  /** What the runner runs. */
  readonly request: TaskRequest;
  /** The time limit in milliseconds, counted from the start of execution. */
  readonly timeout: number;
  /** The run's logger; lines about this task go there. */
  readonly logger: Logger;
  /** When the call was made (a `performance.now()` reading). */
  readonly calledAt = performance.now();
  /** Where the job is. */
  state: JobState = 'queued';
  /** Whether it runs on a runner no task used before, retired after it (`isolate`). */
  isolate = false;
  /** When a runner started it. */
  startedAt = 0;
  /** Set when its deadline timer fired late and the engine read waiting answers first. */
  deadlineDeferred = false;
  /** The runner slot holding it while it starts, waits there (sent ahead) or runs. */
  holder: RunnerSlot | undefined;
  /** Which request of its runner it is (`Runner.send`'s ticket), once sent. */
  ticket = -1;
  /**
   * Set when the caller aborted it after it was sent ahead and it could not be taken back
   * (it had started): the abort is applied as soon as the engine sees it running.
   */
  abortWhenCurrent: { readonly reason: unknown } | undefined;
  /** Stops listening to the caller's signal. */
  stopListening: (() => void) | undefined;
  /** The job before it in the queue. */
  previous: EngineJob | undefined;
  /** The job after it in the queue. */
  next: EngineJob | undefined;
  readonly #resolve: (value: unknown) => void;
  readonly #reject: (reason: unknown) => void;

  constructor(
    request: TaskRequest,
    timeout: number,
    logger: Logger,
    resolve: (value: unknown) => void,
    reject: (reason: unknown) => void,
  ) {
    this.taskName = request.taskName;
    this.request = request;
    this.timeout = timeout;
    this.logger = logger;
    this.#resolve = resolve;
    this.#reject = reject;
  }

  /** Settles the caller's promise with what the runner answered. */
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
    this.stopListening?.();
    this.stopListening = undefined;
    return true;
  }
}
