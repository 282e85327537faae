import type { RunnerSlot } from './runner-slot.js';

/** What the spares need from the engine. */
export interface SpareRunnersHost {
  /** How many spares to keep. */
  readonly count: number;
  /** Starts a runner as a spare. */
  start(): RunnerSlot;
  /** Whether the strategy was closed (no spare is started after it). */
  closed(): boolean;
  /** Whether failed starts in a row are below the limit. */
  mayStart(): boolean;
  /** A runner being ended (past its grace period), if any. */
  terminating(): RunnerSlot | undefined;
}

/**
 * Warm spares: runners started ahead of need, outside the pool, so that the next task (or
 * the one after a kill) does not wait for a start. Refills happen off the path of the task
 * at hand, and wait for a runner being ended to go first, so that the new start does not
 * compete with it (a runner still in its grace period does not hold the refill back).
 */
export class SpareRunners {
  readonly #host: SpareRunnersHost;
  readonly #slots: RunnerSlot[] = [];
  #refillPending = false;

  constructor(host: SpareRunnersHost) {
    this.#host = host;
  }

  /** How many spares there are (starting or ready). */
  get size(): number {
    return this.#slots.length;
  }

  /** The spares, starting or ready. */
  list(): readonly RunnerSlot[] {
    return this.#slots;
  }

  /** Takes a spare out to join the pool, a ready one first; undefined when there is none. */
  adopt(): RunnerSlot | undefined {
    const slots = this.#slots;
    if (slots.length === 0) return undefined;
    const readyIndex = slots.findIndex((slot) => slot.ready);
    const [spare] = slots.splice(readyIndex === -1 ? 0 : readyIndex, 1);
    if (spare !== undefined) spare.spare = false;
    return spare;
  }

  /** Forgets a spare that is being ended. */
  remove(slot: RunnerSlot): void {
    const index = this.#slots.indexOf(slot);
    if (index !== -1) this.#slots.splice(index, 1);
  }

  /** Starts missing spares soon (on a timer), once no runner is being ended. */
  scheduleRefill(): void {
    const host = this.#host;
    if (host.count === 0 || this.#refillPending || host.closed()) return;
    this.#refillPending = true;
    setTimeout(() => {
      this.#refillPending = false;
      if (host.closed()) return;
      const terminating = host.terminating();
      if (terminating !== undefined) {
        terminating.gone.then(() => this.scheduleRefill());
        return;
      }
      while (this.#slots.length < host.count && host.mayStart() && !host.closed()) {
        this.#slots.push(host.start());
      }
    }, 0);
  }
}
