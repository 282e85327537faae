import { hasBrand, setBrand } from './brand.js';
import { TimeboxError } from './timebox-error.js';

const taskSerializationErrorBrand = Symbol.for('timebox.error.TaskSerializationError');

/** What could not cross the thread or process boundary. */
export type SerializationSubject = 'function' | 'argument' | 'result' | 'error';

/** The facts a {@link TaskSerializationError} carries. */
export interface TaskSerializationErrorOptions {
  /** The name of the task. */
  taskName: string;
  /** What could not cross: the task function, an argument, the result or a thrown value. */
  subject: SerializationSubject;
  /** Where in the value, e.g. `args[1].handler` or `result.items[3]`. */
  path: string;
  /** Why it cannot cross, e.g. `a function cannot be cloned`. */
  reason: string;
  /** The underlying error, when there was one. */
  cause?: unknown;
}

/**
 * The task function, an argument or the result cannot cross the thread or process
 * boundary. `subject` says which, `path` says where and `reason` says why. Never reported
 * as a timeout.
 */
export class TaskSerializationError extends TimeboxError {
  /** What could not cross: `function`, `argument`, `result` or `error`. */
  readonly subject: SerializationSubject;
  /** Where in the value, e.g. `args[1].handler`. */
  readonly path: string;
  /** Why it cannot cross. */
  readonly reason: string;

  constructor(options: TaskSerializationErrorOptions) {
    super(
      `Task '${options.taskName}': ${options.path} cannot be sent across the boundary: ${options.reason}`,
      options,
    );
    this.name = 'TaskSerializationError';
    this.subject = options.subject;
    this.path = options.path;
    this.reason = options.reason;
    setBrand(this, taskSerializationErrorBrand);
  }

  /** Whether `error` is a {@link TaskSerializationError}, from any copy of the package. */
  static override isInstance(error: unknown): error is TaskSerializationError {
    return hasBrand(error, taskSerializationErrorBrand);
  }
}

/** Whether `error` is a {@link TaskSerializationError}, from any copy of the package. */
export function isTaskSerializationError(error: unknown): error is TaskSerializationError {
  return TaskSerializationError.isInstance(error);
}
