import type { AnyTask } from '@timebox/core';
import type { TaskRequest } from '@timebox/core/strategy-kit';

/** How many distinct module tasks a spare imports ahead of need. */
const maximumPreloads = 16;

/**
 * The module tasks this strategy has run lately, which a new spare thread imports ahead
 * of need so that it runs them warm once it replaces a terminated worker. The check on the
 * hot path is one `WeakSet` lookup per run.
 */
export class ModulePreloads {
  readonly #seenTasks = new WeakSet<AnyTask>();
  readonly #requests = new Map<string, TaskRequest>();

  /** Notes the module of a task's request (inline functions are not noted). */
  note(task: AnyTask, request: TaskRequest): void {
    if (this.#seenTasks.has(task)) return;
    this.#seenTasks.add(task);
    const run = request.run;
    if (run.kind !== 'module') return;
    const key = `${run.exportName ?? 'default'}\0${run.specifier}`;
    this.#requests.delete(key);
    this.#requests.set(key, { taskName: request.taskName, run, args: [] });
    if (this.#requests.size > maximumPreloads) {
      const oldest = this.#requests.keys().next().value;
      if (oldest !== undefined) this.#requests.delete(oldest);
    }
  }

  /** The requests to preload, oldest first; empty when no module task ran yet. */
  requests(): readonly TaskRequest[] {
    return [...this.#requests.values()];
  }
}
