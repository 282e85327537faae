import type { Logger } from '@timebox/core';
import type { AbortRequest } from '@timebox/core/strategy-kit';
import { maximumIdleShare } from './stuck-thread.js';
import type { WorkerThread } from './worker-thread.js';

/** How a stopped thread ended: the label used in log lines. */
type Ending = 'stuck' | 'settled' | 'grace-expired' | 'unanswered' | 'no-grace' | 'exited';

const endings: Readonly<Record<Ending, string>> = {
  stuck: `was busy in synchronous code (its event loop had waited for less than ${maximumIdleShare * 100}% of the task's time and was not waiting) and was terminated at once`,
  settled: 'stopped on its own after the abort and was terminated',
  'grace-expired':
    'answered the abort but was still running at the end of the grace period and was terminated',
  unanswered:
    'did not answer the abort within the grace period (busy in synchronous code) and was terminated',
  'no-grace': 'was terminated at once (graceMs: 0)',
  exited: 'exited during the grace period',
};

/** What an escalation needs to know about the task it stops. */
export interface EscalationTask {
  /** The task's name, for the log line. */
  readonly taskName: string;
  /** Where to log. */
  readonly logger: Logger;
}

/**
 * Stops a task's thread the hard way, in steps: abort the task's signal (a message the
 * thread reads when its event loop turns), wait up to `graceMs` for the task to stop on
 * its own, terminate the thread, and log once its `exit` event confirms it is gone. A
 * thread stuck in synchronous code (see `stuck-thread.ts`) is terminated at once: it could
 * not read the abort. The caller's promise has already been rejected when this starts.
 */
export class Escalation {
  readonly #thread: WorkerThread;
  readonly #task: EscalationTask | undefined;
  readonly #cause: AbortRequest['cause'];
  readonly #startedAt = performance.now();
  #answered = false;
  #terminatedAt = 0;
  #ending: Ending | undefined;
  #timer: ReturnType<typeof setTimeout> | undefined;

  /** `stuck`: the thread is busy in synchronous code and gets no grace period. */
  constructor(
    thread: WorkerThread,
    request: AbortRequest,
    graceMs: number,
    task: EscalationTask | undefined,
    stuck: boolean,
  ) {
    this.#thread = thread;
    this.#task = task;
    this.#cause = request.cause;
    if (graceMs === 0) {
      this.#terminate('no-grace');
      return;
    }
    if (stuck) {
      this.#terminate('stuck');
      return;
    }
    thread.post({ control: 'abort', request });
    this.#timer = setTimeout(
      () => this.#terminate(this.#answered ? 'grace-expired' : 'unanswered'),
      graceMs,
    );
  }

  /** The thread read the abort and aborted the task's signal. */
  answered(): void {
    this.#answered = true;
  }

  /** The task settled after the abort: nothing is left to wait for. */
  taskSettled(): void {
    this.#terminate('settled');
  }

  /** The thread is gone: logs how and when. */
  exited(): void {
    clearTimeout(this.#timer);
    if (this.#ending === undefined) this.#ending = 'exited';
    const task = this.#task;
    if (task === undefined) return;
    const now = performance.now();
    const afterAbort = Math.round((now - this.#startedAt) * 10) / 10;
    const afterTerminate =
      this.#terminatedAt === 0 ? undefined : Math.round((now - this.#terminatedAt) * 10) / 10;
    task.logger.debug(
      `task '${task.taskName}': worker thread ${this.#thread.threadId} ${endings[this.#ending]}; gone ${afterAbort} ms after the ${this.#cause === 'timeout' ? 'deadline' : 'abort'}`,
      {
        task: task.taskName,
        threadId: this.#thread.threadId,
        cause: this.#cause,
        ending: this.#ending,
        goneAfterAbort: afterAbort,
        goneAfterTerminate: afterTerminate,
      },
    );
  }

  #terminate(ending: Ending): void {
    if (this.#ending !== undefined) return;
    this.#ending = ending;
    clearTimeout(this.#timer);
    this.#timer = undefined;
    this.#terminatedAt = performance.now();
    this.#thread.terminate();
  }
}
