/** The longest delay `setTimeout` can hold; longer ones fire at once. */
export const maximumTimerDelay = 2 ** 31 - 1;

/** A timer made by {@link setLongTimeout}. */
export interface LongTimeout {
  /** Cancels the timer; calling it again does nothing. */
  clear(): void;
}

/** How a {@link setLongTimeout} timer behaves. */
export interface LongTimeoutOptions {
  /**
   * Whether the pending timer keeps the host process alive (default true). `false`
   * unreferences it where the host can (Node, Bun, Deno); browsers have nothing to release.
   */
  readonly keepsHostAlive?: boolean;
}

/**
 * Like `setTimeout`, but honours delays beyond 2^31-1 ms (about 24.8 days), which
 * `setTimeout` would fire at once: the timer is re-armed in chunks until the full delay has
 * passed. `Infinity` never fires.
 */
export function setLongTimeout(
  callback: () => void,
  delay: number,
  options?: LongTimeoutOptions,
): LongTimeout {
  const release = options?.keepsHostAlive === false;
  if (delay <= maximumTimerDelay) {
    // The common case, on every call's hot path: one plain timer.
    const single = setTimeout(callback, delay);
    if (release) unreference(single);
    return { clear: () => clearTimeout(single) };
  }
  let remaining = delay;
  let handle: ReturnType<typeof setTimeout> | undefined;
  const arm = (): void => {
    if (remaining === Infinity) return;
    const chunk = Math.min(remaining, maximumTimerDelay);
    remaining -= chunk;
    handle = setTimeout(remaining > 0 ? arm : callback, chunk);
    if (release) unreference(handle);
  };
  arm();
  return {
    clear() {
      if (handle !== undefined) clearTimeout(handle);
      handle = undefined;
      remaining = 0;
    },
  };
}

function unreference(handle: ReturnType<typeof setTimeout>): void {
  (handle as { unref?: () => void }).unref?.();
}
