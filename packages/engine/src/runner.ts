import type { CrashReason } from '@timebox/core';
import type { AbortRequest, TaskRequest, TaskResponse } from '@timebox/core/strategy-kit';

/** Why a runner died on its own (not because the engine stopped it). */
export interface RunnerCrash {
  /** The crash reason `TaskCrashedError` carries. */
  readonly reason: CrashReason;
  /** A sentence for `TaskCrashedError`'s `detail` and for log lines, when there is more to say. */
  readonly detail?: string;
  /** The error that ended it, when there was one. */
  readonly cause?: unknown;
  /** The exit code, when it exited. */
  readonly exitCode?: number | null;
  /** The signal that ended it, when one did. */
  readonly signal?: string | null;
}

/** How a stopped runner ended, as its runner saw it. */
export interface RunnerExit {
  /** Whether the stop had to be forced (`terminate()` of a task still running, `SIGKILL`). */
  readonly forced: boolean;
  /**
   * A sentence about a stop worth a warning (`did not end within 1000 ms of SIGTERM; it was
   * killed with SIGKILL`); the engine logs it as a warning, naming the task.
   */
  readonly warning?: string;
  /**
   * Set when the runner saw its end but its runtime may keep the thread running all the
   * same (Deno's `Worker.terminate()` leaves a thread busy in synchronous code running): the
   * sentence why. The stop then counts as not confirmed, and the error says the task may
   * still be running.
   */
  readonly unconfirmed?: string;
  /**
   * With `unconfirmed`: milliseconds after which the runtime has surely stopped the thread
   * (Chromium stops a busy web worker about 2 s after `terminate()`), or `Infinity` when it
   * may never (Deno). The engine counts such runners against the strategy's lingering
   * limit (`EngineSettings.lingeringRunners`) until then.
   */
  readonly lingersForMs?: number;
}

/** What a runner tells the engine. Every call is asynchronous to `start()`. */
export interface RunnerEvents {
  /** The runner loaded and listens for requests. */
  ready(): void;
  /**
   * The task sent last answered. `ranFor`, where the runner knows it: how long the task ran,
   * measured where it ran; the engine then judges it by that, not by when the answer is read.
   */
  response(response: TaskResponse, ranFor?: number): void;
  /** The runner read an abort and aborted the task's signal. */
  abortHeard(): void;
  /**
   * The modules sent with `preload` are loaded (or failed to load). Only a runner whose
   * `preload` returned true calls it; the engine counts that runner ready only then.
   */
  preloaded?(): void;
  /**
   * A callback that task `taskName` left behind (a timer) threw after that task settled;
   * the runner goes on, but is no longer trusted: the engine logs it naming that task and
   * retires the runner once its current task (which is not to blame) ends.
   */
  strayError?(taskName: string, error: unknown): void;
  /** The runner died on its own: it failed to start, crashed, exited or was killed from outside. */
  crashed(crash: RunnerCrash): void;
  /** The runner is confirmed gone (after a crash or after `stop()`). */
  exited(exit: RunnerExit): void;
}

/** Which id of a runner `TaskCrashedError` carries. */
export type RunnerIdentity = { readonly threadId: number } | { readonly pid: number };

/**
 * One thread, process or web worker that runs tasks one at a time. It owns only what
 * differs between them; the engine owns the queue, deadlines, the stop ladder, spares and
 * everything else.
 */
export interface Runner {
  /** The id `TaskCrashedError` carries (`threadId` or `pid`). */
  readonly identity: RunnerIdentity;
  /** How log lines name it, such as `worker thread 3` or `process 4242`. */
  readonly label: string;
  /**
   * Set when this runner's runtime may keep a thread busy in synchronous code running after
   * `stop()` (Chromium for a while, Deno for good): the sentence a `TaskTimeoutError` gives
   * as its `stillRunningReason`.
   */
  readonly stillRunningReason?: string | undefined;
  /**
   * Sends a task request; the answer comes through `RunnerEvents.response`. Throws when
   * the request cannot be sent (an argument the transport refuses). `ticket` numbers the
   * requests a runner was sent, from 0; a runner with {@link prefetch} names them by it.
   */
  send(request: TaskRequest, ticket: number): void;
  /**
   * Set when the runner takes requests ahead of need: it holds up to `depth` more while
   * it runs one, starts each when the one before ends, and marks each start where the
   * engine reads it at once (shared memory). Answers come in the order sent.
   */
  readonly prefetch?: RunnerPrefetch | undefined;
  /** Asks the running task to stop: aborts its `taskSignal()` with `request` as reason. */
  abort(request: AbortRequest): void;
  /**
   * Imports these module tasks' modules ahead of need (requests without arguments). Returns
   * true when it will call `RunnerEvents.preloaded` once they are loaded: the engine then
   * gives no task to it before that, and a runner that ends (or does not finish within
   * `startTimeout`) while it loads them has its modules refused from then on, so that no
   * innocent task lands on it.
   */
  // biome-ignore lint/suspicious/noConfusingVoidType: a runner that acknowledges nothing keeps its `void` method
  preload(requests: readonly TaskRequest[]): boolean | void;
  /**
   * Whether the running task can hear an abort right now: `false` when it is stuck in
   * synchronous code (the engine then skips the grace period), `undefined` when the
   * runtime cannot tell.
   */
  canHearAbort(): boolean | undefined;
  /**
   * Ends the runner; `RunnerEvents.exited` confirms it. `taskEnded` says whether the task
   * it ran stopped on its own first (then a terminate is not a forced stop).
   */
  stop(taskEnded: boolean): void;
  /** Keeps the host alive while the runner holds a task that nothing else keeps alive. */
  ref(): void;
  /** Lets the host exit while the runner idles. */
  unref(): void;
}

/**
 * What a prefetching runner tells about the requests it holds, by ticket, at once and
 * without its thread's help. A request is held, then started (or revoked, and then never
 * started), then ended.
 */
export interface RunnerPrefetch {
  /**
   * How many requests it holds besides the one it runs; 0 when it holds none but still
   * marks each request's start and end.
   */
  readonly depth: number;
  /**
   * How many tickets it tracks at once: the engine sends no request whose ticket is that
   * many past its current one (requests taken back in between still count until the
   * runner has passed them).
   */
  readonly capacity: number;
  /**
   * The request with this ticket is the engine's current one from now on: returns when it
   * started (a `performance.now()` reading of this thread), or undefined when it has not
   * started yet. The runner's `canHearAbort` is about this request from now on.
   */
  current(ticket: number): number | undefined;
  /**
   * How long the request's task ran, in milliseconds, once it has ended (its answer is on
   * its way); undefined while it has not. The engine judges a task that ended by this, not
   * by when its answer arrives, so a host that was busy blames no task that ran in time.
   */
  ranFor(ticket: number): number | undefined;
  /**
   * Takes back a request that has not started: true when it never will (the runner skips
   * it and sends no answer for it), false when it has started already.
   */
  revoke(ticket: number): boolean;
}

/** Starts runners of one kind for the engine. */
export interface RunnerFactory {
  /**
   * Starts a runner that reports to `events`. May throw when it cannot start at all; the
   * engine then counts a failed start with the thrown error as its cause.
   */
  start(events: RunnerEvents): Runner;
}
