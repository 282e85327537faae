import {
  isStrategyClosedError,
  isTaskAbortedError,
  isTimeboxError,
  runTaskWithTimeout,
  type StrategyStats,
  type TimeoutStrategy,
} from '@timebox/core';
import { afterEach, expect, it, vi } from 'vitest';
import type { ConformanceHooks } from './conformance-hooks.js';
import { itWhen, moduleTasksOf, rejectionOf, settle } from './conformance-support.js';
import type { MarkerBoard } from './marker-board.js';
import type {
  ConformanceStrategyFactory,
  ConformanceStrategyOptions,
  StrategyCapabilities,
} from './strategy-capabilities.js';

/**
 * The cases about a strategy's life rather than one task's: queueing, `close()`, start-up
 * and `stats()`. Each makes its own strategy and closes it afterwards.
 */
export function lifecycleCases(
  createStrategy: ConformanceStrategyFactory,
  capabilities: StrategyCapabilities,
  hooks: ConformanceHooks,
  markers: () => MarkerBoard,
): void {
  const moduleTask = moduleTasksOf(hooks.fixtures);
  /** A module a runner can `--import` so that it never becomes ready. */
  const hangOnStartModule = new URL('./hang-on-start.js', hooks.fixtures).href;
  const opened: TimeoutStrategy[] = [];
  const open = (options?: ConformanceStrategyOptions): TimeoutStrategy => {
    const strategy = createStrategy(options);
    opened.push(strategy);
    return strategy;
  };
  const marker = (name: string): string => markers().target(name);
  const reported = (target: string): boolean => markers().read(target) !== undefined;
  const waitForMarker = (target: string): Promise<void> =>
    vi.waitFor(() => expect(reported(target)).toBe(true), { timeout: 10_000 });

  afterEach(async () => {
    await Promise.allSettled(opened.splice(0).map((strategy) => strategy.close()));
  });

  itWhen(capabilities.closedRejectsRuns)(
    'rejects a run after close() with StrategyClosedError [capability closedRejectsRuns]',
    async () => {
      const strategy = open();
      await strategy.close();
      const add = moduleTask<[number, number], number>('add');
      const error = await rejectionOf(runTaskWithTimeout(add, [1, 2], { strategy }));
      expect(isStrategyClosedError(error)).toBe(true);
      expect(error).toMatchObject({ phase: 'after-close', taskName: 'conformance add' });
    },
  );

  it('close() rejects a running task with StrategyClosedError and aborts its signal', async () => {
    const strategy = open();
    const started = marker('close-running-started');
    const aborted = marker('close-running-aborted');
    const task = moduleTask<[string, string], string>('reportAbortReason', 10_000);
    const running = settle(runTaskWithTimeout(task, [started, aborted], { strategy }));
    await waitForMarker(started);
    await strategy.close();
    const error = ((await running) as PromiseRejectedResult).reason;
    expect(isStrategyClosedError(error)).toBe(true);
    expect(error).toMatchObject({ phase: 'running' });
    if (capabilities.enforcement === 'soft') {
      // A soft strategy leaves the task running: it hears the close on its signal.
      await waitForMarker(aborted);
    }
  });

  itWhen(capabilities.queue)(
    'counts the limit from the start of execution, not from the queue [capability queue]',
    async () => {
      const strategy = open({ runners: 1 });
      const wait = moduleTask<[number, string], string>('waitThenReturn', 10_000);
      const queued = moduleTask<[number, string], string>('waitThenReturn', 400);
      const first = runTaskWithTimeout(wait, [700, 'first'], { strategy });
      const second = runTaskWithTimeout(queued, [50, 'second'], { strategy });
      await expect(first).resolves.toBe('first');
      await expect(second).resolves.toBe('second');
    },
  );

  itWhen(capabilities.queue)(
    'aborts a queued task without running it [capability queue]',
    async () => {
      const strategy = open({ runners: 1 });
      const blockerStarted = marker('queued-blocker-started');
      const queuedStarted = marker('queued-started');
      const task = moduleTask<[string, string], string>('reportAbort', 10_000);
      const blocker = settle(
        runTaskWithTimeout(task, [blockerStarted, marker('queued-blocker-aborted')], { strategy }),
      );
      await waitForMarker(blockerStarted);
      const controller = new AbortController();
      const queued = runTaskWithTimeout(task, [queuedStarted, marker('queued-aborted')], {
        strategy,
        signal: controller.signal,
      });
      const reason = new Error('no longer needed');
      controller.abort(reason);
      const error = await rejectionOf(queued);
      expect(isTaskAbortedError(error)).toBe(true);
      expect(error).toMatchObject({ phase: 'queued', cause: reason });
      await strategy.close();
      await blocker;
      expect(reported(queuedStarted)).toBe(false);
    },
  );

  itWhen(capabilities.queue)(
    'close() rejects a queued and a running task with StrategyClosedError [capability queue]',
    async () => {
      const strategy = open({ runners: 1 });
      const runningStarted = marker('close-queue-running-started');
      const queuedStarted = marker('close-queue-queued-started');
      const task = moduleTask<[string, string], string>('reportAbort', 10_000);
      const running = settle(
        runTaskWithTimeout(task, [runningStarted, marker('close-queue-running-aborted')], {
          strategy,
        }),
      );
      await waitForMarker(runningStarted);
      const queued = settle(
        runTaskWithTimeout(task, [queuedStarted, marker('close-queue-queued-aborted')], {
          strategy,
        }),
      );
      await strategy.close();
      const runningError = ((await running) as PromiseRejectedResult).reason;
      const queuedError = ((await queued) as PromiseRejectedResult).reason;
      expect(isStrategyClosedError(runningError)).toBe(true);
      expect(runningError).toMatchObject({ phase: 'running' });
      expect(isStrategyClosedError(queuedError)).toBe(true);
      expect(queuedError).toMatchObject({ phase: 'queued' });
      expect(reported(queuedStarted)).toBe(false);
    },
  );

  itWhen(capabilities.startTimeout)(
    'settles within a bound when the runner never becomes ready [capability startTimeout]',
    async () => {
      const strategy = open({
        runners: 1,
        startTimeout: 500,
        execArgv: ['--import', hangOnStartModule],
      });
      const add = moduleTask<[number, number], number>('add', 200);
      const started = performance.now();
      const error = await rejectionOf(runTaskWithTimeout(add, [1, 2], { strategy }));
      expect(isTimeboxError(error)).toBe(true);
      expect(performance.now() - started).toBeLessThan(10_000);
    },
    20_000,
  );

  itWhen(capabilities.stats)(
    'reports stats(): runners, outcomes, kills and wait/run percentiles [capability stats]',
    async () => {
      const strategy = open();
      const add = moduleTask<[number, number], number>('add');
      const never = moduleTask<[], never>('neverSettle', 50);
      await runTaskWithTimeout(add, [1, 2], { strategy });
      await runTaskWithTimeout(add, [3, 4], { strategy });
      await rejectionOf(runTaskWithTimeout(never, [], { strategy }));
      expect(typeof strategy.stats).toBe('function');
      const stats = strategy.stats?.() as StrategyStats;
      for (const count of [
        'queued',
        'running',
        'idleRunners',
        'spareRunners',
        'crashed',
        'kills',
      ] as const) {
        expect(Number.isInteger(stats[count]) && stats[count] >= 0, count).toBe(true);
      }
      expect(stats.completed).toBeGreaterThanOrEqual(2);
      expect(stats.timedOut).toBeGreaterThanOrEqual(1);
      expect(stats.queued).toBe(0);
      expect(stats.running).toBe(0);
      for (const percentiles of [stats.waitTime, stats.runTime]) {
        expect(percentiles.p50).toBeGreaterThanOrEqual(0);
        expect(percentiles.p50).toBeLessThanOrEqual(percentiles.p90);
        expect(percentiles.p90).toBeLessThanOrEqual(percentiles.p99);
        expect(percentiles.p99).toBeLessThanOrEqual(percentiles.max);
      }
      expect(stats.runTime.max).toBeGreaterThanOrEqual(50);
    },
  );
}
