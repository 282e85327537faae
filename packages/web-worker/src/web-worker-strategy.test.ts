import {
  defineTask,
  isStrategyClosedError,
  isTaskAbortedError,
  isTaskSerializationError,
  isTaskTimeoutError,
  runTaskWithTimeout,
  type TaskTimeoutError,
} from '@timebox/core';
import { afterEach, describe, expect, it } from 'vitest';
import {
  closeStrategies,
  nextMessage,
  openStrategy,
  rejectionOf,
  tasksModuleUrl,
  uniqueChannel,
} from './test-support.js';

/** Inline tasks get `taskSignal` as a free identifier inside the worker. */
declare const taskSignal: () => AbortSignal;

afterEach(closeStrategies);

describe('webWorkerStrategy in Chromium', () => {
  it('runs a self-contained function and returns its result', async () => {
    const strategy = openStrategy();
    const task = defineTask({
      name: 'multiply',
      timeout: 5_000,
      run: (left: number, right: number) => ({ product: left * right, inWorker: typeof document }),
    });
    await expect(runTaskWithTimeout(task, [6, 7], { strategy })).resolves.toEqual({
      product: 42,
      inWorker: 'undefined',
    });
  });

  it('gives the task its deadline inside the worker, so tasks it runs there are capped by it', async () => {
    const strategy = openStrategy();
    // The registry every copy of @timebox/core reads; a nested runTaskWithTimeout caps its
    // limit with `current.remaining()`.
    const remainingInside = defineTask({
      name: 'remaining inside',
      timeout: 60_000,
      run: () =>
        (globalThis as unknown as Record<symbol, { current?: { remaining(): number } }>)[
          Symbol.for('timebox.taskContext.v1')
        ]?.current?.remaining() ?? -1,
    });
    const remaining = await runTaskWithTimeout(remainingInside, [], { strategy, timeout: 2_000 });
    expect(remaining).toBeGreaterThan(0);
    expect(remaining).toBeLessThanOrEqual(2_000);
  });

  it('blames no other task for a timer a settled task left behind: a warning names it, the running task completes, the worker is retired', async () => {
    const warnings: Array<{ message: string; fields: unknown }> = [];
    const heard = uniqueChannel('stray heard');
    const announce = new BroadcastChannel(heard);
    const strategy = openStrategy({
      maxWorkers: 1,
      spareWorkers: 0,
      logger: {
        debug() {},
        info() {},
        warn(message: string, fields?: unknown) {
          warnings.push({ message, fields });
          if (message.includes('left a callback behind')) announce.postMessage('heard');
        },
        error() {},
      },
    });
    const leavesATimer = defineTask({
      name: 'leaves a timer',
      timeout: 10_000,
      run: () => {
        setTimeout(() => {
          throw new Error('thrown by a timer of a task that has settled');
        }, 20);
        return 'settled';
      },
    });
    // Ends only once the host has heard of the stray error, so it is running when it lands.
    const innocent = defineTask({
      name: 'innocent',
      timeout: 30_000,
      run: (channelName: string) =>
        new Promise((resolve) => {
          const channel = new BroadcastChannel(channelName);
          channel.onmessage = () => {
            channel.close();
            resolve('innocent result');
          };
        }),
    });
    try {
      await expect(runTaskWithTimeout(leavesATimer, [], { strategy })).resolves.toBe('settled');
      await expect(runTaskWithTimeout(innocent, [heard], { strategy })).resolves.toBe(
        'innocent result',
      );
      const warning = warnings.find(({ message }) => message.includes('left a callback behind'));
      expect(warning?.message).toContain("task 'leaves a timer' left a callback behind that threw");
      expect(warning?.message).toContain('thrown by a timer of a task that has settled');
      expect(strategy.stats().completed).toBe(2);
    } finally {
      announce.close();
    }
  });

  it('runs module tasks by URL, named and default exports', async () => {
    const strategy = openStrategy();
    const add = defineTask<[number, number], number>({
      name: 'add',
      timeout: 5_000,
      run: { module: tasksModuleUrl, export: 'add' },
    });
    const double = defineTask<[number], number>({
      name: 'double',
      timeout: 5_000,
      run: { module: tasksModuleUrl.href },
    });
    await expect(runTaskWithTimeout(add, [2, 3], { strategy })).resolves.toBe(5);
    await expect(runTaskWithTimeout(double, [21], { strategy })).resolves.toBe(42);
  });

  it('runs a module task from a blob: URL', async () => {
    const strategy = openStrategy();
    const source = "export default (name) => 'hello ' + name;";
    const url = URL.createObjectURL(new Blob([source], { type: 'text/javascript' }));
    try {
      const task = defineTask<[string], string>({
        name: 'greet',
        timeout: 5_000,
        run: { module: url },
      });
      await expect(runTaskWithTimeout(task, ['web'], { strategy })).resolves.toBe('hello web');
    } finally {
      URL.revokeObjectURL(url);
    }
  });

  it("rebuilds the task's error with class name, message, stack, cause and fields", async () => {
    const strategy = openStrategy();
    const task = defineTask({
      name: 'fails',
      timeout: 5_000,
      run: { module: tasksModuleUrl, export: 'failsWithDetails' },
    });
    const error = (await rejectionOf(runTaskWithTimeout(task, [], { strategy }))) as RangeError &
      Record<string, unknown>;
    expect(error).toBeInstanceOf(RangeError);
    expect(error.constructor.name).toBe('QuotaError');
    expect(error.message).toBe('over quota');
    expect(error.stack).toContain('failsWithDetails');
    expect((error.cause as Error).message).toBe('disk full');
    expect(error).toMatchObject({ code: 'E_QUOTA', limit: 10 });
  });

  it('rejects a runaway while (true) {} at its 100 ms limit with a hard TaskTimeoutError that says Chromium may run it on', async () => {
    const strategy = openStrategy();
    const task = defineTask({
      name: 'runaway',
      timeout: 100,
      run: () => {
        for (;;) {}
      },
    });
    const error = await rejectionOf(runTaskWithTimeout(task, [], { strategy }));
    expect(isTaskTimeoutError(error)).toBe(true);
    expect(error).toMatchObject({
      taskName: 'runaway',
      timeout: 100,
      strategy: 'web-worker',
      enforcement: 'hard',
      stillRunning: true,
    });
    expect((error as { elapsed: number }).elapsed).toBeGreaterThanOrEqual(100);
    expect((error as Error).message).toContain('Chromium stops a worker busy in synchronous code');
  });

  it('reports the killed worker as not confirmed gone, with the reason, and counts the kill in stats()', async () => {
    const strategy = openStrategy({ graceMs: 0 });
    const task = defineTask({
      name: 'runaway',
      timeout: 100,
      run: () => {
        for (;;) {}
      },
    });
    const error = (await rejectionOf(
      runTaskWithTimeout(task, [], { strategy }),
    )) as TaskTimeoutError;
    expect(isTaskTimeoutError(error)).toBe(true);
    const report = await error.stopped;
    expect(report).toMatchObject({ confirmed: false, forced: true });
    expect(report.reason).toContain('Chromium stops a worker busy in synchronous code');
    expect(error.stillRunning).toBe(true);
    expect(strategy.stats()).toMatchObject({ timedOut: 1, kills: 1, unconfirmedRunners: 1 });
  });

  it('serves the next task after a kill from a warm spare started before the kill', async () => {
    const strategy = openStrategy({ maxWorkers: 1, spareWorkers: 1 });
    const workerStartedAt = defineTask({
      name: 'worker start time',
      timeout: 5_000,
      run: () => performance.timeOrigin,
    });
    const first = await runTaskWithTimeout(workerStartedAt, [], { strategy });
    const channel = uniqueChannel('spin');
    const started = nextMessage(channel);
    const runaway = defineTask({
      name: 'runaway',
      timeout: 100,
      run: { module: tasksModuleUrl, export: 'spin' },
    });
    const killed = rejectionOf(runTaskWithTimeout(runaway, [channel], { strategy }));
    await started;
    expect(isTaskTimeoutError(await killed)).toBe(true);
    const killedAt = performance.timeOrigin + performance.now();
    const next = await runTaskWithTimeout(workerStartedAt, [], { strategy });
    expect(next).not.toBe(first);
    expect(next).toBeLessThan(killedAt);
  });

  it("aborts the task's signal at the deadline with a TaskTimeoutError", async () => {
    const strategy = openStrategy({ graceMs: 2_000 });
    const channel = uniqueChannel('signal');
    const seen = nextMessage(channel);
    const task = defineTask({
      name: 'cooperative',
      timeout: 100,
      run: (channelName: string) =>
        new Promise((_resolve, reject) => {
          const signal = taskSignal();
          signal.addEventListener('abort', () => {
            new BroadcastChannel(channelName).postMessage({
              name: (signal.reason as Error).name,
              timeout: (signal.reason as { timeout: number }).timeout,
            });
            reject(signal.reason);
          });
        }),
    });
    const error = await rejectionOf(runTaskWithTimeout(task, [channel], { strategy }));
    expect(isTaskTimeoutError(error)).toBe(true);
    await expect(seen).resolves.toEqual({ name: 'TaskTimeoutError', timeout: 100 });
  });

  it("rejects with TaskAbortedError and stops the task when the caller's signal aborts", async () => {
    const strategy = openStrategy();
    const channel = uniqueChannel('abort');
    const started = nextMessage(channel);
    const task = defineTask({
      name: 'spins until aborted',
      timeout: 60_000,
      run: { module: tasksModuleUrl, export: 'spin' },
    });
    const controller = new AbortController();
    const outcome = rejectionOf(
      runTaskWithTimeout(task, [channel], { strategy, signal: controller.signal }),
    );
    await started;
    controller.abort(new Error('user left'));
    const error = await outcome;
    expect(isTaskAbortedError(error)).toBe(true);
    expect(error).toMatchObject({ taskName: 'spins until aborted', phase: 'running' });
    expect(((error as Error).cause as Error).message).toBe('user left');
  });

  it('close() rejects the running task with StrategyClosedError and refuses new ones', async () => {
    const strategy = openStrategy();
    const channel = uniqueChannel('close');
    const started = nextMessage(channel);
    const task = defineTask({
      name: 'spins at close',
      timeout: 60_000,
      run: { module: tasksModuleUrl, export: 'spin' },
    });
    const outcome = rejectionOf(runTaskWithTimeout(task, [channel], { strategy }));
    await started;
    await strategy.close();
    const error = await outcome;
    expect(isStrategyClosedError(error)).toBe(true);
    expect(error).toMatchObject({ phase: 'running', strategy: 'web-worker' });
    const after = await rejectionOf(runTaskWithTimeout(task, [channel], { strategy }));
    expect(isStrategyClosedError(after)).toBe(true);
    expect(after).toMatchObject({ phase: 'after-close' });
  });

  it('reports an inline function that reads its enclosing scope as a TaskSerializationError', async () => {
    const strategy = openStrategy();
    const factor = 3;
    const task = defineTask({
      name: 'closure',
      timeout: 5_000,
      run: (value: number) => value * factor,
    });
    const error = await rejectionOf(runTaskWithTimeout(task, [2], { strategy }));
    expect(isTaskSerializationError(error)).toBe(true);
    expect((error as Error).message).toContain("reads 'factor' from its enclosing scope");
  });

  it('holds the next task back while a killed worker may still run in Chromium (maxZombieWorkers)', async () => {
    const strategy = openStrategy({
      maxWorkers: 1,
      spareWorkers: 0,
      maxZombieWorkers: 1,
      graceMs: 0,
    });
    const runaway = defineTask({
      name: 'runaway',
      timeout: 100,
      run: () => {
        for (;;) {}
      },
    });
    const quick = defineTask({ name: 'quick', timeout: 5_000, run: () => 'done' });
    expect(
      isTaskTimeoutError(await rejectionOf(runTaskWithTimeout(runaway, [], { strategy }))),
    ).toBe(true);
    const waitingSince = performance.now();
    await expect(runTaskWithTimeout(quick, [], { strategy })).resolves.toBe('done');
    // The killed worker counts for 3 s (Chromium stops it about 2 s after terminate()).
    expect(performance.now() - waitingSince).toBeGreaterThan(2_500);
  });
});
