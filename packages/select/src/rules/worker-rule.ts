import { threadsUnstoppableReason, workersDisallowedReason } from '../context-reasons.js';
import { defineRule } from '../define-rule.js';
import { needsProcessIsolation, processIsolationTag } from '../process-isolation.js';
import { shippableKind, shippableSupport } from '../shippable.js';

/**
 * Default rule 4: a task that can be shipped (a module task or a self-contained function)
 * runs under the worker strategy where worker threads are allowed and the runtime can stop
 * a busy thread (not on Deno).
 */
export const workerRule = /* @__PURE__ */ defineRule('worker', (task, context, situation) => {
  if (needsProcessIsolation(task)) {
    situation.passOver(
      'worker',
      `task '${task.name}' declares it needs process isolation (tag '${processIsolationTag}'), which a worker thread cannot give`,
    );
    return undefined;
  }
  const shippable = shippableSupport(task);
  if (!shippable.supported) {
    const reason = `task '${task.name}' cannot be sent to another thread or process: ${shippable.reason}`;
    situation.passOver('worker', reason);
    situation.passOver('process', reason);
    return undefined;
  }
  const disallowed = workersDisallowedReason(context) ?? threadsUnstoppableReason(context);
  if (disallowed !== undefined) {
    situation.passOver('worker', disallowed);
    return undefined;
  }
  return {
    strategy: 'worker',
    reason: `task '${task.name}' is ${shippableKind(task)} and worker threads are allowed here, so it runs in a worker thread that is terminated at the deadline`,
  };
});
