import type { AnyTask, Task } from '@timebox/core';
import type { StrategySelection } from '@timebox/select';
import type { ExplainOptions } from './assemble-timebox.js';
import { createTimebox } from './create-timebox.js';
import { sharedTimebox } from './shared-timebox.js';
import type { TimeboxRunOptions } from './timebox-run-options.js';

const shared = /* @__PURE__ */ sharedTimebox(createTimebox);

/**
 * Runs `task` with `args` (default none) under a strategy picked for it, and its time
 * limit: directly when it has none; in a child process when it is tagged
 * `process-isolation`; in a worker thread when it is a module task or a self-contained
 * function and workers are allowed, else in a child process; otherwise on the calling
 * thread under a soft timeout, with a warning. Strategies are created on first need and
 * shared; {@link close} ends them. Rejects like core's `runTaskWithTimeout`.
 *
 * @example
 * ```ts
 * const resize = defineTask({ name: 'resize', timeout: 5_000, run: { module: new URL('./resize.js', import.meta.url) } });
 * const thumbnail = await runTaskWithTimeout(resize, [photo]);
 * ```
 */
export function runTaskWithTimeout<Args extends unknown[], Result>(
  task: Task<Args, Result>,
  args?: Args,
  options?: TimeboxRunOptions,
): Promise<Result> {
  return shared.get().runTaskWithTimeout(task, args, options);
}

/**
 * What {@link runTaskWithTimeout} would use for `task`, and why, with the strategies
 * passed over and their reasons. Starts nothing and emits no warning.
 *
 * @example
 * ```ts
 * const { name, reason } = explain(task);
 * console.log(`${name}: ${reason}`);
 * ```
 */
export function explain(task: AnyTask, options?: ExplainOptions): StrategySelection {
  return shared.get().explain(task, options);
}

/**
 * Ends every worker thread and child process that {@link runTaskWithTimeout} started, so
 * that nothing keeps the host process alive. Runs still running reject with
 * `StrategyClosedError`, and so does every later run of the package's shared timebox
 * (make your own with `createTimebox` to start again).
 */
export function close(): Promise<void> {
  return shared.close();
}
