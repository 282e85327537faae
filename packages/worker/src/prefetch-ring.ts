/**
 * The shared memory through which a worker thread tells its host, without a message and at
 * once, where each task it holds is: held, started (and when), ended, or revoked by the
 * host before it started. A request is named by its ticket (its number among the requests
 * the host sent that worker); ticket `t` lives in entry `t % capacity`, whose state word
 * also carries the ticket, so that an entry reused by a later ticket is never mistaken for
 * an earlier one. Both sides change a state only with an atomic compare-and-swap, so a
 * task is either started by the worker or revoked by the host, never both.
 */

/** How many tickets the ring tracks at once (the host keeps its live tickets within it). */
export const prefetchCapacity = 16;

const held = 0;
const started = 1;
const ended = 2;
const revoked = 3;
/** Ticket bits kept in a state word (the low two bits are the phase). */
const ticketMask = 0x1fff_ffff;
/** Bytes of the state words, rounded up to the 8-byte alignment of the stamps. */
const stateBytes = Math.ceil((prefetchCapacity * 4) / 8) * 8;

function word(ticket: number, phase: number): number {
  return ((ticket & ticketMask) << 2) | phase;
}

/** One worker's ring, seen from either side of the thread boundary. */
export class PrefetchRing {
  /** The shared memory, passed to the worker at its start. */
  readonly buffer: SharedArrayBuffer;
  readonly #states: Int32Array;
  /** When each started task started: `performance.timeOrigin + performance.now()` of the worker. */
  readonly #stamps: Float64Array;
  /** How long each ended task ran, in milliseconds of the worker's clock. */
  readonly #durations: Float64Array;

  constructor(buffer = new SharedArrayBuffer(stateBytes + prefetchCapacity * 16)) {
    this.buffer = buffer;
    this.#states = new Int32Array(buffer, 0, prefetchCapacity);
    this.#stamps = new Float64Array(buffer, stateBytes, prefetchCapacity);
    this.#durations = new Float64Array(buffer, stateBytes + prefetchCapacity * 8, prefetchCapacity);
  }

  /** Host: the request with this ticket is being sent. */
  hold(ticket: number): void {
    Atomics.store(this.#states, ticket % prefetchCapacity, word(ticket, held));
  }

  /** Host: takes back a request not started yet; false when it has started. */
  revoke(ticket: number): boolean {
    return this.#advance(ticket, held, revoked);
  }

  /**
   * Host: how long the task with this ticket ran, in milliseconds, once it has ended;
   * undefined while it has not.
   */
  ranFor(ticket: number): number | undefined {
    const index = ticket % prefetchCapacity;
    if (Atomics.load(this.#states, index) !== word(ticket, ended)) return undefined;
    return this.#durations[index];
  }

  /**
   * Host: when the task with this ticket started, as `performance.timeOrigin +
   * performance.now()` of the worker; undefined when it has not started.
   */
  startedAt(ticket: number): number | undefined {
    const index = ticket % prefetchCapacity;
    const state = Atomics.load(this.#states, index);
    if (state !== word(ticket, started) && state !== word(ticket, ended)) return undefined;
    return this.#stamps[index];
  }

  /** Worker: starts the task with this ticket unless the host revoked it; true when started. */
  claim(ticket: number): boolean {
    const index = ticket % prefetchCapacity;
    // Written before the claim, which publishes it: the host reads it only once started.
    this.#stamps[index] = performance.timeOrigin + performance.now();
    return this.#advance(ticket, held, started);
  }

  /** Moves the ticket's entry from phase `from` to `to`, atomically; false when it was not in `from`. */
  #advance(ticket: number, from: number, to: number): boolean {
    const expected = word(ticket, from);
    const index = ticket % prefetchCapacity;
    return Atomics.compareExchange(this.#states, index, expected, word(ticket, to)) === expected;
  }

  /** Worker: the task with this ticket has ended (its answer is about to be posted). */
  end(ticket: number): void {
    const index = ticket % prefetchCapacity;
    const startedAt = this.#stamps[index] ?? 0;
    // Written before the end is marked, which publishes it.
    this.#durations[index] = performance.timeOrigin + performance.now() - startedAt;
    Atomics.store(this.#states, index, word(ticket, ended));
  }
}
