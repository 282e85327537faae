import { type ResourceLimits, type SHARE_ENV, Worker } from 'node:worker_threads';
import type { HostMessage, WorkerMessage } from './wire-messages.js';
import { workerEntryUrl } from './worker-entry-url.js';

/** How every worker thread of a strategy is started. */
export interface ThreadSettings {
  /** V8 limits for the thread. */
  readonly resourceLimits: ResourceLimits | undefined;
  /** Node options for the thread. */
  readonly execArgv: readonly string[];
  /** The thread's environment. */
  readonly env: Readonly<Record<string, string>> | typeof SHARE_ENV | undefined;
}

/** What the owner of a thread hears from it once the thread is ready. */
export interface ThreadListener {
  /** The thread loaded its script and listens for tasks. */
  onReady(): void;
  /** A task response or an event other than `ready`. */
  onMessage(message: WorkerMessage): void;
  /** The thread died of an error (`worker.on('error')`). */
  onError(error: Error): void;
  /** The thread is gone (`worker.on('exit')`). */
  onExit(exitCode: number): void;
}

/**
 * One `worker_threads` worker running the worker entry. It starts unreferenced, so that
 * an idle thread never keeps the host process alive; its owner references it when nothing
 * else would keep the process alive while a task waits for it or runs. `exited` resolves
 * once the thread is really gone.
 */
export class WorkerThread {
  /** The thread's id, kept after it exits. */
  readonly threadId: number;
  /** Resolves with the exit code once the thread is gone. */
  readonly exited: Promise<number>;
  /** Whether the thread has said it is ready. */
  ready = false;
  /** Whether the thread is gone (or never started). */
  gone = false;
  /** The error the thread died of, or why it could not start. */
  error: Error | undefined;
  readonly #worker: Worker | undefined;
  #listener: ThreadListener | undefined;
  #terminating = false;

  /**
   * Starts a thread. When `new Worker` throws (bad `execArgv`, say), the thread is born
   * gone, with the reason in `error`, so that its owner reports it like any failed start.
   */
  constructor(settings: ThreadSettings) {
    let worker: Worker;
    try {
      worker = new Worker(workerEntryUrl, {
        execArgv: [...settings.execArgv],
        ...(settings.resourceLimits === undefined
          ? {}
          : { resourceLimits: settings.resourceLimits }),
        ...(settings.env === undefined ? {} : { env: settings.env }),
      });
    } catch (error) {
      this.#worker = undefined;
      this.threadId = -1;
      this.gone = true;
      this.error = error instanceof Error ? error : new Error(String(error));
      this.exited = Promise.resolve(-1);
      return;
    }
    this.#worker = worker;
    this.threadId = worker.threadId;
    this.exited = new Promise((resolve) => {
      worker.on('exit', (exitCode: number) => {
        this.gone = true;
        this.#listener?.onExit(exitCode);
        resolve(exitCode);
      });
    });
    worker.on('message', (message: WorkerMessage) => {
      if ('event' in message && message.event === 'ready') {
        this.ready = true;
        this.#listener?.onReady();
      } else {
        this.#listener?.onMessage(message);
      }
    });
    worker.on('error', (error: Error) => {
      this.error = error;
      this.#listener?.onError(error);
    });
    // After the listeners: adding a 'message' listener references the thread's port again.
    worker.unref();
  }

  /** Whether `terminate()` was called and the thread is not gone yet. */
  get dying(): boolean {
    return this.#terminating && !this.gone;
  }

  /**
   * Milliseconds the thread's event loop has spent waiting in its poll phase, including a
   * wait in progress (see `stuck-thread.ts`); 0 once the thread is gone.
   */
  idleTime(): number {
    return this.#worker?.performance.eventLoopUtilization().idle ?? 0;
  }

  /** Makes `listener` hear the thread's messages, errors and exit from now on. */
  listen(listener: ThreadListener): void {
    this.#listener = listener;
  }

  /** Posts a task request or a control message to the thread. */
  post(message: HostMessage): void {
    this.#worker?.postMessage(message);
  }

  /** Keeps the host process alive while the thread runs a task. */
  ref(): void {
    this.#worker?.ref();
  }

  /** Lets the host process exit while the thread idles. */
  unref(): void {
    this.#worker?.unref();
  }

  /** Stops the thread (at once, even in a synchronous loop); `exited` says when it is gone. */
  terminate(): void {
    if (this.#terminating || this.gone) return;
    this.#terminating = true;
    this.#worker?.terminate().catch(() => {});
  }
}
