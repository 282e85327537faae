import type { TimeoutStrategy } from '@timebox/core';
import { strategyConformanceSuite } from '@timebox/core/testing';
import type { Timebox } from './assemble-timebox.js';
import { createTimebox } from './create-timebox.js';

/**
 * A timebox seen as a strategy, so that the conformance suite runs through its selector.
 * The default rules pick the worker strategy for every task the suite runs, so errors
 * name `worker`.
 */
function timeboxAsStrategy(timebox: Timebox): TimeoutStrategy {
  return {
    name: 'worker',
    enforcement: 'hard',
    supports: () => ({ supported: true }),
    run: (task, args, { timeout, signal, logger }) =>
      timebox.runTaskWithTimeout(task, args, { timeout, signal, logger }),
    close: () => timebox.close(),
  };
}

strategyConformanceSuite(
  'timebox',
  (options) =>
    timeboxAsStrategy(
      createTimebox({
        worker: {
          maxWorkers: options?.runners ?? 2,
          ...(options?.startTimeout === undefined ? {} : { startTimeout: options.startTimeout }),
          ...(options?.execArgv === undefined ? {} : { execArgv: [...options.execArgv] }),
        },
        process: { maxProcesses: options?.runners ?? 2 },
      }),
    ),
  {
    enforcement: 'hard',
    inlineFunctions: true,
    queue: true,
    startTimeout: true,
    callerReasonInTask: true,
    closedRejectsRuns: true,
    elapsedAtLeastLimit: true,
    callsRunTaskWithTimeout: true,
  },
);
