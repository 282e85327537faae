import {
  defineTask,
  isStrategyClosedError,
  isTaskAbortedError,
  isTaskTimeoutError,
  type Logger,
  runTaskWithTimeout,
  silentLogger,
  type Task,
  taskSignal,
} from '@timebox/core';
import { strategyConformanceSuite } from '@timebox/core/testing';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { threadStrategy } from './thread-strategy.js';

strategyConformanceSuite('thread', () => threadStrategy(), {
  enforcement: 'soft',
  inlineFunctions: true,
  callerReasonInTask: true,
  closedRejectsRuns: true,
  elapsedAtLeastLimit: true,
});

function recordingLogger() {
  const lines: Array<{ level: string; message: string }> = [];
  const record =
    (level: string) =>
    (message: string): void => {
      lines.push({ level, message });
    };
  const logger: Logger = {
    debug: record('debug'),
    info: record('info'),
    warn: record('warn'),
    error: record('error'),
  };
  return { logger, lines };
}

describe('threadStrategy', () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  it('runs closures, which hard strategies cannot ship', async () => {
    const captured = { count: 41 };
    const task = defineTask({ name: 'closure', timeout: 1_000, run: () => captured.count + 1 });
    await expect(runTaskWithTimeout(task, [], { strategy: threadStrategy() })).resolves.toBe(42);
  });

  it('rejects on time while the task runs on, then reports the overrun and the late finish', async () => {
    vi.useFakeTimers();
    const { logger, lines } = recordingLogger();
    let finishTask: (value: string) => void = () => {};
    const task = defineTask({
      name: 'slow report',
      timeout: 100,
      run: () =>
        new Promise<string>((resolve) => {
          finishTask = resolve;
        }),
    });
    const strategy = threadStrategy({ overrunWarningAfter: 1_000 });
    const running = runTaskWithTimeout(task, [], { strategy, logger }).catch((e: unknown) => e);
    await vi.advanceTimersByTimeAsync(100);
    const error = await running;
    expect(isTaskTimeoutError(error)).toBe(true);
    expect(error).toMatchObject({ stillRunning: true, enforcement: 'soft', strategy: 'thread' });
    expect(lines).toContainEqual({
      level: 'warn',
      message:
        "task 'slow report' timed out after 100 ms; the soft strategy cannot stop it, it may still be running",
    });
    await vi.advanceTimersByTimeAsync(1_000);
    expect(
      lines.some(
        (line) => line.level === 'warn' && line.message.includes('still running 1000 ms after'),
      ),
    ).toBe(true);
    finishTask('done');
    await vi.advanceTimersByTimeAsync(0);
    expect(lines.at(-1)?.message).toMatch(/^task 'slow report' finally finished after \d+ ms/);
  });

  it('logs a debug line naming the task, strategy, enforcement and timeout when a task starts', async () => {
    const { logger, lines } = recordingLogger();
    const task = defineTask({ name: 'named', timeout: 250, run: () => 1 });
    await runTaskWithTimeout(task, [], { strategy: threadStrategy(), logger });
    expect(lines[0]).toEqual({
      level: 'debug',
      message: "task 'named' starting under the thread strategy (soft, timeout 250 ms)",
    });
  });

  it('honours a timeout beyond 2^31-1 ms: a 30-day task times out after 30 days, not before', async () => {
    vi.useFakeTimers();
    const thirtyDays = 30 * 24 * 60 * 60 * 1_000;
    const task = defineTask({
      name: 'month',
      timeout: thirtyDays,
      run: () => new Promise(() => {}),
    });
    let outcome: unknown;
    runTaskWithTimeout(task, [], { strategy: threadStrategy() }).catch((e: unknown) => {
      outcome = e;
    });
    await vi.advanceTimersByTimeAsync(thirtyDays - 1);
    expect(outcome).toBeUndefined();
    await vi.advanceTimersByTimeAsync(1);
    expect(isTaskTimeoutError(outcome)).toBe(true);
  });

  it('gives taskSignal() before the first await, and refuses it after without async context', async () => {
    const task = defineTask({
      name: 'late signal',
      timeout: 1_000,
      run: async () => {
        const early = taskSignal();
        await Promise.resolve();
        let late: unknown;
        try {
          taskSignal();
        } catch (error) {
          late = error;
        }
        return { early: early instanceof AbortSignal, late: (late as Error).message };
      },
    });
    const result = await runTaskWithTimeout(task, [], { strategy: threadStrategy() });
    expect(result.early).toBe(true);
    expect(result.late).toContain('asyncContext: true');
  });

  it('gives taskSignal() after an await with asyncContext: true, aborted at the deadline', async () => {
    const seen: AbortSignal[] = [];
    const task = defineTask({
      name: 'async signal',
      timeout: 50,
      run: async () => {
        await new Promise((resolve) => setTimeout(resolve, 1));
        const signal = taskSignal();
        seen.push(signal);
        await new Promise((resolve) => signal.addEventListener('abort', resolve));
      },
    });
    const strategy = threadStrategy({ asyncContext: true });
    const error = await runTaskWithTimeout(task, [], { strategy }).catch((e: unknown) => e);
    expect(isTaskTimeoutError(error)).toBe(true);
    expect(seen[0]?.aborted).toBe(true);
    expect(seen[0]?.reason).toBe(error);
  });

  it('keeps concurrent tasks apart: each taskSignal() belongs to its own task', async () => {
    const task = defineTask({
      name: 'own signal',
      timeout: 1_000,
      run: async (index: number) => {
        const signal = taskSignal();
        await new Promise((resolve) => setTimeout(resolve, index % 3));
        return { index, aborted: signal.aborted, signal };
      },
    });
    const strategy = threadStrategy();
    const results = await Promise.all(
      Array.from({ length: 20 }, (_, index) => runTaskWithTimeout(task, [index], { strategy })),
    );
    expect(new Set(results.map((result) => result.signal)).size).toBe(20);
  });

  it('rejects bad options with errors that name them', () => {
    expect(() => threadStrategy({ overrunWarningAfter: -1 })).toThrow(RangeError);
    expect(() => threadStrategy({ overrunWarningAfter: Number.NaN })).toThrow(
      /overrunWarningAfter must be a number of milliseconds, got NaN/,
    );
    expect(() => threadStrategy({ asyncContext: 'yes' as unknown as boolean })).toThrow(
      /asyncContext must be true or false, got "yes"/,
    );
    expect(() => threadStrategy(5 as unknown as object)).toThrow(TypeError);
  });

  it('resolves a synchronous task that returns before its deadline', async () => {
    const task = defineTask({ name: 'sync', timeout: 1_000, run: (value: number) => value * 2 });
    await expect(runTaskWithTimeout(task, [21], { strategy: threadStrategy() })).resolves.toBe(42);
  });
});

describe('threadStrategy with a module task', () => {
  it('rejects with TaskAbortedError when the caller aborts while the module is imported', async () => {
    const task = defineTask<[number, number], number>({
      name: 'aborted while importing',
      timeout: 1_000,
      run: { module: new URL('./test-fixtures/add.mjs', import.meta.url) },
    });
    const controller = new AbortController();
    const strategy = threadStrategy();
    const running = strategy.run(task, [2, 3], {
      timeout: 1_000,
      signal: controller.signal,
      logger: silentLogger,
    });
    controller.abort(new Error('changed my mind'));
    const error = await running.catch((e: unknown) => e);
    expect(isTaskAbortedError(error)).toBe(true);
    expect(error).toMatchObject({ phase: 'before-start' });
  });
});

describe('threadStrategy: the deadline wins over a late outcome', () => {
  it('rejects a synchronous task that blocks past its deadline, with a warning naming it', async () => {
    const { logger, lines } = recordingLogger();
    const task = defineTask({
      name: 'blocks the thread',
      timeout: 150,
      run: () => {
        const until = performance.now() + 600;
        while (performance.now() < until) {
          // holds the thread past the deadline
        }
        return 'too late';
      },
    });
    const error = await runTaskWithTimeout(task, [], { strategy: threadStrategy(), logger }).catch(
      (e: unknown) => e,
    );
    expect(isTaskTimeoutError(error)).toBe(true);
    expect(error).toMatchObject({ timeout: 150, strategy: 'thread', enforcement: 'soft' });
    expect((error as { elapsed: number }).elapsed).toBeGreaterThanOrEqual(600);
    expect(lines).toContainEqual(
      expect.objectContaining({
        level: 'warn',
        message: expect.stringMatching(
          /^task 'blocks the thread' returned after \d+ ms, past its 150 ms deadline: it blocked the calling thread/,
        ),
      }),
    );
  });

  it('rejects with TaskTimeoutError, not the task error, when the task fails after its deadline', async () => {
    const task = defineTask({
      name: 'fails late',
      timeout: 50,
      run: () => {
        const until = performance.now() + 200;
        while (performance.now() < until) {
          // holds the thread past the deadline
        }
        throw new Error('late failure');
      },
    });
    const error = await runTaskWithTimeout(task, [], { strategy: threadStrategy() }).catch(
      (e: unknown) => e,
    );
    expect(isTaskTimeoutError(error)).toBe(true);
  });
});

describe('threadStrategy: close()', () => {
  it('rejects a running task with StrategyClosedError, aborts its signal, and refuses later runs', async () => {
    const strategy = threadStrategy();
    let signal: AbortSignal | undefined;
    const task = defineTask({
      name: 'runs at close',
      timeout: 10_000,
      run: () => {
        signal = taskSignal();
        return new Promise<never>(() => {});
      },
    });
    const running = runTaskWithTimeout(task, [], { strategy }).catch((e: unknown) => e);
    await strategy.close();
    const error = await running;
    expect(isStrategyClosedError(error)).toBe(true);
    expect(error).toMatchObject({
      taskName: 'runs at close',
      strategy: 'thread',
      phase: 'running',
    });
    expect(signal?.aborted).toBe(true);
    expect(signal?.reason).toBe(error);
    const later = await runTaskWithTimeout(task, [], { strategy }).catch((e: unknown) => e);
    expect(isStrategyClosedError(later)).toBe(true);
    expect(later).toMatchObject({ phase: 'after-close' });
  });
});

describe('threadStrategy: nested tasks inherit the outer deadline', () => {
  const strategies: Array<{ close(): Promise<void> }> = [];
  afterEach(async () => {
    await Promise.all(strategies.splice(0).map((strategy) => strategy.close()));
  });

  function nestedTasks(startInner: (inner: Task<[], never>) => Promise<unknown>) {
    let innerSignal: AbortSignal | undefined;
    const innerTask = defineTask({
      name: 'inner',
      timeout: 60_000,
      run: () => {
        innerSignal = taskSignal();
        return new Promise<never>(() => {});
      },
    });
    const outerTask = defineTask({
      name: 'outer',
      timeout: 300,
      run: () => startInner(innerTask),
    });
    return { outerTask, innerSignal: () => innerSignal };
  }

  /** An outer task that starts the inner one in its synchronous part, then never settles. */
  function innerStartedBeforeAwait() {
    const strategy = threadStrategy();
    strategies.push(strategy);
    let inner: Promise<unknown> | undefined;
    const tasks = nestedTasks((innerTask) => {
      inner = runTaskWithTimeout(innerTask, [], { strategy }).catch((e: unknown) => e);
      return new Promise<never>(() => {});
    });
    return { strategy, ...tasks, innerOutcome: () => inner };
  }

  it('caps the inner limit, started before the first await, by the outer one', async () => {
    const { strategy, outerTask, innerSignal, innerOutcome } = innerStartedBeforeAwait();
    const started = performance.now();
    const outerError = await runTaskWithTimeout(outerTask, [], { strategy }).catch(
      (e: unknown) => e,
    );
    expect(isTaskTimeoutError(outerError)).toBe(true);
    const innerError = await innerOutcome();
    expect(performance.now() - started).toBeLessThan(5_000);
    expect(isTaskTimeoutError(innerError) || isTaskAbortedError(innerError)).toBe(true);
    if (isTaskTimeoutError(innerError)) expect(innerError.timeout).toBeLessThanOrEqual(300);
    expect(innerSignal()?.aborted).toBe(true);
  });

  it('caps an inner task started after an await, with asyncContext: true', async () => {
    const strategy = threadStrategy({ asyncContext: true });
    strategies.push(strategy);
    const { outerTask, innerSignal } = nestedTasks(async (innerTask) => {
      await new Promise((resolve) => setTimeout(resolve, 20));
      return runTaskWithTimeout(innerTask, [], { strategy });
    });
    const started = performance.now();
    const outerError = await runTaskWithTimeout(outerTask, [], { strategy }).catch(
      (e: unknown) => e,
    );
    expect(isTaskTimeoutError(outerError)).toBe(true);
    await vi.waitFor(() => expect(innerSignal()?.aborted).toBe(true), { timeout: 5_000 });
    expect(performance.now() - started).toBeLessThan(5_000);
  });

  it('aborts the inner task when the caller aborts the outer one', async () => {
    const { strategy, outerTask, innerSignal, innerOutcome } = innerStartedBeforeAwait();
    const controller = new AbortController();
    const outer = runTaskWithTimeout(outerTask, [], {
      strategy,
      signal: controller.signal,
      timeout: 60_000,
    }).catch((e: unknown) => e);
    const reason = new Error('stop everything');
    controller.abort(reason);
    expect(isTaskAbortedError(await outer)).toBe(true);
    const innerError = await innerOutcome();
    expect(isTaskAbortedError(innerError)).toBe(true);
    expect((innerError as Error).cause).toMatchObject({ name: 'TaskAbortedError', cause: reason });
    expect(innerSignal()?.aborted).toBe(true);
  });
});
