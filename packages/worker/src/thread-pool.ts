import type { PoolWorker } from './pool-worker.js';
import type { TaskJob } from './task-job.js';
import type { TaskQueue } from './task-queue.js';
import { type PoolPromise, workerpoolPool } from './workerpool-internals.js';

const WorkerpoolPool = workerpoolPool<TaskJob, PoolWorker>();

/**
 * workerpool's `Pool` (queue plumbing, scheduling, the list of workers, teardown) with this
 * package's {@link PoolWorker} driving each thread. Two changes: new workers come from
 * `createWorker` (which adopts a warm spare), and a removed worker's slot is refilled on
 * the next turn of the event loop (after the caller has heard why it was removed) instead
 * of after the removed thread has finished exiting.
 */
export class ThreadPool extends WorkerpoolPool {
  readonly #createWorker: () => PoolWorker;

  constructor(maxWorkers: number, queue: TaskQueue<TaskJob>, createWorker: () => PoolWorker) {
    super({ maxWorkers, queueStrategy: queue });
    this.#createWorker = createWorker;
  }

  /** The workers in the pool. */
  get poolWorkers(): readonly PoolWorker[] {
    return this.workers;
  }

  /**
   * An idle worker for a job that need not wait, creating one (from a spare) if the pool
   * is below `maxWorkers`; undefined when every worker is busy. workerpool's own choice
   * (`_getWorker`), without its per-task promise chain: the fast path for the usual case.
   */
  idleWorker(): PoolWorker | undefined {
    return this._getWorker() ?? undefined;
  }

  /** Takes an idle or dead worker out of the pool and ends it. */
  retire(worker: PoolWorker): void {
    if (this.workers.includes(worker)) this._removeWorker(worker);
    else worker.terminate(true);
  }

  override _createWorkerHandler(): PoolWorker {
    return this.#createWorker();
  }

  override _removeWorker(worker: PoolWorker): PoolPromise {
    const removed = super._removeWorker(worker);
    setImmediate(() => this._next());
    return removed;
  }
}
