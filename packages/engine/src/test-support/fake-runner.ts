/** An in-memory runner for the engine's tests: each test drives it by hand. */

import { silentLogger } from '@timebox/core';
import type { AbortRequest, TaskRequest, TaskResponse } from '@timebox/core/strategy-kit';
import { type EngineSettings, engineDefaults } from '../engine-settings.js';
import type {
  Runner,
  RunnerCrash,
  RunnerEvents,
  RunnerFactory,
  RunnerPrefetch,
} from '../runner.js';

/** Where a request sent to a prefetching fake runner is. */
export type FakeTicketPhase = 'held' | 'started' | 'ended' | 'revoked';

/**
 * The prefetch side of a fake runner: each ticket's phase and start, which a test moves as
 * the runner's thread would (`claim`, `end`), and what the engine asked of it.
 */
export class FakePrefetch implements RunnerPrefetch {
  readonly depth: number;
  readonly capacity: number;
  readonly phases = new Map<number, FakeTicketPhase>();
  readonly startedAt = new Map<number, number>();
  readonly durations = new Map<number, number>();
  readonly revoked: number[] = [];
  /** The tickets the engine made current, in order. */
  readonly currents: number[] = [];

  constructor(depth: number, capacity: number) {
    this.depth = depth;
    this.capacity = capacity;
  }

  current(ticket: number): number | undefined {
    this.currents.push(ticket);
    return this.startedAt.get(ticket);
  }

  ranFor(ticket: number): number | undefined {
    return this.phases.get(ticket) === 'ended' ? this.durations.get(ticket) : undefined;
  }

  revoke(ticket: number): boolean {
    if (this.phases.get(ticket) !== 'held') return false;
    this.phases.set(ticket, 'revoked');
    this.revoked.push(ticket);
    return true;
  }

  /** The thread starts the request with this ticket (at `at`, a `performance.now()` reading). */
  claim(ticket: number, at = performance.now()): boolean {
    if (this.phases.get(ticket) !== 'held') return false;
    this.phases.set(ticket, 'started');
    this.startedAt.set(ticket, at);
    return true;
  }

  /** The thread ends the request with this ticket, now (or after running `ranFor` ms). */
  end(ticket: number, ranFor?: number): void {
    this.phases.set(ticket, 'ended');
    this.durations.set(ticket, ranFor ?? performance.now() - (this.startedAt.get(ticket) ?? 0));
  }
}

/** One fake runner and what the engine asked of it. */
export class FakeRunner implements Runner {
  readonly identity: { threadId: number };
  readonly label: string;
  readonly sent: TaskRequest[] = [];
  /** The ticket of each request in `sent`. */
  readonly tickets: number[] = [];
  /** Set when it prefetches (see `FakeRunners.prefetchDepth`). */
  prefetch: FakePrefetch | undefined;
  readonly aborts: AbortRequest[] = [];
  readonly preloads: TaskRequest[][] = [];
  stopCalls: boolean[] = [];
  referenced = false;
  hearsAbort: boolean | undefined = true;
  /** Whether `preload()` promises to report `preloaded()` (as a worker thread does). */
  acknowledgesPreloads = false;
  /** Whether `stop()` makes it exit (false: it never does, like a thread blocked in a system call). */
  exitsOnStop = true;
  gone = false;
  /** When set, a forced stop reports the runner as possibly running on for this long. */
  lingersForMs: number | undefined;
  /** See `Runner.stillRunningReason`. */
  stillRunningReason: string | undefined;
  readonly #events: RunnerEvents;

  constructor(id: number, events: RunnerEvents) {
    this.identity = { threadId: id };
    this.label = `fake runner ${id}`;
    this.#events = events;
  }

  send(request: TaskRequest, ticket: number): void {
    if (request.args.includes('refuse')) throw new Error('cannot send that');
    this.sent.push(request);
    this.tickets.push(ticket);
    this.prefetch?.phases.set(ticket, 'held');
  }

  /** The ticket of the request whose task is named `taskName` (sent last with that name). */
  ticketOf(taskName: string): number {
    const index = this.sent.map((request) => request.taskName).lastIndexOf(taskName);
    if (index === -1) throw new Error(`no request for '${taskName}' was sent to ${this.label}`);
    return this.tickets[index] as number;
  }

  abort(request: AbortRequest): void {
    this.aborts.push(request);
  }

  preload(requests: readonly TaskRequest[]): boolean {
    this.preloads.push([...requests]);
    return this.acknowledgesPreloads;
  }

  /** Says its preloads are loaded. */
  finishPreloads(): void {
    this.#events.preloaded?.();
  }

  canHearAbort(): boolean | undefined {
    return this.hearsAbort;
  }

  stop(taskEnded: boolean): void {
    this.stopCalls.push(taskEnded);
    if (this.exitsOnStop && !this.gone) {
      this.gone = true;
      const lingersForMs = this.lingersForMs;
      queueMicrotask(() =>
        this.#events.exited(
          !taskEnded && lingersForMs !== undefined
            ? { forced: true, unconfirmed: 'it spins on', lingersForMs }
            : { forced: !taskEnded },
        ),
      );
    }
  }

  ref(): void {
    this.referenced = true;
  }

  unref(): void {
    this.referenced = false;
  }

  /** Says it is ready. */
  becomeReady(): void {
    this.#events.ready();
  }

  /** Answers the task sent last. */
  respond(response: TaskResponse): void {
    this.#events.response(response);
  }

  /** Says a callback that settled task `taskName` left behind threw. */
  reportStray(taskName: string, error: unknown): void {
    this.#events.strayError?.(taskName, error);
  }

  /** Reads an abort. */
  hearAbort(): void {
    this.#events.abortHeard();
  }

  /** Dies on its own. */
  crash(crash: RunnerCrash): void {
    this.#events.crashed(crash);
    this.gone = true;
    this.#events.exited({ forced: false });
  }
}

/** A factory of fake runners; `readyAtOnce` makes each one ready on the next microtask. */
export class FakeRunners implements RunnerFactory {
  readonly started: FakeRunner[] = [];
  readyAtOnce = true;
  /** Whether the runners it starts acknowledge their preloads. */
  acknowledgePreloads = false;
  /** When set, `start()` throws it. */
  failWith: Error | undefined;
  /** Given to each runner it starts (see `FakeRunner.lingersForMs`). */
  lingersForMs: number | undefined;
  /** When set, each runner it starts prefetches this many requests. */
  prefetchDepth: number | undefined;
  /** The tickets a prefetching runner tracks at once. */
  prefetchCapacity = 16;

  start(events: RunnerEvents): FakeRunner {
    if (this.failWith !== undefined) throw this.failWith;
    const runner = new FakeRunner(this.started.length + 1, events);
    runner.acknowledgesPreloads = this.acknowledgePreloads;
    this.started.push(runner);
    runner.lingersForMs = this.lingersForMs;
    if (this.prefetchDepth !== undefined) {
      runner.prefetch = new FakePrefetch(this.prefetchDepth, this.prefetchCapacity);
    }
    if (this.lingersForMs !== undefined) runner.stillRunningReason = 'it spins on';
    if (this.readyAtOnce) queueMicrotask(() => runner.becomeReady());
    return runner;
  }

  /** The runner started `index`-th (from 0). */
  runner(index: number): FakeRunner {
    const runner = this.started[index];
    if (runner === undefined) throw new Error(`no runner ${index} was started`);
    return runner;
  }
}

/** A request for a module task (as `createTaskRequest` makes it). */
export function moduleRequest(taskName: string, args: unknown[] = []): TaskRequest {
  return {
    taskName,
    run: { kind: 'module', specifier: 'file:///tasks.mjs', exportName: taskName },
    args,
  };
}

/** Lets queued microtasks and zero-delay timers run. */
export function settleTurns(): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, 0));
}

/** An engine's settings on fake runners: one runner, no spares, the defaults, a silent logger. */
export function fakeEngineSettings(
  runners: FakeRunners,
  overrides: Partial<EngineSettings> = {},
): EngineSettings {
  return {
    strategy: 'fake',
    runners,
    maxRunners: 1,
    spareRunners: 0,
    ...engineDefaults,
    logger: silentLogger,
    ...overrides,
  };
}

/** A fulfilled task response with `value`. */
export const fulfilled = (value: unknown) => ({ outcome: 'fulfilled', value }) as const;

/** What a promise rejected with, or `{ unexpectedValue }` when it resolved. */
export function rejectionOf(promise: Promise<unknown>): Promise<unknown> {
  return promise.then(
    (value) => ({ unexpectedValue: value }),
    (error: unknown) => error,
  );
}
