import type { CrashReason } from '@timebox/core';
import { type AbortRequest, deserializeThrown, type TaskRequest } from '@timebox/core/strategy-kit';
import type { Runner, RunnerEvents, RunnerExit } from '@timebox/engine';
import type { RuntimeTermination } from './runtime-termination.js';
import type { HostMessage, WorkerMessage } from './wire-messages.js';

/** How every web worker of a strategy is started. */
export interface WebWorkerSettings {
  /** The worker module to start; undefined for the built entry beside this module. */
  readonly workerUrl: string | URL | undefined;
  /** What `terminate()` does to a busy worker in this runtime. */
  readonly termination: RuntimeTermination;
}

/** A worker of a runtime that can let the host exit while it idles (Bun). */
interface ReferencedWorker {
  ref?(): void;
  unref?(): void;
}

/** Web workers have no thread id: each one gets a number of this strategy's own. */
let lastWorkerNumber = 0;

/**
 * One module worker running the web worker entry, as an engine runner: it posts requests,
 * reports answers, and ends the worker with `terminate()`. Runtime-neutral: it uses only
 * the global `Worker`. A browser fires no event when a terminated worker is gone, so its
 * exit is reported right after `terminate()`; where the runtime keeps a busy worker
 * running after that (Chromium for about 2 s, Deno for good) the exit says so and for how
 * long, and the engine counts it against `maxZombieWorkers`.
 */
export class WebWorkerRunner implements Runner {
  readonly identity: { readonly threadId: number };
  readonly label: string;
  readonly stillRunningReason: string | undefined;
  readonly #worker: Worker;
  readonly #events: RunnerEvents;
  readonly #termination: RuntimeTermination;
  #ready = false;
  #stopping = false;
  #crashed = false;

  constructor(settings: WebWorkerSettings, events: RunnerEvents) {
    this.#events = events;
    this.#termination = settings.termination;
    this.stillRunningReason = settings.termination.stillRunningReason;
    lastWorkerNumber += 1;
    this.identity = { threadId: lastWorkerNumber };
    this.label = `web worker ${lastWorkerNumber}`;
    const { workerUrl } = settings;
    // The literal `new Worker(new URL(...), { type: 'module' })` lets bundlers (Vite,
    // webpack 5, Parcel, Rollup with a plugin) find and emit the entry.
    this.#worker =
      workerUrl === undefined
        ? new Worker(new URL('./web-worker-entry.js', import.meta.url), {
            type: 'module',
            name: 'timebox web-worker',
          })
        : new Worker(workerUrl, { type: 'module', name: 'timebox web-worker' });
    this.#worker.addEventListener('message', (event: MessageEvent<WorkerMessage>) =>
      this.#heard(event.data),
    );
    this.#worker.addEventListener('error', (event: Event) => {
      event.preventDefault();
      const message = (event as ErrorEvent).message;
      const detail = this.#ready
        ? `the worker threw outside the task${message ? `: ${message}` : ''}`
        : `the worker failed${message ? `: ${message}` : ' (its entry could not be loaded, or it threw while loading)'}`;
      this.#crash('uncaught-exception', detail, undefined);
    });
    this.#worker.addEventListener('messageerror', () => {
      this.#crash(
        'uncaught-exception',
        'a message from the worker could not be deserialized',
        undefined,
      );
    });
  }

  send(request: TaskRequest): void {
    this.#worker.postMessage(request);
  }

  abort(request: AbortRequest): void {
    this.#post({ control: 'abort', request });
  }

  /** The worker says when the modules are loaded: the engine counts the spare ready then. */
  preload(requests: readonly TaskRequest[]): true {
    this.#post({ control: 'preload', requests });
    return true;
  }

  /** A web worker's event loop cannot be read from outside: the engine waits out `graceMs`. */
  canHearAbort(): boolean | undefined {
    return undefined;
  }

  stop(taskEnded: boolean): void {
    if (this.#stopping) return;
    this.#stopping = true;
    this.#worker.terminate();
    const { stillRunningReason, stoppedWithinMs } = this.#termination;
    const exit: RunnerExit =
      taskEnded || stillRunningReason === undefined || stoppedWithinMs <= 0
        ? { forced: !taskEnded }
        : { forced: true, unconfirmed: stillRunningReason, lingersForMs: stoppedWithinMs };
    // The engine hears every runner event after the call that caused it.
    queueMicrotask(() => this.#events.exited(exit));
  }

  ref(): void {
    (this.#worker as ReferencedWorker).ref?.();
  }

  unref(): void {
    (this.#worker as ReferencedWorker).unref?.();
  }

  #post(message: HostMessage): void {
    this.#worker.postMessage(message);
  }

  #heard(message: WorkerMessage): void {
    if ('outcome' in message) {
      const { ranFor } = message;
      this.#events.response(
        message,
        typeof ranFor === 'number' && ranFor >= 0 ? ranFor : undefined,
      );
    } else if (message.event === 'ready') {
      this.#ready = true;
      this.#events.ready();
    } else if (message.event === 'abort-received') {
      this.#events.abortHeard();
    } else if (message.event === 'preloaded') {
      this.#events.preloaded?.();
    } else if (message.event === 'stray-error') {
      this.#events.strayError?.(message.taskName, deserializeThrown(message.error));
    } else {
      this.#crash(
        'uncaught-exception',
        'the task threw outside its promise chain',
        deserializeThrown(message.error),
      );
    }
  }

  #crash(reason: CrashReason, detail: string, cause: unknown): void {
    if (this.#crashed || this.#stopping) return;
    this.#crashed = true;
    this.#events.crashed({
      reason: this.#ready ? reason : 'spawn-failed',
      detail,
      ...(cause === undefined ? {} : { cause }),
    });
  }
}
