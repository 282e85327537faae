import { hasBrand, setBrand } from './brand.js';
import { TimeboxError } from './timebox-error.js';

const taskUnsupportedErrorBrand = Symbol.for('timebox.error.TaskUnsupportedError');

/** The facts a {@link TaskUnsupportedError} carries. */
export interface TaskUnsupportedErrorOptions {
  /** The name of the task. */
  taskName: string;
  /** The name of the strategy that refused it. */
  strategy: string;
  /** The strategy's reason. */
  reason: string;
}

/** The chosen strategy cannot run this task (a closure in a worker, say); `reason` says why. */
export class TaskUnsupportedError extends TimeboxError {
  /** The name of the strategy that refused the task. */
  readonly strategy: string;
  /** Why the strategy cannot run it. */
  readonly reason: string;

  constructor(options: TaskUnsupportedErrorOptions) {
    super(
      `Task '${options.taskName}' cannot run under the ${options.strategy} strategy: ${options.reason}`,
      options,
    );
    this.name = 'TaskUnsupportedError';
    this.strategy = options.strategy;
    this.reason = options.reason;
    setBrand(this, taskUnsupportedErrorBrand);
  }

  /** Whether `error` is a {@link TaskUnsupportedError}, from any copy of the package. */
  static override isInstance(error: unknown): error is TaskUnsupportedError {
    return hasBrand(error, taskUnsupportedErrorBrand);
  }
}

/** Whether `error` is a {@link TaskUnsupportedError}, from any copy of the package. */
export function isTaskUnsupportedError(error: unknown): error is TaskUnsupportedError {
  return TaskUnsupportedError.isInstance(error);
}
