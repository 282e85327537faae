import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import {
  isStrategyClosedError,
  isTaskAbortedError,
  isTaskQueueFullError,
  isTaskTimeoutError,
  runTaskWithTimeout,
} from '@timebox/core';
import { describe, expect, it, vi } from 'vitest';
import { workerStrategy } from './index.js';
import {
  fixtureTask,
  inlineAdd,
  recordingLogger,
  rejectionOf,
  release,
  sharedMemory,
  slot,
  strategiesClosedAfterAll,
  waitUntilChanged,
  workerCount,
} from './test-helpers.js';

const run = promisify(execFile);

describe('workerStrategy queueing and closing', () => {
  const strategyWith = strategiesClosedAfterAll();

  const hold = fixtureTask<[SharedArrayBuffer], string>('holdUntilReleased', 30_000);
  const markRan = fixtureTask<[SharedArrayBuffer], string>('markRan');

  it('counts the timeout from the start of execution, not from the call', async () => {
    const strategy = strategyWith({ maxWorkers: 1 });
    const busy = fixtureTask<[number], string>('busyFor', 10_000);
    const quick = fixtureTask<[number, number], number>('add', 150);
    const spin = fixtureTask<[SharedArrayBuffer], never>('spinCounting', 150);
    const calledAt = performance.now();
    const first = runTaskWithTimeout(busy, [400], { strategy });
    const second = runTaskWithTimeout(quick, [1, 2], { strategy });
    const third = rejectionOf(runTaskWithTimeout(spin, [sharedMemory().buffer], { strategy }));
    await expect(first).resolves.toBe('done');
    await expect(second).resolves.toBe(3);
    const error = await third;
    expect(isTaskTimeoutError(error)).toBe(true);
    expect((error as { elapsed: number }).elapsed).toBeLessThan(380);
    expect(performance.now() - calledAt).toBeGreaterThanOrEqual(540);
  });

  it('refuses a task with TaskQueueFullError when maxQueue tasks already wait', async () => {
    const strategy = strategyWith({ maxWorkers: 1, maxQueue: 1 });
    const { buffer, view } = sharedMemory();
    const holding = runTaskWithTimeout(hold, [buffer], { strategy });
    await waitUntilChanged(view, slot.started);
    const waiting = runTaskWithTimeout(inlineAdd, [1, 1], { strategy });
    const error = await rejectionOf(runTaskWithTimeout(inlineAdd, [2, 2], { strategy }));
    expect(isTaskQueueFullError(error)).toBe(true);
    expect(error).toMatchObject({
      name: 'TaskQueueFullError',
      taskName: 'inline add',
      strategy: 'worker',
      maxQueue: 1,
    });
    expect((error as Error).message).toContain('maxQueue: 1');
    release(view, slot.release);
    await expect(holding).resolves.toBe('released');
    await expect(waiting).resolves.toBe(2);
  });

  it('with maxQueue: 0, runs a task only when a worker is free', async () => {
    const strategy = strategyWith({ maxWorkers: 1, maxQueue: 0 });
    await expect(runTaskWithTimeout(inlineAdd, [1, 1], { strategy })).resolves.toBe(2);
    const { buffer, view } = sharedMemory();
    const holding = runTaskWithTimeout(hold, [buffer], { strategy });
    await waitUntilChanged(view, slot.started);
    expect(
      isTaskQueueFullError(await rejectionOf(runTaskWithTimeout(inlineAdd, [1, 1], { strategy }))),
    ).toBe(true);
    release(view, slot.release);
    await expect(holding).resolves.toBe('released');
  });

  it('takes a queued task out of the queue when its signal aborts; it never runs', async () => {
    const strategy = strategyWith({ maxWorkers: 1 });
    const { buffer, view } = sharedMemory();
    const holding = runTaskWithTimeout(hold, [buffer], { strategy });
    await waitUntilChanged(view, slot.started);
    const marker = sharedMemory();
    const controller = new AbortController();
    const queued = rejectionOf(
      runTaskWithTimeout(markRan, [marker.buffer], { strategy, signal: controller.signal }),
    );
    const reason = new Error('changed my mind');
    controller.abort(reason);
    const error = await queued;
    expect(isTaskAbortedError(error)).toBe(true);
    expect(error).toMatchObject({ phase: 'queued', cause: reason });
    release(view, slot.release);
    await expect(holding).resolves.toBe('released');
    await expect(runTaskWithTimeout(inlineAdd, [1, 1], { strategy })).resolves.toBe(2);
    expect(Atomics.load(marker.view, slot.counter)).toBe(0);
  });

  it('close() rejects queued tasks, stops running ones, ends every thread and refuses new tasks', async () => {
    const before = workerCount();
    const strategy = workerStrategy({ maxWorkers: 1, spareWorkers: 2 });
    const { buffer, view } = sharedMemory();
    const spin = fixtureTask<[SharedArrayBuffer], never>('spinCounting', 30_000);
    const running = rejectionOf(runTaskWithTimeout(spin, [buffer], { strategy }));
    await waitUntilChanged(view, slot.started);
    const queued = rejectionOf(runTaskWithTimeout(inlineAdd, [1, 2], { strategy }));
    await strategy.close();
    const queuedError = await queued;
    expect(isStrategyClosedError(queuedError)).toBe(true);
    expect(queuedError).toMatchObject({
      phase: 'queued',
      taskName: 'inline add',
      strategy: 'worker',
    });
    expect((queuedError as Error).message).toContain('closed while the task waited in the queue');
    const runningError = await running;
    expect(isStrategyClosedError(runningError)).toBe(true);
    expect(runningError).toMatchObject({ phase: 'running' });
    expect(workerCount()).toBe(before);
    const late = await rejectionOf(runTaskWithTimeout(inlineAdd, [1, 2], { strategy }));
    expect(isStrategyClosedError(late)).toBe(true);
    expect(late).toMatchObject({ phase: 'after-close' });
    await expect(strategy.close()).resolves.toBeUndefined();
  });

  it('ends idle threads after idleTimeout, spares included, and still runs tasks afterwards', async () => {
    const before = workerCount();
    const strategy = strategyWith({ maxWorkers: 1, spareWorkers: 1, idleTimeout: 100 });
    await expect(runTaskWithTimeout(inlineAdd, [1, 2], { strategy })).resolves.toBe(3);
    await vi.waitFor(() => expect(workerCount()).toBe(before), { timeout: 10_000, interval: 20 });
    await expect(runTaskWithTimeout(inlineAdd, [2, 2], { strategy })).resolves.toBe(4);
  });

  it('keeps the host process alive while a task runs, never when idle, even without close()', async () => {
    const script = fileURLToPath(new URL('./test-fixtures/idle-pool.mjs', import.meta.url));
    const { stdout } = await run(process.execPath, [script], { timeout: 20_000 });
    expect(JSON.parse(stdout)).toEqual({
      waited: 'waited',
      withoutLimit: 'no limit',
      sum: 5,
      timedOut: 'TaskTimeoutError',
    });
  }, 30_000);

  it('still says it supports tasks after close(): the run itself says it was closed', async () => {
    const strategy = workerStrategy({ maxWorkers: 1 });
    await strategy.close();
    expect(strategy.supports(inlineAdd)).toEqual({ supported: true });
    const error = await rejectionOf(runTaskWithTimeout(inlineAdd, [1, 2], { strategy }));
    expect(isStrategyClosedError(error)).toBe(true);
  });

  it('reports queued, running, outcomes, kills and wait and run times in stats()', async () => {
    const strategy = workerStrategy({ maxWorkers: 1, spareWorkers: 0 });
    try {
      const { buffer, view } = sharedMemory();
      const holding = runTaskWithTimeout(hold, [buffer], { strategy });
      await waitUntilChanged(view, slot.started);
      const waiting = runTaskWithTimeout(inlineAdd, [1, 1], { strategy });
      expect(strategy.stats()).toMatchObject({ queued: 1, running: 1, spareRunners: 0 });
      release(view, slot.release);
      await holding;
      await waiting;
      const spin = fixtureTask<[SharedArrayBuffer], never>('spinCounting', 50);
      await rejectionOf(runTaskWithTimeout(spin, [sharedMemory().buffer], { strategy }));
      const stats = strategy.stats();
      expect(stats).toMatchObject({ queued: 0, running: 0, completed: 2, timedOut: 1, kills: 1 });
      expect(stats.waitTime.max).toBeGreaterThan(0);
      expect(stats.runTime.max).toBeGreaterThanOrEqual(50);
    } finally {
      await strategy.close();
    }
  });

  it("logs an error a finished task left behind to the strategy's logger, naming that task, and blames no later task", async () => {
    const { logger, waitFor } = recordingLogger();
    const strategy = strategyWith({ maxWorkers: 1, logger });
    const leaves = fixtureTask<[number], string>('settleThenThrowLater');
    await expect(runTaskWithTimeout(leaves, [50], { strategy })).resolves.toBe('settled');
    const line = await waitFor((entry) => entry.level === 'warn');
    expect(line.message).toContain("task 'fixture settleThenThrowLater' left a callback behind");
    expect(line.message).not.toContain('(none)');
    await expect(runTaskWithTimeout(inlineAdd, [2, 3], { strategy })).resolves.toBe(5);
  });
});
