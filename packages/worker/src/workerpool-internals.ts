/**
 * Typed access to the parts of workerpool 10.0.3 that this package builds on. The pool
 * (its queue plumbing, scheduling and worker list) is workerpool's `Pool`; what runs on
 * each worker is this package's own handler, plugged in through `Pool`'s
 * `_createWorkerHandler` (see `thread-pool.ts`). The version is pinned exactly because
 * these members are internal to workerpool.
 */
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);

/** workerpool's own promise: synchronous callbacks, plus `pending` and `always`. */
export interface PoolPromise extends PromiseLike<unknown> {
  /** Whether it has neither resolved nor rejected yet. */
  readonly pending: boolean;
  /** Like `Promise.prototype.catch`. */
  catch(onRejected: (reason: unknown) => unknown): PoolPromise;
  /** Calls `callback` when it settles either way. */
  always(callback: () => unknown): PoolPromise;
}

/** A deferred workerpool promise with its resolve and reject functions. */
export interface PoolResolver {
  /** The promise that `resolve` and `reject` settle. */
  readonly promise: PoolPromise;
  /** Resolves the promise. */
  resolve(value?: unknown): void;
  /** Rejects the promise. */
  reject(reason: unknown): void;
}

/** One call to `Pool.exec`, as workerpool queues it. */
export interface PoolTask<Job> {
  /** The method name passed to `exec`. */
  readonly method: string;
  /** The parameters passed to `exec`. */
  readonly params: unknown[] | null;
  /** Settles the promise `exec` returned; the pool moves on when it does. */
  readonly resolver: PoolResolver;
  /** The third argument of `exec`: here, the job. */
  readonly options: Job;
}

/** workerpool's `queueStrategy` interface, for a custom task queue. */
export interface PoolTaskQueue<Job> {
  /** Adds a task at the back. */
  push(task: PoolTask<Job>): void;
  /** Takes the task at the front. */
  pop(): PoolTask<Job> | undefined;
  /** How many tasks wait. */
  size(): number;
  /** Whether `task` waits in the queue. */
  contains(task: PoolTask<Job>): boolean;
  /** Drops every task. */
  clear(): void;
}

/** What workerpool's `Pool` asks of the object that drives one worker. */
export interface PoolWorkerHandler<Job> {
  /** Read by the pool when `exec`'s promise rejects: a terminated handler is removed. */
  readonly terminated: boolean;
  /** Whether it can take a task now. */
  busy(): boolean;
  /** Runs the task; the returned promise settles when the worker is free again (or dead). */
  exec(method: string, params: unknown[] | null, resolver: PoolResolver, job: Job): PoolPromise;
  /** Ends the worker; `callback` runs once it is gone. */
  terminate(force: boolean, callback?: (error: Error | null) => void): void;
  /** Ends the worker; the promise resolves once it is gone. */
  terminateAndNotify(force: boolean, timeout?: number): PoolPromise;
}

/** The members of workerpool's `Pool` that this package uses or overrides. */
export interface PoolInternals<Job, Handler extends PoolWorkerHandler<Job>> {
  /** The handlers the pool schedules tasks on. */
  readonly workers: Handler[];
  /** Queues a task and dispatches it when a handler is free. */
  exec(method: string, params: unknown[] | null, job: Job): PoolPromise;
  /** Rejects queued tasks and terminates every handler. */
  terminate(force?: boolean, timeout?: number): PoolPromise;
  /** Dispatches the next queued task if a handler is free. */
  _next(): void;
  /** An idle handler, a new one if below `maxWorkers`, or null when all are busy. */
  _getWorker(): Handler | null;
  /** Removes a handler from the pool and terminates it. */
  _removeWorker(handler: Handler): PoolPromise;
  /** Makes a handler for a new worker. */
  _createWorkerHandler(): Handler;
}

/** The options of workerpool's `Pool` that this package passes. */
export interface PoolConstructorOptions<Job> {
  /** The most handlers at once. */
  readonly maxWorkers: number;
  /** The queue of tasks waiting for a handler. */
  readonly queueStrategy: PoolTaskQueue<Job>;
}

/** A constructor of workerpool's `Pool`, typed for one job and handler type. */
export type PoolConstructor<Job, Handler extends PoolWorkerHandler<Job>> = new (
  options: PoolConstructorOptions<Job>,
) => PoolInternals<Job, Handler>;

/** workerpool's `Pool` class. */
export function workerpoolPool<Job, Handler extends PoolWorkerHandler<Job>>(): PoolConstructor<
  Job,
  Handler
> {
  return require('workerpool/src/Pool.js') as PoolConstructor<Job, Handler>;
}

interface PoolPromiseClass {
  new (
    executor: (resolve: (value?: unknown) => void, reject: (reason: unknown) => void) => void,
  ): PoolPromise;
  defer(): PoolResolver;
}

/** workerpool's promise class, which its `Pool` expects handlers to return. */
export const PoolPromiseClass = (require('workerpool') as { Promise: PoolPromiseClass }).Promise;
