import {
  type AnyTask,
  isTask,
  isTimeoutStrategy,
  type Logger,
  type TimeoutStrategy,
} from '@timebox/core';
import { describeValue, validateLogger, validateTimeout } from '@timebox/core/strategy-kit';
import type { SelectionContext, SelectOptions } from './selection.js';

/** {@link SelectOptions} checked, with the context still to be filled in. */
export interface CheckedSelectOptions {
  /** The candidates by name, in the order given. */
  readonly strategies: ReadonlyMap<string, TimeoutStrategy>;
  /** The context given, if any. */
  readonly context: SelectionContext | undefined;
  /** The logger given, if any. */
  readonly logger: Logger | undefined;
  /** The time limit that applies. */
  readonly timeout: number;
  /** Whether to emit the decision's warning. */
  readonly warn: boolean;
}

/**
 * Checks the task and the options of a selection. Throws a `TypeError` or `RangeError`
 * that names the option and the value.
 */
export function validateSelectOptions(task: AnyTask, options: SelectOptions): CheckedSelectOptions {
  if (!isTask(task as unknown)) {
    throw new TypeError(
      `selectStrategy() expects a task made by defineTask(), got ${describeValue(task)}`,
    );
  }
  if (typeof options !== 'object' || options === null) {
    throw new TypeError(
      `Task '${task.name}': selectStrategy() options must be an object { strategies, context?, logger?, timeout?, warn? }, got ${describeValue(options)}`,
    );
  }
  const strategies = validateStrategies(task.name, options.strategies);
  const context = options.context;
  if (context !== undefined && (typeof context !== 'object' || context === null)) {
    throw new TypeError(
      `Task '${task.name}': option context must be an object such as detectContext() returns, got ${describeValue(context)}`,
    );
  }
  const logger =
    options.logger === undefined ? undefined : validateLogger(task.name, options.logger);
  const timeout =
    options.timeout === undefined
      ? task.timeout
      : validateTimeout(task.name, options.timeout, 'option timeout');
  const warn = options.warn ?? true;
  if (typeof warn !== 'boolean') {
    throw new TypeError(
      `Task '${task.name}': option warn must be true or false, got ${describeValue(warn)}`,
    );
  }
  return { strategies, context, logger, timeout, warn };
}

function validateStrategies(taskName: string, strategies: unknown): Map<string, TimeoutStrategy> {
  if (!Array.isArray(strategies)) {
    throw new TypeError(
      `Task '${taskName}': option strategies must be an array of strategies such as [workerStrategy(), threadStrategy()], got ${describeValue(strategies)}`,
    );
  }
  const byName = new Map<string, TimeoutStrategy>();
  strategies.forEach((strategy: unknown, index) => {
    if (!isTimeoutStrategy(strategy)) {
      throw new TypeError(
        `Task '${taskName}': option strategies[${index}] must be a TimeoutStrategy (name, enforcement, supports, run, close), got ${describeValue(strategy)}`,
      );
    }
    if (byName.has(strategy.name)) {
      throw new TypeError(
        `Task '${taskName}': option strategies has two strategies named '${strategy.name}' (strategies[${index}]); names must be unique`,
      );
    }
    byName.set(strategy.name, strategy);
  });
  return byName;
}
