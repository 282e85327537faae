import { hasBrand, setBrand } from './brand.js';
import { TimeboxError } from './timebox-error.js';

const taskQueueFullErrorBrand = Symbol.for('timebox.error.TaskQueueFullError');

/** The facts a {@link TaskQueueFullError} carries. */
export interface TaskQueueFullErrorOptions {
  /** The name of the task that was turned away. */
  taskName: string;
  /** The name of the strategy whose queue is full. */
  strategy: string;
  /** The queue's limit (`maxQueue`). */
  maxQueue: number;
}

/**
 * The task was refused without running: every worker or process of the strategy was busy
 * and `maxQueue` tasks already waited. Retry later, raise `maxQueue`, or shed load.
 */
export class TaskQueueFullError extends TimeboxError {
  /** The name of the strategy whose queue is full. */
  readonly strategy: string;
  /** The queue's limit. */
  readonly maxQueue: number;

  constructor(options: TaskQueueFullErrorOptions) {
    super(
      `Task '${options.taskName}' was refused: the ${options.strategy} strategy is busy and its queue is full (maxQueue: ${options.maxQueue})`,
      { taskName: options.taskName },
    );
    this.name = 'TaskQueueFullError';
    this.strategy = options.strategy;
    this.maxQueue = options.maxQueue;
    setBrand(this, taskQueueFullErrorBrand);
  }

  /** Whether `error` is a {@link TaskQueueFullError}, from any copy of the package. */
  static override isInstance(error: unknown): error is TaskQueueFullError {
    return hasBrand(error, taskQueueFullErrorBrand);
  }
}

/** Whether `error` is a {@link TaskQueueFullError}, from any copy of the package. */
export function isTaskQueueFullError(error: unknown): error is TaskQueueFullError {
  return TaskQueueFullError.isInstance(error);
}
