import {
  isTaskAbortedError,
  isTaskQueueFullError,
  isTaskTimeoutError,
  runTaskWithTimeout,
} from '@timebox/core';
import { describe, expect, it } from 'vitest';
import type { WorkerStrategy } from './index.js';
import {
  fixtureTask,
  rejectionOf,
  release,
  sharedMemory,
  slot,
  strategiesClosedAfterAll,
  waitUntilChanged,
} from './test-helpers.js';

describe('workerStrategy prefetch: tasks sent ahead to a busy thread', () => {
  const strategyWith = strategiesClosedAfterAll();
  const hold = fixtureTask<[SharedArrayBuffer], string>('holdUntilReleased', 30_000);
  const markRan = fixtureTask<[SharedArrayBuffer], string>('markRan');
  const add = fixtureTask<[number, number], number>('add', 100);
  const spin = fixtureTask<[SharedArrayBuffer], never>('spinCounting', 100);

  /** A strategy with one thread that holds a task until released. */
  async function busyThread(options: Parameters<typeof strategyWith>[0] = {}) {
    const strategy = strategyWith({ maxWorkers: 1, ...options }) as WorkerStrategy;
    const { buffer, view } = sharedMemory();
    const holding = runTaskWithTimeout(hold, [buffer], { strategy });
    await waitUntilChanged(view, slot.started);
    return { strategy, holding, releaseIt: () => release(view, slot.release) };
  }

  it("times a task sent ahead from its real start: a 100 ms task waits out a longer one's run", async () => {
    const { strategy, holding, releaseIt } = await busyThread();
    const held = [1, 2, 3].map((value) => runTaskWithTimeout(add, [value, 1], { strategy }));
    expect(strategy.stats()).toMatchObject({ running: 1, queued: 3, prefetched: 3 });
    // Held far longer than the 100 ms limit of the tasks waiting behind it, on the thread.
    await new Promise((resolve) => setTimeout(resolve, 300));
    releaseIt();
    await expect(holding).resolves.toBe('released');
    await expect(Promise.all(held)).resolves.toEqual([2, 3, 4]);
    expect(strategy.stats()).toMatchObject({ completed: 4, timedOut: 0, kills: 0 });
  });

  it('runs the tasks held behind a runaway on the next thread, none of them blamed', async () => {
    const strategy = strategyWith({ maxWorkers: 1 }) as WorkerStrategy;
    const { buffer, view } = sharedMemory();
    const runaway = rejectionOf(runTaskWithTimeout(spin, [buffer], { strategy }));
    await waitUntilChanged(view, slot.counter);
    const held = [1, 2, 3].map((value) => runTaskWithTimeout(add, [value, 10], { strategy }));
    expect(strategy.stats().prefetched).toBe(3);
    expect(isTaskTimeoutError(await runaway)).toBe(true);
    await expect(Promise.all(held)).resolves.toEqual([11, 12, 13]);
    expect(strategy.stats()).toMatchObject({ completed: 3, timedOut: 1, kills: 1 });
  });

  it('never runs a task sent ahead whose caller aborted before its turn', async () => {
    const { strategy, holding, releaseIt } = await busyThread();
    const { buffer, view } = sharedMemory();
    const controller = new AbortController();
    const aborted = rejectionOf(
      runTaskWithTimeout(markRan, [buffer], { strategy, signal: controller.signal }),
    );
    const after = runTaskWithTimeout(add, [2, 2], { strategy });
    expect(strategy.stats()).toMatchObject({ queued: 2, prefetched: 2 });
    controller.abort(new Error('no longer needed'));
    const error = await aborted;
    expect(isTaskAbortedError(error)).toBe(true);
    expect(error).toMatchObject({ phase: 'queued' });
    releaseIt();
    await expect(holding).resolves.toBe('released');
    // The task after it ran on the same thread, so the thread has passed the aborted one.
    await expect(after).resolves.toBe(4);
    expect(Atomics.load(view, slot.counter)).toBe(0);
    expect(strategy.stats()).toMatchObject({ kills: 0, completed: 2 });
  });

  it.each([4, 0])(
    'blames no task for a host too busy to read its answer in time (prefetch: %i)',
    async (prefetch) => {
      const strategy = strategyWith({ maxWorkers: 1, prefetch }) as WorkerStrategy;
      await runTaskWithTimeout(add, [0, 0], { strategy });
      const calls = [1, 2, 3, 4, 5].map((value) =>
        runTaskWithTimeout(add, [value, 1], { strategy }),
      );
      // The host's own code holds its thread three times the tasks' 100 ms limit, while the
      // worker runs them (each well within its limit).
      const busyUntil = performance.now() + 300;
      while (performance.now() < busyUntil) {
        // busy
      }
      await expect(Promise.all(calls)).resolves.toEqual([2, 3, 4, 5, 6]);
      expect(strategy.stats()).toMatchObject({ completed: 6, timedOut: 0, kills: 0 });
    },
  );

  it('counts tasks sent ahead against maxQueue', async () => {
    const { strategy, holding, releaseIt } = await busyThread({ maxQueue: 2 });
    const held = [
      runTaskWithTimeout(add, [1, 1], { strategy }),
      runTaskWithTimeout(add, [2, 2], { strategy }),
    ];
    expect(strategy.stats()).toMatchObject({ queued: 2, prefetched: 2 });
    const refused = await rejectionOf(runTaskWithTimeout(add, [3, 3], { strategy }));
    expect(isTaskQueueFullError(refused)).toBe(true);
    releaseIt();
    await holding;
    await expect(Promise.all(held)).resolves.toEqual([2, 4]);
  });

  it('with prefetch: 0 sends a task only to an idle thread', async () => {
    const { strategy, holding, releaseIt } = await busyThread({ prefetch: 0 });
    const held = runTaskWithTimeout(add, [1, 1], { strategy });
    expect(strategy.stats()).toMatchObject({ running: 1, queued: 1, prefetched: 0 });
    releaseIt();
    await holding;
    await expect(held).resolves.toBe(2);
  });
});
