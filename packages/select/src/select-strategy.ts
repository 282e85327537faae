import type { AnyTask } from '@timebox/core';
import { createSelector } from './create-selector.js';
import { defaultRules } from './rules/default-rules.js';
import type { SelectOptions, Selector, StrategySelection } from './selection.js';

/** The selector made of {@link defaultRules}; what {@link selectStrategy} uses. */
export const defaultSelector: Selector = /* @__PURE__ */ createSelector(defaultRules);

/**
 * Picks the strategy for `task` among `options.strategies` with the default rules, and
 * says why: no time limit runs directly (`strategy: null`); a task tagged
 * `process-isolation` goes to the process strategy; a module task or a self-contained
 * function goes to the worker strategy where workers are allowed, else to the process
 * strategy where child processes are allowed; anything else falls back to the thread
 * strategy with a warning (through `options.logger`, else `process.emitWarning`). Each
 * candidate's `supports(task, context)` is consulted, and every strategy not chosen is
 * listed in `passedOver` with its reason.
 *
 * @example
 * ```ts
 * const { strategy, reason, passedOver } = selectStrategy(task, {
 *   strategies: [workerStrategy(), processStrategy(), threadStrategy()],
 * });
 * ```
 */
export function selectStrategy(task: AnyTask, options: SelectOptions): StrategySelection {
  return defaultSelector.select(task, options);
}
