import type { TaskRequest } from '@timebox/core/strategy-kit';

/** How many distinct module tasks a spare imports ahead of need. */
const maximumPreloads = 16;

/**
 * The module tasks run lately, which a new spare runner imports ahead of need so that it
 * runs them warm once it replaces a stopped one. A module whose task timed out or crashed
 * (a module that hangs or exits at import, say) is never preloaded again, so that it cannot
 * make a spare, and the innocent task that lands on it, fail.
 */
export class ModulePreloads {
  readonly #requests = new Map<string, TaskRequest>();
  readonly #refused = new Set<string>();
  #lastRun: TaskRequest['run'] | undefined;

  /** Notes the module of a task's request (inline functions are not noted). */
  note(request: TaskRequest): void {
    // A task's wire run is one object on every call: a task run again costs nothing here.
    if (request.run === this.#lastRun) return;
    this.#lastRun = request.run;
    const key = moduleKey(request);
    if (key === undefined || this.#refused.has(key) || this.#requests.has(key)) return;
    this.#requests.set(key, { taskName: request.taskName, run: request.run, args: [] });
    if (this.#requests.size > maximumPreloads) {
      const oldest = this.#requests.keys().next().value;
      if (oldest !== undefined) this.#requests.delete(oldest);
    }
  }

  /**
   * The module of this request timed out or crashed its runner: never preload it again.
   * Returns whether it was refused just now (false for an inline function, or a module
   * refused before).
   */
  refuse(request: TaskRequest): boolean {
    const key = moduleKey(request);
    if (key === undefined || this.#refused.has(key)) return false;
    this.#refused.add(key);
    this.#requests.delete(key);
    return true;
  }

  /** Refuses the modules of `requests` other than the module of `kept`. */
  refuseOtherModules(requests: readonly TaskRequest[], kept: TaskRequest): void {
    const keptSpecifier = kept.run.kind === 'module' ? kept.run.specifier : undefined;
    for (const request of requests) {
      if (request.run.kind !== 'module' || request.run.specifier !== keptSpecifier) {
        this.refuse(request);
      }
    }
  }

  /** Whether the module of this request is refused. */
  isRefused(request: TaskRequest): boolean {
    const key = moduleKey(request);
    return key !== undefined && this.#refused.has(key);
  }

  /** The requests to preload, oldest first; empty when no module task ran yet. */
  requests(): readonly TaskRequest[] {
    return [...this.#requests.values()];
  }
}

function moduleKey(request: TaskRequest): string | undefined {
  const run = request.run;
  if (run.kind !== 'module') return undefined;
  return `${run.exportName ?? 'default'}\0${run.specifier}`;
}
