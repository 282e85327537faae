import { describeValue, validateLogger } from '@timebox/core/strategy-kit';
import type { Job } from 'bullmq';
import {
  isTimeoutStrategy,
  type Logger,
  type ProcessStrategyOptions,
  type Selector,
  type Timebox,
  type TimeoutStrategy,
  type WorkerStrategyOptions,
} from 'timebox';

/** A kind of timebox failure that {@link TimeboxProcessorOptions.unrecoverable} can exempt from retries. */
export type UnrecoverableFailure = 'timeout' | 'abort' | 'crash';

/** The hard strategies a processor's own timebox manages, by name. */
export type HardStrategyName = 'worker' | 'process';

/** Options of {@link timeboxProcessor}. Every one is optional. */
export interface TimeboxProcessorOptions<Data = unknown, Args extends unknown[] = unknown[]> {
  /**
   * The hard strategy that runs every job: `'worker'` (a worker thread, terminated at the
   * limit), `'process'` (a child process, killed with its process tree), or a
   * `TimeoutStrategy` with `enforcement: 'hard'` that you close yourself. Default: the
   * timebox's selector picks one of its hard strategies for each task.
   */
  readonly strategy?: HardStrategyName | TimeoutStrategy;
  /**
   * A timebox made by `createTimebox()` whose strategies run the jobs; you close it. Default:
   * the processor makes its own from `worker`, `process` and `selector`, with no soft
   * strategy, and `close()` closes it.
   */
  readonly timebox?: Timebox;
  /** Options of the own timebox's worker strategy, or `false` to leave it out. Default: `{}`. */
  readonly worker?: WorkerStrategyOptions | false;
  /** Options of the own timebox's process strategy, or `false` to leave it out. Default: `{}`. */
  readonly process?: ProcessStrategyOptions | false;
  /** The selector of the own timebox. Default: timebox's `defaultSelector`. */
  readonly selector?: Selector;
  /**
   * The time limit in milliseconds of every job, instead of the task's own. A job needs a
   * finite limit from `jobTimeout`, this option or its task.
   */
  readonly timeout?: number;
  /**
   * The time limit of one job, read from it (`(job) => job.data.timeoutMs`); `undefined`
   * falls back to `timeout`, then to the task's own limit.
   */
  readonly jobTimeout?: (job: Job<Data>) => number | undefined;
  /**
   * The task's arguments for a job. They cross to a worker thread or child process, so they
   * must be structured-cloneable. Default: `(job) => [job.data]`.
   */
  readonly args?: (job: Job<Data>) => Args;
  /**
   * Failures that fail the job at once, whatever its `attempts`, through BullMQ's
   * `UnrecoverableError`: `'timeout'` (`TaskTimeoutError`), `'abort'` (`TaskAbortedError`,
   * after `worker.cancelJob()`), `'crash'` (`TaskCrashedError`). Default: none; BullMQ's
   * `attempts` and `backoff` decide.
   */
  readonly unrecoverable?: readonly UnrecoverableFailure[];
  /** Where runs log (console, pino…). Default: the timebox's logger, else silent. */
  readonly logger?: Logger;
}

/** {@link TimeboxProcessorOptions} checked. */
export interface ResolvedTimeboxProcessorOptions<Data, Args extends unknown[]> {
  /** See {@link TimeboxProcessorOptions.strategy}. */
  readonly strategy: HardStrategyName | TimeoutStrategy | undefined;
  /** See {@link TimeboxProcessorOptions.timebox}. */
  readonly timebox: Timebox | undefined;
  /** See {@link TimeboxProcessorOptions.worker}. */
  readonly worker: WorkerStrategyOptions | false;
  /** See {@link TimeboxProcessorOptions.process}. */
  readonly process: ProcessStrategyOptions | false;
  /** See {@link TimeboxProcessorOptions.selector}. */
  readonly selector: Selector | undefined;
  /** See {@link TimeboxProcessorOptions.timeout}. */
  readonly timeout: number | undefined;
  /** See {@link TimeboxProcessorOptions.jobTimeout}. */
  readonly jobTimeout: ((job: Job<Data>) => number | undefined) | undefined;
  /** See {@link TimeboxProcessorOptions.args}. */
  readonly args: ((job: Job<Data>) => Args) | undefined;
  /** See {@link TimeboxProcessorOptions.unrecoverable}. */
  readonly unrecoverable: ReadonlySet<UnrecoverableFailure>;
  /** See {@link TimeboxProcessorOptions.logger}. */
  readonly logger: Logger | undefined;
}

const optionNames: ReadonlySet<string> = new Set([
  'strategy',
  'timebox',
  'worker',
  'process',
  'selector',
  'timeout',
  'jobTimeout',
  'args',
  'unrecoverable',
  'logger',
]);

const unrecoverableFailures: readonly UnrecoverableFailure[] = ['timeout', 'abort', 'crash'];

/** Checks {@link TimeboxProcessorOptions}; throws a `TypeError` or `RangeError` naming the option and the value. */
export function resolveTimeboxProcessorOptions<Data, Args extends unknown[]>(
  options: TimeboxProcessorOptions<Data, Args> | undefined,
): ResolvedTimeboxProcessorOptions<Data, Args> {
  if (options !== undefined && (typeof options !== 'object' || options === null)) {
    throw new TypeError(
      `timeboxProcessor() options must be an object, got ${describeValue(options)}`,
    );
  }
  const given: TimeboxProcessorOptions<Data, Args> = options ?? {};
  for (const name of Object.keys(given)) {
    if (!optionNames.has(name)) {
      throw new TypeError(
        `timeboxProcessor() has no option ${JSON.stringify(name)}; the options are ${[...optionNames].join(', ')}`,
      );
    }
  }
  const timebox = timeboxOption(given.timebox);
  if (timebox !== undefined) {
    for (const name of ['worker', 'process', 'selector'] as const) {
      if (given[name] !== undefined) {
        throw new TypeError(
          `timeboxProcessor() option ${name} configures the processor's own timebox, so it cannot be given with option timebox (configure that timebox instead), got ${describeValue(given[name])}`,
        );
      }
    }
  }
  const worker = strategyOptions<WorkerStrategyOptions>('worker', given.worker);
  const process = strategyOptions<ProcessStrategyOptions>('process', given.process);
  const strategy = strategyOption(given.strategy, timebox, worker, process);
  if (
    timebox === undefined &&
    worker === false &&
    process === false &&
    !isTimeoutStrategy(strategy)
  ) {
    throw new TypeError(
      'timeboxProcessor() options worker and process are both false: the processor needs a hard strategy',
    );
  }
  return {
    strategy,
    timebox,
    worker,
    process,
    selector: selectorOption(given.selector),
    timeout: timeoutOption(given.timeout),
    jobTimeout: functionOption('jobTimeout', given.jobTimeout, '(job) => job.data.timeoutMs'),
    args: functionOption('args', given.args, '(job) => [job.data]'),
    unrecoverable: unrecoverableOption(given.unrecoverable),
    logger:
      given.logger === undefined ? undefined : validateLogger('(timeboxProcessor)', given.logger),
  };
}

function timeboxOption(value: unknown): Timebox | undefined {
  if (value === undefined) return undefined;
  const candidate = value as Partial<Timebox> | null;
  if (
    typeof candidate !== 'object' ||
    candidate === null ||
    typeof candidate.runTaskWithTimeout !== 'function' ||
    typeof candidate.explain !== 'function' ||
    typeof candidate.close !== 'function' ||
    !Array.isArray(candidate.strategies)
  ) {
    throw new TypeError(
      `timeboxProcessor() option timebox must be a timebox made by createTimebox(), got ${describeValue(value)}`,
    );
  }
  if (!candidate.strategies.some((strategy) => strategy.enforcement === 'hard')) {
    throw new TypeError(
      'timeboxProcessor() option timebox has no hard strategy (worker or process): a job run under a soft one would block the worker',
    );
  }
  return candidate as Timebox;
}

function strategyOptions<Options>(name: HardStrategyName, value: unknown): Options | false {
  if (value === undefined) return {} as Options;
  if (value === false) return false;
  if (typeof value !== 'object' || value === null) {
    throw new TypeError(
      `timeboxProcessor() option ${name} must be the ${name} strategy's options object, or false to leave it out, got ${describeValue(value)}`,
    );
  }
  return value as Options;
}

function strategyOption(
  value: unknown,
  timebox: Timebox | undefined,
  worker: unknown,
  process: unknown,
): HardStrategyName | TimeoutStrategy | undefined {
  if (value === undefined) return undefined;
  if (value === 'worker' || value === 'process') {
    const available =
      timebox === undefined
        ? (value === 'worker' ? worker : process) !== false
        : timebox.strategies.some((strategy) => strategy.name === value);
    if (!available) {
      throw new TypeError(
        `timeboxProcessor() option strategy is '${value}', but the ${timebox === undefined ? `option ${value} is false` : `timebox has no ${value} strategy`}`,
      );
    }
    return value;
  }
  if (isTimeoutStrategy(value)) {
    if (value.enforcement !== 'hard') {
      throw new TypeError(
        `timeboxProcessor() option strategy must be a hard strategy: the ${value.name} strategy is ${value.enforcement}, and a job run under it would block the worker's event loop`,
      );
    }
    return value;
  }
  throw new TypeError(
    `timeboxProcessor() option strategy must be 'worker', 'process' or a hard TimeoutStrategy, got ${describeValue(value)}`,
  );
}

function selectorOption(value: unknown): Selector | undefined {
  if (value === undefined) return undefined;
  const candidate = value as Partial<Selector> | null;
  if (
    typeof candidate !== 'object' ||
    candidate === null ||
    typeof candidate.select !== 'function' ||
    !Array.isArray(candidate.rules)
  ) {
    throw new TypeError(
      `timeboxProcessor() option selector must be a selector made by createSelector(), got ${describeValue(value)}`,
    );
  }
  return candidate as Selector;
}

function timeoutOption(value: unknown): number | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== 'number') {
    throw new TypeError(
      `timeboxProcessor() option timeout must be a number of milliseconds, got ${describeValue(value)}`,
    );
  }
  if (!Number.isFinite(value) || value < 0) {
    throw new RangeError(
      `timeboxProcessor() option timeout must be a finite number of milliseconds of at least 0, got ${describeValue(value)}`,
    );
  }
  return value;
}

function functionOption<Value>(name: string, value: unknown, example: string): Value | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== 'function') {
    throw new TypeError(
      `timeboxProcessor() option ${name} must be a function of the job such as ${example}, got ${describeValue(value)}`,
    );
  }
  return value as Value;
}

function unrecoverableOption(value: unknown): ReadonlySet<UnrecoverableFailure> {
  if (value === undefined) return new Set();
  if (!Array.isArray(value)) {
    throw new TypeError(
      `timeboxProcessor() option unrecoverable must be an array of ${unrecoverableFailures.map((name) => `'${name}'`).join(', ')}, got ${describeValue(value)}`,
    );
  }
  value.forEach((entry: unknown, index) => {
    if (!(unrecoverableFailures as readonly unknown[]).includes(entry)) {
      throw new TypeError(
        `timeboxProcessor() option unrecoverable[${index}] must be ${unrecoverableFailures.map((name) => `'${name}'`).join(', ')}, got ${describeValue(entry)}`,
      );
    }
  });
  return new Set(value as UnrecoverableFailure[]);
}
