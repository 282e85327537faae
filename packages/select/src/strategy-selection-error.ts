import { TimeboxError } from '@timebox/core';
import { hasBrand } from '@timebox/core/strategy-kit';
import { groupReasons } from './group-reasons.js';
import type { PassedOverStrategy } from './selection.js';

const strategySelectionErrorBrand = Symbol.for('timebox.error.StrategySelectionError');

/** The facts a {@link StrategySelectionError} carries. */
export interface StrategySelectionErrorOptions {
  /** The name of the task. */
  taskName: string;
  /** Every strategy considered, with the reason it was not chosen. */
  passedOver: readonly PassedOverStrategy[];
}

/**
 * No rule chose a strategy that accepts the task: the candidates were empty, lacked the
 * thread strategy that the last default rule falls back to, or all refused. `passedOver`
 * says why each was not used.
 */
export class StrategySelectionError extends TimeboxError {
  /** Every strategy considered, with the reason it was not chosen. */
  readonly passedOver: readonly PassedOverStrategy[];

  constructor(options: StrategySelectionErrorOptions) {
    const reasons = groupReasons(options.passedOver);
    super(
      `No strategy can run task '${options.taskName}'${reasons === '' ? ': no strategies were given' : ` (${reasons})`}`,
      options,
    );
    this.name = 'StrategySelectionError';
    this.passedOver = options.passedOver;
    Object.defineProperty(this, strategySelectionErrorBrand, { value: true, enumerable: false });
  }

  /** Whether `error` is a {@link StrategySelectionError}, from any copy of the package. */
  static override isInstance(error: unknown): error is StrategySelectionError {
    return hasBrand(error, strategySelectionErrorBrand);
  }
}

/** Whether `error` is a {@link StrategySelectionError}, from any copy of the package. */
export function isStrategySelectionError(error: unknown): error is StrategySelectionError {
  return StrategySelectionError.isInstance(error);
}
