import { TaskUnsupportedError } from '@timebox/core';

/**
 * A bound on runners that were stopped but whose runtime may keep their thread running
 * (Chromium stops a busy web worker about 2 s after `terminate()`, Deno never does): how
 * many may be counted at once, and the strategy option that sets it, for error messages.
 */
export interface LingeringRunnersLimit {
  /** How many stopped runners may still be running before no new runner starts. */
  readonly limit: number;
  /** The strategy option that sets {@link limit}, such as `maxZombieWorkers`. */
  readonly option: string;
}

/**
 * Counts stopped runners that may still be running (a runner reports this with
 * `RunnerExit.lingersForMs`), so that back-to-back kills do not pile up busy threads:
 * while the count and the runners still being stopped fill the limit, no new runner
 * starts. Each one is released once its runtime has surely stopped it; one that may never
 * stop is counted for good.
 */
export class LingeringRunners {
  readonly #limit: number;
  readonly #option: string;
  readonly #released: () => void;
  readonly #timers = new Set<ReturnType<typeof setTimeout>>();
  #count = 0;
  #forever = 0;
  #reason = '';
  #closed = false;

  /**
   * @param bound - the limit, or undefined for none (runners that stop at once)
   * @param released - called when one is released, so that waiting work can go on
   */
  constructor(bound: LingeringRunnersLimit | undefined, released: () => void) {
    this.#limit = bound?.limit ?? Infinity;
    this.#option = bound?.option ?? 'limit';
    this.#released = released;
  }

  /** How many stopped runners may still be running. */
  get count(): number {
    return this.#count;
  }

  /** Whether a new runner may start while `stopping` runners are still being stopped. */
  allowsStart(stopping: number): boolean {
    return this.#limit === Infinity || this.#count + stopping < this.#limit;
  }

  /** Whether the limit is filled by runners that may never stop, so it never frees up. */
  get exhaustedForever(): boolean {
    return this.#forever >= this.#limit;
  }

  /**
   * Counts a stopped runner that may run on for up to `lingersForMs` milliseconds
   * (`Infinity`: maybe for good); `reason` says why. Nothing is counted for 0 or undefined.
   */
  add(lingersForMs: number | undefined, reason: string | undefined): void {
    if (lingersForMs === undefined || !(lingersForMs > 0)) return;
    this.#count++;
    if (reason !== undefined) this.#reason = reason;
    if (lingersForMs === Infinity) {
      this.#forever++;
      return;
    }
    if (this.#closed) return;
    const timer = setTimeout(() => {
      this.#timers.delete(timer);
      this.#count--;
      this.#released();
    }, lingersForMs);
    this.#timers.add(timer);
  }

  /** The error for a task that can never start because {@link exhaustedForever} holds. */
  refusal(taskName: string, strategy: string): TaskUnsupportedError {
    const why = this.#reason === '' ? '' : ` (${this.#reason})`;
    return new TaskUnsupportedError({
      taskName,
      strategy,
      reason: `${this.#count} stopped runners may still be running and this runtime never stops them${why}; the ${strategy} strategy starts no more (${this.#option}: ${this.#limit})`,
    });
  }

  /** Stops the release timers, so that nothing keeps the host alive after `close()`. */
  close(): void {
    this.#closed = true;
    for (const timer of this.#timers) clearTimeout(timer);
    this.#timers.clear();
  }
}
