import type { AnyTask, StrategySupport } from '@timebox/core';
import { processStrategy } from '@timebox/process';
import {
  childProcessesDisallowedReason,
  createSelector,
  defaultSelector,
  detectContext,
  type SelectionContext,
  shippableSupport,
  workersDisallowedReason,
} from '@timebox/select';
import { threadStrategy } from '@timebox/thread';
import { workerStrategy } from '@timebox/worker';
import { assembleTimebox, type Timebox } from './assemble-timebox.js';
import { withClosureRule } from './closure-fallback.js';
import { type LazyStrategy, lazyStrategy } from './lazy-strategy.js';
import { resolveTimeboxOptions, type TimeboxOptions } from './timebox-options.js';
import type { ManagedStrategyName } from './timebox-run-options.js';

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
  const baseSelector = resolved.selector ?? defaultSelector;
  return assembleTimebox({
    managed,
    selector: createSelector(withClosureRule(baseSelector.rules, resolved.closures)),
    context,
    logger: resolved.logger,
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
