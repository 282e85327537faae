import { hasBrand, setBrand } from './brand.js';
import { TimeboxError } from './timebox-error.js';

const taskTimeoutErrorBrand = Symbol.for('timebox.error.TaskTimeoutError');

/** How a strategy enforces the time limit: `soft` lets the task run on, `hard` stops it. */
export type Enforcement = 'soft' | 'hard';

/**
 * How a hard strategy's stop of a timed-out task ended, from `TaskTimeoutError.stopped`.
 */
export interface TaskStopReport {
  /** Whether the thread or process was confirmed gone. */
  readonly confirmed: boolean;
  /** Whether the stop had to be forced (`terminate()` of a task still running, `SIGKILL`). */
  readonly forced: boolean;
  /** Milliseconds from the deadline to the confirmation (or to giving up). */
  readonly afterMs: number;
  /** Why it could not be confirmed gone (a thread blocked in a system call, say). */
  readonly reason?: string;
}

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
  /**
   * Whether the task may still be running. Default: true for `soft`; for `hard`, true while
   * a given `stopped` is pending (the error then updates it when `stopped` settles), else
   * false.
   */
  stillRunning?: boolean;
  /**
   * Settles once a hard strategy's stop is over; see {@link TaskTimeoutError.stopped}. The
   * error sets `forced` and `stillRunning` from the report when it settles.
   */
  stopped?: Promise<TaskStopReport>;
}

const noStop: Promise<TaskStopReport> = Promise.resolve({
  confirmed: false,
  forced: false,
  afterMs: 0,
  reason: 'the strategy does not stop tasks',
});

/**
 * The task passed its time limit. After a `soft` timeout `stillRunning` is true: the caller
 * stopped waiting, but the task may still be running in the background. A `hard` strategy
 * rejects at once and stops the task after: until `stopped` settles `stillRunning` is true
 * and `forced` undefined; then `forced` says whether the stop had to be forced, and
 * `stillRunning` turns false once the thread or process is confirmed gone (it stays true
 * when it could not be). In a runtime that may keep a thread running after it was told to
 * stop (Chromium, Deno), `stillRunningReason` says why and `stillRunning` stays true.
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
   * True when the task may still be running: after a soft timeout; after a hard one until
   * `stopped` settles with the thread or process confirmed gone (then false); after a hard
   * one whose runner could not be confirmed gone, or in a runtime that does not stop a busy
   * thread at once.
   */
  stillRunning: boolean;
  /**
   * Whether a hard strategy had to force the stop (`terminate()` of a task still running,
   * `SIGKILL`); undefined until `stopped` settles, and for a soft timeout.
   */
  declare forced: boolean | undefined;
  /**
   * Settles with a {@link TaskStopReport} once a hard strategy's stop is over: the thread
   * or process confirmed gone, or given up on. Not enumerable, so that logs and the codec
   * carry only the fields above.
   */
  declare readonly stopped: Promise<TaskStopReport>;

  constructor(options: TaskTimeoutErrorOptions) {
    const hard = options.enforcement === 'hard';
    const hardButRunning = hard && options.stillRunningReason !== undefined;
    const stopping = hard && options.stopped !== undefined && options.stillRunning === undefined;
    const stillRunning = options.stillRunning ?? (!hard || hardButRunning || stopping);
    const consequence = hardButRunning
      ? `the ${options.strategy} strategy terminated it, but it may still be running: ${options.stillRunningReason}`
      : stopping
        ? `the ${options.strategy} strategy is stopping it`
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
    Object.defineProperty(this, 'stopped', { value: options.stopped ?? noStop, enumerable: false });
    if (hard && options.stopped !== undefined) {
      // Registered before any caller can await `stopped`, so the fields are up to date
      // by the time a caller's `await error.stopped` resumes.
      options.stopped.then(
        (report) => {
          this.forced = report.forced;
          this.stillRunning = hardButRunning || !report.confirmed;
        },
        () => {},
      );
    }
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
