import { hasBrand, setBrand } from './brand.js';
import { TimeboxError } from './timebox-error.js';

const taskAbortedErrorBrand = Symbol.for('timebox.error.TaskAbortedError');

/** When the caller's signal aborted: before the task started, while queued, or while running. */
export type AbortPhase = 'before-start' | 'queued' | 'running';

/** The facts a {@link TaskAbortedError} carries. */
export interface TaskAbortedErrorOptions {
  /** The name of the task. */
  taskName: string;
  /** When the signal aborted. */
  phase: AbortPhase;
  /** The signal's reason. */
  cause: unknown;
}

/**
 * The caller's `signal` aborted. The signal's reason is the `cause`. A hard strategy stops
 * the task then too.
 */
export class TaskAbortedError extends TimeboxError {
  /** When the signal aborted: `before-start`, `queued` or `running`. */
  readonly phase: AbortPhase;

  constructor(options: TaskAbortedErrorOptions) {
    const when = {
      'before-start': 'before it started',
      queued: 'while it waited in the queue',
      running: 'while it was running',
    }[options.phase];
    super(`Task '${options.taskName}' was aborted by the caller's signal ${when}`, options);
    this.name = 'TaskAbortedError';
    this.phase = options.phase;
    setBrand(this, taskAbortedErrorBrand);
  }

  /** Whether `error` is a {@link TaskAbortedError}, from any copy of the package. */
  static override isInstance(error: unknown): error is TaskAbortedError {
    return hasBrand(error, taskAbortedErrorBrand);
  }
}

/** Whether `error` is a {@link TaskAbortedError}, from any copy of the package. */
export function isTaskAbortedError(error: unknown): error is TaskAbortedError {
  return TaskAbortedError.isInstance(error);
}
