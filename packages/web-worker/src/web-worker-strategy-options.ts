import { describeValue } from '@timebox/core/strategy-kit';

/** Options of {@link webWorkerStrategy}. Every one is optional. */
export interface WebWorkerStrategyOptions {
  /**
   * The most workers running tasks at once; more tasks wait in a queue. An integer of at
   * least 1. Default: `navigator.hardwareConcurrency` less one (at least 1).
   */
  readonly maxWorkers?: number;
  /**
   * Workers started ahead and kept idle, so that a worker terminated at a deadline is
   * replaced at once instead of paying a worker's start-up. An integer of at least 0.
   * Default: 1.
   */
  readonly spareWorkers?: number;
  /**
   * Milliseconds a task gets, after its signal aborts, to stop on its own before its worker
   * is terminated. The caller's promise rejects at once regardless. At least 0. Default: 100.
   */
  readonly graceMs?: number;
  /**
   * How many tasks may wait for a worker; one more is refused with `TaskQueueFullError`.
   * An integer of at least 0, or `Infinity`. Default: `Infinity`.
   */
  readonly maxQueue?: number;
  /**
   * How many terminated workers may still be running at once, in runtimes that do not stop
   * a busy worker at once (Chromium about 2 s after `terminate()`, Deno never). While that
   * many are counted, no new worker starts: tasks wait (Chromium), or are refused with
   * `TaskUnsupportedError` when the runtime never stops them (Deno). An integer of at
   * least 1. Default: 2.
   */
  readonly maxZombieWorkers?: number;
  /**
   * The worker module to start, for bundlers that do not follow
   * `new Worker(new URL('./web-worker-entry.js', import.meta.url))`: copy
   * `@timebox/web-worker/web-worker-entry.js` to your static files and pass its URL.
   * Default: the built entry beside this package's module.
   */
  readonly workerUrl?: string | URL;
}

/** {@link WebWorkerStrategyOptions} with defaults applied. */
export interface ResolvedWebWorkerStrategyOptions {
  /** See {@link WebWorkerStrategyOptions.maxWorkers}. */
  readonly maxWorkers: number;
  /** See {@link WebWorkerStrategyOptions.spareWorkers}. */
  readonly spareWorkers: number;
  /** See {@link WebWorkerStrategyOptions.graceMs}. */
  readonly graceMs: number;
  /** See {@link WebWorkerStrategyOptions.maxQueue}. */
  readonly maxQueue: number;
  /** See {@link WebWorkerStrategyOptions.maxZombieWorkers}. */
  readonly maxZombieWorkers: number;
  /** See {@link WebWorkerStrategyOptions.workerUrl}. */
  readonly workerUrl: string | URL | undefined;
}

const optionNames = [
  'maxWorkers',
  'spareWorkers',
  'graceMs',
  'maxQueue',
  'maxZombieWorkers',
  'workerUrl',
] as const;

/** The default of `maxWorkers`: the logical processors the runtime reports, less one, at least 1. */
export function defaultMaxWorkers(): number {
  const reported = (globalThis as { navigator?: { hardwareConcurrency?: unknown } }).navigator
    ?.hardwareConcurrency;
  return typeof reported === 'number' && reported > 1 ? reported - 1 : 1;
}

/** Applies defaults and rejects bad values with a `TypeError` or `RangeError` naming them. */
export function resolveWebWorkerStrategyOptions(
  options: WebWorkerStrategyOptions | undefined,
): ResolvedWebWorkerStrategyOptions {
  if (options !== undefined && (typeof options !== 'object' || options === null)) {
    throw new TypeError(
      `webWorkerStrategy() options must be an object, got ${describeValue(options)}`,
    );
  }
  const given: WebWorkerStrategyOptions = options ?? {};
  for (const name of Object.keys(given)) {
    if (!(optionNames as readonly string[]).includes(name)) {
      throw new TypeError(
        `webWorkerStrategy() has no option ${describeValue(name)}; the options are ${optionNames.join(', ')}`,
      );
    }
  }
  return {
    maxWorkers: integerOption('maxWorkers', given.maxWorkers, defaultMaxWorkers(), 1, false),
    spareWorkers: integerOption('spareWorkers', given.spareWorkers, 1, 0, false),
    graceMs: millisecondsOption('graceMs', given.graceMs, 100),
    maxQueue: integerOption('maxQueue', given.maxQueue, Infinity, 0, true),
    maxZombieWorkers: integerOption('maxZombieWorkers', given.maxZombieWorkers, 2, 1, false),
    workerUrl: workerUrlOption(given.workerUrl),
  };
}

function integerOption(
  name: string,
  value: unknown,
  fallback: number,
  minimum: number,
  infinityAllowed: boolean,
): number {
  if (value === undefined) return fallback;
  const expected = `an integer of at least ${minimum}${infinityAllowed ? ' or Infinity' : ''}`;
  if (typeof value !== 'number') {
    throw new TypeError(
      `webWorkerStrategy() option ${name} must be ${expected}, got ${describeValue(value)}`,
    );
  }
  if (value === Infinity && infinityAllowed) return value;
  if (!Number.isInteger(value) || value < minimum) {
    throw new RangeError(
      `webWorkerStrategy() option ${name} must be ${expected}, got ${describeValue(value)}`,
    );
  }
  return value;
}

function millisecondsOption(name: string, value: unknown, fallback: number): number {
  if (value === undefined) return fallback;
  if (typeof value !== 'number') {
    throw new TypeError(
      `webWorkerStrategy() option ${name} must be a number of milliseconds, got ${describeValue(value)}`,
    );
  }
  if (Number.isNaN(value) || value < 0) {
    throw new RangeError(
      `webWorkerStrategy() option ${name} must be a number of milliseconds of at least 0, got ${describeValue(value)}`,
    );
  }
  return value;
}

function workerUrlOption(value: unknown): string | URL | undefined {
  if (value === undefined || value instanceof URL) return value;
  if (typeof value !== 'string' || value === '') {
    throw new TypeError(
      `webWorkerStrategy() option workerUrl must be a URL or a non-empty string, got ${describeValue(value)}`,
    );
  }
  return value;
}
