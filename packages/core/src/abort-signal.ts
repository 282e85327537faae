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

/**
 * Calls `onAbort` once when `signal` aborts, and returns a function that stops listening.
 * Does nothing for an absent signal.
 */
export function onAbort(signal: AbortSignal | undefined, onAbort: () => void): () => void {
  if (signal === undefined) return doNothing;
  signal.addEventListener('abort', onAbort, { once: true });
  return () => signal.removeEventListener('abort', onAbort);
}

function doNothing(): void {}
