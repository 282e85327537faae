import { childProcessesDisallowedReason } from '../context-reasons.js';
import { defineRule } from '../define-rule.js';
import { needsProcessIsolation, processIsolationTag } from '../process-isolation.js';

/**
 * Default rule 2: a task tagged {@link processIsolationTag} runs under the process
 * strategy, which kills it with every process it started.
 */
export const processIsolationRule = /* @__PURE__ */ defineRule(
  'process-isolation',
  (task, context, situation) => {
    if (!needsProcessIsolation(task)) return undefined;
    const disallowed = childProcessesDisallowedReason(context);
    if (disallowed !== undefined) {
      situation.passOver(
        'process',
        `task '${task.name}' needs process isolation (tag '${processIsolationTag}'), but ${disallowed}`,
      );
      return undefined;
    }
    return {
      strategy: 'process',
      reason: `task '${task.name}' declares it needs process isolation (tag '${processIsolationTag}'), so it runs in a child process that is killed, with everything it started, at the deadline`,
    };
  },
);
