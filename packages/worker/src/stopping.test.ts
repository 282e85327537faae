import {
  defineTask,
  isTaskAbortedError,
  isTaskTimeoutError,
  runTaskWithTimeout,
} from '@timebox/core';
import { describe, expect, it } from 'vitest';
import {
  fixtureTask,
  recordingLogger,
  rejectionOf,
  sharedMemory,
  slot,
  strategiesClosedAfterAll,
  threadGone,
  waitUntilChanged,
} from './test-helpers.js';

/** Inline functions reach their signal as this free identifier (see the README). */
declare function taskSignal(): AbortSignal;

/** Resolves 'stopped' if `view[index]` stays at its current value for `milliseconds`. */
async function staysStill(view: Int32Array, index: number, milliseconds: number) {
  const value = Atomics.load(view, index);
  const waited = Atomics.waitAsync(view, index, value, milliseconds);
  const outcome = waited.async ? await waited.value : waited.value;
  return outcome === 'timed-out' && Atomics.load(view, index) === value ? 'stopped' : 'changing';
}

describe('workerStrategy stopping tasks', () => {
  const strategyWith = strategiesClosedAfterAll();

  it('rejects a spinning task at its deadline and its thread really stops', async () => {
    const strategy = strategyWith({ maxWorkers: 1 });
    const { logger, waitFor } = recordingLogger();
    const { buffer, view } = sharedMemory();
    const task = fixtureTask<[SharedArrayBuffer], never>('spinCounting', 100);
    await runTaskWithTimeout(fixtureTask('add'), [1, 2], { strategy }); // module loaded, thread warm
    const started = performance.now();
    const error = await rejectionOf(runTaskWithTimeout(task, [buffer], { strategy, logger }));
    const waited = performance.now() - started;
    if (!isTaskTimeoutError(error)) throw error;
    expect(error).toMatchObject({ strategy: 'worker', enforcement: 'hard', stillRunning: true });
    await error.stopped;
    expect(error).toMatchObject({
      strategy: 'worker',
      enforcement: 'hard',
      stillRunning: false,
      timeout: 100,
    });
    expect(waited).toBeGreaterThanOrEqual(99);
    expect(Atomics.load(view, slot.started)).toBe(1);
    const gone = await waitFor(threadGone);
    expect(gone.fields).toMatchObject({ cause: 'timeout', ending: 'stuck' });
    await expect(staysStill(view, slot.counter, 100)).resolves.toBe('stopped');
  });

  it('rejects at the deadline, not after the grace period a cooperative task gets', async () => {
    const strategy = strategyWith({ maxWorkers: 1, graceMs: 1_500 });
    const { logger, waitFor } = recordingLogger();
    const { buffer, view } = sharedMemory();
    const task = fixtureTask<[SharedArrayBuffer], never>('ignoreAbortButYield', 100);
    const error = await rejectionOf(runTaskWithTimeout(task, [buffer], { strategy, logger }));
    expect(isTaskTimeoutError(error)).toBe(true);
    expect((error as { elapsed: number }).elapsed).toBeLessThan(1_000);
    await expect(staysStill(view, slot.counter, 50)).resolves.toBe('changing');
    const gone = await waitFor(threadGone);
    expect(gone.fields).toMatchObject({ cause: 'timeout', ending: 'grace-expired' });
    expect(gone.fields?.goneAfterAbort).toBeGreaterThanOrEqual(1_400);
    await expect(staysStill(view, slot.counter, 50)).resolves.toBe('stopped');
  });

  it("aborts the task's signal and ends its thread as soon as the task stops on its own", async () => {
    const strategy = strategyWith({ maxWorkers: 1, graceMs: 5_000 });
    const { logger, waitFor } = recordingLogger();
    const { buffer, view } = sharedMemory();
    const task = fixtureTask<[SharedArrayBuffer], string>('stopWhenAborted', 100);
    const error = await rejectionOf(runTaskWithTimeout(task, [buffer], { strategy, logger }));
    expect(isTaskTimeoutError(error)).toBe(true);
    await waitUntilChanged(view, slot.abortReason);
    expect(Atomics.load(view, slot.abortReason)).toBe(1);
    const gone = await waitFor(threadGone);
    expect(gone.fields).toMatchObject({ ending: 'settled' });
    expect(gone.fields?.goneAfterAbort).toBeLessThan(4_000);
  });

  it('terminates a thread that went into synchronous code after its start when the grace ends', async () => {
    const strategy = strategyWith({ maxWorkers: 1, graceMs: 300 });
    const { logger, waitFor } = recordingLogger();
    const { buffer, view } = sharedMemory();
    const task = fixtureTask<[SharedArrayBuffer, number], never>('yieldThenSpin', 200);
    const error = await rejectionOf(runTaskWithTimeout(task, [buffer, 100], { strategy, logger }));
    expect(isTaskTimeoutError(error)).toBe(true);
    expect((error as { elapsed: number }).elapsed).toBeLessThan(290);
    const gone = await waitFor(threadGone);
    // 'grace-expired' when a busy machine let the abort in before the loop began
    expect(['unanswered', 'grace-expired']).toContain(gone.fields?.ending);
    expect(gone.fields?.goneAfterAbort).toBeGreaterThanOrEqual(290);
    await expect(staysStill(view, slot.counter, 50)).resolves.toBe('stopped');
  });

  it('terminates at once with graceMs: 0', async () => {
    const strategy = strategyWith({ maxWorkers: 1, graceMs: 0 });
    const { logger, waitFor } = recordingLogger();
    const { buffer } = sharedMemory();
    const task = fixtureTask<[SharedArrayBuffer], never>('ignoreAbortButYield', 50);
    await rejectionOf(runTaskWithTimeout(task, [buffer], { strategy, logger }));
    const gone = await waitFor(threadGone);
    expect(gone.fields).toMatchObject({ ending: 'no-grace' });
  });

  it('runs the next task on a warm spare after a kill, with maxWorkers: 1', async () => {
    const strategy = strategyWith({ maxWorkers: 1, spareWorkers: 1 });
    const whereAmI = fixtureTask<[], { threadId: number; threadStartedAt: number }>('whereAmI');
    const first = await runTaskWithTimeout(whereAmI, [], { strategy });
    const { buffer } = sharedMemory();
    const spin = fixtureTask<[SharedArrayBuffer], never>('spinCounting', 50);
    await rejectionOf(runTaskWithTimeout(spin, [buffer], { strategy }));
    const killedAt = performance.timeOrigin + performance.now();
    const next = await runTaskWithTimeout(whereAmI, [], { strategy });
    expect(next.threadId).not.toBe(first.threadId);
    expect(next.threadStartedAt).toBeLessThan(killedAt);
  });

  it('rejects a running task when the caller aborts, with the reason as cause, and stops it', async () => {
    const strategy = strategyWith({ maxWorkers: 1 });
    const { logger, waitFor } = recordingLogger();
    const { buffer, view } = sharedMemory();
    const controller = new AbortController();
    const task = fixtureTask<[SharedArrayBuffer], never>('spinCounting', 10_000);
    const running = rejectionOf(
      runTaskWithTimeout(task, [buffer], { strategy, logger, signal: controller.signal }),
    );
    await waitUntilChanged(view, slot.started);
    const reason = new Error('no longer needed');
    const abortedAt = performance.now();
    controller.abort(reason);
    const error = await running;
    expect(performance.now() - abortedAt).toBeLessThan(1_000);
    expect(isTaskAbortedError(error)).toBe(true);
    expect(error).toMatchObject({ phase: 'running', cause: reason });
    const gone = await waitFor(threadGone);
    expect(gone.fields).toMatchObject({ cause: 'caller' });
    await expect(staysStill(view, slot.counter, 100)).resolves.toBe('stopped');
  });

  it("aborts an inline function's taskSignal() at the deadline", async () => {
    const strategy = strategyWith({ maxWorkers: 1 });
    const { buffer, view } = sharedMemory();
    const task = defineTask({
      name: 'inline cooperative',
      timeout: 200,
      run: (shared: SharedArrayBuffer) => {
        const signal = taskSignal();
        const memory = new Int32Array(shared);
        return new Promise((resolve) => {
          signal.addEventListener('abort', () => {
            Atomics.store(memory, 2, signal.reason?.name === 'TaskTimeoutError' ? 1 : 3);
            Atomics.notify(memory, 2);
            resolve('stopped');
          });
        });
      },
    });
    const error = await rejectionOf(runTaskWithTimeout(task, [buffer], { strategy }));
    expect(isTaskTimeoutError(error)).toBe(true);
    await waitUntilChanged(view, slot.abortReason);
    expect(Atomics.load(view, slot.abortReason)).toBe(1);
  });

  it("passes the caller's abort reason to the task's taskSignal() as the cause", async () => {
    const strategy = strategyWith({ maxWorkers: 1, graceMs: 5_000 });
    const { buffer, view } = sharedMemory();
    const controller = new AbortController();
    const task = defineTask({
      name: 'inline reads abort cause',
      timeout: 10_000,
      run: (shared: SharedArrayBuffer) => {
        const signal = taskSignal();
        const memory = new Int32Array(shared);
        Atomics.store(memory, 0, 1);
        Atomics.notify(memory, 0);
        return new Promise((resolve) => {
          signal.addEventListener('abort', () => {
            const cause = signal.reason?.cause;
            Atomics.store(memory, 2, cause?.message === 'no longer needed' ? 1 : 3);
            Atomics.notify(memory, 2);
            resolve('stopped');
          });
        });
      },
    });
    const running = rejectionOf(
      runTaskWithTimeout(task, [buffer], { strategy, signal: controller.signal }),
    );
    await waitUntilChanged(view, slot.started);
    controller.abort(new Error('no longer needed'));
    expect(isTaskAbortedError(await running)).toBe(true);
    await waitUntilChanged(view, slot.abortReason);
    expect(Atomics.load(view, slot.abortReason)).toBe(1);
  });

  it('reports in TaskTimeoutError.stopped that a spinning thread was confirmed gone and had to be forced', async () => {
    const strategy = strategyWith({ maxWorkers: 1 });
    const { buffer } = sharedMemory();
    const task = fixtureTask<[SharedArrayBuffer], never>('spinCounting', 100);
    const error = (await rejectionOf(runTaskWithTimeout(task, [buffer], { strategy }))) as {
      stopped: Promise<unknown>;
    };
    expect(isTaskTimeoutError(error)).toBe(true);
    await expect(error.stopped).resolves.toMatchObject({ confirmed: true, forced: true });
    expect(error).toMatchObject({ stillRunning: false, forced: true });
  });

  it('reports a stop that was not forced when the task stopped on its own in its grace period', async () => {
    const strategy = strategyWith({ maxWorkers: 1, graceMs: 5_000 });
    const { buffer } = sharedMemory();
    const task = fixtureTask<[SharedArrayBuffer], string>('stopWhenAborted', 100);
    const error = (await rejectionOf(runTaskWithTimeout(task, [buffer], { strategy }))) as {
      stopped: Promise<{ afterMs: number }>;
    };
    const report = await error.stopped;
    expect(report).toMatchObject({ confirmed: true, forced: false });
    expect(report.afterMs).toBeLessThan(4_000);
    expect(error).toMatchObject({ forced: false });
  });
});
