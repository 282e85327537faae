/**
 * The running task as `taskSignal()` sees it. Its AbortSignal is created only when a task
 * asks for it, so a task that never asks pays nothing.
 */
export class TaskContext {
  /** The name of the running task. */
  readonly taskName: string;
  /**
   * When the task's time is up, as a `performance.now()` reading of this thread;
   * `Infinity` when it has no limit. A task run inside this one is capped by it.
   */
  readonly deadline: number;
  #controller: AbortController | undefined;
  #aborted = false;
  #reason: unknown;

  /**
   * @param taskName - the name of the running task.
   * @param deadline - when its time is up (a `performance.now()` reading); `Infinity` (the
   *   default) for no limit.
   */
  constructor(taskName: string, deadline = Infinity) {
    this.taskName = taskName;
    this.deadline = deadline;
  }

  /** The milliseconds left before the deadline (0 once it has passed, `Infinity` without one). */
  remaining(): number {
    if (this.deadline === Infinity) return Infinity;
    return Math.max(0, this.deadline - performance.now());
  }

  /** The task's signal; created on first use, already aborted if the task was. */
  get signal(): AbortSignal {
    if (this.#controller === undefined) {
      this.#controller = new AbortController();
      if (this.#aborted) this.#controller.abort(this.#reason);
    }
    return this.#controller.signal;
  }

  /** Whether the task's signal has been aborted. */
  get aborted(): boolean {
    return this.#aborted;
  }

  /** Aborts the task's signal with `reason`; later calls do nothing. */
  abort(reason: unknown): void {
    if (this.#aborted) return;
    this.#aborted = true;
    this.#reason = reason;
    this.#controller?.abort(reason);
  }
}

/** Finds the task running in the current asynchronous context, if any. */
export type TaskContextLookup = () => TaskContext | undefined;

interface TaskContextRegistry {
  current: TaskContext | undefined;
  lookups: TaskContextLookup[];
}

const registryKey = Symbol.for('timebox.taskContext.v1');

/**
 * One registry per process (per thread), kept on `globalThis` under a `Symbol.for` key so
 * that every copy of `@timebox/core` (ESM and CommonJS, two versions) sees the same task.
 */
function taskContextRegistry(): TaskContextRegistry {
  const holder = globalThis as { [registryKey]?: TaskContextRegistry };
  holder[registryKey] ??= { current: undefined, lookups: [] };
  return holder[registryKey];
}

const registry = taskContextRegistry();

/**
 * Runs `callback` synchronously with `context` as the current task, then restores the
 * previous one. `taskSignal()` works in the synchronous part of the callback.
 */
export function runInTaskContext<T>(context: TaskContext, callback: () => T): T {
  const previous = registry.current;
  registry.current = context;
  try {
    return callback();
  } finally {
    registry.current = previous;
  }
}

/**
 * Makes `context` the current task until it is replaced (pass `undefined` to clear it).
 * For runners that run one task at a time on their thread, such as a worker or a child
 * process, so that `taskSignal()` works across the task's awaits too.
 */
export function setCurrentTaskContext(context: TaskContext | undefined): void {
  registry.current = context;
}

/**
 * Adds a way to find the current task across awaits (an AsyncLocalStorage, say). Returns a
 * function that removes it.
 */
export function addTaskContextLookup(lookup: TaskContextLookup): () => void {
  registry.lookups.push(lookup);
  return () => {
    const index = registry.lookups.indexOf(lookup);
    if (index >= 0) registry.lookups.splice(index, 1);
  };
}

/** The task running here and now, or undefined outside a task. */
export function currentTaskContext(): TaskContext | undefined {
  if (registry.current !== undefined) return registry.current;
  for (const lookup of registry.lookups) {
    const context = lookup();
    if (context !== undefined) return context;
  }
  return undefined;
}

/**
 * The running task's AbortSignal: it aborts at the task's deadline (with the
 * `TaskTimeoutError` as its reason) or when the caller's signal aborts, so cooperative code
 * can stop itself. Works under every strategy. Call it at the start of the task, before its
 * first `await`, and keep the signal: under the thread strategy that is where it is known
 * without async context tracking (see `threadStrategy({ asyncContext: true })`); in a
 * worker or child process it works anywhere in the task.
 *
 * @throws Error when called outside a running task.
 */
export function taskSignal(): AbortSignal {
  const context = currentTaskContext();
  if (context === undefined) {
    throw new Error(
      'taskSignal() was called outside a running task. Call it inside the task, before its first await ' +
        '(under the thread strategy the task is known after an await only with threadStrategy({ asyncContext: true })).',
    );
  }
  return context.signal;
}
