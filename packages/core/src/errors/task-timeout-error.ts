import { hasBrand, setBrand } from './brand.js';
import { TimeboxError } from './timebox-error.js';

const taskTimeoutErrorBrand = Symbol.for('timebox.error.TaskTimeoutError');

/** How a strategy enforces the time limit: `soft` lets the task run on, `hard` stops it. */
export type Enforcement = 'soft' | 'hard';

/** The facts a {@link TaskTimeoutError} carries. */
export interface TaskTimeoutErrorOptions {
  /** The name of the task that timed out. */
  taskName: string;
  /** The time limit, in milliseconds. */
  timeout: number;
  /** Milliseconds from the start of the task to the rejection. */
  elapsed: number;
  /** The name of the strategy that enforced the limit. */
  strategy: string;
  /** Whether the strategy stopped the task (`hard`) or only stopped waiting for it (`soft`). */
  enforcement: Enforcement;
  /**
   * Set by a hard strategy whose runtime may not stop the thread at once (Chromium stops a
   * busy worker about 2 s after `terminate()`, Deno not at all): the sentence saying why.
   * The error then has `stillRunning: true` and its message gives the reason.
   */
  stillRunningReason?: string;
  /** Optional underlying cause. */
  cause?: unknown;
}

/**
 * The task passed its time limit. After a `soft` timeout `stillRunning` is true: the caller
 * stopped waiting, but the task may still be running in the background. After a `hard`
 * timeout the task was stopped and `stillRunning` is false, unless the runtime may keep the
 * thread running after it was told to stop (`stillRunningReason` then says why).
 */
export class TaskTimeoutError extends TimeboxError {
  /** The time limit, in milliseconds. */
  readonly timeout: number;
  /** Milliseconds from the start of the task to the rejection. */
  readonly elapsed: number;
  /** The name of the strategy that enforced the limit. */
  readonly strategy: string;
  /** `soft` (the task runs on) or `hard` (the task was stopped). */
  readonly enforcement: Enforcement;
  /**
   * True when the task may still be running: after a soft timeout, or after a hard one in a
   * runtime that does not stop a busy thread at once.
   */
  readonly stillRunning: boolean;

  constructor(options: TaskTimeoutErrorOptions) {
    const hardButRunning =
      options.enforcement === 'hard' && options.stillRunningReason !== undefined;
    const stillRunning = options.enforcement === 'soft' || hardButRunning;
    const consequence = hardButRunning
      ? `the ${options.strategy} strategy terminated it, but it may still be running: ${options.stillRunningReason}`
      : stillRunning
        ? `the ${options.strategy} strategy cannot stop it, it may still be running`
        : `the ${options.strategy} strategy stopped it`;
    super(
      `Task '${options.taskName}' timed out after ${options.timeout} ms; ${consequence}`,
      options,
    );
    this.name = 'TaskTimeoutError';
    this.timeout = options.timeout;
    this.elapsed = options.elapsed;
    this.strategy = options.strategy;
    this.enforcement = options.enforcement;
    this.stillRunning = stillRunning;
    setBrand(this, taskTimeoutErrorBrand);
  }

  /** Whether `error` is a {@link TaskTimeoutError}, from any copy of the package. */
  static override isInstance(error: unknown): error is TaskTimeoutError {
    return hasBrand(error, taskTimeoutErrorBrand);
  }
}

/** Whether `error` is a {@link TaskTimeoutError}, from any copy of the package. */
export function isTaskTimeoutError(error: unknown): error is TaskTimeoutError {
  return TaskTimeoutError.isInstance(error);
}
