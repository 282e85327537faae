import { type AnyTask, isModuleReference, TaskSerializationError } from '@timebox/core';
import { analyzeInlineFunction } from '@timebox/engine';
import { defineRule, type SelectionRule, softFallbackRule } from '@timebox/select';
import type { ClosurePolicy } from './timebox-options.js';

/**
 * Why `task`'s inline function cannot be sent to a worker thread or child process because
 * it is a closure (it reads its enclosing scope, CommonJS names, compiled imports or a
 * global its module imported), found from its source; `undefined` for module tasks and
 * self-contained functions.
 */
export function closureReason(task: AnyTask): string | undefined {
  if (isModuleReference(task.run)) return undefined;
  const analysis = analyzeInlineFunction(task.run as Function);
  return analysis.verdict === 'closure' ? analysis.reason : undefined;
}

/**
 * `rules` with the closure rule of `policy` asked just before the soft fallback (or last,
 * when there is none): rules of your own that send a task to the thread strategy (a
 * `cooperative` tag, say) are asked first, and a closure reaches the closure rule only
 * when no hard strategy took it.
 */
export function withClosureRule(
  rules: readonly SelectionRule[],
  policy: ClosurePolicy,
): SelectionRule[] {
  const fallback = rules.indexOf(softFallbackRule);
  const at = fallback === -1 ? rules.length : fallback;
  return [...rules.slice(0, at), closureRule(policy), ...rules.slice(at)];
}

/**
 * The rule a timebox's selector asks just before the soft fallback, for a timed task whose
 * inline function is a closure (found from its source, before anything runs, so no task
 * runs twice). With `closures: 'reject'` (the default) it throws a
 * `TaskSerializationError` naming the free names and the fix; with `closures: 'soft'` it
 * sends the task to the thread strategy, with a warning, where the run gets the caller's
 * whole time limit, once. It passes when no hard strategy is among the candidates.
 */
function closureRule(policy: ClosurePolicy): SelectionRule {
  return defineRule(`${policy}-closure`, (task, _context, situation) => {
    if (situation.timeout === Infinity) return undefined;
    if (!situation.strategyNames.some((name) => name === 'worker' || name === 'process')) {
      return undefined;
    }
    const reason = closureReason(task);
    if (reason === undefined) return undefined;
    if (policy === 'reject') {
      throw new TaskSerializationError({
        taskName: task.name,
        subject: 'function',
        path: 'run',
        reason: `${reason}; or createTimebox({ closures: 'soft' }) to run it on the calling thread under a soft timeout, which cannot stop it`,
      });
    }
    const why = `it is not self-contained: ${reason}`;
    situation.passOver('worker', why);
    situation.passOver('process', why);
    return {
      strategy: 'thread',
      reason: `task '${task.name}' runs on the calling thread under a soft timeout (closures: 'soft'), because ${why}`,
      warning: `task '${task.name}' gets only a soft timeout: ${why}. At its deadline the caller gets a TaskTimeoutError, but the task is not stopped.`,
    };
  });
}
