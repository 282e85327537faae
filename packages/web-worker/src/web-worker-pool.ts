import { TaskQueueFullError, TaskUnsupportedError } from '@timebox/core';
import type { RuntimeTermination } from './runtime-termination.js';
import type { TaskRun } from './task-run.js';
import { WebWorkerRunner } from './web-worker-runner.js';
import type { ResolvedWebWorkerStrategyOptions } from './web-worker-strategy-options.js';
import { ZombieBudget } from './zombie-budget.js';

/**
 * The pool under the web-worker strategy: a queue of task runs, at most `maxWorkers` busy
 * workers, warm spares, and the zombie budget that holds new workers back while terminated
 * ones may still be running. Kept to this one file so that `@timebox/engine` can take its
 * place.
 */
export class WebWorkerPool {
  readonly #queue: TaskRun[] = [];
  readonly #idle: WebWorkerRunner[] = [];
  readonly #busy = new Set<WebWorkerRunner>();
  /** Runners whose task is in its grace after the caller was told; not among `maxWorkers`. */
  readonly #stopping = new Set<WebWorkerRunner>();
  readonly #zombies: ZombieBudget;
  #closed = false;
  #refillTimer: ReturnType<typeof setTimeout> | undefined;

  constructor(
    private readonly strategyName: string,
    private readonly settings: ResolvedWebWorkerStrategyOptions,
    private readonly termination: RuntimeTermination,
  ) {
    this.#zombies = new ZombieBudget(settings.maxZombieWorkers, termination.stoppedWithinMs, () =>
      this.#dispatch(),
    );
  }

  /** How many terminated workers may still be running. */
  get zombieCount(): number {
    return this.#zombies.count;
  }

  /** Queues a task run; it starts as soon as a worker is free, or is refused. */
  submit(run: TaskRun): void {
    if (this.#queue.length >= this.settings.maxQueue && !this.#canStartNow()) {
      run.refuse(
        new TaskQueueFullError({
          taskName: run.taskName,
          strategy: this.strategyName,
          maxQueue: this.settings.maxQueue,
        }),
      );
      return;
    }
    this.#queue.push(run);
    this.#dispatch();
  }

  /** Takes a task run out of the queue (its caller gave up); true when it was there. */
  withdraw(run: TaskRun): boolean {
    const index = this.#queue.indexOf(run);
    if (index === -1) return false;
    this.#queue.splice(index, 1);
    return true;
  }

  /**
   * Frees the place of a worker whose task is in its grace (its caller was told), so that
   * the next task starts at once. Until it is released it counts against the zombie budget.
   */
  setAside(runner: WebWorkerRunner): void {
    if (!this.#busy.delete(runner)) return;
    this.#stopping.add(runner);
    this.#dispatch();
  }

  /** Gives a worker back after its task: kept when `reusable`, terminated otherwise. */
  release(runner: WebWorkerRunner, reusable: boolean): void {
    this.#busy.delete(runner);
    this.#stopping.delete(runner);
    if (reusable && !this.#closed && !runner.terminated) {
      this.#idle.push(runner);
    } else if (!runner.terminated) {
      runner.terminate();
      this.#zombies.add();
    }
    this.#dispatch();
  }

  /** Empties the queue (the runs are returned to be refused) and ends idle workers. */
  close(): TaskRun[] {
    this.#closed = true;
    clearTimeout(this.#refillTimer);
    const queued = this.#queue.splice(0);
    for (const runner of this.#idle.splice(0)) runner.terminate();
    this.#zombies.close();
    return queued;
  }

  #canStartNow(): boolean {
    return (
      this.#busy.size < this.settings.maxWorkers && (this.#idle.length > 0 || this.#startAllowed())
    );
  }

  /** Whether a new worker may start: terminated and stopping workers stay under the budget. */
  #startAllowed(): boolean {
    return this.#zombies.count + this.#stopping.size < this.settings.maxZombieWorkers;
  }

  #dispatch(): void {
    if (this.#closed) return;
    while (this.#queue.length > 0 && this.#busy.size < this.settings.maxWorkers) {
      let runner = this.#idle.pop();
      if (runner === undefined) {
        if (!this.#startAllowed()) {
          if (this.#zombies.exhaustedForever) this.#refuseAll();
          break;
        }
        runner = new WebWorkerRunner(this.settings.workerUrl);
      }
      const run = this.#queue.shift() as TaskRun;
      this.#busy.add(runner);
      run.start(runner);
    }
    this.#refillSpares();
  }

  /**
   * Starts spares in a later task: creating a worker takes the page's thread for a moment,
   * which must not come between a rejection and the caller hearing it.
   */
  #refillSpares(): void {
    if (this.#closed || this.#refillTimer !== undefined) return;
    this.#refillTimer = setTimeout(() => {
      this.#refillTimer = undefined;
      this.#startSpares();
    }, 0);
  }

  #startSpares(): void {
    if (this.#closed) return;
    while (this.#idle.length < this.settings.spareWorkers && this.#startAllowed()) {
      this.#idle.push(new WebWorkerRunner(this.settings.workerUrl));
    }
  }

  #refuseAll(): void {
    const reason = `${this.#zombies.count} terminated workers may still be running and this runtime never stops them (${this.termination.stillRunningReason}); the web-worker strategy starts no more workers (maxZombieWorkers: ${this.settings.maxZombieWorkers})`;
    for (const run of this.#queue.splice(0)) {
      run.refuse(
        new TaskUnsupportedError({ taskName: run.taskName, strategy: this.strategyName, reason }),
      );
    }
  }
}
