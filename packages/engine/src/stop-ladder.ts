import { type AbortRequest, type LongTimeout, setLongTimeout } from '@timebox/core/strategy-kit';
import type { Runner, RunnerExit } from './runner.js';

/** How a stopped runner ended: the label in log lines and stop reports. */
export type StopEnding =
  | 'stuck'
  | 'settled'
  | 'grace-expired'
  | 'unanswered'
  | 'no-grace'
  | 'exited'
  | 'retired';

const endingSentences: Readonly<Record<StopEnding, string>> = {
  stuck: 'was busy in synchronous code, could not hear the abort, and was stopped at once',
  settled: 'stopped on its own after the abort and was ended',
  'grace-expired':
    'answered the abort but was still running at the end of the grace period and was stopped',
  unanswered: 'did not answer the abort within the grace period and was stopped',
  'no-grace': 'was stopped at once (graceMs: 0)',
  exited: 'exited during the grace period',
  retired: 'was ended without a task',
};

/** What became of a stop: sent to whoever waits on it, and to `TaskTimeoutError.stopped`. */
export interface StopOutcome {
  /** Whether the runner was confirmed gone within `exitTimeout`. */
  readonly confirmed: boolean;
  /** Whether the stop had to be forced. */
  readonly forced: boolean;
  /** Milliseconds from the start of the stop to the confirmation (or to giving up). */
  readonly afterMs: number;
  /** How it ended. */
  readonly ending: StopEnding;
  /** Milliseconds from `runner.stop()` to the confirmation, when it was stopped. */
  readonly afterStopMs: number | undefined;
  /** Why it could not be confirmed gone, when it was not. */
  readonly reason?: string;
  /** The runner's warning about the stop, if it gave one. */
  readonly warning?: string;
}

/** How a stop goes. */
export interface StopPlan {
  /** The abort to send first; none for a runner without a task. */
  readonly abort: AbortRequest | undefined;
  /** Milliseconds the task gets to stop on its own after the abort; `Infinity` waits for it. */
  readonly graceMs: number;
  /** Milliseconds to wait for the runner's exit after `stop()` before giving up on it. */
  readonly exitTimeout: number;
  /** Hears the outcome once. */
  readonly finished: (outcome: StopOutcome) => void;
}

/**
 * Stops a runner in steps: abort the task's signal, wait up to `graceMs` for the task to
 * stop on its own (skipped when the runner says it cannot hear the abort now), stop the
 * runner, and wait for its confirmed exit — at most `exitTimeout`, after which it is given
 * up on and reported unconfirmed. The caller's promise has already settled when this starts.
 */
export class StopLadder {
  readonly #runner: Runner;
  readonly #plan: StopPlan;
  readonly #startedAt = performance.now();
  #answered = false;
  #stoppedAt = 0;
  #ending: StopEnding | undefined;
  #timer: LongTimeout | undefined;
  #done = false;

  constructor(runner: Runner, plan: StopPlan) {
    this.#runner = runner;
    this.#plan = plan;
    const { abort, graceMs } = plan;
    if (abort === undefined) this.#stop('retired', true);
    else if (graceMs === 0) this.#stop('no-grace', false);
    else if (runner.canHearAbort() === false) this.#stop('stuck', false);
    else {
      runner.abort(abort);
      this.#timer = setLongTimeout(
        () => this.#stop(this.#answered ? 'grace-expired' : 'unanswered', false),
        graceMs,
      );
    }
  }

  /** Whether `stop()` was called on the runner (past the abort and the grace period). */
  get terminating(): boolean {
    return this.#ending !== undefined && !this.#done;
  }

  /** The runner read the abort. */
  abortHeard(): void {
    this.#answered = true;
  }

  /** The task settled after the abort: nothing is left to wait for. */
  taskEnded(): void {
    this.#stop('settled', true);
  }

  /** The runner is gone. */
  exited(exit: RunnerExit): void {
    if (this.#ending === undefined) this.#ending = 'exited';
    this.#finish({
      confirmed: exit.unconfirmed === undefined,
      forced: exit.forced,
      ...(exit.unconfirmed === undefined ? {} : { reason: exit.unconfirmed }),
      ...(exit.warning === undefined ? {} : { warning: exit.warning }),
    });
  }

  #stop(ending: StopEnding, taskEnded: boolean): void {
    if (this.#ending !== undefined) return;
    this.#ending = ending;
    this.#timer?.clear();
    this.#stoppedAt = performance.now();
    const exitTimeout = this.#plan.exitTimeout;
    this.#timer = setLongTimeout(
      () =>
        this.#finish({
          confirmed: false,
          forced: true,
          reason: `${this.#runner.label} was not confirmed gone ${exitTimeout} ms after it was stopped (a thread blocked in a system call cannot be stopped)`,
        }),
      exitTimeout,
      { keepsHostAlive: false },
    );
    this.#runner.stop(taskEnded);
  }

  #finish(result: {
    confirmed: boolean;
    forced: boolean;
    reason?: string;
    warning?: string;
  }): void {
    if (this.#done) return;
    this.#done = true;
    this.#timer?.clear();
    const now = performance.now();
    this.#plan.finished({
      ...result,
      afterMs: round(now - this.#startedAt),
      ending: this.#ending ?? 'exited',
      afterStopMs: this.#stoppedAt === 0 ? undefined : round(now - this.#stoppedAt),
    });
  }
}

/** The sentence a log line uses for an ending. */
export function describeEnding(ending: StopEnding): string {
  return endingSentences[ending];
}

function round(milliseconds: number): number {
  return Math.round(milliseconds * 10) / 10;
}
