import { defineRule } from '../define-rule.js';
import { groupReasons } from '../group-reasons.js';
import { notACandidate } from '../not-a-candidate.js';
import type { SelectionSituation } from '../selection.js';
import { webWorkerStrategyName } from './web-worker-rule.js';

/**
 * Default rule 7, the last: the thread strategy, with a warning that says why only a soft
 * timeout can be enforced. Never silent.
 */
export const softFallbackRule = /* @__PURE__ */ defineRule(
  'soft-fallback',
  (task, context, situation) => {
    const why = whyNoHardStrategy(situation, context.webWorkersAvailable === true);
    return {
      strategy: 'thread',
      reason: `task '${task.name}' runs on the calling thread under a soft timeout, because no hard strategy can run it here (${why})`,
      warning: `task '${task.name}' gets only a soft timeout (${why}). At its deadline the caller gets a TaskTimeoutError, but the task is not stopped: it may keep running and keep the calling thread busy.`,
    };
  },
);

function whyNoHardStrategy(situation: SelectionSituation, webWorkersAvailable: boolean): string {
  const names = [
    'worker',
    'process',
    ...(webWorkersAvailable ? [webWorkerStrategyName] : []),
    ...situation.strategyNames.filter((name) => name !== 'thread'),
  ];
  const entries: { name: string; reason: string }[] = [];
  for (const name of new Set(names)) {
    const reason =
      situation.passedOverReason(name) ??
      (situation.strategyNames.includes(name) ? undefined : notACandidate);
    if (reason !== undefined) entries.push({ name, reason });
  }
  return entries.length === 0 ? 'no hard strategy accepted it' : groupReasons(entries);
}
