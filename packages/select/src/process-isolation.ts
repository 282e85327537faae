/**
 * The tag a task carries to declare that it needs a process of its own: it spawns
 * programs, loads native addons, calls `process.exit()` or `process.chdir()`, or changes
 * other process-wide state. The default rules run such a task under the process strategy.
 *
 * @example
 * ```ts
 * defineTask({ name: 'convert', timeout: 30_000, tags: [processIsolationTag], run: { module, export: 'convert' } });
 * ```
 */
export const processIsolationTag = 'process-isolation';

/** Whether `task` carries {@link processIsolationTag}. */
export function needsProcessIsolation(task: { readonly tags: readonly string[] }): boolean {
  return task.tags.includes(processIsolationTag);
}
