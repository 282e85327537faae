import { describeValue } from '@timebox/core/strategy-kit';

/** Options of {@link threadStrategy}. */
export interface ThreadStrategyOptions {
  /**
   * When a timed-out task is still running this many milliseconds after its deadline, a
   * warning says so. `Infinity` turns the warning off. Default: 10 000.
   */
  readonly overrunWarningAfter?: number;
  /**
   * Track the running task across `await`s with `AsyncLocalStorage`, so that `taskSignal()`
   * works anywhere in the task, not only before its first await. Off by default: on Node
   * 20 entering an AsyncLocalStorage slows every promise in the process.
   */
  readonly asyncContext?: boolean;
}

/** {@link ThreadStrategyOptions} with defaults applied. */
export interface ResolvedThreadStrategyOptions {
  /** See {@link ThreadStrategyOptions.overrunWarningAfter}. */
  readonly overrunWarningAfter: number;
  /** See {@link ThreadStrategyOptions.asyncContext}. */
  readonly asyncContext: boolean;
}

/** Applies defaults and rejects bad values with a `TypeError` or `RangeError` naming them. */
export function resolveThreadStrategyOptions(
  options: ThreadStrategyOptions | undefined,
): ResolvedThreadStrategyOptions {
  if (options === undefined) return { overrunWarningAfter: 10_000, asyncContext: false };
  if (typeof options !== 'object' || options === null) {
    throw new TypeError(
      `threadStrategy() options must be an object, got ${describeValue(options)}`,
    );
  }
  const overrunWarningAfter = options.overrunWarningAfter ?? 10_000;
  if (typeof overrunWarningAfter !== 'number' || Number.isNaN(overrunWarningAfter)) {
    throw new TypeError(
      `threadStrategy() option overrunWarningAfter must be a number of milliseconds, got ${describeValue(overrunWarningAfter)}`,
    );
  }
  if (overrunWarningAfter < 0) {
    throw new RangeError(
      `threadStrategy() option overrunWarningAfter must not be negative, got ${overrunWarningAfter}`,
    );
  }
  const asyncContext = options.asyncContext ?? false;
  if (typeof asyncContext !== 'boolean') {
    throw new TypeError(
      `threadStrategy() option asyncContext must be true or false, got ${describeValue(asyncContext)}`,
    );
  }
  return { overrunWarningAfter, asyncContext };
}
