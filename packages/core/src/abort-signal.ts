import { describeValue } from './describe-value.js';

/** Whether `value` behaves like an `AbortSignal` (from this realm or another). */
export function isAbortSignal(value: unknown): value is AbortSignal {
  if (value instanceof AbortSignal) return true;
  if (typeof value !== 'object' || value === null) return false;
  const candidate = value as Record<string, unknown>;
  return (
    typeof candidate.aborted === 'boolean' &&
    typeof candidate.addEventListener === 'function' &&
    typeof candidate.removeEventListener === 'function'
  );
}

/** Checks a signal option (absent is fine), throwing a `TypeError` naming task and value. */
export function validateSignal(taskName: string, signal: unknown): AbortSignal | undefined {
  if (signal === undefined || isAbortSignal(signal)) return signal;
  throw new TypeError(
    `Task '${taskName}': signal must be an AbortSignal, got ${describeValue(signal)}`,
  );
}

/** The callbacks waiting for each signal, behind one `abort` listener per signal. */
const waiting = new WeakMap<AbortSignal, Set<() => void>>();

/**
 * Calls `onAbort` once when `signal` aborts, and returns a function that stops listening.
 * Does nothing for an absent signal. Every callback for one signal shares a single `abort`
 * listener, so a signal shared by many runs costs one listener, not one per run; callbacks
 * run in the order they were added, and one removed meanwhile is not called.
 */
export function onAbort(signal: AbortSignal | undefined, onAbort: () => void): () => void {
  if (signal === undefined) return doNothing;
  let callbacks = waiting.get(signal);
  if (callbacks === undefined) {
    callbacks = listenFor(signal);
  }
  const own = callbacks;
  own.add(onAbort);
  return () => {
    own.delete(onAbort);
  };
}

function listenFor(signal: AbortSignal): Set<() => void> {
  const callbacks = new Set<() => void>();
  waiting.set(signal, callbacks);
  signal.addEventListener(
    'abort',
    () => {
      // Callbacks added from here on wait on a set of their own (they never run, as a
      // listener added to an aborted signal never does).
      waiting.delete(signal);
      for (const callback of callbacks) {
        callbacks.delete(callback);
        try {
          callback();
        } catch (error) {
          // As an event listener's throw would be: reported, without skipping the others.
          queueMicrotask(() => {
            throw error;
          });
        }
      }
    },
    { once: true },
  );
  return callbacks;
}

function doNothing(): void {}
