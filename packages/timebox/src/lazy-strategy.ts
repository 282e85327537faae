import {
  type AnyTask,
  type RuntimeContext,
  StrategyClosedError,
  type StrategyRunOptions,
  type StrategySupport,
  type Task,
  TaskUnsupportedError,
  type TimeoutStrategy,
} from '@timebox/core';

/** What {@link lazyStrategy} needs to know before the strategy exists. */
export interface LazyStrategyDefinition {
  /** The name the real strategy will have. */
  readonly name: string;
  /** Its enforcement. */
  readonly enforcement: 'soft' | 'hard';
  /** Creates the real strategy; called on the first run. */
  readonly create: () => TimeoutStrategy;
  /** Answers `supports()` until the real strategy exists (the same checks it makes). */
  readonly precheck: (task: AnyTask, context: RuntimeContext) => StrategySupport;
  /** The context `supports()` weighs when it is given none. */
  readonly context: () => RuntimeContext;
}

/** A strategy that exists only once it runs a task; see {@link lazyStrategy}. */
export interface LazyStrategy extends TimeoutStrategy {
  /** Whether the real strategy has been created (and not closed since). */
  readonly started: boolean;
}

/**
 * A stand-in that creates the real strategy on its first `run`, so that no worker thread
 * or child process starts before a task needs one. Until then `supports()` answers with
 * the definition's precheck; afterwards the real strategy answers. `close()` closes the
 * real strategy; a later `run` rejects with `StrategyClosedError`.
 */
export function lazyStrategy(definition: LazyStrategyDefinition): LazyStrategy {
  let instance: TimeoutStrategy | undefined;
  let closed = false;
  const open = (): TimeoutStrategy => {
    instance ??= definition.create();
    return instance;
  };
  return {
    name: definition.name,
    enforcement: definition.enforcement,
    get started() {
      return instance !== undefined;
    },
    supports(task: AnyTask, context?: RuntimeContext): StrategySupport {
      const weighed = context ?? definition.context();
      return instance === undefined
        ? definition.precheck(task, weighed)
        : instance.supports(task, weighed);
    },
    async run<Args extends unknown[], Result>(
      task: Task<Args, Result>,
      args: Args,
      options: StrategyRunOptions,
    ): Promise<Result> {
      const anyTask = task as unknown as AnyTask;
      if (closed) {
        throw new StrategyClosedError({
          taskName: anyTask.name,
          strategy: definition.name,
          phase: 'after-close',
        });
      }
      const strategy = open();
      const support = strategy.supports(anyTask, definition.context());
      if (!support.supported) {
        throw new TaskUnsupportedError({
          taskName: anyTask.name,
          strategy: strategy.name,
          reason: support.reason,
        });
      }
      return strategy.run(task, args, options);
    },
    async close(): Promise<void> {
      closed = true;
      const closing = instance;
      instance = undefined;
      await closing?.close();
    },
  };
}
