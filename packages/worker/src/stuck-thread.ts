/**
 * Whether a worker thread is stuck in synchronous code, read from the host without the
 * thread's help: its event loop utilization (`worker.performance.eventLoopUtilization()`)
 * counts the time the loop spends waiting in its poll phase, including a wait in progress,
 * whether or not the thread gets any CPU meanwhile.
 *
 * A thread is stuck when its task has run at least {@link minimumRunMs}, its loop is not
 * waiting right now, and it waited less than {@link maximumIdleShare} of the task's time.
 * Such a thread cannot see its signal (the abort arrives as a message it would read only
 * in its loop), so it gets no grace period. A thread that waits, or merely gets no CPU on
 * a busy machine while it waits, is not stuck. Where the runtime cannot measure it (Deno
 * has no `eventLoopUtilization`, Bun reports zeros) the answer is "cannot tell".
 */

/** A task younger than this is never called stuck: too little is known about it. */
export const minimumRunMs = 5;

/** The share of its task's time a stuck thread spent waiting in its event loop, at most. */
export const maximumIdleShare = 0.1;

/** What the check reads from a thread. */
export interface IdleClock {
  /**
   * Milliseconds the thread's event loop has waited, including a wait in progress;
   * undefined where the runtime cannot measure it.
   */
  idleTime(): number | undefined;
}

/**
 * Whether the thread running a task since `startedAt` (with `idleAtStart`) is stuck;
 * undefined when it cannot be told.
 */
export function stuckInSynchronousCode(
  thread: IdleClock,
  startedAt: number,
  idleAtStart: number | undefined,
): boolean | undefined {
  const ran = performance.now() - startedAt;
  if (ran < minimumRunMs) return false;
  const idle = thread.idleTime();
  if (idle === undefined || idleAtStart === undefined) return undefined;
  const waitingNow = thread.idleTime() !== idle;
  return !waitingNow && idle - idleAtStart < ran * maximumIdleShare;
}

/** What `worker.performance` offers, where it exists. */
interface EventLoopUtilizationSource {
  readonly performance?: { eventLoopUtilization?: () => { idle: number; active: number } };
}

/**
 * Bun answers `worker.performance.eventLoopUtilization()` with zeros and prints a
 * `NotImplementedError` warning the first time it is called, so it is not called there.
 */
const measuresNothing = typeof (globalThis as { Bun?: unknown }).Bun !== 'undefined';

/**
 * The idle time of a worker's event loop, or undefined where the runtime has no
 * `eventLoopUtilization` or reports only zeros (a real thread has always waited a little
 * for its first message).
 */
export function eventLoopIdleTime(worker: EventLoopUtilizationSource): number | undefined {
  if (measuresNothing) return undefined;
  const measure = worker.performance?.eventLoopUtilization;
  if (typeof measure !== 'function') return undefined;
  const { idle, active } = measure.call(worker.performance);
  if (idle === 0 && active === 0) return undefined;
  return idle;
}
