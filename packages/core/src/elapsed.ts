/**
 * Milliseconds since `start` (a `performance.now()` reading), rounded up to 0.1 ms, so that
 * a time measured at or after a deadline is never reported below it.
 */
export function elapsedSince(start: number): number {
  return Math.ceil((performance.now() - start) * 10) / 10;
}
