import type { AnyTask, TimeoutStrategy } from '@timebox/core';
import { describeValue } from '@timebox/core/strategy-kit';
import { detectContext } from './detect-context.js';
import { emitSelectionWarning } from './emit-selection-warning.js';
import { notACandidate } from './not-a-candidate.js';
import {
  directRun,
  type PassedOverStrategy,
  type RuleDecision,
  type SelectionContext,
  type SelectionRule,
  type SelectionSituation,
  type SelectOptions,
  type Selector,
  type StrategySelection,
} from './selection.js';
import { StrategySelectionError } from './strategy-selection-error.js';
import { validateSelectOptions } from './validate-select-options.js';

/**
 * Makes a selector from rules asked in order. Put your rules before the defaults to
 * override them, after them to handle what they pass, or use only your own:
 * `createSelector([myRule, ...defaultRules])`, `createSelector([myRule])`. A rule listed
 * twice is asked once, at its first place, so `[noTimeLimitRule, myRule, ...defaultRules]`
 * keeps tasks without a limit away from `myRule`.
 *
 * A rule's decision counts only when it names a candidate strategy whose
 * `supports(task, context)` accepts the task; otherwise the next rule is asked and the
 * refusal is kept in `passedOver`. A strategy passed over once (a refusal, or a rule's
 * `situation.passOver(name, reason)`) is not chosen by a later rule. When no rule decides, `select` throws a
 * {@link StrategySelectionError}.
 *
 * @example
 * ```ts
 * const selector = createSelector([processOnWindowsCi, ...defaultRules]);
 * const { strategy, reason } = selector.select(task, { strategies });
 * ```
 */
export function createSelector(rules: readonly SelectionRule[]): Selector {
  const checkedRules = validateRules(rules);
  return Object.freeze({
    rules: checkedRules,
    select: (task: AnyTask, options: SelectOptions) => select(checkedRules, task, options),
  });
}

function select(
  rules: readonly SelectionRule[],
  task: AnyTask,
  options: SelectOptions,
): StrategySelection {
  const checked = validateSelectOptions(task, options);
  const context: SelectionContext = checked.context ?? detectContext();
  const candidates = checked.strategies;
  const passedOver = new Map<string, PassedOverStrategy>();
  const passOver = (name: string, reason: string): void => {
    if (passedOver.has(name)) return;
    const strategy = candidates.get(name);
    passedOver.set(name, strategy === undefined ? { name, reason } : { name, strategy, reason });
  };
  const situation: SelectionSituation = Object.freeze({
    timeout: checked.timeout,
    strategyNames: Object.freeze([...candidates.keys()]),
    passOver: (name: string, reason: string) => {
      if (typeof name !== 'string' || typeof reason !== 'string') {
        throw new TypeError(
          `Task '${task.name}': passOver(name, reason) expects two strings, got ${describeValue(name)} and ${describeValue(reason)}`,
        );
      }
      passOver(name, reason);
    },
    passedOverReason: (name: string) => passedOver.get(name)?.reason,
  });

  for (const rule of rules) {
    const decision = checkDecision(task, rule, rule.select(task, context, situation));
    if (decision === undefined) continue;
    if (decision.strategy === directRun) {
      if (checked.timeout !== Infinity) {
        throw new TypeError(
          `Task '${task.name}': rule '${rule.name}' chose to run it directly, but it has a time limit of ${checked.timeout} ms, which a direct run would not enforce`,
        );
      }
      for (const name of candidates.keys()) {
        passOver(name, `not needed: task '${task.name}' has no time limit`);
      }
      return finish(task, checked, context, rule, decision, null, passedOver);
    }
    if (passedOver.has(decision.strategy)) continue;
    const strategy = candidates.get(decision.strategy);
    if (strategy === undefined) {
      passOver(decision.strategy, notACandidate);
      continue;
    }
    const support = strategy.supports(task, context);
    if (!support.supported) {
      passOver(strategy.name, support.reason);
      continue;
    }
    for (const name of candidates.keys()) {
      if (name !== strategy.name) {
        passOver(
          name,
          `not considered: rule '${rule.name}' chose the ${strategy.name} strategy first`,
        );
      }
    }
    return finish(task, checked, context, rule, decision, strategy, passedOver);
  }
  for (const name of candidates.keys()) {
    passOver(name, 'no rule chose it');
  }
  throw new StrategySelectionError({ taskName: task.name, passedOver: [...passedOver.values()] });
}

function finish(
  task: AnyTask,
  checked: ReturnType<typeof validateSelectOptions>,
  context: SelectionContext,
  rule: SelectionRule,
  decision: RuleDecision,
  strategy: TimeoutStrategy | null,
  passedOver: ReadonlyMap<string, PassedOverStrategy>,
): StrategySelection {
  const name = strategy === null ? directRun : strategy.name;
  if (decision.warning !== undefined && checked.warn) {
    emitSelectionWarning(
      task,
      decision.warning,
      { strategy: name, rule: rule.name },
      checked.logger,
    );
  }
  const others = [...passedOver.values()].filter((entry) => entry.name !== name);
  return Object.freeze({
    strategy,
    name,
    enforcement: strategy === null ? 'none' : strategy.enforcement,
    reason: decision.reason,
    rule: rule.name,
    ...(decision.warning === undefined ? {} : { warning: decision.warning }),
    passedOver: Object.freeze(others),
    context,
  });
}

function checkDecision(
  task: AnyTask,
  rule: SelectionRule,
  decision: unknown,
): RuleDecision | undefined {
  if (decision === undefined) return undefined;
  const candidate = decision as Partial<Record<keyof RuleDecision, unknown>> | null;
  if (
    typeof candidate !== 'object' ||
    candidate === null ||
    typeof candidate.strategy !== 'string' ||
    typeof candidate.reason !== 'string' ||
    (candidate.warning !== undefined && typeof candidate.warning !== 'string')
  ) {
    throw new TypeError(
      `Task '${task.name}': rule '${rule.name}' must return { strategy, reason, warning? } with strings, or undefined to pass, got ${describeValue(decision)}`,
    );
  }
  return candidate as RuleDecision;
}

function validateRules(rules: readonly SelectionRule[]): readonly SelectionRule[] {
  if (!Array.isArray(rules)) {
    throw new TypeError(
      `createSelector() expects an array of rules such as [myRule, ...defaultRules], got ${describeValue(rules)}`,
    );
  }
  rules.forEach((rule: unknown, index) => {
    const candidate = rule as Partial<SelectionRule> | null;
    if (
      typeof candidate !== 'object' ||
      candidate === null ||
      typeof candidate.name !== 'string' ||
      typeof candidate.select !== 'function'
    ) {
      throw new TypeError(
        `createSelector() rules[${index}] must be a rule { name, select } (see defineRule), got ${describeValue(rule)}`,
      );
    }
  });
  return Object.freeze([...new Set(rules)]);
}
