import type { AnyTask, Task } from '@timebox/core';
import type { StrategySelection } from '@timebox/select';
import type { ExplainOptions } from './assemble-timebox.js';
import { createBrowserTimebox } from './create-browser-timebox.js';
import { sharedTimebox } from './shared-timebox.js';
import type { TimeboxRunOptions } from './timebox-run-options.js';

const shared = /* @__PURE__ */ sharedTimebox(createBrowserTimebox);

/**
 * Runs `task` with `args` (default none) under a strategy picked for it: in a Web Worker
 * that is terminated at the deadline where the runtime has Web Workers, otherwise on the
 * calling thread under a soft timeout, with a warning that says why. Rejects like core's
 * `runTaskWithTimeout`.
 */
export function runTaskWithTimeout<Args extends unknown[], Result>(
  task: Task<Args, Result>,
  args?: Args,
  options?: TimeboxRunOptions,
): Promise<Result> {
  return shared.get().runTaskWithTimeout(task, args, options);
}

/** What {@link runTaskWithTimeout} would use for `task`, and why, without running it. */
export function explain(task: AnyTask, options?: ExplainOptions): StrategySelection {
  return shared.get().explain(task, options);
}

/** Ends every Web Worker that {@link runTaskWithTimeout} started. */
export function close(): Promise<void> {
  return shared.close();
}
