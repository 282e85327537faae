import type { SelectionRule } from '../selection.js';
import { blockingIoRule } from './blocking-io-rule.js';
import { childProcessRule } from './child-process-rule.js';
import { noTimeLimitRule } from './no-time-limit-rule.js';
import { processIsolationRule } from './process-isolation-rule.js';
import { softFallbackRule } from './soft-fallback-rule.js';
import { webWorkerRule } from './web-worker-rule.js';
import { workerRule } from './worker-rule.js';

/**
 * The default rules, in order: no time limit runs directly; a task tagged
 * `process-isolation` or `blocking-io` goes to the process strategy; a shippable task goes
 * to the worker strategy where workers are allowed and the runtime can stop a busy thread,
 * else to the process strategy where child processes are allowed, else to the `web-worker`
 * strategy where the runtime has Web Workers; anything else falls back to the thread
 * strategy with a warning. Spread it into `createSelector()` to add rules before or after.
 */
export const defaultRules: readonly SelectionRule[] = Object.freeze([
  noTimeLimitRule,
  processIsolationRule,
  blockingIoRule,
  workerRule,
  childProcessRule,
  webWorkerRule,
  softFallbackRule,
]);
