/**
 * Counts terminated workers that may still be running (the runtime stops them late or
 * never), so that back-to-back kills do not pile up threads: while the budget is full, no
 * new worker starts. Each one is released once its runtime has surely stopped it.
 */
export class ZombieBudget {
  #count = 0;
  #closed = false;
  readonly #timers = new Set<ReturnType<typeof setTimeout>>();

  /**
   * @param limit - how many may be counted at once
   * @param stoppedWithinMs - when a terminated worker has surely stopped (`Infinity`: never)
   * @param onRelease - called when one is released, so that waiting work can go on
   */
  constructor(
    readonly limit: number,
    private readonly stoppedWithinMs: number,
    private readonly onRelease: () => void,
  ) {}

  /** How many terminated workers may still be running. */
  get count(): number {
    return this.#count;
  }

  /** Whether a new worker may start now. */
  get allowsStart(): boolean {
    return this.#count < this.limit;
  }

  /** Whether the budget is full and will never free up (the runtime never stops them). */
  get exhaustedForever(): boolean {
    return !this.allowsStart && this.stoppedWithinMs === Infinity;
  }

  /** Counts one worker that was just terminated. */
  add(): void {
    if (this.stoppedWithinMs <= 0) return;
    this.#count += 1;
    if (this.stoppedWithinMs === Infinity || this.#closed) return;
    const timer = setTimeout(() => {
      this.#timers.delete(timer);
      this.#count -= 1;
      this.onRelease();
    }, this.stoppedWithinMs);
    this.#timers.add(timer);
  }

  /** Stops the release timers, so that nothing keeps the host alive after `close()`. */
  close(): void {
    this.#closed = true;
    for (const timer of this.#timers) clearTimeout(timer);
    this.#timers.clear();
  }
}
