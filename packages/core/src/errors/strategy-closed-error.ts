import { hasBrand, setBrand } from './brand.js';
import { TimeboxError } from './timebox-error.js';

const strategyClosedErrorBrand = Symbol.for('timebox.error.StrategyClosedError');

/** Where the task was when its strategy closed: waiting, running, or not yet submitted. */
export type ClosedPhase = 'queued' | 'running' | 'after-close';

/** The facts a {@link StrategyClosedError} carries. */
export interface StrategyClosedErrorOptions {
  /** The name of the task. */
  taskName: string;
  /** The name of the strategy that was closed. */
  strategy: string;
  /** Where the task was when the strategy closed. */
  phase: ClosedPhase;
}

/**
 * The strategy's `close()` was called: a task that waited in the queue never ran, a running
 * one was stopped (its signal aborted, then its worker or process ended), and a task
 * submitted after `close()` is refused.
 */
export class StrategyClosedError extends TimeboxError {
  /** The name of the strategy that was closed. */
  readonly strategy: string;
  /** `queued`, `running` or `after-close`. */
  readonly phase: ClosedPhase;

  constructor(options: StrategyClosedErrorOptions) {
    const what = {
      queued: 'did not run: the %s strategy was closed while the task waited in the queue',
      running: 'was stopped: the %s strategy was closed while the task was running',
      'after-close': 'cannot run: the %s strategy was closed',
    }[options.phase].replace('%s', options.strategy);
    super(`Task '${options.taskName}' ${what}`, { taskName: options.taskName });
    this.name = 'StrategyClosedError';
    this.strategy = options.strategy;
    this.phase = options.phase;
    setBrand(this, strategyClosedErrorBrand);
  }

  /** Whether `error` is a {@link StrategyClosedError}, from any copy of the package. */
  static override isInstance(error: unknown): error is StrategyClosedError {
    return hasBrand(error, strategyClosedErrorBrand);
  }
}

/** Whether `error` is a {@link StrategyClosedError}, from any copy of the package. */
export function isStrategyClosedError(error: unknown): error is StrategyClosedError {
  return StrategyClosedError.isInstance(error);
}
