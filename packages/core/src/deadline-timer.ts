import { type LongTimeout, setLongTimeout } from './long-timeout.js';

/**
 * Calls `callback` once `timeout` milliseconds have passed since `start` (a
 * `performance.now()` reading), never earlier. Node's timers count whole milliseconds, so
 * a plain `setTimeout(callback, timeout)` can fire up to a millisecond before the limit by
 * `performance.now()`; this timer then waits out the rest. Honours delays beyond 2^31-1 ms.
 */
export function setDeadlineTimer(
  callback: () => void,
  timeout: number,
  start: number,
): LongTimeout {
  let current: LongTimeout;
  const check = (): void => {
    const left = timeout - (performance.now() - start);
    if (left > 0) {
      current = setLongTimeout(check, left);
      return;
    }
    callback();
  };
  current = setLongTimeout(check, timeout);
  return {
    clear() {
      current.clear();
    },
  };
}
