import { setLongTimeout } from '@timebox/core/strategy-kit';
import type { RunnerSlot } from './runner-slot.js';

/**
 * Retires runners that idled for `idleTimeout` ms. One timer per idle runner, re-armed for
 * the rest of the time when the runner worked in between (so a busy runner never pays for
 * clearing and re-arming a timer per task).
 */
export class IdleRetirement {
  readonly #idleTimeout: number;
  readonly #retire: (slot: RunnerSlot) => void;

  /** `retire` ends a runner whose idle time is up. */
  constructor(idleTimeout: number, retire: (slot: RunnerSlot) => void) {
    this.#idleTimeout = idleTimeout;
    this.#retire = retire;
  }

  /** Starts counting a runner's idle time (it just became idle). */
  becameIdle(slot: RunnerSlot): void {
    if (this.#idleTimeout === Infinity) return;
    slot.idleSince = performance.now();
    if (slot.idleTimer === undefined) this.#arm(slot, this.#idleTimeout);
  }

  #arm(slot: RunnerSlot, delay: number): void {
    slot.idleTimer = setLongTimeout(() => this.#fired(slot), delay, { keepsHostAlive: false });
  }

  #fired(slot: RunnerSlot): void {
    slot.idleTimer = undefined;
    if (slot.state !== 'idle') return;
    const idleFor = performance.now() - slot.idleSince;
    if (idleFor + 1 < this.#idleTimeout) {
      this.#arm(slot, this.#idleTimeout - idleFor);
      return;
    }
    this.#retire(slot);
  }
}
