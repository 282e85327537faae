import { defineRule } from '../define-rule.js';
import { directRun } from '../selection.js';

/** Default rule 1: a task without a time limit runs directly; there is nothing to enforce. */
export const noTimeLimitRule = /* @__PURE__ */ defineRule(
  'no-time-limit',
  (task, _context, situation) =>
    situation.timeout === Infinity
      ? {
          strategy: directRun,
          reason: `task '${task.name}' has no time limit, so it runs directly on the calling thread: there is nothing to enforce`,
        }
      : undefined,
);
