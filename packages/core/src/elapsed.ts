/** Milliseconds since `start` (a `performance.now()` reading), rounded to 0.1 ms. */
export function elapsedSince(start: number): number {
  return Math.round((performance.now() - start) * 10) / 10;
}
