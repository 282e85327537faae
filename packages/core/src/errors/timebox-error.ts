import { hasBrand, setBrand } from './brand.js';

const timeboxErrorBrand = Symbol.for('timebox.error.TimeboxError');

/** Options accepted by every error of the timebox family. */
export interface TimeboxErrorOptions {
  /** The name of the task the error is about. */
  taskName: string;
  /** The error or value that led to this one. */
  cause?: unknown;
}

/**
 * The common base of every error timebox raises about a task. Each error names its task in
 * `taskName`; check for the family with {@link isTimeboxError}, which also holds across
 * duplicate copies of the package.
 */
export class TimeboxError extends Error {
  /** The name of the task the error is about. */
  readonly taskName: string;

  constructor(message: string, options: TimeboxErrorOptions) {
    super(message, 'cause' in options ? { cause: options.cause } : undefined);
    this.name = 'TimeboxError';
    this.taskName = options.taskName;
    setBrand(this, timeboxErrorBrand);
  }

  /** Whether `error` is a timebox error, from any copy of the package. */
  static isInstance(error: unknown): error is TimeboxError {
    return hasBrand(error, timeboxErrorBrand);
  }
}

/** Whether `error` belongs to the timebox error family, from any copy of the package. */
export function isTimeboxError(error: unknown): error is TimeboxError {
  return TimeboxError.isInstance(error);
}
