import type { SelectionRule } from '../selection.js';
import { childProcessRule } from './child-process-rule.js';
import { noTimeLimitRule } from './no-time-limit-rule.js';
import { processIsolationRule } from './process-isolation-rule.js';
import { softFallbackRule } from './soft-fallback-rule.js';
import { workerRule } from './worker-rule.js';

/**
 * The default rules, in order: no time limit runs directly; a task tagged
 * `process-isolation` goes to the process strategy; a shippable task goes to the worker
 * strategy where workers are allowed, else to the process strategy where child processes
 * are allowed; anything else falls back to the thread strategy with a warning. Spread it
 * into `createSelector()` to add rules before or after.
 */
export const defaultRules: readonly SelectionRule[] = Object.freeze([
  noTimeLimitRule,
  processIsolationRule,
  workerRule,
  childProcessRule,
  softFallbackRule,
]);
