import { onAbort, validateSignal } from './abort-signal.js';
import { describeValue } from './describe-value.js';
import type { RunMetadata } from './diagnostics/run-message.js';
import { traceRun } from './diagnostics/trace-run.js';
import { validateRunMetadata } from './diagnostics/validate-run-metadata.js';
import { TaskAbortedError } from './errors/task-aborted-error.js';
import { isTaskTimeoutError, type TaskTimeoutError } from './errors/task-timeout-error.js';
import { TaskUnsupportedError } from './errors/task-unsupported-error.js';
import { loadTaskFunction } from './load-task-function.js';
import { type Logger, silentLogger, validateLogger } from './logger.js';
import { type RuntimeContext, type TimeoutStrategy, validateStrategy } from './strategy.js';
import { isModuleReference, isTask, type Task, validateTimeout } from './task.js';
import { currentTaskContext, runInTaskContext, TaskContext } from './task-context.js';

/** Options of {@link runTaskWithTimeout}. */
export interface RunTaskOptions {
  /** How the time limit is enforced, such as `threadStrategy()` or `workerStrategy()`. */
  readonly strategy: TimeoutStrategy;
  /** Aborting it rejects the run with `TaskAbortedError` (and stops a hard strategy's task). */
  readonly signal?: AbortSignal | undefined;
  /** Where to log (console, pino…); silent when absent. */
  readonly logger?: Logger | undefined;
  /** A time limit in milliseconds for this run, instead of the task's own. */
  readonly timeout?: number | undefined;
  /** Facts about where this runs, passed to the strategy's `supports(task, context)`. */
  readonly context?: RuntimeContext | undefined;
  /**
   * Facts about this run (a job id, a queue name…) that the `timebox:run` diagnostics
   * channel carries in its message as `metadata`; timebox itself does not read them.
   */
  readonly metadata?: RunMetadata | undefined;
}

/**
 * Runs `task` with `args` under `options.strategy` and its time limit. A task without a
 * limit runs directly on the calling thread. Resolves with the task's result; rejects with
 * the task's own error, `TaskTimeoutError`, `TaskCrashedError`, `TaskSerializationError`,
 * `TaskAbortedError` or `TaskUnsupportedError`, and with a `TypeError` for a bad argument.
 * Called from inside a running task, under any strategy, the run inherits that task's
 * deadline (its limit is capped by the time the outer task has left) and its signal (it
 * is aborted when the outer task is).
 *
 * @example
 * ```ts
 * const result = await runTaskWithTimeout(task, [42], { strategy: threadStrategy() });
 * ```
 */
export async function runTaskWithTimeout<Args extends unknown[], Result>(
  task: Task<Args, Result>,
  args: Args,
  options: RunTaskOptions,
): Promise<Result> {
  if (!isTask(task as unknown)) {
    throw new TypeError(
      `runTaskWithTimeout() expects a task made by defineTask(), got ${describeValue(task)}`,
    );
  }
  if (!Array.isArray(args)) {
    throw new TypeError(
      `Task '${task.name}': args must be an array of the task's arguments, got ${describeValue(args)}`,
    );
  }
  if (typeof options !== 'object' || options === null) {
    throw new TypeError(
      `Task '${task.name}': options must be an object { strategy, signal?, logger?, timeout? }, got ${describeValue(options)}`,
    );
  }
  const strategy = validateStrategy(task.name, options.strategy);
  const logger = validateLogger(task.name, options.logger);
  const ownSignal = validateSignal(task.name, options.signal);
  const ownTimeout =
    options.timeout === undefined
      ? task.timeout
      : validateTimeout(task.name, options.timeout, 'options.timeout');
  const metadata = validateRunMetadata(task.name, options.metadata);
  // Read before the first await: under the thread strategy the outer task is known only
  // in the synchronous part of its call.
  const outer = currentTaskContext();
  const { timeout, signal } =
    outer === undefined
      ? { timeout: ownTimeout, signal: ownSignal }
      : inheritOuterTask(outer, ownTimeout, ownSignal);

  if (signal?.aborted) {
    throw new TaskAbortedError({
      taskName: task.name,
      phase: 'before-start',
      cause: signal.reason,
    });
  }
  if (timeout === Infinity) {
    logger.debug(`task '${task.name}' has no time limit; running it directly`, {
      task: task.name,
    });
    return runWithoutLimit(task, args, signal);
  }
  const support = strategy.supports(task, options.context);
  if (!support.supported) {
    throw new TaskUnsupportedError({
      taskName: task.name,
      strategy: strategy.name,
      reason: support.reason,
    });
  }
  if (logger !== silentLogger) {
    // Skipped for the silent default: building the line would be wasted on every call.
    logger.debug(
      `task '${task.name}' starting under the ${strategy.name} strategy (${strategy.enforcement}, timeout ${timeout} ms)`,
      { task: task.name, strategy: strategy.name, enforcement: strategy.enforcement, timeout },
    );
  }
  try {
    return await traceRun(task.name, strategy, timeout, metadata, () =>
      strategy.run(task, args, { timeout, signal, logger, isolate: task.isolate }),
    );
  } catch (error) {
    if (isTaskTimeoutError(error)) {
      const consequence =
        error.enforcement === 'soft'
          ? 'the soft strategy cannot stop it, it may still be running'
          : hardTimeoutConsequence(error);
      logger.warn(`task '${task.name}' timed out after ${error.timeout} ms; ${consequence}`, {
        task: task.name,
        strategy: error.strategy,
        enforcement: error.enforcement,
        timeout: error.timeout,
        elapsed: error.elapsed,
      });
    }
    throw error;
  }
}

/**
 * A task run from inside another task inherits its deadline: the limit is capped by the
 * outer task's remaining time, and the signal follows the outer task's signal too.
 */
function inheritOuterTask(
  outer: TaskContext,
  timeout: number,
  signal: AbortSignal | undefined,
): { timeout: number; signal: AbortSignal } {
  const outerSignal = outer.signal;
  return {
    timeout: Math.min(timeout, outer.remaining()),
    signal: signal === undefined ? outerSignal : AbortSignal.any([signal, outerSignal]),
  };
}

/**
 * Runs a task that has no time limit directly on the calling thread, as the original did;
 * the caller's signal still aborts it (and its `taskSignal()`).
 */
async function runWithoutLimit<Args extends unknown[], Result>(
  task: Task<Args, Result>,
  args: Args,
  signal: AbortSignal | undefined,
): Promise<Result> {
  const run = (
    isModuleReference(task.run) ? await loadTaskFunction(task.name, task.run) : task.run
  ) as (...taskArgs: unknown[]) => Result | PromiseLike<Result>;
  if (signal?.aborted) {
    // It aborted while the module was being imported: the task has not started.
    throw new TaskAbortedError({
      taskName: task.name,
      phase: 'before-start',
      cause: signal.reason,
    });
  }
  const context = new TaskContext(task.name);
  const running = Promise.resolve().then(() => runInTaskContext(context, () => run(...args)));
  if (signal === undefined) return running;
  return new Promise<Result>((resolve, reject) => {
    const stopListening = onAbort(signal, () => {
      const error = new TaskAbortedError({
        taskName: task.name,
        phase: 'running',
        cause: signal.reason,
      });
      context.abort(error);
      reject(error);
    });
    running.then(
      (value) => {
        stopListening();
        resolve(value);
      },
      (error: unknown) => {
        stopListening();
        reject(error);
      },
    );
  });
}

/**
 * What a hard strategy did about a timed-out task, as its error message says it (the
 * message is built from facts the error does not keep, such as why a runtime may keep a
 * thread running).
 */
function hardTimeoutConsequence(error: TaskTimeoutError): string {
  const head = `Task '${error.taskName}' timed out after ${error.timeout} ms; `;
  return error.message.startsWith(head)
    ? error.message.slice(head.length)
    : `the ${error.strategy} strategy is stopping it`;
}
