import type { AnyTask } from '@timebox/core';
import { describeValue } from '@timebox/core/strategy-kit';
import type {
  RuleDecision,
  SelectionContext,
  SelectionRule,
  SelectionSituation,
} from './selection.js';

/**
 * Makes a {@link SelectionRule} from a name and a function, checking both. Throws a
 * `TypeError` naming the bad value.
 *
 * @example
 * ```ts
 * const softForCooperative = defineRule('soft-for-cooperative', (task) =>
 *   task.tags.includes('cooperative')
 *     ? { strategy: 'thread', reason: `task '${task.name}' is tagged cooperative: it watches taskSignal()` }
 *     : undefined,
 * );
 * ```
 */
export function defineRule(
  name: string,
  select: (
    task: AnyTask,
    context: SelectionContext,
    situation: SelectionSituation,
  ) => RuleDecision | undefined,
): SelectionRule {
  if (typeof name !== 'string' || name.trim() === '') {
    throw new TypeError(`defineRule() name must be a non-empty string, got ${describeValue(name)}`);
  }
  if (typeof select !== 'function') {
    throw new TypeError(
      `defineRule('${name}') select must be a function (task, context, situation) => decision or undefined, got ${describeValue(select)}`,
    );
  }
  return Object.freeze({ name, select });
}
