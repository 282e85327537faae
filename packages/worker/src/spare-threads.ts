import type { WorkerThread } from './worker-thread.js';

/** How spares are started and warmed. */
export interface SpareThreadHooks {
  /** Starts a thread. */
  startThread(): WorkerThread;
  /** Warms a new spare (imports the modules of recent tasks). */
  prepareThread(thread: WorkerThread): void;
  /**
   * A thread being terminated, if any: refills wait for it to go, so that a new thread's
   * start-up does not compete with it (and with the task that just took the spare) for
   * the CPU.
   */
  dyingThread(): WorkerThread | undefined;
}

/**
 * Threads started ahead of need and kept idle (unreferenced), so that a worker terminated
 * at a deadline or lost to a crash is replaced by a thread that is already running instead
 * of paying a cold start. Spares run no tasks until the pool adopts one; each adoption
 * starts a replacement in the background.
 */
export class SpareThreads {
  readonly #count: number;
  readonly #hooks: SpareThreadHooks;
  #spares: WorkerThread[] = [];
  #refill: ReturnType<typeof setImmediate> | undefined;
  #closed = false;

  constructor(count: number, hooks: SpareThreadHooks) {
    this.#count = count;
    this.#hooks = hooks;
  }

  /** Takes a spare, a ready one first; undefined when there is none. */
  take(): WorkerThread | undefined {
    this.#spares = this.#spares.filter((thread) => !thread.gone && thread.error === undefined);
    const readyIndex = this.#spares.findIndex((thread) => thread.ready);
    const index = readyIndex === -1 ? 0 : readyIndex;
    const [spare] = this.#spares.splice(index, 1);
    if (spare !== undefined) this.scheduleRefill();
    return spare;
  }

  /** Starts missing spares on the next turn of the event loop, off the path of the task at hand. */
  scheduleRefill(): void {
    if (this.#refill !== undefined || this.#count === 0) return;
    this.#closed = false;
    this.#refill = setImmediate(() => {
      this.#refill = undefined;
      const dying = this.#hooks.dyingThread();
      if (dying === undefined) this.#fill();
      else dying.exited.then(() => this.#closed || this.scheduleRefill());
    });
  }

  /** Ends every spare and stops refilling. */
  close(): void {
    this.#closed = true;
    if (this.#refill !== undefined) clearImmediate(this.#refill);
    this.#refill = undefined;
    for (const thread of this.#spares) thread.terminate();
    this.#spares = [];
  }

  #fill(): void {
    this.#spares = this.#spares.filter((thread) => !thread.gone && thread.error === undefined);
    while (this.#spares.length < this.#count) {
      const thread = this.#hooks.startThread();
      this.#hooks.prepareThread(thread);
      this.#spares.push(thread);
    }
  }
}
