import type {
  AbortRequest,
  SerializedThrown,
  TaskRequest,
  TaskResponse,
} from '@timebox/core/strategy-kit';
import type { HostMessage, WorkerMessage } from './wire-messages.js';

/** How long a new worker may take to load its entry and say ready. */
const startBoundMs = 15_000;

/** What a runner tells the task it runs. */
export interface RunnerListener {
  /** The task settled; `response` says how. */
  settled(response: TaskResponse): void;
  /** The worker failed outside the task: it threw outside the task, or could not load. */
  crashed(detail: string, error: SerializedThrown | undefined): void;
}

/**
 * One module worker running the web worker entry: it starts, says ready, runs one task at
 * a time and is terminated. Runtime-neutral: it uses only the global `Worker`.
 */
export class WebWorkerRunner {
  /** Resolves when the worker listens for tasks; rejects with a sentence when it cannot start. */
  readonly ready: Promise<void>;
  #worker: Worker;
  #listener: RunnerListener | undefined;
  #terminated = false;
  #startTimer: ReturnType<typeof setTimeout> | undefined;

  constructor(workerUrl: string | URL | undefined) {
    // The literal `new Worker(new URL(...), { type: 'module' })` lets bundlers (Vite,
    // webpack 5, Parcel, Rollup with a plugin) find and emit the entry.
    this.#worker =
      workerUrl === undefined
        ? new Worker(new URL('./web-worker-entry.js', import.meta.url), {
            type: 'module',
            name: 'timebox web-worker',
          })
        : new Worker(workerUrl, { type: 'module', name: 'timebox web-worker' });
    let markReady: () => void = () => {};
    let failStart: (detail: string) => void = () => {};
    this.ready = new Promise<void>((resolve, reject) => {
      markReady = resolve;
      failStart = (detail) => reject(new Error(detail));
    });
    this.ready.catch(() => {});
    const startTimer = setTimeout(
      () => failStart(`the worker did not load its entry within ${startBoundMs} ms`),
      startBoundMs,
    );
    this.#startTimer = startTimer;
    this.#worker.addEventListener('message', (event: MessageEvent<WorkerMessage>) => {
      const message = event.data;
      if ('outcome' in message) {
        const listener = this.#listener;
        this.#listener = undefined;
        listener?.settled(message);
      } else if (message.event === 'ready') {
        clearTimeout(startTimer);
        markReady();
      } else {
        this.#crash('the task threw outside its promise chain', message.error);
      }
    });
    this.#worker.addEventListener('error', (event: Event) => {
      event.preventDefault();
      clearTimeout(startTimer);
      const message = (event as ErrorEvent).message;
      const detail = `the worker failed${message ? `: ${message}` : ' (its entry could not be loaded, or it threw while loading)'}`;
      failStart(detail);
      this.#crash(detail, undefined);
    });
    this.#worker.addEventListener('messageerror', () => {
      this.#crash('a message from the worker could not be deserialized', undefined);
    });
  }

  /** Whether `terminate()` was called. */
  get terminated(): boolean {
    return this.#terminated;
  }

  /** Sends a task to run; `listener` hears how it ends. */
  run(request: TaskRequest, listener: RunnerListener): void {
    this.#listener = listener;
    this.#post(request);
  }

  /** Replaces who hears how the running task ends (without sending anything). */
  listen(listener: RunnerListener): void {
    this.#listener = listener;
  }

  /** Aborts the running task's signal inside the worker. */
  abort(request: AbortRequest): void {
    this.#post({ control: 'abort', request });
  }

  /** Terminates the worker. */
  terminate(): void {
    if (this.#terminated) return;
    this.#terminated = true;
    this.#listener = undefined;
    // A worker terminated before it said ready must not keep the host alive until the bound.
    clearTimeout(this.#startTimer);
    this.#worker.terminate();
  }

  #post(message: HostMessage): void {
    this.#worker.postMessage(message);
  }

  #crash(detail: string, error: SerializedThrown | undefined): void {
    const listener = this.#listener;
    this.#listener = undefined;
    listener?.crashed(detail, error);
  }
}
