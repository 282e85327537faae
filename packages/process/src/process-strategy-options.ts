import { statSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { fileURLToPath } from 'node:url';
import { describeValue } from '@timebox/core/strategy-kit';

/** A piece of a child process's output, delivered to `onOutput` when `stdio` is `'pipe'`. */
export interface ProcessOutput {
  /** Which stream it was written to. */
  readonly stream: 'stdout' | 'stderr';
  /** The text, decoded as UTF-8 (a chunk as it arrived, not necessarily a whole line). */
  readonly text: string;
  /** The id of the child process that wrote it. */
  readonly pid: number;
  /** The task running in that process when the chunk arrived, if any. */
  readonly taskName: string | undefined;
}

/** What happens to the children's standard output and error. */
export type ProcessStdio = 'inherit' | 'pipe' | 'ignore';

/** Options of {@link processStrategy}. */
export interface ProcessStrategyOptions {
  /**
   * How many tasks run at once, each in its own child process; more wait in a queue.
   * Default: the number of CPUs minus one, at least 1.
   */
  readonly maxProcesses?: number;
  /**
   * How many idle processes are kept started and ready beside the busy ones, so that the
   * next task (after a kill, too) does not wait for a process to start. Default: 1.
   */
  readonly spareProcesses?: number;
  /**
   * Milliseconds between aborting the task's signal (at the deadline, or when the caller's
   * signal aborts) and SIGTERM to the process group, so that a cooperative task can stop
   * itself. Cut short when the task settles. Default: 100.
   */
  readonly graceMs?: number;
  /** Milliseconds between SIGTERM and SIGKILL to the process group. Default: 1 000. */
  readonly killTimeoutMs?: number;
  /**
   * The children's whole environment. Default: the host's `process.env` when each child
   * starts. To add a variable, pass `{ ...process.env, NAME: 'value' }`.
   */
  readonly env?: Readonly<Record<string, string | undefined>>;
  /** The children's working directory (an existing directory). Default: the host's. */
  readonly cwd?: string | URL;
  /**
   * Node options of the children, such as `['--max-old-space-size=256']`. Default: the
   * host's `process.execArgv` without debugger flags (`--inspect…`, `--debug…`).
   */
  readonly execArgv?: readonly string[];
  /**
   * The children's stdout and stderr: `'inherit'` writes them to the host's (default),
   * `'pipe'` captures them and hands each chunk to `onOutput`, `'ignore'` drops them.
   * Stdin is never connected.
   */
  readonly stdio?: ProcessStdio;
  /** Receives captured output; only with `stdio: 'pipe'`. */
  readonly onOutput?: (output: ProcessOutput) => void;
  /**
   * How many bytes of a child's output may wait in the child to be written, per stream,
   * while the host reads more slowly than a task writes. Beyond that, writes are dropped
   * and a line `… N bytes of stderr dropped` marks where. A task's result is sent once
   * its output has been written (waiting at most 500 ms), so that stopping the process
   * right after loses none of it. `Infinity` never drops. Default: 1 048 576 (1 MiB).
   */
  readonly maxPendingOutputBytes?: number;
  /**
   * Milliseconds an idle process beyond the `spareProcesses` may wait for work before it is
   * stopped. `Infinity` keeps them. Default: 30 000.
   */
  readonly idleTimeout?: number;
  /**
   * How many tasks may wait while all `maxProcesses` are busy; one more is rejected with a
   * `TaskQueueFullError`. Default: `Infinity`.
   */
  readonly maxQueue?: number;
}

/** {@link ProcessStrategyOptions} with defaults applied and values checked. */
export interface ResolvedProcessStrategyOptions {
  /** See {@link ProcessStrategyOptions.maxProcesses}. */
  readonly maxProcesses: number;
  /** See {@link ProcessStrategyOptions.spareProcesses}. */
  readonly spareProcesses: number;
  /** See {@link ProcessStrategyOptions.graceMs}. */
  readonly graceMs: number;
  /** See {@link ProcessStrategyOptions.killTimeoutMs}. */
  readonly killTimeoutMs: number;
  /** See {@link ProcessStrategyOptions.env}; undefined means the host's environment. */
  readonly env: Readonly<Record<string, string | undefined>> | undefined;
  /** See {@link ProcessStrategyOptions.cwd}, as a path; undefined means the host's. */
  readonly cwd: string | undefined;
  /** See {@link ProcessStrategyOptions.execArgv}. */
  readonly execArgv: readonly string[];
  /** See {@link ProcessStrategyOptions.stdio}. */
  readonly stdio: ProcessStdio;
  /** See {@link ProcessStrategyOptions.onOutput}. */
  readonly onOutput: ((output: ProcessOutput) => void) | undefined;
  /** See {@link ProcessStrategyOptions.maxPendingOutputBytes}. */
  readonly maxPendingOutputBytes: number;
  /** See {@link ProcessStrategyOptions.idleTimeout}. */
  readonly idleTimeout: number;
  /** See {@link ProcessStrategyOptions.maxQueue}. */
  readonly maxQueue: number;
}

const optionNames: ReadonlySet<string> = new Set([
  'maxProcesses',
  'spareProcesses',
  'graceMs',
  'killTimeoutMs',
  'env',
  'cwd',
  'execArgv',
  'stdio',
  'onOutput',
  'maxPendingOutputBytes',
  'idleTimeout',
  'maxQueue',
]);

const defaultMaxPendingOutputBytes = 1_048_576;

const stdioModes: readonly ProcessStdio[] = ['inherit', 'pipe', 'ignore'];

/** Applies defaults and rejects bad values with a `TypeError` or `RangeError` naming them. */
export function resolveProcessStrategyOptions(
  options: ProcessStrategyOptions | undefined,
): ResolvedProcessStrategyOptions {
  if (options !== undefined && (typeof options !== 'object' || options === null)) {
    throw new TypeError(
      `processStrategy() options must be an object, got ${describeValue(options)}`,
    );
  }
  const given: ProcessStrategyOptions = options ?? {};
  for (const name of Object.keys(given)) {
    if (!optionNames.has(name)) {
      throw new TypeError(
        `processStrategy() has no option ${JSON.stringify(name)}; the options are ${[...optionNames].join(', ')}`,
      );
    }
  }
  const stdio = given.stdio ?? 'inherit';
  if (!stdioModes.includes(stdio)) {
    throw new TypeError(
      `processStrategy() option stdio must be 'inherit', 'pipe' or 'ignore', got ${describeValue(stdio)}`,
    );
  }
  const onOutput = given.onOutput;
  if (onOutput !== undefined && typeof onOutput !== 'function') {
    throw new TypeError(
      `processStrategy() option onOutput must be a function, got ${describeValue(onOutput)}`,
    );
  }
  if (onOutput !== undefined && stdio !== 'pipe') {
    throw new TypeError(
      `processStrategy() option onOutput receives captured output, which needs stdio: 'pipe'; stdio is ${describeValue(stdio)}`,
    );
  }
  return {
    maxProcesses: count('maxProcesses', given.maxProcesses, defaultMaxProcesses(), 1),
    spareProcesses: count('spareProcesses', given.spareProcesses, 1, 0),
    graceMs: duration('graceMs', given.graceMs, 100, false),
    killTimeoutMs: duration('killTimeoutMs', given.killTimeoutMs, 1_000, false),
    env: environment(given.env),
    cwd: directory(given.cwd),
    execArgv: nodeOptions(given.execArgv),
    stdio,
    onOutput,
    maxPendingOutputBytes: count(
      'maxPendingOutputBytes',
      given.maxPendingOutputBytes,
      defaultMaxPendingOutputBytes,
      1,
      true,
    ),
    idleTimeout: duration('idleTimeout', given.idleTimeout, 30_000, true),
    maxQueue: count('maxQueue', given.maxQueue, Infinity, 0),
  };
}

function defaultMaxProcesses(): number {
  return Math.max(1, availableParallelism() - 1);
}

function count(
  option: string,
  value: unknown,
  fallback: number,
  minimum: number,
  infinityAllowed = fallback === Infinity,
): number {
  if (value === undefined) return fallback;
  if (typeof value !== 'number' || Number.isNaN(value)) {
    throw new TypeError(
      `processStrategy() option ${option} must be a whole number, got ${describeValue(value)}`,
    );
  }
  if (value === Infinity && infinityAllowed) return value;
  if (!Number.isInteger(value) || value < minimum) {
    throw new RangeError(
      `processStrategy() option ${option} must be a whole number of at least ${minimum}${infinityAllowed ? ' (or Infinity)' : ''}, got ${describeValue(value)}`,
    );
  }
  return value;
}

function duration(option: string, value: unknown, fallback: number, infinityAllowed: boolean) {
  if (value === undefined) return fallback;
  if (typeof value !== 'number' || Number.isNaN(value)) {
    throw new TypeError(
      `processStrategy() option ${option} must be a number of milliseconds, got ${describeValue(value)}`,
    );
  }
  if (value < 0 || (value === Infinity && !infinityAllowed)) {
    throw new RangeError(
      `processStrategy() option ${option} must be a ${infinityAllowed ? 'non-negative number of milliseconds or Infinity' : 'finite, non-negative number of milliseconds'}, got ${describeValue(value)}`,
    );
  }
  return value;
}

function environment(value: unknown): Readonly<Record<string, string | undefined>> | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new TypeError(
      `processStrategy() option env must be an object of strings, got ${describeValue(value)}`,
    );
  }
  for (const [name, entry] of Object.entries(value)) {
    if (entry !== undefined && typeof entry !== 'string') {
      throw new TypeError(
        `processStrategy() option env.${name} must be a string, got ${describeValue(entry)}`,
      );
    }
  }
  return { ...(value as Record<string, string | undefined>) };
}

function directory(value: unknown): string | undefined {
  if (value === undefined) return undefined;
  let path: string;
  if (value instanceof URL) {
    if (value.protocol !== 'file:') {
      throw new TypeError(
        `processStrategy() option cwd must be a path or a file: URL, got ${JSON.stringify(value.href)}`,
      );
    }
    path = fileURLToPath(value);
  } else if (typeof value === 'string' && value !== '') {
    path = value;
  } else {
    throw new TypeError(
      `processStrategy() option cwd must be a path or a file: URL, got ${describeValue(value)}`,
    );
  }
  let isDirectory = false;
  try {
    isDirectory = statSync(path).isDirectory();
  } catch {
    throw new RangeError(`processStrategy() option cwd must exist, got ${JSON.stringify(path)}`);
  }
  if (!isDirectory) {
    throw new RangeError(
      `processStrategy() option cwd must be a directory, got ${JSON.stringify(path)}`,
    );
  }
  return path;
}

function nodeOptions(value: unknown): readonly string[] {
  if (value === undefined) return process.execArgv.filter((flag) => !isDebuggerFlag(flag));
  if (!Array.isArray(value)) {
    throw new TypeError(
      `processStrategy() option execArgv must be an array of strings, got ${describeValue(value)}`,
    );
  }
  value.forEach((flag: unknown, index) => {
    if (typeof flag !== 'string') {
      throw new TypeError(
        `processStrategy() option execArgv[${index}] must be a string, got ${describeValue(flag)}`,
      );
    }
  });
  return Object.freeze([...(value as string[])]);
}

function isDebuggerFlag(flag: string): boolean {
  return /^--(inspect|debug)(-brk|-port|-wait|-publish-uid)?(=|$)/.test(flag);
}
