import {
  type Logger,
  StrategyClosedError,
  TaskAbortedError,
  TaskCrashedError,
  TaskTimeoutError,
} from '@timebox/core';
import {
  type AbortRequest,
  deserializeThrown,
  elapsedSince,
  type LongTimeout,
  type SerializedThrown,
  setLongTimeout,
  settleTaskResponse,
  type TaskRequest,
  type TaskResponse,
} from '@timebox/core/strategy-kit';
import type { RuntimeTermination } from './runtime-termination.js';
import type { WebWorkerRunner } from './web-worker-runner.js';

/** Where a task is in its life. */
export type TaskRunState = 'queued' | 'starting' | 'running' | 'stopping' | 'settled';

/** What a task run needs from the strategy around it. */
export interface TaskRunContext {
  readonly strategyName: string;
  readonly graceMs: number;
  readonly termination: RuntimeTermination;
  /** Gives the runner back: `reusable` when it is clean and may run the next task. */
  release(runner: WebWorkerRunner, reusable: boolean): void;
  /**
   * The caller has been told and the task is in its grace: its runner no longer holds a
   * place among `maxWorkers`, so that the next task starts at once (on a spare).
   */
  setAside(runner: WebWorkerRunner): void;
}

/**
 * One task's life on a web worker: queued, starting (its worker loads), running (the
 * deadline counts from here), stopping (the caller was told; the task gets its grace) and
 * settled. The caller's promise settles exactly once.
 */
export class TaskRun {
  state: TaskRunState = 'queued';
  /** Called once the caller's promise has settled (to stop listening to its signal). */
  onSettled: () => void = () => {};
  #runner: WebWorkerRunner | undefined;
  #deadline: LongTimeout | undefined;
  #startedAt = 0;
  #markReleased: () => void = () => {};
  /** Resolves when the task's worker has been given back or terminated (or it never had one). */
  readonly released: Promise<void> = new Promise<void>((resolve) => {
    this.#markReleased = resolve;
  });

  constructor(
    readonly taskName: string,
    private readonly request: TaskRequest,
    private readonly timeout: number,
    private readonly logger: Logger,
    private readonly context: TaskRunContext,
    private readonly resolveCaller: (value: unknown) => void,
    private readonly rejectCaller: (error: unknown) => void,
  ) {}

  /** Runs the task on `runner` once it is ready. */
  start(runner: WebWorkerRunner): void {
    this.state = 'starting';
    this.#runner = runner;
    runner.ready.then(
      () => this.#run(runner),
      (error: unknown) => {
        this.#release(runner, false);
        if (this.state !== 'starting') return;
        this.#finish();
        this.rejectCaller(
          new TaskCrashedError({
            taskName: this.taskName,
            strategy: this.context.strategyName,
            reason: 'spawn-failed',
            detail: error instanceof Error ? error.message : String(error),
            cause: error,
          }),
        );
      },
    );
  }

  /** Rejects a task that never got a worker (the queue's end, close, the caller's signal). */
  refuse(error: Error): void {
    if (this.state !== 'queued') return;
    this.#finish();
    this.rejectCaller(error);
    this.#markReleased();
  }

  /**
   * Stops the task: the caller gets `error` at once, the task's signal aborts with
   * `abortRequest`, and its worker is terminated unless the task settles within the grace.
   */
  stop(error: Error, abortRequest: AbortRequest): void {
    if (this.state === 'queued') {
      this.refuse(error);
      return;
    }
    if (this.state === 'starting') {
      // The worker has not been given the task: it stays clean, give it back when ready.
      this.#finish();
      this.rejectCaller(error);
      return;
    }
    if (this.state !== 'running') return;
    this.state = 'stopping';
    this.#deadline?.clear();
    this.onSettled();
    this.rejectCaller(error);
    const runner = this.#runner as WebWorkerRunner;
    runner.abort(abortRequest);
    this.context.setAside(runner);
    const grace = setTimeout(() => {
      this.logger.warn(
        `Task '${this.taskName}' did not stop within its ${this.context.graceMs} ms grace; terminating its web worker`,
      );
      this.#endRun(runner, false);
    }, this.context.graceMs);
    runner.listen({
      settled: () => {
        clearTimeout(grace);
        this.#endRun(runner, true);
      },
      crashed: () => {
        clearTimeout(grace);
        this.#endRun(runner, false);
      },
    });
  }

  #run(runner: WebWorkerRunner): void {
    if (this.state !== 'starting') {
      this.#release(runner, true);
      return;
    }
    this.state = 'running';
    this.#startedAt = performance.now();
    runner.run(this.request, {
      settled: (response) => this.#settled(runner, response),
      crashed: (detail, error) => this.#crashed(runner, detail, error),
    });
    this.#deadline = setLongTimeout(() => this.#timedOut(), this.timeout);
  }

  #timedOut(): void {
    const elapsed = elapsedSince(this.#startedAt);
    const { strategyName, termination } = this.context;
    this.logger.warn(
      `Task '${this.taskName}' timed out after ${this.timeout} ms; terminating its web worker`,
    );
    this.stop(
      new TaskTimeoutError({
        taskName: this.taskName,
        timeout: this.timeout,
        elapsed,
        strategy: strategyName,
        enforcement: 'hard',
        ...(termination.stillRunningReason === undefined
          ? {}
          : { stillRunningReason: termination.stillRunningReason }),
      }),
      { cause: 'timeout', timeout: this.timeout, elapsed, strategy: strategyName },
    );
  }

  #settled(runner: WebWorkerRunner, response: TaskResponse): void {
    if (this.state !== 'running') return;
    this.#finish();
    this.#endRun(runner, true);
    try {
      this.resolveCaller(settleTaskResponse(this.taskName, response));
    } catch (error) {
      this.rejectCaller(error);
    }
  }

  #crashed(runner: WebWorkerRunner, detail: string, error: SerializedThrown | undefined): void {
    if (this.state !== 'running') return;
    this.#finish();
    this.#endRun(runner, false);
    this.rejectCaller(
      new TaskCrashedError({
        taskName: this.taskName,
        strategy: this.context.strategyName,
        reason: 'uncaught-exception',
        detail,
        ...(error === undefined ? {} : { cause: deserializeThrown(error) }),
      }),
    );
  }

  #endRun(runner: WebWorkerRunner, reusable: boolean): void {
    this.state = 'settled';
    this.#release(runner, reusable);
  }

  #release(runner: WebWorkerRunner, reusable: boolean): void {
    this.context.release(runner, reusable);
    this.#markReleased();
  }

  #finish(): void {
    this.state = 'settled';
    this.#deadline?.clear();
    this.onSettled();
  }
}

/** The error a task's caller gets when its strategy closes under it. */
export function closedError(
  taskName: string,
  strategy: string,
  phase: 'queued' | 'running' | 'after-close',
): StrategyClosedError {
  return new StrategyClosedError({ taskName, strategy, phase });
}

/** The error a task's caller gets when the caller's signal aborts. */
export function callerAbortedError(
  taskName: string,
  phase: 'before-start' | 'queued' | 'running',
  reason: unknown,
): TaskAbortedError {
  return new TaskAbortedError({ taskName, phase, cause: reason });
}
