import { childProcessesDisallowedReason } from '../context-reasons.js';
import { defineRule } from '../define-rule.js';
import { shippableKind, shippableSupport } from '../shippable.js';

/**
 * Default rule 5: a shippable task that could not go to a worker (workers not allowed, the
 * worker strategy not installed or refusing) runs under the process strategy where child
 * processes are allowed.
 */
export const childProcessRule = /* @__PURE__ */ defineRule(
  'child-process',
  (task, context, situation) => {
    if (!shippableSupport(task).supported) return undefined;
    const disallowed = childProcessesDisallowedReason(context);
    if (disallowed !== undefined) {
      situation.passOver('process', disallowed);
      return undefined;
    }
    const whyNotWorker = situation.passedOverReason('worker');
    return {
      strategy: 'process',
      reason: `task '${task.name}' is ${shippableKind(task)} and child processes are allowed here, so it runs in a child process that is killed at the deadline${whyNotWorker === undefined ? '' : ` (no worker: ${whyNotWorker})`}`,
    };
  },
);
