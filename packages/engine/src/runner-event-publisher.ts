import type { RunnerKillReason } from '@timebox/core';
import {
  isRunnerEventObserved,
  publishRunnerEvent,
  timeboxChannels,
} from '@timebox/core/strategy-kit';
import type { Runner, RunnerCrash } from './runner.js';

/**
 * Publishes the runner events (`timebox:runner:spawned`, `…:killed`…) of one strategy's
 * runners. Each method first asks whether anyone listens, so an unobserved event builds no
 * message. A runner is named by its thread id or process id.
 */
export class RunnerEventPublisher {
  readonly #strategy: string;

  constructor(strategy: string) {
    this.#strategy = strategy;
  }

  /** A runner is starting; `spare` when it starts ahead of demand. */
  spawned(runner: Runner, spare: boolean): void {
    if (!isRunnerEventObserved(timeboxChannels.runnerSpawned)) return;
    publishRunnerEvent(timeboxChannels.runnerSpawned, { ...this.#base(runner), spare });
  }

  /** A spare runner became ready `startupTime` milliseconds after it was spawned. */
  spareReady(runner: Runner, startupTime: number): void {
    if (!isRunnerEventObserved(timeboxChannels.runnerSpareReady)) return;
    publishRunnerEvent(timeboxChannels.runnerSpareReady, { ...this.#base(runner), startupTime });
  }

  /** A runner took the task `task`, which had waited `waitTime` milliseconds. */
  taskStarted(runner: Runner, task: string, waitTime: number): void {
    if (!isRunnerEventObserved(timeboxChannels.runnerTaskStarted)) return;
    publishRunnerEvent(timeboxChannels.runnerTaskStarted, {
      ...this.#base(runner),
      task,
      waitTime,
    });
  }

  /** A runner stopped on purpose has ended (or was given up on); `forced` as the stop found. */
  killed(
    runner: Runner,
    reason: RunnerKillReason,
    task: string | undefined,
    forced: boolean,
  ): void {
    if (!isRunnerEventObserved(timeboxChannels.runnerKilled)) return;
    publishRunnerEvent(timeboxChannels.runnerKilled, {
      ...this.#base(runner),
      reason,
      task,
      forced,
    });
  }

  /** A runner died on its own, running `task` or between tasks (`undefined`). */
  crashed(runner: Runner, task: string | undefined, crash: RunnerCrash): void {
    if (!isRunnerEventObserved(timeboxChannels.runnerCrashed)) return;
    publishRunnerEvent(timeboxChannels.runnerCrashed, {
      ...this.#base(runner),
      task,
      exitCode: crash.exitCode ?? undefined,
      signal: crash.signal ?? undefined,
    });
  }

  /** A runner could not be confirmed gone and was given up on, for `reason`. */
  quarantined(runner: Runner, reason: string): void {
    if (!isRunnerEventObserved(timeboxChannels.runnerQuarantined)) return;
    publishRunnerEvent(timeboxChannels.runnerQuarantined, { ...this.#base(runner), reason });
  }

  #base(runner: Runner): { strategy: string; runnerId: number } {
    const { identity } = runner;
    return {
      strategy: this.#strategy,
      runnerId: 'threadId' in identity ? identity.threadId : identity.pid,
    };
  }
}
