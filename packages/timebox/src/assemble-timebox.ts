import {
  type AnyTask,
  isTask,
  isTimeoutStrategy,
  type Logger,
  runTaskWithTimeout as runWithStrategy,
  StrategyClosedError,
  type Task,
  type TimeoutStrategy,
} from '@timebox/core';
import { describeValue, validateLogger } from '@timebox/core/strategy-kit';
import type { SelectionContext, Selector, StrategySelection } from '@timebox/select';
import { threadStrategy } from '@timebox/thread';
import type { LazyStrategy } from './lazy-strategy.js';
import type { TimeboxRunOptions } from './timebox-run-options.js';

/** Options of a timebox's `explain`. */
export interface ExplainOptions {
  /** A time limit to weigh instead of the task's own. */
  readonly timeout?: number | undefined;
}

/** A configured set of strategies with a selector; see `createTimebox`. */
export interface Timebox {
  /**
   * Runs `task` with `args` under the strategy the selector picks, creating that strategy
   * on its first use. Resolves with the task's result, or rejects as core's
   * `runTaskWithTimeout` does (`TaskTimeoutError`, the task's own error, `TaskCrashedError`,
   * `TaskSerializationError`, `TaskAbortedError`), or with `StrategySelectionError` when no
   * strategy can run it. An inline function that is a closure is rejected before it runs
   * with a `TaskSerializationError`, unless the timebox was made with `closures: 'soft'`.
   */
  runTaskWithTimeout<Args extends unknown[], Result>(
    task: Task<Args, Result>,
    args?: Args,
    options?: TimeboxRunOptions,
  ): Promise<Result>;
  /**
   * What a run of `task` would use and why, without running it, starting anything or
   * warning; throws what the run would throw before it starts (a closure's
   * `TaskSerializationError`, a `StrategySelectionError`).
   */
  explain(task: AnyTask, options?: ExplainOptions): StrategySelection;
  /**
   * Closes every strategy this timebox created: workers and child processes end, and
   * nothing keeps the host process alive. Runs still queued or running reject with
   * `StrategyClosedError`, and so does every later run.
   */
  close(): Promise<void>;
  /** The candidate strategies, in the order the selector sees them; each is created on its first run. */
  readonly strategies: readonly LazyStrategy[];
}

/** What both builds (Node and browser) hand to {@link assembleTimebox}. */
export interface TimeboxParts {
  /** The strategies this timebox manages, by name, in the order the selector sees them. */
  readonly managed: ReadonlyMap<string, LazyStrategy>;
  /** The selector that picks a strategy for each run. */
  readonly selector: Selector;
  /** The context selections weigh, read at each selection. */
  readonly context: () => SelectionContext;
  /** Where runs and selection warnings log, unless a run passes its own logger. */
  readonly logger: Logger | undefined;
}

/**
 * A timebox from its parts: checks each run's task and options, picks a strategy (a
 * strategy or managed name the run asks for, else the selector's pick, else a direct run
 * for a task without a time limit), refuses runs after `close()` with
 * `StrategyClosedError`, and closes every strategy it created.
 */
export function assembleTimebox(parts: TimeboxParts): Timebox {
  const { managed, selector, context } = parts;
  const strategies = Object.freeze([...managed.values()]);
  // Runs without a time limit go straight through core, which calls the task directly.
  let directStrategy: TimeoutStrategy | undefined;
  let closed = false;

  function pickStrategy(
    task: AnyTask,
    logger: Logger | undefined,
    timeout: number | undefined,
    requested: TimeboxRunOptions['strategy'],
  ): TimeoutStrategy {
    if (requested !== undefined) return requestedStrategy(task, requested);
    const selection = selector.select(task, { strategies, context: context(), logger, timeout });
    logger?.debug(selection.reason, {
      task: task.name,
      strategy: selection.name,
      rule: selection.rule,
    });
    if (selection.strategy !== null) return selection.strategy;
    directStrategy ??= threadStrategy();
    return directStrategy;
  }

  function requestedStrategy(
    task: AnyTask,
    requested: NonNullable<TimeboxRunOptions['strategy']>,
  ): TimeoutStrategy {
    if (isTimeoutStrategy(requested)) return requested;
    const named = typeof requested === 'string' ? managed.get(requested) : undefined;
    if (named !== undefined) return named;
    throw new TypeError(
      `Task '${task.name}': option strategy must be a TimeoutStrategy or the name of one this timebox manages (${[...managed.keys()].map((name) => `'${name}'`).join(', ')}), got ${describeValue(requested)}`,
    );
  }

  async function runTaskWithTimeout<Args extends unknown[], Result>(
    task: Task<Args, Result>,
    args?: Args,
    runOptions?: TimeboxRunOptions,
  ): Promise<Result> {
    if (!isTask(task as unknown)) {
      throw new TypeError(
        `runTaskWithTimeout() expects a task made by defineTask(), got ${describeValue(task)}`,
      );
    }
    const anyTask = task as unknown as AnyTask;
    if (runOptions !== undefined && (typeof runOptions !== 'object' || runOptions === null)) {
      throw new TypeError(
        `Task '${anyTask.name}': options must be an object { signal?, logger?, timeout?, strategy?, metadata? }, got ${describeValue(runOptions)}`,
      );
    }
    const logger =
      runOptions?.logger === undefined
        ? parts.logger
        : validateLogger(anyTask.name, runOptions.logger);
    if (closed) {
      throw new StrategyClosedError({
        taskName: anyTask.name,
        strategy: 'timebox',
        phase: 'after-close',
      });
    }
    const strategy = pickStrategy(anyTask, logger, runOptions?.timeout, runOptions?.strategy);
    return runWithStrategy(task, (args ?? []) as Args, {
      strategy,
      signal: runOptions?.signal,
      logger,
      timeout: runOptions?.timeout,
      metadata: runOptions?.metadata,
    });
  }

  return Object.freeze({
    runTaskWithTimeout,
    explain(task: AnyTask, explainOptions?: ExplainOptions): StrategySelection {
      if (
        explainOptions !== undefined &&
        (typeof explainOptions !== 'object' || explainOptions === null)
      ) {
        throw new TypeError(
          `explain() options must be an object { timeout? }, got ${describeValue(explainOptions)}`,
        );
      }
      return selector.select(task, {
        strategies,
        context: context(),
        timeout: explainOptions?.timeout,
        warn: false,
      });
    },
    async close(): Promise<void> {
      closed = true;
      const closing = [...strategies, ...(directStrategy === undefined ? [] : [directStrategy])];
      const results = await Promise.allSettled(closing.map((strategy) => strategy.close()));
      const failure = results.find(
        (result): result is PromiseRejectedResult => result.status === 'rejected',
      );
      if (failure !== undefined) throw failure.reason;
    },
    strategies,
  });
}
