import type { TaskContext } from '../task-context.js';
import { runningTaskContext } from './execute-task-request.js';

/**
 * What the last tracked callback threw, and the task that scheduled it. The runtime reports
 * an uncaught throw (Node's `uncaughtException`, a worker's `error` event) before any other
 * callback runs, so the last one is the one being reported; a thrown string or number is
 * matched as well as an Error.
 */
let lastThrown: { readonly value: unknown; readonly owner: TaskContext } | undefined;
/** The task that scheduled the timer callback running now, if one is running. */
let callbackOwner: TaskContext | undefined;
let tracking = false;

type TimerFunction = (callback: unknown, ...rest: unknown[]) => unknown;

/**
 * Makes this thread's (or process's) `setTimeout`, `setInterval` and `setImmediate`
 * remember which task scheduled each callback, so that an error one of them throws after
 * its task settled is known to be that task's ({@link strayCallbackTask}), not the task
 * running when it fires. Callbacks scheduled by such a callback belong to the same task.
 * For the worker and child entries, which run one task at a time; installs once.
 */
export function trackTaskTimerCallbacks(): void {
  if (tracking) return;
  tracking = true;
  const timers = globalThis as unknown as Record<string, TimerFunction>;
  for (const name of ['setTimeout', 'setInterval', 'setImmediate']) {
    const original = timers[name];
    if (typeof original !== 'function') continue;
    const tracked: TimerFunction = function (this: unknown, callback, ...rest) {
      const owner = callbackOwner ?? runningTaskContext();
      if (owner === undefined || typeof callback !== 'function') {
        return original.call(this, callback, ...rest);
      }
      return original.call(
        this,
        function (this: unknown, ...args: unknown[]) {
          const previous = callbackOwner;
          callbackOwner = owner;
          try {
            return (callback as (...values: unknown[]) => unknown).apply(this, args);
          } catch (error) {
            lastThrown = { value: error, owner };
            throw error;
          } finally {
            callbackOwner = previous;
          }
        },
        ...rest,
      );
    };
    // Keeps what hangs on the original, such as `setTimeout[util.promisify.custom]`.
    for (const key of Reflect.ownKeys(original)) {
      if (key === 'prototype') continue;
      const descriptor = Object.getOwnPropertyDescriptor(original, key);
      if (descriptor !== undefined) Object.defineProperty(tracked, key, descriptor);
    }
    timers[name] = tracked;
  }
}

/**
 * The name of the task that scheduled the timer callback which threw `error`, when that
 * task is no longer the one running (it settled before its callback threw); `undefined`
 * when the running task threw it or nothing is known.
 */
export function strayCallbackTask(error: unknown): string | undefined {
  if (lastThrown === undefined || !Object.is(lastThrown.value, error)) return undefined;
  const { owner } = lastThrown;
  lastThrown = undefined;
  if (owner === runningTaskContext()) return undefined;
  return owner.taskName;
}
