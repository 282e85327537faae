import {
  type AnyTask,
  isTask,
  isTimeoutStrategy,
  type Logger,
  runTaskWithTimeout as runWithStrategy,
  StrategyClosedError,
  type StrategySupport,
  type Task,
  type TimeoutStrategy,
} from '@timebox/core';
import { describeValue, validateLogger } from '@timebox/core/strategy-kit';
import { processStrategy } from '@timebox/process';
import {
  childProcessesDisallowedReason,
  createSelector,
  defaultSelector,
  detectContext,
  type SelectionContext,
  type Selector,
  type StrategySelection,
  shippableSupport,
  workersDisallowedReason,
} from '@timebox/select';
import { threadStrategy } from '@timebox/thread';
import { workerStrategy } from '@timebox/worker';
import { withClosureRule } from './closure-fallback.js';
import { type LazyStrategy, lazyStrategy } from './lazy-strategy.js';
import { resolveTimeboxOptions, type TimeboxOptions } from './timebox-options.js';
import type { ManagedStrategyName, TimeboxRunOptions } from './timebox-run-options.js';

/** Options of a timebox's `explain`. */
export interface ExplainOptions {
  /** A time limit to weigh instead of the task's own. */
  readonly timeout?: number | undefined;
}

/** A configured set of strategies with a selector; see {@link createTimebox}. */
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
   * Closes every strategy this timebox created: worker threads and child processes end,
   * and nothing keeps the host process alive. Runs still queued or running reject with
   * `StrategyClosedError`, and so does every later run.
   */
  close(): Promise<void>;
  /** The candidate strategies, in the order the selector sees them; each is created on its first run. */
  readonly strategies: readonly LazyStrategy[];
}

const hardStrategies: Record<
  'worker' | 'process',
  (context: SelectionContext) => string | undefined
> = {
  worker: workersDisallowedReason,
  process: childProcessesDisallowedReason,
};

/**
 * Makes a timebox: the worker, process and thread strategies (any can be left out with
 * `false`, or given options), a selector (the default rules unless you pass one), a
 * context and a logger. Strategies are created on first need and shared by every run of
 * this timebox; `close()` ends them all, and later runs reject with `StrategyClosedError`. The package's own `runTaskWithTimeout`,
 * `explain` and `close` use a timebox made with no options.
 *
 * @example
 * ```ts
 * const timebox = createTimebox({ worker: { maxWorkers: 2 }, process: false, logger: console });
 * try {
 *   await timebox.runTaskWithTimeout(task, [input]);
 * } finally {
 *   await timebox.close();
 * }
 * ```
 */
export function createTimebox(options?: TimeboxOptions): Timebox {
  const resolved = resolveTimeboxOptions(options);
  const context = (): SelectionContext => resolved.context ?? detectContext();
  const managed = new Map<ManagedStrategyName, LazyStrategy>();
  if (resolved.worker !== false) {
    const workerOptions = resolved.worker;
    managed.set(
      'worker',
      lazyStrategy({
        name: 'worker',
        enforcement: 'hard',
        create: () => workerStrategy(workerOptions),
        precheck: (task, weighed) => hardPrecheck('worker', task, weighed),
        context,
      }),
    );
  }
  if (resolved.process !== false) {
    const processOptions = resolved.process;
    managed.set(
      'process',
      lazyStrategy({
        name: 'process',
        enforcement: 'hard',
        create: () => processStrategy(processOptions),
        precheck: (task, weighed) => hardPrecheck('process', task, weighed),
        context,
      }),
    );
  }
  if (resolved.thread !== false) {
    const threadOptions = resolved.thread;
    managed.set(
      'thread',
      lazyStrategy({
        name: 'thread',
        enforcement: 'soft',
        create: () => threadStrategy(threadOptions),
        precheck: () => ({ supported: true }),
        context,
      }),
    );
  }
  const strategies = Object.freeze([...managed.values()]);
  const baseSelector = resolved.selector ?? defaultSelector;
  const selector: Selector = createSelector(withClosureRule(baseSelector.rules, resolved.closures));
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
    const selection = selector.select(task, {
      strategies,
      context: context(),
      logger,
      timeout,
    });
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
    const named =
      typeof requested === 'string' ? managed.get(requested as ManagedStrategyName) : undefined;
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
        ? resolved.logger
        : validateLogger(anyTask.name, runOptions.logger);
    if (closed) {
      throw new StrategyClosedError({
        taskName: anyTask.name,
        strategy: 'timebox',
        phase: 'after-close',
      });
    }
    const taskArgs = (args ?? []) as Args;
    const strategy = pickStrategy(anyTask, logger, runOptions?.timeout, runOptions?.strategy);
    const coreOptions = {
      strategy,
      signal: runOptions?.signal,
      logger,
      timeout: runOptions?.timeout,
      metadata: runOptions?.metadata,
    };
    return runWithStrategy(task, taskArgs, coreOptions);
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

function hardPrecheck(
  name: 'worker' | 'process',
  task: AnyTask,
  context: SelectionContext,
): StrategySupport {
  const disallowed = hardStrategies[name](context);
  if (disallowed !== undefined) return { supported: false, reason: disallowed };
  return shippableSupport(task);
}
