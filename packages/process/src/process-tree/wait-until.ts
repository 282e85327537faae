/**
 * Polls `condition` until it holds or `timeoutMs` pass, first every millisecond, then less
 * often (up to every 20 ms). Resolves with whether it held.
 */
export async function waitUntil(
  condition: () => boolean | Promise<boolean>,
  timeoutMs: number,
): Promise<boolean> {
  const deadline = performance.now() + timeoutMs;
  let interval = 1;
  for (;;) {
    if (await condition()) return true;
    const remaining = deadline - performance.now();
    if (remaining <= 0) return false;
    await new Promise((resolve) => setTimeout(resolve, Math.min(interval, remaining)));
    interval = Math.min(interval * 2, 20);
  }
}
