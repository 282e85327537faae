import { maximumTimerDelay } from './long-timeout.js';

type TimerHandle = ReturnType<typeof setTimeout>;

/**
 * One deadline at a time, for a runner that starts one task after another: {@link set}
 * moves the deadline without a new `setTimeout` per task, and {@link cancel} keeps the
 * pending timer for the next deadline instead of clearing it. A timer that comes due before
 * the deadline it serves is re-armed for the rest, so the callback never runs before the
 * deadline by `performance.now()`; a deadline beyond 2^31-1 ms is waited out in chunks.
 * While a deadline is set, the timer keeps the host alive (where the runtime lets timers
 * release the host: Node, Bun, Deno); while none is, it does not.
 */
export class ReusableDeadlineTimer {
  readonly #callback: () => void;
  /** When the deadline is due (a `performance.now()` reading); `Infinity` while none is set. */
  #deadline = Infinity;
  #handle: TimerHandle | undefined;
  /** When the pending timer comes due (a `performance.now()` reading). */
  #dueAt = Infinity;
  #keepsHostAlive = false;

  /** `callback` runs once each deadline set is reached, unless it was moved or cancelled. */
  constructor(callback: () => void) {
    this.#callback = callback;
  }

  /**
   * Sets the deadline to `deadline` (a `performance.now()` reading), replacing the one set
   * before; `Infinity` cancels it.
   */
  set(deadline: number): void {
    if (deadline === Infinity) {
      this.cancel();
      return;
    }
    this.#deadline = deadline;
    if (this.#handle !== undefined && this.#dueAt <= deadline) {
      // The pending timer comes first; it re-arms itself for the rest when it runs.
      this.#keepHostAlive(true);
      return;
    }
    this.#arm(deadline - performance.now());
  }

  /** Drops the deadline; the pending timer stays for the next one without keeping the host alive. */
  cancel(): void {
    this.#deadline = Infinity;
    this.#keepHostAlive(false);
  }

  /** Drops the deadline and the pending timer. */
  clear(): void {
    this.#deadline = Infinity;
    if (this.#handle !== undefined) clearTimeout(this.#handle);
    this.#handle = undefined;
    this.#dueAt = Infinity;
  }

  #arm(delay: number): void {
    if (this.#handle !== undefined) clearTimeout(this.#handle);
    const chunk = Math.min(Math.max(delay, 0), maximumTimerDelay);
    this.#dueAt = performance.now() + chunk;
    this.#handle = setTimeout(this.#due, chunk);
    this.#keepsHostAlive = true;
  }

  readonly #due = (): void => {
    this.#handle = undefined;
    this.#dueAt = Infinity;
    const deadline = this.#deadline;
    if (deadline === Infinity) return;
    const left = deadline - performance.now();
    if (left > 0) {
      this.#arm(left);
      return;
    }
    this.#deadline = Infinity;
    this.#callback();
  };

  #keepHostAlive(keep: boolean): void {
    if (this.#handle === undefined || this.#keepsHostAlive === keep) return;
    this.#keepsHostAlive = keep;
    const handle = this.#handle as { ref?: () => void; unref?: () => void };
    if (keep) handle.ref?.();
    else handle.unref?.();
  }
}
