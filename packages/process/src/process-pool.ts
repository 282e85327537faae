import {
  type Logger,
  StrategyClosedError,
  type StrategyRunOptions,
  silentLogger,
  TaskAbortedError,
  TaskQueueFullError,
  TaskSerializationError,
  TaskTimeoutError,
} from '@timebox/core';
import {
  type AbortRequest,
  elapsedSince,
  type LongTimeout,
  onAbort,
  setLongTimeout,
  settleTaskResponse,
  type TaskRequest,
  type TaskResponse,
} from '@timebox/core/strategy-kit';
import { crashError } from './crash-error.js';
import {
  type ChildCrash,
  PooledProcess,
  type PooledProcessListener,
  type PooledProcessSettings,
} from './pooled-process.js';
import type { StopOutcome } from './process-tree/stop-process-tree.js';

/** Starts that may fail in a row before the oldest waiting task is rejected with the cause. */
const maximumFailedStarts = 3;

const strategyName = 'process';

/** A task handed to the pool, from the moment it is queued until it settles. */
interface PoolTask {
  readonly taskName: string;
  readonly request: TaskRequest;
  readonly timeout: number;
  readonly signal: AbortSignal | undefined;
  readonly logger: Logger;
  readonly resolve: (value: unknown) => void;
  readonly reject: (error: unknown) => void;
  stopListening: () => void;
  settled: boolean;
}

/** A task running in a process. */
interface RunningTask {
  readonly id: number;
  readonly task: PoolTask;
  readonly started: number;
  readonly timer: LongTimeout;
}

/**
 * The child processes of one strategy and the queue of tasks waiting for them. Runs at most
 * `maxProcesses` tasks at once, keeps `spareProcesses` started processes idle so that the
 * next task starts at once (after a kill too), enforces each task's limit from the moment
 * it is sent to its process, and stops a process with its whole tree when its task times
 * out, is aborted, or the pool closes.
 */
export class ProcessPool implements PooledProcessListener {
  readonly #settings: PooledProcessSettings;
  /** Every process that is starting, idle or busy (not those being stopped). */
  readonly #processes = new Set<PooledProcess>();
  /** Idle processes, the most recently used last. */
  readonly #idle: PooledProcess[] = [];
  readonly #idleTimers = new Map<PooledProcess, ReturnType<typeof setTimeout>>();
  readonly #running = new Map<PooledProcess, RunningTask>();
  readonly #stopping = new Set<Promise<unknown>>();
  readonly #queue: PoolTask[] = [];
  #nextId = 1;
  /** Processes in a row that ended before they were ready; reset by one that gets ready. */
  #failedStarts = 0;
  #warm = false;
  /** Processes killed or crashed since the last refill, to be replaced. */
  #replacements = 0;
  #closing: Promise<void> | undefined;
  #refill: ReturnType<typeof setImmediate> | undefined;
  #lastLogger: Logger = silentLogger;

  constructor(settings: PooledProcessSettings) {
    this.#settings = settings;
  }

  /** Queues a task and resolves or rejects with its outcome. */
  run(taskName: string, request: TaskRequest, options: StrategyRunOptions): Promise<unknown> {
    return new Promise((resolve, reject) => {
      const { maxProcesses, maxQueue } = this.#settings.options;
      if (this.#running.size + this.#queue.length >= maxProcesses + maxQueue) {
        reject(new TaskQueueFullError({ taskName, strategy: strategyName, maxQueue }));
        return;
      }
      const task: PoolTask = {
        taskName,
        request,
        timeout: options.timeout,
        signal: options.signal,
        logger: options.logger,
        resolve,
        reject,
        stopListening: () => {},
        settled: false,
      };
      this.#lastLogger = options.logger;
      task.stopListening = onAbort(options.signal, () => this.#abortByCaller(task));
      this.#queue.push(task);
      this.#warm = true;
      this.#dispatch();
      this.#startProcesses(false);
      if (this.#idle.length < this.#settings.options.spareProcesses) this.#scheduleRefill();
    });
  }

  /**
   * Rejects waiting tasks, stops running ones (their signal aborts, then the grace period
   * and the escalation apply) and every other process, and resolves once every process
   * group the pool started is gone.
   */
  close(): Promise<void> {
    this.#closing ??= this.#close();
    return this.#closing;
  }

  async #close(): Promise<void> {
    if (this.#refill !== undefined) clearImmediate(this.#refill);
    for (const task of this.#queue.splice(0)) {
      this.#finish(task, () =>
        task.reject(
          new StrategyClosedError({
            taskName: task.taskName,
            strategy: strategyName,
            phase: 'queued',
          }),
        ),
      );
    }
    for (const [process, running] of [...this.#running]) {
      this.#running.delete(process);
      running.timer.clear();
      const { task } = running;
      this.#finish(task, () =>
        task.reject(
          new StrategyClosedError({
            taskName: task.taskName,
            strategy: strategyName,
            phase: 'running',
          }),
        ),
      );
      this.#retire(
        process,
        task.logger,
        { id: running.id, abort: { cause: 'closed', strategy: strategyName } },
        this.#settings.options.graceMs,
      );
    }
    for (const process of [...this.#processes]) this.#retire(process, this.#lastLogger);
    while (this.#stopping.size > 0) await Promise.all([...this.#stopping]);
  }

  /** @internal A process is ready for tasks. */
  ready(process: PooledProcess): void {
    this.#failedStarts = 0;
    if (this.#closing !== undefined) {
      this.#retire(process, this.#lastLogger);
      return;
    }
    this.#makeIdle(process);
    this.#dispatch();
  }

  /** @internal A task settled in its process. */
  settled(process: PooledProcess, id: number, response: TaskResponse): void {
    const running = this.#running.get(process);
    if (running === undefined || running.id !== id) return;
    this.#running.delete(process);
    running.timer.clear();
    this.#makeIdle(process);
    const { task } = running;
    this.#finish(task, () => {
      try {
        task.resolve(settleTaskResponse(task.taskName, response));
      } catch (error) {
        task.reject(error);
      }
    });
    this.#dispatch();
  }

  /** @internal A process ended on its own, or could not start. */
  crashed(process: PooledProcess, crash: ChildCrash): void {
    this.#forget(process);
    const stopped = this.#track(process.stop(), this.#lastLogger, process);
    const running = this.#running.get(process);
    if (running !== undefined) {
      this.#running.delete(process);
      running.timer.clear();
      const { task } = running;
      this.#finish(task, () => task.reject(crashError(task.taskName, process.pid, crash)));
    } else if (crash.beforeReady && ++this.#failedStarts < maximumFailedStarts) {
      // A start that failed once (the machine under load, say) is tried again.
      this.#lastLogger.warn(
        `a process of the process strategy could not start; starting another: ${crashError('(none)', process.pid, crash).message}`,
      );
    } else if (crash.beforeReady) {
      // The oldest waiting task learns why, so that a process that can never start (a bad
      // execArgv, say) cannot leave tasks waiting forever; spares wait for the next task.
      this.#warm = false;
      const waiting = this.#queue.shift();
      if (waiting !== undefined) {
        this.#finish(waiting, () =>
          waiting.reject(crashError(waiting.taskName, process.pid, crash)),
        );
      } else {
        this.#lastLogger.warn(
          `a spare process of the process strategy could not start: ${crashError('(none)', process.pid, crash).message}`,
        );
      }
    } else {
      this.#lastLogger.warn(
        `an idle process of the process strategy ended: ${crashError('(none)', process.pid, crash).message}`,
      );
    }
    this.#dispatch();
    this.#startProcesses(false);
    if (!crash.beforeReady) this.#replaceAfter(stopped);
  }

  /** The name of the task running in `process`, for captured output. */
  taskNameIn(process: PooledProcess): string | undefined {
    return this.#running.get(process)?.task.taskName;
  }

  #dispatch(): void {
    const { maxProcesses } = this.#settings.options;
    while (this.#queue.length > 0 && this.#running.size < maxProcesses) {
      const process = this.#idle.pop();
      if (process === undefined) break;
      if (process.state !== 'idle') continue; // it ended; its crash report follows
      const task = this.#queue.shift() as PoolTask;
      this.#start(task, process);
    }
    // Tasks waiting for a process to start must keep the host alive; spares must not.
    const waiting = this.#queue.length > 0;
    for (const process of this.#processes) {
      if (process.state === 'starting') process.keepHostAlive(waiting);
    }
  }

  #start(task: PoolTask, process: PooledProcess): void {
    this.#clearIdleTimer(process);
    const id = this.#nextId++;
    try {
      process.send({ type: 'run', id, request: task.request });
    } catch (error) {
      // Nothing was sent: the arguments passed the check but not the serializer.
      this.#makeIdle(process);
      this.#finish(task, () =>
        task.reject(
          new TaskSerializationError({
            taskName: task.taskName,
            subject: 'argument',
            path: 'args',
            reason: `they cannot be serialized for the child process: ${(error as Error)?.message ?? String(error)}`,
            cause: error,
          }),
        ),
      );
      return;
    }
    process.state = 'busy';
    // The task's deadline timer keeps the host alive while it runs; without a deadline the
    // process has to.
    if (task.timeout === Infinity) process.keepHostAlive(true);
    const started = performance.now();
    const timer = setLongTimeout(() => this.#timeOut(process), task.timeout);
    this.#running.set(process, { id, task, started, timer });
  }

  #timeOut(process: PooledProcess): void {
    const running = this.#running.get(process);
    if (running === undefined || process.state === 'exited') return; // a crash report follows
    this.#running.delete(process);
    const { task, id, started } = running;
    const elapsed = elapsedSince(started);
    this.#finish(task, () =>
      task.reject(
        new TaskTimeoutError({
          taskName: task.taskName,
          timeout: task.timeout,
          elapsed,
          strategy: strategyName,
          enforcement: 'hard',
        }),
      ),
    );
    task.logger.debug(
      `task '${task.taskName}' timed out after ${task.timeout} ms; stopping process ${process.pid} and its process group`,
      { task: task.taskName, pid: process.pid, graceMs: this.#settings.options.graceMs },
    );
    const abort: AbortRequest = {
      cause: 'timeout',
      timeout: task.timeout,
      elapsed,
      strategy: strategyName,
    };
    const stopped = this.#retire(
      process,
      task.logger,
      { id, abort },
      this.#settings.options.graceMs,
    );
    this.#dispatch();
    this.#startProcesses(false);
    this.#replaceAfter(stopped);
  }

  #abortByCaller(task: PoolTask): void {
    if (task.settled) return;
    const cause = task.signal?.reason;
    const index = this.#queue.indexOf(task);
    if (index >= 0) {
      this.#queue.splice(index, 1);
      this.#finish(task, () =>
        task.reject(new TaskAbortedError({ taskName: task.taskName, phase: 'queued', cause })),
      );
      return;
    }
    for (const [process, running] of this.#running) {
      if (running.task !== task) continue;
      this.#running.delete(process);
      running.timer.clear();
      this.#finish(task, () =>
        task.reject(new TaskAbortedError({ taskName: task.taskName, phase: 'running', cause })),
      );
      task.logger.debug(
        `task '${task.taskName}' was aborted by its caller; stopping process ${process.pid} and its process group`,
        { task: task.taskName, pid: process.pid, graceMs: this.#settings.options.graceMs },
      );
      const abort: AbortRequest = { cause: 'caller' };
      const stopped = this.#retire(
        process,
        task.logger,
        { id: running.id, abort },
        this.#settings.options.graceMs,
      );
      this.#dispatch();
      this.#startProcesses(false);
      this.#replaceAfter(stopped);
      return;
    }
  }

  /**
   * Once a killed or crashed process's tree is confirmed gone, starts a replacement, so that
   * the pool keeps its size across kills and the next kill finds a spare too. (Tasks waiting
   * meanwhile take the spare, or get a process started for them at once.)
   */
  #replaceAfter(stopped: Promise<void>): void {
    void stopped.then(() => {
      if (this.#closing !== undefined) return;
      this.#replacements++;
      this.#scheduleRefill();
    });
  }

  /**
   * Starts the processes the queue needs now and, with `withSpares`, the spares, never more
   * than `maxProcesses + spareProcesses` in all.
   */
  #startProcesses(withSpares: boolean): void {
    if (this.#closing !== undefined) return;
    const { maxProcesses, spareProcesses } = this.#settings.options;
    let available = 0;
    for (const process of this.#processes) {
      if (process.state === 'starting' || process.state === 'idle') available++;
    }
    const busy = this.#running.size;
    const forQueue = Math.min(this.#queue.length, maxProcesses - busy);
    const wanted = forQueue + (withSpares && this.#warm ? spareProcesses : 0);
    const limit = maxProcesses + spareProcesses;
    while (available < wanted && busy + available < limit) {
      this.#spawn();
      available++;
    }
  }

  /** Starts spares on the next turn, so that a task waiting for the current spare goes first. */
  #scheduleRefill(): void {
    if (this.#refill !== undefined || this.#closing !== undefined) return;
    this.#refill = setImmediate(() => {
      this.#refill = undefined;
      this.#startProcesses(true);
      const { maxProcesses, spareProcesses } = this.#settings.options;
      for (; this.#replacements > 0; this.#replacements--) {
        if (this.#processes.size < maxProcesses + spareProcesses) this.#spawn();
      }
    });
  }

  #spawn(): void {
    const process: PooledProcess = new PooledProcess(this.#settings, this, () =>
      this.taskNameIn(process),
    );
    this.#processes.add(process);
    process.keepHostAlive(this.#queue.length > 0);
  }

  #makeIdle(process: PooledProcess): void {
    process.state = 'idle';
    process.keepHostAlive(false);
    this.#idle.push(process);
    const { idleTimeout, spareProcesses } = this.#settings.options;
    // Only a process beyond the spares can be retired; the check is made again when the
    // timer fires.
    if (idleTimeout === Infinity || this.#idle.length <= spareProcesses) return;
    const timer = setTimeout(() => {
      this.#idleTimers.delete(process);
      if (process.state === 'idle' && this.#idle.length > spareProcesses) {
        this.#retire(process, this.#lastLogger);
      }
    }, idleTimeout);
    timer.unref();
    this.#idleTimers.set(process, timer);
  }

  #clearIdleTimer(process: PooledProcess): void {
    const timer = this.#idleTimers.get(process);
    if (timer !== undefined) clearTimeout(timer);
    this.#idleTimers.delete(process);
  }

  /** Removes a process from the pool's books. */
  #forget(process: PooledProcess): void {
    this.#processes.delete(process);
    this.#clearIdleTimer(process);
    const index = this.#idle.indexOf(process);
    if (index >= 0) this.#idle.splice(index, 1);
  }

  /** Takes a process out of the pool and stops it with its tree. */
  #retire(
    process: PooledProcess,
    logger: Logger,
    abort?: { readonly id: number; readonly abort: AbortRequest },
    graceMs = 0,
  ): Promise<void> {
    this.#forget(process);
    return this.#track(process.stop(abort, graceMs), logger, process);
  }

  /** Logs how a stop ended, and keeps it in the set that `close()` waits for. */
  #track(stopping: Promise<StopOutcome>, logger: Logger, process: PooledProcess): Promise<void> {
    const { killTimeoutMs } = this.#settings.options;
    const tracked = stopping.then(
      (outcome) => {
        if (outcome === 'killed') {
          logger.warn(
            `process ${process.pid} and its group did not end within ${killTimeoutMs} ms of SIGTERM; they were killed with SIGKILL`,
          );
        } else if (outcome === 'survived') {
          logger.error(
            `process group ${process.pid} is still running after SIGKILL; some of its processes could not be stopped`,
          );
        }
      },
      (error: unknown) => {
        logger.error(`stopping process ${process.pid} failed: ${String(error)}`);
      },
    );
    this.#stopping.add(tracked);
    void tracked.finally(() => this.#stopping.delete(tracked));
    return tracked;
  }

  #finish(task: PoolTask, settle: () => void): void {
    if (task.settled) return;
    task.settled = true;
    task.stopListening();
    settle();
  }
}
