import { blockingIoTag, mayBlockInIo } from '../blocking-io.js';
import { childProcessesDisallowedReason } from '../context-reasons.js';
import { defineRule } from '../define-rule.js';
import { shippableSupport } from '../shippable.js';

/**
 * Default rule 3: a shippable task tagged {@link blockingIoTag} runs under the process
 * strategy where child processes are allowed: a worker thread blocked in a system call
 * cannot be terminated, and worker threads share the host's libuv threadpool. Where child
 * processes are not allowed, the task goes on to the worker rule, which says what that
 * costs.
 */
export const blockingIoRule = /* @__PURE__ */ defineRule(
  'blocking-io',
  (task, context, situation) => {
    if (!mayBlockInIo(task) || !shippableSupport(task).supported) return undefined;
    const disallowed = childProcessesDisallowedReason(context);
    if (disallowed !== undefined) {
      situation.passOver(
        'process',
        `task '${task.name}' may block in system calls (tag '${blockingIoTag}'), but ${disallowed}`,
      );
      return undefined;
    }
    situation.passOver(
      'worker',
      `task '${task.name}' may block in system calls (tag '${blockingIoTag}'): a worker thread blocked there cannot be terminated and shares the host's libuv threadpool`,
    );
    return {
      strategy: 'process',
      reason: `task '${task.name}' may block in system calls (tag '${blockingIoTag}'), so it runs in a child process, which is killed at the deadline however it is blocked and has a threadpool of its own`,
    };
  },
);
