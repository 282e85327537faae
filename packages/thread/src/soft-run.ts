import {
  type AnyTask,
  type Logger,
  StrategyClosedError,
  TaskAbortedError,
  TaskTimeoutError,
} from '@timebox/core';
import {
  elapsedSince,
  type LongTimeout,
  maximumTimerDelay,
  onAbort,
  setLongTimeout,
  TaskContext,
} from '@timebox/core/strategy-kit';
import { type OverrunReporter, reportLateOutcome, reportOverrun } from './overrun-reporter.js';

/** What one run under the thread strategy needs to know. */
export interface SoftRunFacts {
  /** The task. */
  readonly task: AnyTask;
  /** The limit in milliseconds. */
  readonly timeout: number;
  /** The caller's signal. */
  readonly signal: AbortSignal | undefined;
  /** Where to log. */
  readonly logger: Logger;
  /** See `ThreadStrategyOptions.overrunWarningAfter`. */
  readonly overrunWarningAfter: number;
}

/**
 * The runs a thread strategy has in flight, as a linked list (adding and removing one costs
 * no allocation and no hashing), so that `close()` can reach them.
 */
export class RunningRuns {
  /** The most recently started run. */
  first: SoftRun | undefined;

  /** Rejects every run in flight with `StrategyClosedError`. */
  closeAll(): void {
    while (this.first !== undefined) this.first.close();
  }
}

/**
 * One run under the thread strategy: races the task against its deadline, the caller's
 * signal and the strategy's `close()`. The first of them settles the caller's promise; the
 * deadline also wins over an outcome that arrives after it.
 */
export class SoftRun {
  /** The task's context: its signal and its deadline. */
  readonly context: TaskContext;
  /** Neighbours in {@link RunningRuns}. */
  previous: SoftRun | undefined;
  /** Neighbours in {@link RunningRuns}. */
  next: SoftRun | undefined;
  readonly #facts: SoftRunFacts;
  readonly #started: number;
  readonly #runs: RunningRuns;
  readonly #resolve: (value: unknown) => void;
  readonly #reject: (reason: unknown) => void;
  #waiting = true;
  #timer: ReturnType<typeof setTimeout> | undefined;
  #longTimer: LongTimeout | undefined;
  #stopListening: (() => void) | undefined;
  #overrun: OverrunReporter | undefined;

  constructor(
    facts: SoftRunFacts,
    runs: RunningRuns,
    resolve: (value: unknown) => void,
    reject: (reason: unknown) => void,
  ) {
    this.#facts = facts;
    this.#runs = runs;
    this.#resolve = resolve;
    this.#reject = reject;
    this.#started = performance.now();
    this.context = new TaskContext(facts.task.name, this.#started + facts.timeout);
    const onDeadline = (): void => this.#onDeadline(onDeadline);
    if (facts.timeout <= maximumTimerDelay) this.#timer = setTimeout(onDeadline, facts.timeout);
    else this.#longTimer = setLongTimeout(onDeadline, facts.timeout);
    if (facts.signal !== undefined) {
      this.#stopListening = onAbort(facts.signal, () => this.#onCallerAbort());
    }
    this.next = runs.first;
    if (runs.first !== undefined) runs.first.previous = this;
    runs.first = this;
  }

  /** The task resolved with `value`. */
  fulfilled(value: unknown): void {
    if (this.#outcomeArrived('fulfilled')) this.#resolve(value);
  }

  /** The task threw or rejected with `error`. */
  rejected(error: unknown): void {
    if (this.#outcomeArrived('rejected')) this.#reject(error);
  }

  /** The strategy closed: the caller gets `StrategyClosedError`, the task's signal aborts. */
  close(): void {
    this.#stopWaiting();
    const error = new StrategyClosedError({
      taskName: this.#facts.task.name,
      strategy: 'thread',
      phase: 'running',
    });
    this.context.abort(error);
    this.#reject(error);
  }

  /** Whether the caller should get this outcome; false after the deadline or an abort. */
  #outcomeArrived(outcome: 'fulfilled' | 'rejected'): boolean {
    if (!this.#waiting) {
      this.#overrun?.settled(outcome);
      return false;
    }
    this.#stopWaiting();
    const { task, timeout, logger } = this.#facts;
    if (performance.now() - this.#started < timeout) return true;
    // The outcome came after the deadline (the task blocked the thread, so the timer could
    // not fire): the deadline wins, as under every strategy.
    this.#reject(this.#timeOut());
    reportLateOutcome({ taskName: task.name, timeout, start: this.#started, logger }, outcome);
    return false;
  }

  #onDeadline(onDeadline: () => void): void {
    const { task, timeout, logger, overrunWarningAfter } = this.#facts;
    const left = timeout - (performance.now() - this.#started);
    if (left > 0) {
      // Node's timers count whole milliseconds: this one fired just before the deadline.
      this.#timer = setTimeout(onDeadline, left);
      return;
    }
    this.#stopWaiting();
    const error = this.#timeOut();
    this.#overrun = reportOverrun(
      { taskName: task.name, timeout, start: this.#started, logger },
      overrunWarningAfter,
    );
    this.#reject(error);
  }

  #onCallerAbort(): void {
    this.#stopWaiting();
    const error = new TaskAbortedError({
      taskName: this.#facts.task.name,
      phase: 'running',
      cause: this.#facts.signal?.reason,
    });
    this.context.abort(error);
    this.#reject(error);
  }

  #timeOut(): TaskTimeoutError {
    const error = new TaskTimeoutError({
      taskName: this.#facts.task.name,
      timeout: this.#facts.timeout,
      elapsed: elapsedSince(this.#started),
      strategy: 'thread',
      enforcement: 'soft',
    });
    this.context.abort(error);
    return error;
  }

  #stopWaiting(): void {
    this.#waiting = false;
    clearTimeout(this.#timer);
    this.#longTimer?.clear();
    this.#stopListening?.();
    const runs = this.#runs;
    if (this.previous === undefined) {
      if (runs.first === this) runs.first = this.next;
    } else {
      this.previous.next = this.next;
    }
    if (this.next !== undefined) this.next.previous = this.previous;
    this.previous = undefined;
    this.next = undefined;
  }
}
