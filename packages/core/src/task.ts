import { describeValue } from './describe-value.js';
import { hasBrand, setBrand } from './errors/brand.js';

const taskBrand = Symbol.for('timebox.task');

/** A function that a task runs: any arguments, a value or a promise of one. */
export type TaskFunction<Args extends unknown[] = unknown[], Result = unknown> = (
  ...args: Args
) => Result | PromiseLike<Result>;

/**
 * A task given as a module to import: `module` is an absolute path, a `file:` URL or a
 * package name; `export` names the function to call (the default export when absent).
 * Strategies that run tasks in another thread or process import it there.
 */
export interface ModuleReference {
  /** Absolute path, `file:` URL (string or `URL`) or package name of the module. */
  readonly module: string | URL;
  /** The export to call; the default export when absent. */
  readonly export?: string;
}

/** What a task runs: a function, or a reference to a module's export. */
export type TaskRun<Args extends unknown[] = unknown[], Result = unknown> =
  | TaskFunction<Args, Result>
  | ModuleReference;

/** What {@link defineTask} accepts. */
export interface TaskDefinition<Args extends unknown[] = unknown[], Result = unknown> {
  /** A name for logs and errors; not empty. */
  readonly name: string;
  /** The time limit in milliseconds; absent or `Infinity` means no limit. */
  readonly timeout?: number;
  /** The function to run, or a module reference to import it from. */
  readonly run: TaskRun<Args, Result>;
  /** Free-form labels that selectors may read (for example `cooperative`). */
  readonly tags?: readonly string[];
  /**
   * Run each call in a runner of its own: a worker thread or child process that no task
   * used before it and none uses after it, so that globals and module state the task
   * changes reach no other task. A warm spare still serves it. Hard strategies honour it;
   * the thread strategy, which has no runner, ignores it. Default `false`.
   */
  readonly isolate?: boolean;
}

/**
 * A named unit of work with an optional time limit, made by {@link defineTask}. The type
 * parameters carry the task's arguments and result so that running it is typed.
 */
export interface Task<Args extends unknown[] = unknown[], Result = unknown> {
  /** The task's name, used in logs and errors. */
  readonly name: string;
  /** The time limit in milliseconds; `Infinity` when there is none. */
  readonly timeout: number;
  /** The function to run, or a module reference to import it from. */
  readonly run: TaskRun<Args, Result>;
  /** Free-form labels that selectors may read. */
  readonly tags: readonly string[];
  /** Whether each call runs in a fresh runner that is retired after it (see `TaskDefinition`). */
  readonly isolate: boolean;
}

/**
 * Any task, whatever its arguments and result: what code that handles every task (a
 * strategy's `supports`, a selector) accepts.
 */
export type AnyTask = Task<never, unknown>;

/** The arguments a task takes. */
export type TaskArguments<T> = T extends Task<infer Args, unknown> ? Args : never;

/** The value a task resolves with. */
export type TaskResult<T> = T extends Task<never, infer Result> ? Result : never;

/**
 * Defines a task. Rejects, with a `TypeError` or `RangeError` that names the task and the
 * value, an empty or non-string name, a `run` that is neither a function nor a module
 * reference, a timeout that is not a number, NaN or negative, and an `isolate` that is not
 * a boolean. An absent timeout or `Infinity` means no limit.
 *
 * @example
 * ```ts
 * const resize = defineTask({ name: 'resize', timeout: 5_000, run: async (path: string) => path });
 * ```
 */
export function defineTask<Args extends unknown[], Result>(
  definition: TaskDefinition<Args, Result>,
): Task<Args, Result> {
  if (typeof definition !== 'object' || definition === null) {
    throw new TypeError(
      `defineTask() expects an object { name, timeout?, run }, got ${describeValue(definition)}`,
    );
  }
  const name = validateTaskName(definition.name);
  const timeout = definition.timeout === undefined ? Infinity : definition.timeout;
  validateTimeout(name, timeout, 'timeout');
  const run = validateRun<Args, Result>(name, definition.run);
  const tags = validateTags(name, definition.tags);
  const isolate = validateIsolate(name, definition.isolate);
  const task: Task<Args, Result> = { name, timeout, run, tags, isolate };
  setBrand(task, taskBrand);
  return Object.freeze(task);
}

/** Whether `value` is a task made by {@link defineTask}, from any copy of the package. */
export function isTask(value: unknown): value is AnyTask {
  return hasBrand(value, taskBrand);
}

/** Whether a task's `run` is a module reference rather than a function. */
export function isModuleReference(run: unknown): run is ModuleReference {
  if (typeof run !== 'object' || run === null) return false;
  const module = (run as { module?: unknown }).module;
  return typeof module === 'string' || module instanceof URL;
}

function validateTaskName(name: unknown): string {
  if (typeof name !== 'string') {
    throw new TypeError(`A task's name must be a string, got ${describeValue(name)}`);
  }
  if (name.trim() === '') {
    throw new TypeError(`A task's name must not be empty, got ${describeValue(name)}`);
  }
  return name;
}

/**
 * Checks a time limit: a number, not NaN, not negative; `Infinity` means no limit. Throws
 * a `TypeError` or `RangeError` that names the task, the option and the value.
 */
export function validateTimeout(taskName: string, timeout: unknown, option: string): number {
  if (typeof timeout !== 'number') {
    throw new TypeError(
      `Task '${taskName}': ${option} must be a number of milliseconds, got ${describeValue(timeout)}`,
    );
  }
  if (Number.isNaN(timeout)) {
    throw new RangeError(`Task '${taskName}': ${option} must be a number of milliseconds, got NaN`);
  }
  if (timeout < 0) {
    throw new RangeError(
      `Task '${taskName}': ${option} must not be negative, got ${describeValue(timeout)}`,
    );
  }
  return timeout;
}

function validateRun<Args extends unknown[], Result>(
  taskName: string,
  run: unknown,
): TaskRun<Args, Result> {
  if (typeof run === 'function') return run as TaskFunction<Args, Result>;
  if (typeof run === 'object' && run !== null && 'module' in run) {
    const { module, export: exportName } = run as { module: unknown; export?: unknown };
    if (!(module instanceof URL) && (typeof module !== 'string' || module.trim() === '')) {
      throw new TypeError(
        `Task '${taskName}': run.module must be an absolute path, a file URL or a package name, got ${describeValue(module)}`,
      );
    }
    if (typeof module === 'string' && /^\.\.?[\\/]/.test(module)) {
      throw new TypeError(
        `Task '${taskName}': run.module ${describeValue(module)} is relative, and it is unclear to what; pass new URL(${describeValue(module)}, import.meta.url) or an absolute path`,
      );
    }
    if (exportName !== undefined && (typeof exportName !== 'string' || exportName === '')) {
      throw new TypeError(
        `Task '${taskName}': run.export must be a non-empty string when given, got ${describeValue(exportName)}`,
      );
    }
    const reference: ModuleReference =
      exportName === undefined ? { module } : { module, export: exportName };
    return Object.freeze(reference);
  }
  throw new TypeError(
    `Task '${taskName}': run must be a function or a module reference { module, export? }, got ${describeValue(run)}`,
  );
}

function validateIsolate(taskName: string, isolate: unknown): boolean {
  if (isolate === undefined) return false;
  if (typeof isolate !== 'boolean') {
    throw new TypeError(
      `Task '${taskName}': isolate must be true or false, got ${describeValue(isolate)}`,
    );
  }
  return isolate;
}

function validateTags(taskName: string, tags: unknown): readonly string[] {
  if (tags === undefined) return Object.freeze([]);
  if (!Array.isArray(tags) || tags.some((tag) => typeof tag !== 'string')) {
    throw new TypeError(
      `Task '${taskName}': tags must be an array of strings, got ${describeValue(tags)}`,
    );
  }
  return Object.freeze([...tags]);
}
