import type { Logger } from '@timebox/core';

/** What the overrun reporter needs to know about a task that timed out. */
export interface OverrunFacts {
  /** The task's name. */
  readonly taskName: string;
  /** Its time limit in milliseconds. */
  readonly timeout: number;
  /** When it started (a `performance.now()` reading). */
  readonly start: number;
  /** Where to log. */
  readonly logger: Logger;
}

/** Follows a task the soft strategy gave up on; call `settled()` when it finally ends. */
export interface OverrunReporter {
  /** The task settled after its deadline: logs how long it really ran. */
  settled(outcome: 'fulfilled' | 'rejected'): void;
}

/**
 * Starts following a timed-out task: if it is still running `warnAfter` milliseconds past
 * its deadline, a warning says so; when it settles, an info line says how long it ran.
 * The warning timer never keeps the process alive.
 */
export function reportOverrun(facts: OverrunFacts, warnAfter: number): OverrunReporter {
  const { taskName, timeout, start, logger } = facts;
  let timer: ReturnType<typeof setTimeout> | undefined;
  if (warnAfter !== Infinity) {
    timer = setTimeout(() => {
      logger.warn(
        `task '${taskName}' is still running ${warnAfter} ms after its ${timeout} ms deadline; the soft strategy cannot stop it`,
        { task: taskName, timeout, overrun: warnAfter },
      );
    }, warnAfter);
    timer.unref?.();
  }
  return {
    settled(outcome) {
      if (timer !== undefined) clearTimeout(timer);
      const elapsed = Math.round(performance.now() - start);
      logger.info(
        `task '${taskName}' finally ${outcome === 'fulfilled' ? 'finished' : 'failed'} after ${elapsed} ms, ${elapsed - timeout} ms past its ${timeout} ms deadline; its ${outcome === 'fulfilled' ? 'result' : 'error'} was discarded`,
        { task: taskName, timeout, elapsed, outcome },
      );
    },
  };
}

/**
 * Logs a warning for a task whose outcome arrived after its deadline because it blocked
 * the calling thread, so that no timer could fire on time: the outcome is discarded and
 * the run rejects with `TaskTimeoutError`.
 */
export function reportLateOutcome(facts: OverrunFacts, outcome: 'fulfilled' | 'rejected'): void {
  const { taskName, timeout, start, logger } = facts;
  const elapsed = Math.round(performance.now() - start);
  logger.warn(
    `task '${taskName}' ${outcome === 'fulfilled' ? 'returned' : 'failed'} after ${elapsed} ms, past its ${timeout} ms deadline: it blocked the calling thread, so the soft strategy could not reject on time; its ${outcome === 'fulfilled' ? 'result' : 'error'} was discarded and the run rejects with TaskTimeoutError`,
    { task: taskName, timeout, elapsed, outcome },
  );
}
