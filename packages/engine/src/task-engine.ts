import {
  type Logger,
  type RunnerKillReason,
  StrategyClosedError,
  TaskAbortedError,
  type TaskCrashedError,
  TaskQueueFullError,
  TaskSerializationError,
} from '@timebox/core';
import {
  type AbortRequest,
  elapsedSince,
  onAbort,
  ReusableDeadlineTimer,
  serializeThrown,
  setLongTimeout,
  type TaskRequest,
  type TaskResponse,
} from '@timebox/core/strategy-kit';
import { EngineJob } from './engine-job.js';
import {
  logCrashBetweenTasks,
  logFailedStart,
  logStopOutcome,
  logStrayError,
  logUnconfirmed,
} from './engine-log-lines.js';
import type { EngineSettings } from './engine-settings.js';
import { EngineCounters, type EngineStats } from './engine-stats.js';
import { lateResultError, pendingStopTimeoutError } from './hard-timeout-errors.js';
import { IdleRetirement } from './idle-retirement.js';
import { JobQueue } from './job-queue.js';
import {
  hasRoomAhead,
  runnerWithMostAhead,
  runnerWithRoomAhead,
  takeBackJobsAhead,
  takeBackNewestJobAhead,
} from './jobs-ahead.js';
import { LingeringRunners } from './lingering-runners.js';
import { ModulePreloads } from './module-preloads.js';
import { refuseFatalPreloads } from './refuse-fatal-preloads.js';
import type { RunnerCrash, RunnerEvents, RunnerExit } from './runner.js';
import { describeError, runnerCrashedError } from './runner-crash-error.js';
import { RunnerEventPublisher } from './runner-event-publisher.js';
import { RunnerSlot } from './runner-slot.js';
import { SpareRunners } from './spare-runners.js';
import { StartFailures } from './start-failures.js';
import { StopLadder, type StopOutcome } from './stop-ladder.js';

/**
 * How late a deadline timer may fire before the engine reads any waiting answer first: a
 * timer fires within a millisecond or two on a free thread, far later on a held one.
 */
const lateTimerMs = 20;

/** The kill reason a runner event gives for each cause of a task's stop. */
const killReasons: Readonly<Record<AbortRequest['cause'], RunnerKillReason>> = {
  timeout: 'timeout',
  caller: 'abort',
  closed: 'close',
};

/** What `run` needs besides the request. */
export interface EngineRunOptions {
  /** The time limit in milliseconds, counted from the start of execution. */
  readonly timeout: number;
  /** The caller's signal. */
  readonly signal?: AbortSignal | undefined;
  /** The run's logger; lines about this task go there. */
  readonly logger: Logger;
  /** Run it on a runner no task used before, and retire that runner after it. */
  readonly isolate?: boolean | undefined;
}

/**
 * The engine under every hard strategy: a queue with `maxQueue`, each job's life (queued →
 * starting → running → settled), the deadline from the start of execution, a start-up
 * bound with a failed-start policy, abort → grace → stop → confirmed exit, warm spares with
 * module preloads, idle retirement, `close()` and `stats()`. Runners (threads, processes,
 * web workers) plug in through a {@link RunnerFactory}; the engine imports no `node:` module.
 */
export class TaskEngine {
  readonly #settings: EngineSettings;
  readonly #queue = new JobQueue();
  readonly #pool = new Set<RunnerSlot>();
  readonly #idle: RunnerSlot[] = [];
  readonly #spares: SpareRunners;
  readonly #stopping = new Set<RunnerSlot>();
  readonly #preloads = new ModulePreloads();
  readonly #counters = new EngineCounters();
  readonly #publisher: RunnerEventPublisher;
  readonly #lingering: LingeringRunners;
  readonly #startFailures: StartFailures;
  readonly #idleRetirement: IdleRetirement;
  #running = 0;
  /** Jobs sent ahead to busy runners, not known to have started: they count as waiting. */
  #ahead = 0;
  #closed = false;
  #closing: Promise<void> | undefined;

  constructor(settings: EngineSettings) {
    this.#settings = settings;
    this.#publisher = new RunnerEventPublisher(settings.strategy);
    this.#lingering = new LingeringRunners(settings.lingeringRunners, () => {
      this.#pump();
      this.#spares.scheduleRefill();
    });
    this.#startFailures = new StartFailures(settings.startAttempts);
    this.#idleRetirement = new IdleRetirement(settings.idleTimeout, (slot) =>
      this.#idleTimeUp(slot),
    );
    this.#spares = new SpareRunners({
      count: settings.spareRunners,
      start: () => this.#startSlot(true),
      closed: () => this.#closed,
      mayStart: () =>
        this.#startFailures.mayStart && this.#lingering.allowsStart(this.#stopping.size),
      terminating: () => this.#terminatingSlot(),
    });
  }

  /** Whether `close()` was called. */
  get closed(): boolean {
    return this.#closed;
  }

  /**
   * Runs one task: refuses it after `close()` or when the caller's signal already aborted,
   * then builds its request with `createRequest` (whose throw, such as an argument that
   * cannot be cloned, becomes the rejection), and resolves with the task's result or
   * rejects with its error, `TaskTimeoutError`, `TaskCrashedError`, `TaskSerializationError`,
   * `TaskAbortedError`, `TaskQueueFullError` or `StrategyClosedError`.
   */
  run(
    taskName: string,
    createRequest: () => TaskRequest,
    options: EngineRunOptions,
  ): Promise<unknown> {
    const strategy = this.#settings.strategy;
    if (this.#closed) {
      return Promise.reject(new StrategyClosedError({ taskName, strategy, phase: 'after-close' }));
    }
    const { signal } = options;
    if (signal?.aborted) {
      return Promise.reject(
        new TaskAbortedError({ taskName, phase: 'before-start', cause: signal.reason }),
      );
    }
    let request: TaskRequest;
    try {
      request = createRequest();
    } catch (error) {
      return Promise.reject(error);
    }
    this.#preloads.note(request);
    return new Promise((resolve, reject) => {
      const job = new EngineJob(request, options.timeout, options.logger, resolve, reject);
      if (options.isolate === true) job.isolate = true;
      if (signal !== undefined) {
        job.stopListening = onAbort(signal, () => this.#callerAborted(job, signal.reason));
      }
      if (this.#queue.size === 0) {
        const slot = this.#freeSlot(job.isolate);
        if (slot !== undefined) {
          this.#assign(slot, job);
          return;
        }
      }
      if (this.#queue.size + this.#ahead >= this.#settings.maxQueue) {
        const { maxQueue } = this.#settings;
        job.fail(new TaskQueueFullError({ taskName, strategy, maxQueue }));
        return;
      }
      if (this.#queue.size === 0 && !job.isolate) {
        const busy = runnerWithRoomAhead(this.#pool);
        if (busy !== undefined) {
          this.#sendAhead(busy, job);
          return;
        }
      }
      this.#queue.push(job);
      this.#refuseIfNoneCanStart();
    });
  }

  /** A snapshot of the pool and of what it has done. */
  stats(): EngineStats {
    const counters = this.#counters;
    return {
      queued: this.#queue.size + this.#ahead,
      prefetched: this.#ahead,
      running: this.#running,
      idleRunners: this.#idle.length,
      spareRunners: this.#spares.size,
      stoppingRunners: this.#stopping.size,
      unconfirmedRunners: counters.unconfirmed,
      completed: counters.completed,
      timedOut: counters.timedOut,
      crashed: counters.crashed,
      kills: counters.kills,
      waitTime: counters.waitTimes.percentiles(),
      runTime: counters.runTimes.percentiles(),
    };
  }

  /**
   * Rejects waiting tasks, stops running ones (their signals abort with
   * `StrategyClosedError`), ends every runner and spare, and settles once each is confirmed
   * gone or given up on after `exitTimeout`; runs after it reject with `StrategyClosedError`.
   */
  close(): Promise<void> {
    this.#closing ??= this.#closeAll();
    return this.#closing;
  }

  async #closeAll(): Promise<void> {
    this.#closed = true;
    this.#lingering.close();
    const strategy = this.#settings.strategy;
    for (const job of this.#queue.drain()) {
      job.fail(new StrategyClosedError({ taskName: job.taskName, strategy, phase: 'queued' }));
    }
    const spares = this.#spares.list();
    const every = [...this.#pool, ...spares, ...this.#stopping];
    for (const slot of [...this.#pool, ...spares]) {
      this.#closeJobsAhead(slot);
      const job = slot.job;
      if (job?.state === 'running') {
        const error = new StrategyClosedError({
          taskName: job.taskName,
          strategy,
          phase: 'running',
        });
        this.#stopJob(slot, job, error, { cause: 'closed', strategy });
        continue;
      }
      if (job !== undefined) {
        slot.job = undefined;
        job.holder = undefined;
        job.fail(new StrategyClosedError({ taskName: job.taskName, strategy, phase: 'queued' }));
      }
      this.#retire(slot, 'close');
    }
    await Promise.all(every.map((slot) => slot.gone));
    const unconfirmed = this.#counters.unconfirmed;
    if (unconfirmed > 0) {
      this.#settings.logger.warn(
        `${strategy} strategy closed; ${unconfirmed} runner(s) could not be confirmed gone and were let go (unreferenced)`,
        { strategy, unconfirmedRunners: unconfirmed },
      );
    }
  }

  /** An idle runner, a spare adopted into the pool, or a new runner; undefined when the pool is full. */
  #freeSlot(fresh = false): RunnerSlot | undefined {
    const idle = fresh ? takeFreshRunner(this.#idle) : this.#idle.pop();
    if (idle !== undefined) return idle;
    for (const slot of this.#pool)
      if (slot.state === 'starting' && slot.job === undefined) return slot;
    if (this.#pool.size >= this.#settings.maxRunners) {
      // A task that needs a fresh runner takes the place of the longest idle one.
      const used = fresh ? this.#idle.shift() : undefined;
      if (used === undefined) return undefined;
      this.#retire(used, 'isolated');
    }
    const spare =
      this.#spares.adopt() ??
      (this.#lingering.allowsStart(this.#stopping.size) ? this.#startSlot(false) : undefined);
    if (spare === undefined) return undefined;
    this.#pool.add(spare);
    this.#spares.scheduleRefill();
    return spare;
  }

  #startSlot(spare: boolean): RunnerSlot {
    const slot = new RunnerSlot(spare);
    const events: RunnerEvents = {
      ready: () => this.#ready(slot),
      response: (response, ranFor) => this.#response(slot, response, ranFor),
      abortHeard: () => slot.ladder?.abortHeard(),
      preloaded: () => this.#preloaded(slot),
      strayError: (taskName, error) => this.#strayError(slot, taskName, error),
      crashed: (crash) => this.#crashed(slot, crash),
      exited: (exit) => this.#exited(slot, exit),
    };
    try {
      slot.runner = this.#settings.runners.start(events);
      slot.runner.unref();
      slot.spawnedAt = performance.now();
      this.#publisher.spawned(slot.runner, spare);
    } catch (error) {
      queueMicrotask(() =>
        this.#crashed(slot, {
          reason: 'spawn-failed',
          detail: `the runner could not start: ${describeError(error)}`,
          cause: error,
        }),
      );
      return slot;
    }
    this.#boundStart(slot, 'become ready');
    return slot;
  }

  /** Ends the runner as a failed start unless it can `what` within `startTimeout`. */
  #boundStart(slot: RunnerSlot, what: string): void {
    const { startTimeout } = this.#settings;
    slot.startTimer = setLongTimeout(
      () => {
        const error = new Error(
          `${slot.runner?.label ?? 'the runner'} did not ${what} within ${startTimeout} ms (startTimeout)`,
        );
        this.#crashed(
          slot,
          { reason: 'spawn-failed', detail: error.message, cause: error },
          'failed-start',
        );
      },
      startTimeout,
      { keepsHostAlive: false },
    );
  }

  #assign(slot: RunnerSlot, job: EngineJob): void {
    slot.job = job;
    job.holder = slot;
    slot.state = 'busy';
    if (slot.ready) {
      this.#start(slot, job);
    } else {
      job.state = 'starting';
      slot.reference();
    }
  }

  #start(slot: RunnerSlot, job: EngineJob): void {
    job.state = 'running';
    job.startedAt = performance.now();
    this.#running++;
    const runner = slot.runner;
    try {
      runner?.send(job.request, slot.tickets);
    } catch (error) {
      this.#refused(slot, job, error);
      return;
    }
    job.ticket = slot.tickets++;
    runner?.prefetch?.current(job.ticket);
    this.#began(slot, job);
    this.#sendJobsAhead(slot);
  }

  /**
   * A job sent ahead is the runner's current one now (the job before it answered): it runs
   * from when the runner started it, or from now when it has not started yet.
   */
  #current(slot: RunnerSlot, job: EngineJob): void {
    this.#ahead--;
    job.state = 'running';
    job.startedAt = slot.runner?.prefetch?.current(job.ticket) ?? performance.now();
    this.#running++;
    this.#began(slot, job);
    if (job.abortWhenCurrent !== undefined) {
      this.#callerAborted(job, job.abortWhenCurrent.reason);
      return;
    }
    this.#sendJobsAhead(slot);
  }

  /** Counts a started job and sets its runner's deadline. */
  #began(slot: RunnerSlot, job: EngineJob): void {
    slot.tasksStarted++;
    const waitTime = job.startedAt - job.calledAt;
    this.#counters.waitTimes.record(waitTime);
    const runner = slot.runner;
    if (runner !== undefined) this.#publisher.taskStarted(runner, job.taskName, waitTime);
    if (job.timeout === Infinity) {
      slot.deadline?.cancel();
      slot.reference();
    } else {
      // The deadline timer keeps the host alive while the task runs.
      slot.release();
      slot.deadline ??= new ReusableDeadlineTimer(() => this.#deadlinePassed(slot));
      slot.deadline.set(job.startedAt + job.timeout);
    }
  }

  /** Sends waiting jobs ahead to a busy runner that prefetches, while it has room. */
  #sendJobsAhead(slot: RunnerSlot): void {
    while (hasRoomAhead(slot)) {
      const next = this.#queue.first;
      if (next === undefined || next.isolate) return;
      this.#queue.shift();
      this.#sendAhead(slot, next);
    }
  }

  /** Sends a job to a busy runner that prefetches: it starts there after the jobs before it. */
  #sendAhead(slot: RunnerSlot, job: EngineJob): void {
    try {
      slot.runner?.send(job.request, slot.tickets);
    } catch (error) {
      job.fail(refusedArgumentError(job, error));
      return;
    }
    job.ticket = slot.tickets++;
    job.state = 'sent';
    job.holder = slot;
    slot.ahead.push(job);
    this.#ahead++;
  }

  /** Puts jobs taken back from a runner at the front of the queue, in their order. */
  #requeue(jobs: readonly EngineJob[]): void {
    this.#ahead -= jobs.length;
    for (let index = jobs.length - 1; index >= 0; index--) {
      this.#queue.pushFront(jobs[index] as EngineJob);
    }
  }

  /**
   * Close: every job sent ahead to this runner is rejected, as queued when it was taken
   * back before it started, as running otherwise.
   */
  #closeJobsAhead(slot: RunnerSlot): void {
    const strategy = this.#settings.strategy;
    const taken = takeBackJobsAhead(slot);
    const started = slot.ahead.splice(0);
    this.#ahead -= taken.length + started.length;
    for (const job of taken) {
      job.fail(new StrategyClosedError({ taskName: job.taskName, strategy, phase: 'queued' }));
    }
    for (const job of started) {
      job.holder = undefined;
      job.fail(new StrategyClosedError({ taskName: job.taskName, strategy, phase: 'running' }));
    }
  }

  #ready(slot: RunnerSlot): void {
    slot.ready = true;
    slot.startTimer?.clear();
    slot.startTimer = undefined;
    this.#startFailures.succeeded();
    if (slot.state !== 'starting' && slot.state !== 'busy') return;
    if (slot.spare) {
      if (slot.runner !== undefined) {
        this.#publisher.spareReady(slot.runner, performance.now() - slot.spawnedAt);
      }
      const requests = this.#preloads.requests();
      slot.preloaded = requests;
      if (requests.length > 0 && slot.runner?.preload(requests) === true) {
        this.#awaitPreloads(slot);
        return;
      }
      slot.state = 'idle';
      return;
    }
    const job = slot.job;
    if (job?.state === 'starting') this.#start(slot, job);
    else this.#free(slot);
  }

  /** A spare loads its preloads before it counts as ready, within `startTimeout`. */
  #awaitPreloads(slot: RunnerSlot): void {
    slot.ready = false;
    slot.preloading = true;
    this.#boundStart(slot, 'load its preloaded modules');
  }

  #preloaded(slot: RunnerSlot): void {
    if (!slot.preloading || slot.state === 'stopping' || slot.state === 'gone') return;
    slot.preloading = false;
    slot.ready = true;
    slot.startTimer?.clear();
    slot.startTimer = undefined;
    const job = slot.job;
    if (job?.state === 'starting') this.#start(slot, job);
    else if (slot.spare) slot.state = 'idle';
    // Adopted into the pool, its task gone meanwhile (the caller aborted): it takes the next.
    else this.#free(slot);
  }

  #response(slot: RunnerSlot, response: TaskResponse, measured?: number): void {
    if (slot.ladder !== undefined) {
      slot.ladder.taskEnded();
      return;
    }
    const job = slot.job;
    if (job?.state === 'settled') {
      // Its deadline passed after it ended; it was rejected then, and this is its answer.
      this.#free(slot);
      return;
    }
    if (job === undefined || job.state !== 'running') return;
    this.#running--;
    // How long it really ran, where the runner measured it: its answer may arrive late.
    const ranFor =
      measured ?? slot.runner?.prefetch?.ranFor(job.ticket) ?? performance.now() - job.startedAt;
    this.#counters.runTimes.record(ranFor);
    this.#free(slot);
    if (ranFor >= job.timeout) {
      // The deadline wins, as under every strategy: the result came after it (before its
      // timer ran). The task has ended, so its runner is healthy and stays in the pool.
      this.#counters.timedOut++;
      job.fail(lateResultError(this.#settings.strategy, job, ranFor));
      return;
    }
    this.#counters.completed++;
    job.settleWith(response);
  }

  /**
   * The slot's job is done: the runner takes the next job or idles, unless it is not to be
   * reused — it ran an isolated task, or a stray callback threw in it — and is retired.
   */
  #free(slot: RunnerSlot): void {
    const previous = slot.job;
    if (previous !== undefined) {
      slot.lastTaskName = previous.taskName;
      previous.holder = undefined;
    }
    slot.job = undefined;
    const retireReason: RunnerKillReason | undefined = previous?.isolate
      ? 'isolated'
      : slot.untrusted
        ? 'stray-error'
        : undefined;
    if (retireReason !== undefined) this.#requeue(takeBackJobsAhead(slot));
    const ahead = slot.ahead.shift();
    if (ahead !== undefined) {
      slot.job = ahead;
      this.#current(slot, ahead);
      return;
    }
    if (retireReason !== undefined) {
      this.#retire(slot, retireReason);
      this.#pump();
      return;
    }
    const next = this.#queue.first;
    if (next !== undefined) {
      if (next.isolate && slot.tasksStarted > 0) {
        // It needs a fresh runner: this one makes room for it.
        this.#retire(slot, 'isolated');
        this.#pump();
        return;
      }
      this.#queue.shift();
      this.#assign(slot, next);
      return;
    }
    const taken = this.#takeJobAheadOfAnother(slot);
    if (taken !== undefined) {
      this.#assign(slot, taken);
      return;
    }
    slot.state = 'idle';
    slot.deadline?.cancel();
    slot.release();
    this.#idle.push(slot);
    this.#idleRetirement.becameIdle(slot);
  }

  /**
   * A runner with nothing to do takes the newest job sent ahead to the busiest other runner,
   * when that job has not started: no job waits behind a long task while a runner idles.
   */
  #takeJobAheadOfAnother(slot: RunnerSlot): EngineJob | undefined {
    const busiest = runnerWithMostAhead(this.#pool);
    if (busiest === undefined || busiest === slot) return undefined;
    const job = takeBackNewestJobAhead(busiest);
    if (job !== undefined) this.#ahead--;
    return job;
  }

  /**
   * A callback that task `taskName` left behind threw in this runner after that task
   * settled: logged naming that task; the task running now is not blamed and finishes,
   * then the runner is retired (at once when it idles).
   */
  #strayError(slot: RunnerSlot, taskName: string, error: unknown): void {
    // One warning per runner: an interval that keeps throwing is not logged at every tick.
    if (slot.untrusted || slot.state === 'stopping' || slot.state === 'gone') return;
    logStrayError(this.#settings.logger, taskName, slot.runner?.label ?? 'a runner', error);
    slot.untrusted = true;
    if (slot.state === 'idle') {
      this.#retire(slot, 'stray-error');
      this.#spares.scheduleRefill();
    }
  }

  #idleTimeUp(slot: RunnerSlot): void {
    this.#retire(slot, 'idle');
    if (this.#pool.size === 0 && this.#queue.size === 0) {
      for (const spare of [...this.#spares.list()]) this.#retire(spare, 'idle');
    }
  }

  #deadlinePassed(slot: RunnerSlot): void {
    const job = slot.job;
    if (job?.state !== 'running') return;
    // A task that ended within its limit, its answer still on the way (a busy host reads
    // answers late), has not timed out: its answer settles it.
    const prefetch = slot.runner?.prefetch;
    const ranFor = prefetch?.ranFor(job.ticket);
    if (ranFor !== undefined && ranFor < job.timeout) return;
    const elapsed = elapsedSince(job.startedAt);
    if (prefetch === undefined && elapsed - job.timeout > lateTimerMs && !job.deadlineDeferred) {
      // The host's thread was held well past this deadline, so the task's answer may be
      // waiting to be read: it is read first (timers run before I/O in a turn of the loop).
      job.deadlineDeferred = true;
      setLongTimeout(
        () => {
          if (slot.job === job) this.#deadlinePassed(slot);
        },
        0,
        { keepsHostAlive: true },
      );
      return;
    }
    const { strategy } = this.#settings;
    this.#counters.timedOut++;
    if (this.#hasEnded(slot, job)) {
      // It ended past its limit: the deadline wins, and the runner is healthy and stays.
      const late = prefetch?.ranFor(job.ticket) ?? elapsed;
      this.#running--;
      this.#counters.runTimes.record(late);
      job.fail(lateResultError(strategy, job, late));
      return;
    }
    if (slot.tasksStarted === 1) {
      // The first task on a spare ran past its limit: a module the spare preloaded may have
      // left something behind that held it. The task's own module is not suspect: its code
      // is what ran long, and its import had finished before the spare took the task.
      this.#preloads.refuseOtherModules(slot.preloaded, job.request);
    }
    const { error, reportStop } = pendingStopTimeoutError(
      strategy,
      job,
      elapsed,
      slot.runner?.stillRunningReason,
    );
    const abort: AbortRequest = { cause: 'timeout', timeout: job.timeout, elapsed, strategy };
    this.#stopJob(slot, job, error, abort, reportStop);
  }

  /**
   * Whether a prefetching runner's current job has in fact ended (its runner marked it so,
   * or started a job sent after it), its answer on the way. When it has not, every job sent
   * ahead is taken back and waits again, so that stopping the runner stops no other task.
   */
  #hasEnded(slot: RunnerSlot, job: EngineJob): boolean {
    const prefetch = slot.runner?.prefetch;
    if (prefetch === undefined) return false;
    if (prefetch.ranFor(job.ticket) !== undefined) return true;
    this.#requeue(takeBackJobsAhead(slot));
    return slot.ahead.length > 0;
  }

  #callerAborted(job: EngineJob, reason: unknown): void {
    const { taskName } = job;
    const slot = job.holder;
    switch (job.state) {
      case 'queued':
        this.#queue.remove(job);
        job.fail(new TaskAbortedError({ taskName, phase: 'queued', cause: reason }));
        break;
      case 'starting':
        if (slot !== undefined) {
          slot.job = undefined;
          slot.release();
        }
        job.holder = undefined;
        job.fail(new TaskAbortedError({ taskName, phase: 'queued', cause: reason }));
        break;
      case 'sent':
        if (slot === undefined) break;
        if (slot.runner?.prefetch?.revoke(job.ticket) !== true) {
          // It has started: it is stopped once the answers before it are in.
          job.abortWhenCurrent = { reason };
          break;
        }
        slot.ahead.splice(slot.ahead.indexOf(job), 1);
        this.#ahead--;
        job.holder = undefined;
        job.fail(new TaskAbortedError({ taskName, phase: 'queued', cause: reason }));
        break;
      case 'running':
        if (slot === undefined) break;
        if (this.#hasEnded(slot, job)) {
          // It ended before the abort: the caller gets its abort, the runner stays.
          this.#running--;
          this.#counters.runTimes.record(performance.now() - job.startedAt);
          job.fail(new TaskAbortedError({ taskName, phase: 'running', cause: reason }));
          break;
        }
        this.#stopJob(
          slot,
          job,
          new TaskAbortedError({ taskName, phase: 'running', cause: reason }),
          reason === undefined
            ? { cause: 'caller' }
            : { cause: 'caller', reason: serializeThrown(reason) },
        );
        break;
    }
  }

  /** Rejects a running job with `error` at once, then stops its runner the hard way. */
  #stopJob(
    slot: RunnerSlot,
    job: EngineJob,
    error: unknown,
    abort: AbortRequest,
    stopped?: (outcome: StopOutcome) => void,
  ): void {
    const runner = slot.runner;
    if (runner === undefined) return;
    this.#running--;
    this.#counters.kills++;
    this.#counters.runTimes.record(performance.now() - job.startedAt);
    this.#leave(slot);
    slot.lastTaskName = job.taskName;
    slot.ladder = new StopLadder(runner, {
      abort,
      graceMs: this.#settings.graceMs,
      exitTimeout: this.#settings.exitTimeout,
      finished: (outcome) => {
        this.#publisher.killed(runner, killReasons[abort.cause], job.taskName, outcome.forced);
        this.#stopFinished(slot, job, abort, outcome);
        stopped?.(outcome);
      },
    });
    job.fail(error);
    this.#pump();
  }

  /**
   * Ends a runner that holds no running task (idle, spare, crashed, failed start, close);
   * publishes it as killed for `reason`, none for a runner that crashed.
   */
  #retire(slot: RunnerSlot, reason: RunnerKillReason | undefined): void {
    if (slot.state === 'stopping' || slot.state === 'gone') return;
    this.#leave(slot);
    const runner = slot.runner;
    if (runner === undefined) {
      this.#gone(slot);
      return;
    }
    slot.ladder = new StopLadder(runner, {
      abort: undefined,
      graceMs: 0,
      exitTimeout: this.#settings.exitTimeout,
      finished: (outcome) => {
        if (reason !== undefined) this.#publisher.killed(runner, reason, undefined, outcome.forced);
        if (!outcome.confirmed) this.#unconfirmed(slot, outcome);
        this.#gone(slot);
      },
    });
  }

  /** Takes a slot out of the pool, the idle list and the spares; it is stopping from now on. */
  #leave(slot: RunnerSlot): void {
    this.#pool.delete(slot);
    const idleIndex = this.#idle.indexOf(slot);
    if (idleIndex !== -1) this.#idle.splice(idleIndex, 1);
    this.#spares.remove(slot);
    slot.clearTimers();
    slot.job = undefined;
    slot.state = 'stopping';
    this.#stopping.add(slot);
  }

  #stopFinished(slot: RunnerSlot, job: EngineJob, abort: AbortRequest, outcome: StopOutcome): void {
    logStopOutcome(job.logger, job.taskName, slot.runner?.label ?? 'the runner', abort, outcome);
    if (!outcome.confirmed) this.#unconfirmed(slot, outcome);
    this.#gone(slot);
  }

  #unconfirmed(slot: RunnerSlot, outcome: StopOutcome): void {
    this.#counters.unconfirmed++;
    const runner = slot.runner;
    if (runner !== undefined) {
      runner.unref();
      this.#publisher.quarantined(
        runner,
        outcome.reason ??
          `${runner.label} was not confirmed gone within ${this.#settings.exitTimeout} ms (exitTimeout)`,
      );
    }
    logUnconfirmed(this.#settings.logger, slot.lastTaskName, outcome.reason);
  }

  #gone(slot: RunnerSlot): void {
    if (slot.state === 'gone') return;
    slot.state = 'gone';
    slot.ladder = undefined;
    this.#stopping.delete(slot);
    slot.markGone();
  }

  /**
   * A runner died on its own, or (`killReason` `failed-start`) the engine ends it for not
   * starting in time.
   */
  #crashed(slot: RunnerSlot, crash: RunnerCrash, killReason?: RunnerKillReason): void {
    if (slot.state === 'stopping' || slot.state === 'gone') return;
    this.#jobsAheadOfACrash(slot, crash);
    const job = slot.job;
    const wasReady = slot.ready;
    const wasSpare = slot.spare;
    const running = job?.state === 'running';
    if (running) this.#running--;
    if (killReason === undefined && slot.runner !== undefined) {
      this.#publisher.crashed(slot.runner, running ? job.taskName : undefined, crash);
    }
    this.#retire(slot, killReason);
    if (slot.preloading) {
      this.#preloadEnded(slot, job, crash);
    } else if (!wasReady) {
      this.#startFailed(slot, job, crash, wasSpare);
    } else if (job !== undefined && job.state !== 'settled') {
      this.#counters.crashed++;
      // A module whose task ended its runner (process.exit() at import, say) would end a spare.
      this.#preloads.refuse(job.request);
      if (slot.tasksStarted === 1)
        for (const request of slot.preloaded) this.#preloads.refuse(request);
      job.fail(this.#crashedError(slot, job.taskName, crash));
    } else if (!refuseFatalPreloads(this.#preloads, slot, crash, this.#settings.logger)) {
      const label = slot.runner?.label ?? 'a runner';
      logCrashBetweenTasks(this.#settings.logger, slot.lastTaskName, label, crash);
    }
    this.#pump();
    this.#spares.scheduleRefill();
  }

  /**
   * A runner crashed with jobs sent ahead to it: those it had not started wait again; one
   * it had started (the job before it had ended) crashed with it.
   */
  #jobsAheadOfACrash(slot: RunnerSlot, crash: RunnerCrash): void {
    if (slot.ahead.length === 0) return;
    this.#requeue(takeBackJobsAhead(slot));
    for (const job of slot.ahead.splice(0)) {
      this.#ahead--;
      job.holder = undefined;
      this.#counters.crashed++;
      job.fail(this.#crashedError(slot, job.taskName, crash));
    }
  }

  /**
   * A runner ended (or timed out) while it loaded its preloads: they are refused from now
   * on; a task that waited for it goes back to the front of the queue, blameless.
   */
  #preloadEnded(slot: RunnerSlot, job: EngineJob | undefined, crash: RunnerCrash): void {
    slot.preloading = false;
    refuseFatalPreloads(this.#preloads, slot, crash, this.#settings.logger);
    if (job === undefined || job.state !== 'starting') return;
    job.holder = undefined;
    if (this.#closed) {
      const { strategy } = this.#settings;
      job.fail(new StrategyClosedError({ taskName: job.taskName, strategy, phase: 'queued' }));
      return;
    }
    job.state = 'queued';
    this.#queue.pushFront(job);
  }

  #startFailed(
    slot: RunnerSlot,
    job: EngineJob | undefined,
    crash: RunnerCrash,
    wasSpare: boolean,
  ): void {
    const mayRetry = this.#startFailures.failed();
    if (job === undefined || job.state === 'settled') {
      const label = slot.runner?.label ?? 'a runner';
      logFailedStart(this.#settings.logger, label, wasSpare, this.#startFailures.inARow, crash);
      return;
    }
    job.holder = undefined;
    if (mayRetry && !this.#closed) {
      job.state = 'queued';
      this.#queue.pushFront(job);
      return;
    }
    this.#startFailures.gaveUp();
    this.#counters.crashed++;
    job.fail(this.#crashedError(slot, job.taskName, { ...crash, reason: 'spawn-failed' }));
  }

  #crashedError(slot: RunnerSlot, taskName: string, crash: RunnerCrash): TaskCrashedError {
    return runnerCrashedError(this.#settings.strategy, slot.runner?.identity, taskName, crash);
  }

  #exited(slot: RunnerSlot, exit: RunnerExit): void {
    this.#lingering.add(exit.lingersForMs, exit.unconfirmed);
    this.#refuseIfNoneCanStart();
    if (slot.ladder !== undefined) {
      slot.ladder.exited(exit);
      return;
    }
    if (slot.state === 'gone') return;
    this.#crashed(slot, { reason: 'exit', detail: 'the runner exited' });
    (slot.ladder as StopLadder | undefined)?.exited(exit);
  }

  #refused(slot: RunnerSlot, job: EngineJob, error: unknown): void {
    this.#running--;
    this.#free(slot);
    job.fail(refusedArgumentError(job, error));
  }

  /** Hands waiting jobs to free runners (after a runner left the pool). */
  #pump(): void {
    if (this.#closed) return;
    while (this.#queue.size > 0) {
      const slot = this.#freeSlot(this.#queue.first?.isolate);
      if (slot === undefined) break;
      const job = this.#queue.shift();
      if (job === undefined) return;
      this.#assign(slot, job);
    }
    this.#refuseIfNoneCanStart();
  }

  /** Rejects waiting jobs when no runner is left and none may ever start again. */
  #refuseIfNoneCanStart(): void {
    if (!this.#lingering.exhaustedForever || this.#pool.size > 0 || this.#spares.size > 0) return;
    const { strategy } = this.#settings;
    for (const job of this.#queue.drain())
      job.fail(this.#lingering.refusal(job.taskName, strategy));
  }

  /** A runner being ended (past its grace period), if any. */
  #terminatingSlot(): RunnerSlot | undefined {
    for (const slot of this.#stopping) if (slot.ladder?.terminating) return slot;
    return undefined;
  }
}

/** The error for a job whose request the runner refused to send (an argument it cannot carry). */
function refusedArgumentError(job: EngineJob, error: unknown): TaskSerializationError {
  return new TaskSerializationError({
    taskName: job.taskName,
    subject: 'argument',
    path: 'args',
    reason: `the runner refused it: ${describeError(error)}`,
    cause: error,
  });
}

/** Takes the most recently idle runner that has run no task yet, if any. */
function takeFreshRunner(idle: RunnerSlot[]): RunnerSlot | undefined {
  for (let index = idle.length - 1; index >= 0; index--) {
    if (idle[index]?.tasksStarted === 0) return idle.splice(index, 1)[0];
  }
  return undefined;
}
