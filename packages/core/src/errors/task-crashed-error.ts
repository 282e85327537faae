import { hasBrand, setBrand } from './brand.js';
import { TimeboxError } from './timebox-error.js';

const taskCrashedErrorBrand = Symbol.for('timebox.error.TaskCrashedError');

/** Why the thread or process running a task died. */
export type CrashReason =
  | 'exit'
  | 'signal'
  | 'out-of-memory'
  | 'uncaught-exception'
  | 'spawn-failed'
  | 'disconnected';

/** The facts a {@link TaskCrashedError} carries. */
export interface TaskCrashedErrorOptions {
  /** The name of the task whose thread or process died. */
  taskName: string;
  /** The name of the strategy that ran it. */
  strategy: string;
  /** Why it died. */
  reason: CrashReason;
  /** The exit code, when it exited. */
  exitCode?: number | null;
  /** The signal that ended it, when one did. */
  signal?: string | null;
  /** The process id, for the process strategy. */
  pid?: number;
  /** The thread id, for the worker strategy. */
  threadId?: number;
  /** A sentence with more detail. */
  detail?: string;
  /** The error that ended it, when there was one. */
  cause?: unknown;
}

/**
 * The worker thread or child process running the task died for a reason other than the
 * timeout: it exited, was killed by a signal, ran out of memory or threw outside the task.
 * A crash is never reported as a timeout.
 */
export class TaskCrashedError extends TimeboxError {
  /** The name of the strategy that ran the task. */
  readonly strategy: string;
  /** Why the thread or process died. */
  readonly reason: CrashReason;
  /** The exit code, or null when it did not exit with one. */
  readonly exitCode: number | null;
  /** The signal that ended it, or null. */
  readonly signal: string | null;
  /** The process id, when a process ran the task. */
  readonly pid: number | undefined;
  /** The thread id, when a worker thread ran the task. */
  readonly threadId: number | undefined;

  constructor(options: TaskCrashedErrorOptions) {
    super(`Task '${options.taskName}' crashed: ${describeCrash(options)}`, options);
    this.name = 'TaskCrashedError';
    this.strategy = options.strategy;
    this.reason = options.reason;
    this.exitCode = options.exitCode ?? null;
    this.signal = options.signal ?? null;
    this.pid = options.pid;
    this.threadId = options.threadId;
    setBrand(this, taskCrashedErrorBrand);
  }

  /** Whether `error` is a {@link TaskCrashedError}, from any copy of the package. */
  static override isInstance(error: unknown): error is TaskCrashedError {
    return hasBrand(error, taskCrashedErrorBrand);
  }
}

function describeCrash(options: TaskCrashedErrorOptions): string {
  const runner = options.pid !== undefined ? `process ${options.pid}` : 'the worker';
  const summary = {
    exit: `${runner} exited with code ${options.exitCode}`,
    signal: `${runner} was killed by ${options.signal}`,
    'out-of-memory': `${runner} ran out of memory`,
    'uncaught-exception': `${runner} threw outside the task`,
    'spawn-failed': `${runner} could not be started`,
    disconnected: `${runner} lost its connection to the host`,
  }[options.reason];
  return options.detail ? `${summary} (${options.detail})` : summary;
}

/** Whether `error` is a {@link TaskCrashedError}, from any copy of the package. */
export function isTaskCrashedError(error: unknown): error is TaskCrashedError {
  return TaskCrashedError.isInstance(error);
}
