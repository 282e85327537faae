import { pathToFileURL } from 'node:url';
import { type ResourceLimits, type SHARE_ENV, Worker } from 'node:worker_threads';
import type { CrashReason } from '@timebox/core';
import {
  type AbortRequest,
  deserializeThrown,
  hostTypeScriptLoading,
  type TaskRequest,
  TaskRequestCompactor,
} from '@timebox/core/strategy-kit';
import type { Runner, RunnerEvents, RunnerPrefetch } from '@timebox/engine';
import { crashDetail } from './crash-details.js';
import { workerEntry } from './find-worker-entry.js';
import { PrefetchRing, prefetchCapacity } from './prefetch-ring.js';
import { eventLoopIdleTime, stuckInSynchronousCode } from './stuck-thread.js';
import type {
  FulfilledMessage,
  HostMessage,
  WorkerMessage,
  WorkerStartData,
} from './wire-messages.js';

/** Deno's `Worker.terminate()` ends a thread's messages, not a thread busy in synchronous code. */
const terminationLeavesBusyThreads = typeof (globalThis as { Deno?: unknown }).Deno !== 'undefined';
const busyThreadSurvivesTermination =
  "Deno's Worker.terminate() does not stop a thread that is busy in synchronous code, so the task may still be running";

/**
 * What each worker is told at start: under tsx, where to register it from (the host's main
 * script, else the working directory).
 */
function workerStartData(ring: PrefetchRing | undefined): WorkerStartData {
  const prefetch = ring === undefined ? {} : { prefetchRing: ring.buffer };
  if (hostTypeScriptLoading() !== 'tsx') return prefetch;
  const mainScript = process.argv[1];
  const origin = mainScript === undefined ? `${process.cwd()}/` : mainScript;
  return { ...prefetch, typeScriptLoaderFrom: pathToFileURL(origin).href };
}

/** Whether threads here can share memory with the host for {@link PrefetchRing}. */
const sharedMemory = typeof SharedArrayBuffer === 'function' && typeof Atomics === 'object';

/** How every worker thread of a strategy is started. */
export interface ThreadSettings {
  /** V8 limits for the thread. */
  readonly resourceLimits: ResourceLimits | undefined;
  /** Node options for the thread. */
  readonly execArgv: readonly string[];
  /** The thread's environment. */
  readonly env: Readonly<Record<string, string>> | typeof SHARE_ENV | undefined;
  /** Tasks a busy thread holds besides the one it runs (0: none). */
  readonly prefetch: number;
}

/**
 * One `worker_threads` worker running the worker entry, as an engine runner: it posts
 * requests (a task's name and function once, then `[definitionId, args]`), reports answers, reads whether the task can hear an abort from the thread's
 * event-loop utilization, and ends the thread with `terminate()`. It starts unreferenced;
 * the engine references it while it holds a task nothing else keeps alive.
 * `new Worker` throwing (a bad `execArgv`, say) throws from the constructor.
 */
export class WorkerThreadRunner implements Runner {
  readonly identity: { readonly threadId: number };
  readonly label: string;
  readonly #worker: Worker;
  readonly #events: RunnerEvents;
  readonly #resourceLimits: ResourceLimits | undefined;
  readonly #requests = new TaskRequestCompactor();
  readonly prefetch: RunnerPrefetch | undefined;
  readonly #ring: PrefetchRing | undefined;
  /** When each ticket's request was sent (a `performance.now()` reading), by ring entry. */
  readonly #sentAt = new Float64Array(prefetchCapacity);
  /** The ticket of the engine's current task (prefetch only). */
  #currentTicket = -1;
  #ready = false;
  #stopping = false;
  #taskEnded = false;
  #crashed = false;
  #startedAt = 0;
  #idleAtStart: number | undefined;

  constructor(settings: ThreadSettings, events: RunnerEvents) {
    this.#events = events;
    this.#resourceLimits = settings.resourceLimits;
    const entry = workerEntry();
    // The ring also serves without prefetch: each task's start and end, as the thread saw
    // them, so that a host too busy to read an answer in time blames no task for it.
    this.#ring = sharedMemory ? new PrefetchRing() : undefined;
    this.prefetch =
      this.#ring === undefined
        ? undefined
        : {
            depth: settings.prefetch,
            capacity: prefetchCapacity,
            current: (ticket) => this.#current(ticket),
            ranFor: (ticket) => this.#ring?.ranFor(ticket),
            revoke: (ticket) => this.#ring?.revoke(ticket) === true,
          };
    const worker = new Worker(entry.script, {
      eval: entry.eval,
      workerData: workerStartData(this.#ring),
      execArgv: [...settings.execArgv],
      ...(settings.resourceLimits === undefined ? {} : { resourceLimits: settings.resourceLimits }),
      ...(settings.env === undefined ? {} : { env: settings.env }),
    });
    this.#worker = worker;
    this.identity = { threadId: worker.threadId };
    this.label = `worker thread ${worker.threadId}`;
    worker.on('message', (message: WorkerMessage) => this.#heard(message));
    worker.on('error', (error: Error) => {
      const outOfMemory = (error as { code?: unknown }).code === 'ERR_WORKER_OUT_OF_MEMORY';
      this.#crash(outOfMemory ? 'out-of-memory' : 'uncaught-exception', error, undefined);
    });
    worker.on('exit', (exitCode: number) => {
      if (!this.#stopping) this.#crash('exit', undefined, exitCode);
      const forced = this.#stopping && !this.#taskEnded;
      this.#events.exited(
        forced && terminationLeavesBusyThreads
          ? { forced, unconfirmed: busyThreadSurvivesTermination }
          : { forced },
      );
    });
    // After the listeners: adding a 'message' listener references the thread's port again.
    worker.unref();
  }

  send(request: TaskRequest, ticket: number): void {
    const ring = this.#ring;
    if (ring === undefined) {
      this.#startedAt = performance.now();
      this.#idleAtStart = eventLoopIdleTime(this.#worker);
    } else {
      ring.hold(ticket);
      this.#sentAt[ticket % prefetchCapacity] = performance.now();
    }
    this.#worker.postMessage(this.#requests.compact(request));
  }

  abort(request: AbortRequest): void {
    this.#post(
      this.#ring === undefined
        ? { control: 'abort', request }
        : { control: 'abort', request, ticket: this.#currentTicket },
    );
  }

  preload(requests: readonly TaskRequest[]): true {
    this.#post({ control: 'preload', requests });
    return true;
  }

  canHearAbort(): boolean | undefined {
    let startedAt = this.#startedAt;
    let idleAtStart = this.#idleAtStart;
    if (this.#ring !== undefined) {
      // The idle time was sampled when the task became current, not at its real start:
      // the thread idled at most the time in between, so the idle time the task saw is
      // not overstated (a busy thread is not mistaken for a waiting one).
      startedAt = this.#startOf(this.#currentTicket) ?? this.#startedAt;
      if (idleAtStart !== undefined) idleAtStart += Math.max(0, startedAt - this.#startedAt);
    }
    const stuck = stuckInSynchronousCode(
      { idleTime: () => eventLoopIdleTime(this.#worker) },
      startedAt,
      idleAtStart,
    );
    return stuck === undefined ? undefined : !stuck;
  }

  /** The engine's current task is `ticket` from now on: samples the thread's idle time. */
  #current(ticket: number): number | undefined {
    this.#currentTicket = ticket;
    this.#startedAt = performance.now();
    this.#idleAtStart = eventLoopIdleTime(this.#worker);
    return this.#startOf(ticket);
  }

  /**
   * When the task with this ticket started, in this thread's `performance.now()` time;
   * undefined before it starts. The worker's stamp is kept between the send and now, so
   * that two threads' clock origins cannot move it out of what is possible.
   */
  #startOf(ticket: number): number | undefined {
    const stamp = this.#ring?.startedAt(ticket);
    if (stamp === undefined) return undefined;
    const sentAt = this.#sentAt[ticket % prefetchCapacity] ?? 0;
    return Math.min(performance.now(), Math.max(sentAt, stamp - performance.timeOrigin));
  }

  stop(taskEnded: boolean): void {
    if (this.#stopping) return;
    this.#stopping = true;
    this.#taskEnded = taskEnded;
    this.#worker.terminate().catch(() => {});
  }

  ref(): void {
    this.#worker.ref();
  }

  unref(): void {
    this.#worker.unref();
  }

  #post(message: HostMessage): void {
    this.#worker.postMessage(message);
  }

  #heard(message: WorkerMessage): void {
    if (isFulfilled(message)) {
      this.#events.response({ outcome: 'fulfilled', value: message[0] });
    } else if ('outcome' in message) {
      this.#events.response(message);
    } else if (message.event === 'ready') {
      this.#ready = true;
      this.#events.ready();
    } else if (message.event === 'abort-received') {
      this.#events.abortHeard();
    } else if (message.event === 'preloaded') {
      this.#events.preloaded?.();
    } else if (message.event === 'stray-error') {
      this.#events.strayError?.(message.taskName, deserializeThrown(message.error));
    } else if (message.event === 'uncaught-exception') {
      this.#crash('uncaught-exception', deserializeThrown(message.error), undefined);
    }
  }

  #crash(reason: CrashReason, cause: unknown, exitCode: number | undefined): void {
    if (this.#crashed || this.#stopping) return;
    this.#crashed = true;
    const crashReason: CrashReason =
      this.#ready || reason === 'out-of-memory' ? reason : 'spawn-failed';
    this.#events.crashed({
      reason: crashReason,
      detail: crashDetail(crashReason, cause, exitCode, this.#resourceLimits),
      exitCode: exitCode ?? null,
      ...(cause === undefined ? {} : { cause }),
    });
  }
}

function isFulfilled(message: WorkerMessage): message is FulfilledMessage {
  return Array.isArray(message);
}
