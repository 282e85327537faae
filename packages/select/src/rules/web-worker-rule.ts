import { threadsUnstoppableReason, webWorkersUnavailableReason } from '../context-reasons.js';
import { defineRule } from '../define-rule.js';
import { needsProcessIsolation } from '../process-isolation.js';
import { shippableKind, shippableSupport } from '../shippable.js';

/** The name a Web Worker strategy (`@timebox/web-worker`) goes by. */
export const webWorkerStrategyName = 'web-worker';

/**
 * Default rule 6: a shippable task that neither a worker thread nor a child process could
 * take (a browser, say) runs under the `web-worker` strategy where the runtime has Web
 * Workers and can stop a busy one.
 */
export const webWorkerRule = /* @__PURE__ */ defineRule(
  'web-worker',
  (task, context, situation) => {
    if (!situation.strategyNames.includes(webWorkerStrategyName)) return undefined;
    if (needsProcessIsolation(task) || !shippableSupport(task).supported) return undefined;
    const unavailable = webWorkersUnavailableReason(context) ?? threadsUnstoppableReason(context);
    if (unavailable !== undefined) {
      situation.passOver(webWorkerStrategyName, unavailable);
      return undefined;
    }
    return {
      strategy: webWorkerStrategyName,
      reason: `task '${task.name}' is ${shippableKind(task)} and this runtime has Web Workers, so it runs in a Web Worker that is terminated at the deadline`,
    };
  },
);
