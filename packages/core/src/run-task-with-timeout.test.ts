import { threadId } from 'node:worker_threads';
import { describe, expect, it, vi } from 'vitest';
import { TaskAbortedError } from './errors/task-aborted-error.js';
import { TaskTimeoutError } from './errors/task-timeout-error.js';
import { isTaskUnsupportedError } from './errors/task-unsupported-error.js';
import { type Logger, silentLogger } from './logger.js';
import { runTaskWithTimeout } from './run-task-with-timeout.js';
import type { StrategyRunOptions, StrategySupport, TimeoutStrategy } from './strategy.js';
import { defineTask } from './task.js';
import { runInTaskContext, TaskContext, taskSignal } from './task-context.js';

function recordingLogger() {
  const lines: Array<{ level: string; message: string; details: unknown[] }> = [];
  const record =
    (level: string) =>
    (message: string, ...details: unknown[]): void => {
      lines.push({ level, message, details });
    };
  const logger: Logger = {
    debug: record('debug'),
    info: record('info'),
    warn: record('warn'),
    error: record('error'),
  };
  return { logger, lines };
}

/** A strategy whose `run` is a spy; by default it calls the task's function itself. */
function fakeStrategy(
  overrides: Partial<Pick<TimeoutStrategy, 'name' | 'enforcement' | 'run'>> & {
    support?: StrategySupport;
  } = {},
) {
  const run = vi.fn(
    overrides.run ??
      (async (task: { run: unknown }, args: unknown[]) =>
        (task.run as (...values: unknown[]) => unknown)(...args)),
  );
  const supports = vi.fn(() => overrides.support ?? { supported: true as const });
  const strategy = {
    name: overrides.name ?? 'fake',
    enforcement: overrides.enforcement ?? 'soft',
    supports,
    run,
    close: async () => {},
  } as unknown as TimeoutStrategy;
  return { strategy, run, supports };
}

/** A strategy that must not be used: every method throws. */
const throwingStrategy: TimeoutStrategy = {
  name: 'throwing',
  enforcement: 'hard',
  supports: () => {
    throw new Error('supports() must not be called');
  },
  run: () => {
    throw new Error('run() must not be called');
  },
  close: async () => {},
};

function timeoutError(enforcement: 'soft' | 'hard', strategy: string): TaskTimeoutError {
  return new TaskTimeoutError({
    taskName: 'slow',
    timeout: 100,
    elapsed: 100.4,
    strategy,
    enforcement,
  });
}

describe('runTaskWithTimeout', () => {
  describe('a task without a limit', () => {
    it('runs directly on the calling thread, even with a strategy whose methods would throw', async () => {
      const { logger, lines } = recordingLogger();
      const task = defineTask({
        name: 'unlimited',
        run: (value: number) => ({ doubled: value * 2, threadId, signal: taskSignal() }),
      });
      const result = await runTaskWithTimeout(task, [21], { strategy: throwingStrategy, logger });
      expect(result.doubled).toBe(42);
      expect(result.threadId).toBe(threadId);
      expect(result.signal.aborted).toBe(false);
      expect(lines).toEqual([
        {
          level: 'debug',
          message: "task 'unlimited' has no time limit; running it directly",
          details: [{ task: 'unlimited' }],
        },
      ]);
    });

    it('runs directly when options.timeout is Infinity, though the task has a limit', async () => {
      const task = defineTask({ name: 'overridden', timeout: 10, run: async () => 'direct' });
      await expect(
        runTaskWithTimeout(task, [], { strategy: throwingStrategy, timeout: Infinity }),
      ).resolves.toBe('direct');
    });

    it('passes the task error through as it is', async () => {
      const failure = new RangeError('bad input');
      const task = defineTask({
        name: 'failing',
        run: () => {
          throw failure;
        },
      });
      await expect(runTaskWithTimeout(task, [], { strategy: throwingStrategy })).rejects.toBe(
        failure,
      );
    });

    it('imports and runs a module task', async () => {
      const task = defineTask<[number, number], number>({
        name: 'module unlimited',
        run: { module: new URL('./test-fixtures/esm-tasks.mjs', import.meta.url), export: 'add' },
      });
      await expect(runTaskWithTimeout(task, [2, 3], { strategy: throwingStrategy })).resolves.toBe(
        5,
      );
    });

    it("is aborted by the caller's signal, which also aborts its taskSignal()", async () => {
      const controller = new AbortController();
      let signal: AbortSignal | undefined;
      const task = defineTask({
        name: 'abortable',
        run: () => {
          signal = taskSignal();
          return new Promise<never>(() => {});
        },
      });
      const running = runTaskWithTimeout(task, [], {
        strategy: throwingStrategy,
        signal: controller.signal,
      }).catch((error: unknown) => error);
      await vi.waitFor(() => expect(signal).toBeDefined());
      const reason = new Error('no longer needed');
      controller.abort(reason);
      const error = await running;
      expect(error).toBeInstanceOf(TaskAbortedError);
      expect(error).toMatchObject({ taskName: 'abortable', phase: 'running', cause: reason });
      expect(signal?.aborted).toBe(true);
      expect(signal?.reason).toBe(error);
    });

    it("does not run a module task when the caller's signal aborts while it is being imported", async () => {
      const controller = new AbortController();
      const task = defineTask<[number, number], number>({
        name: 'aborted while loading',
        run: { module: new URL('./test-fixtures/esm-tasks.mjs', import.meta.url), export: 'add' },
      });
      const running = runTaskWithTimeout(task, [2, 3], {
        strategy: throwingStrategy,
        signal: controller.signal,
      });
      const reason = new Error('changed my mind');
      controller.abort(reason);
      const error = await running.catch((e: unknown) => e);
      expect(error).toBeInstanceOf(TaskAbortedError);
      expect(error).toMatchObject({ phase: 'before-start', cause: reason });
    });

    it("stops listening to the caller's signal once the task has settled", async () => {
      const controller = new AbortController();
      const removeEventListener = vi.spyOn(controller.signal, 'removeEventListener');
      const task = defineTask({ name: 'settles', run: async () => 7 });
      await expect(
        runTaskWithTimeout(task, [], { strategy: throwingStrategy, signal: controller.signal }),
      ).resolves.toBe(7);
      expect(removeEventListener).toHaveBeenCalledWith('abort', expect.any(Function));
      controller.abort();
    });
  });

  describe('a task with a limit', () => {
    it('runs under the strategy with the timeout, signal and logger, and returns its result', async () => {
      const { strategy, run, supports } = fakeStrategy();
      const task = defineTask({ name: 'limited', timeout: 250, run: (a: number) => a + 1 });
      const signal = new AbortController().signal;
      await expect(runTaskWithTimeout(task, [1], { strategy, signal })).resolves.toBe(2);
      expect(supports).toHaveBeenCalledWith(task, undefined);
      expect(run).toHaveBeenCalledWith(task, [1], {
        timeout: 250,
        signal,
        logger: silentLogger,
        isolate: false,
      });
    });

    it("passes options.context to the strategy's supports()", async () => {
      const { strategy, supports } = fakeStrategy();
      const task = defineTask({ name: 'limited', timeout: 250, run: () => 1 });
      const context = { runtime: 'node', workersAllowed: false };
      await runTaskWithTimeout(task, [], { strategy, context });
      expect(supports).toHaveBeenCalledWith(task, context);
    });

    it('uses options.timeout instead of task.timeout', async () => {
      const { strategy, run } = fakeStrategy();
      const task = defineTask({ name: 'limited', timeout: 250, run: () => 1 });
      await runTaskWithTimeout(task, [], { strategy, timeout: 40 });
      expect(run.mock.calls[0]?.[2]).toMatchObject({ timeout: 40 });
      await runTaskWithTimeout(task, [], { strategy, timeout: 0 });
      expect(run.mock.calls[1]?.[2]).toMatchObject({ timeout: 0 });
    });

    it('gives a task without its own limit the one in options.timeout', async () => {
      const { strategy, run } = fakeStrategy();
      const task = defineTask({ name: 'unlimited made limited', run: () => 1 });
      await runTaskWithTimeout(task, [], { strategy, timeout: 75 });
      expect(run.mock.calls[0]?.[2]).toMatchObject({ timeout: 75 });
    });

    it('refuses a task the strategy does not support, with its reason, without running it', async () => {
      const { strategy, run } = fakeStrategy({
        name: 'picky',
        support: { supported: false, reason: 'closures cannot cross' },
      });
      const task = defineTask({ name: 'closure', timeout: 100, run: () => 1 });
      const error = await runTaskWithTimeout(task, [], { strategy }).catch((e: unknown) => e);
      expect(isTaskUnsupportedError(error)).toBe(true);
      expect(error).toMatchObject({
        taskName: 'closure',
        strategy: 'picky',
        reason: 'closures cannot cross',
        message: "Task 'closure' cannot run under the picky strategy: closures cannot cross",
      });
      expect(run).not.toHaveBeenCalled();
    });

    it('logs a debug line naming the task, strategy, enforcement and timeout when it starts', async () => {
      const { strategy } = fakeStrategy({ name: 'thread' });
      const { logger, lines } = recordingLogger();
      const task = defineTask({ name: 'named', timeout: 250, run: () => 1 });
      await runTaskWithTimeout(task, [], { strategy, logger });
      expect(lines).toEqual([
        {
          level: 'debug',
          message: "task 'named' starting under the thread strategy (soft, timeout 250 ms)",
          details: [{ task: 'named', strategy: 'thread', enforcement: 'soft', timeout: 250 }],
        },
      ]);
    });

    it('logs a warning when a soft timeout fires, saying the task may still be running', async () => {
      const timeout = timeoutError('soft', 'thread');
      const { strategy } = fakeStrategy({ name: 'thread', run: () => Promise.reject(timeout) });
      const { logger, lines } = recordingLogger();
      const task = defineTask({ name: 'x', timeout: 100, run: () => 1 });
      await expect(runTaskWithTimeout(task, [], { strategy, logger })).rejects.toBe(timeout);
      expect(lines.filter((line) => line.level === 'warn')).toEqual([
        {
          level: 'warn',
          message:
            "task 'x' timed out after 100 ms; the soft strategy cannot stop it, it may still be running",
          details: [
            { task: 'x', strategy: 'thread', enforcement: 'soft', timeout: 100, elapsed: 100.4 },
          ],
        },
      ]);
    });

    it('logs a warning when a hard timeout fires, saying the strategy stopped the task', async () => {
      const timeout = timeoutError('hard', 'worker');
      const { strategy } = fakeStrategy({
        name: 'worker',
        enforcement: 'hard',
        run: () => Promise.reject(timeout),
      });
      const { logger, lines } = recordingLogger();
      const task = defineTask({ name: 'x', timeout: 100, run: () => 1 });
      await expect(runTaskWithTimeout(task, [], { strategy, logger })).rejects.toBe(timeout);
      expect(lines.at(-1)).toMatchObject({
        level: 'warn',
        message: "task 'x' timed out after 100 ms; the worker strategy stopped it",
      });
    });

    it('logs a hard timeout whose runner is being stopped as the error message says it', async () => {
      const timeout = new TaskTimeoutError({
        taskName: 'x',
        timeout: 100,
        elapsed: 100.4,
        strategy: 'process',
        enforcement: 'hard',
        stopped: new Promise(() => {}),
      });
      const { strategy } = fakeStrategy({
        name: 'process',
        enforcement: 'hard',
        run: () => Promise.reject(timeout),
      });
      const { logger, lines } = recordingLogger();
      const task = defineTask({ name: 'x', timeout: 100, run: () => 1 });
      await expect(runTaskWithTimeout(task, [], { strategy, logger })).rejects.toBe(timeout);
      expect(lines.at(-1)).toMatchObject({
        level: 'warn',
        message: "task 'x' timed out after 100 ms; the process strategy is stopping it",
      });
    });

    it('passes other errors through without a warning', async () => {
      const failure = new Error('task failed');
      const { strategy } = fakeStrategy({ run: () => Promise.reject(failure) });
      const { logger, lines } = recordingLogger();
      const task = defineTask({ name: 'x', timeout: 100, run: () => 1 });
      await expect(runTaskWithTimeout(task, [], { strategy, logger })).rejects.toBe(failure);
      expect(lines.map((line) => line.level)).toEqual(['debug']);
    });
  });

  describe('a task run from inside another task', () => {
    function insideOuterTask<T>(deadlineIn: number, callback: (outer: TaskContext) => T): T {
      const outer = new TaskContext('outer', performance.now() + deadlineIn);
      return runInTaskContext(outer, () => callback(outer));
    }

    it("caps the inner limit by the outer task's remaining time", async () => {
      const { strategy, run } = fakeStrategy();
      const task = defineTask({ name: 'inner', timeout: 10_000, run: () => 'inner done' });
      const result = insideOuterTask(300, () => runTaskWithTimeout(task, [], { strategy }));
      await expect(result).resolves.toBe('inner done');
      const given = run.mock.calls[0]?.[2] as StrategyRunOptions;
      expect(given.timeout).toBeLessThanOrEqual(300);
      expect(given.timeout).toBeGreaterThan(100);
    });

    it('keeps an inner limit shorter than the outer remaining time', async () => {
      const { strategy, run } = fakeStrategy();
      const task = defineTask({ name: 'inner', timeout: 50, run: () => 1 });
      await insideOuterTask(10_000, () => runTaskWithTimeout(task, [], { strategy }));
      expect((run.mock.calls[0]?.[2] as StrategyRunOptions | undefined)?.timeout).toBe(50);
    });

    it('runs an inner task without a limit under the strategy, with the outer limit', async () => {
      const { strategy, run } = fakeStrategy();
      const task = defineTask({ name: 'inner without limit', run: () => 1 });
      await insideOuterTask(400, () => runTaskWithTimeout(task, [], { strategy }));
      expect(run).toHaveBeenCalledTimes(1);
      expect(
        (run.mock.calls[0]?.[2] as StrategyRunOptions | undefined)?.timeout,
      ).toBeLessThanOrEqual(400);
    });

    it("aborts the inner signal when the outer task's signal aborts, with its reason", async () => {
      const { strategy, run } = fakeStrategy({ run: () => new Promise(() => {}) });
      const task = defineTask({ name: 'inner', timeout: 10_000, run: () => 1 });
      const outerReason = new Error('outer timed out');
      insideOuterTask(10_000, (outer) => {
        void runTaskWithTimeout(task, [], { strategy });
        outer.abort(outerReason);
      });
      const given = run.mock.calls[0]?.[2] as StrategyRunOptions;
      expect(given.signal?.aborted).toBe(true);
      expect(given.signal?.reason).toBe(outerReason);
    });

    it("still follows the caller's own signal", async () => {
      const { strategy, run } = fakeStrategy({ run: () => new Promise(() => {}) });
      const task = defineTask({ name: 'inner', timeout: 10_000, run: () => 1 });
      const controller = new AbortController();
      insideOuterTask(10_000, () => {
        void runTaskWithTimeout(task, [], { strategy, signal: controller.signal });
      });
      const reason = new Error('caller cancelled');
      controller.abort(reason);
      const given = run.mock.calls[0]?.[2] as StrategyRunOptions;
      expect(given.signal?.reason).toBe(reason);
    });

    it('rejects at once with TaskAbortedError when the outer task was already aborted', async () => {
      const { strategy, run } = fakeStrategy();
      const task = defineTask({ name: 'inner', timeout: 10_000, run: () => 1 });
      const outerReason = new Error('outer timed out');
      const error = await insideOuterTask(10_000, (outer) => {
        outer.abort(outerReason);
        return runTaskWithTimeout(task, [], { strategy });
      }).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(TaskAbortedError);
      expect(error).toMatchObject({ phase: 'before-start', cause: outerReason });
      expect(run).not.toHaveBeenCalled();
    });
  });

  describe('a signal that is already aborted', () => {
    it.each([
      ['with a limit', 100],
      ['without a limit', Infinity],
    ])(
      'rejects with TaskAbortedError before-start without running the task (%s)',
      async (_label, timeout) => {
        const { strategy, run, supports } = fakeStrategy();
        const taskFunction = vi.fn(() => 1);
        const task = defineTask({ name: 'never started', timeout, run: taskFunction });
        const reason = new Error('cancelled early');
        const error = await runTaskWithTimeout(task, [], {
          strategy,
          signal: AbortSignal.abort(reason),
        }).catch((e: unknown) => e);
        expect(error).toBeInstanceOf(TaskAbortedError);
        expect(error).toMatchObject({
          taskName: 'never started',
          phase: 'before-start',
          cause: reason,
          message: "Task 'never started' was aborted by the caller's signal before it started",
        });
        expect(taskFunction).not.toHaveBeenCalled();
        expect(run).not.toHaveBeenCalled();
        expect(supports).not.toHaveBeenCalled();
      },
    );
  });

  describe('bad arguments', () => {
    const task = defineTask({ name: 'checked', timeout: 100, run: () => 1 });
    const { strategy } = fakeStrategy();

    it('rejects something that is not a task, naming the value', async () => {
      await expect(
        runTaskWithTimeout({ name: 'look-alike', timeout: 1, run: () => 1 } as never, [], {
          strategy,
        }),
      ).rejects.toThrow(
        new TypeError(
          'runTaskWithTimeout() expects a task made by defineTask(), got a plain object',
        ),
      );
      await expect(runTaskWithTimeout(undefined as never, [], { strategy })).rejects.toThrow(
        'runTaskWithTimeout() expects a task made by defineTask(), got undefined',
      );
    });

    it.each([
      ['a number', 5, "Task 'checked': args must be an array of the task's arguments, got 5"],
      [
        'undefined',
        undefined,
        "Task 'checked': args must be an array of the task's arguments, got undefined",
      ],
      [
        'an arguments-like object',
        { 0: 1, length: 1 },
        "Task 'checked': args must be an array of the task's arguments, got a plain object",
      ],
    ])(
      'rejects args that are %s with a TypeError naming the task and the value',
      async (_label, args, message) => {
        await expect(runTaskWithTimeout(task, args as never, { strategy })).rejects.toThrow(
          new TypeError(message),
        );
      },
    );

    it.each([
      ['undefined', undefined, 'undefined'],
      ['null', null, 'null'],
      ['a number', 100, '100'],
    ])(
      'rejects options that are %s with a TypeError naming the value',
      async (_label, options, got) => {
        await expect(runTaskWithTimeout(task, [], options as never)).rejects.toThrow(
          new TypeError(
            `Task 'checked': options must be an object { strategy, signal?, logger?, timeout? }, got ${got}`,
          ),
        );
      },
    );

    it.each([
      ['absent', undefined, 'undefined'],
      ['a string', 'thread', '"thread"'],
      ['a factory not called', () => strategy, 'an anonymous function'],
      [
        'an object without run',
        { name: 'half', enforcement: 'soft', supports: () => ({ supported: true }) },
        'a plain object',
      ],
      [
        'an object with a bad enforcement',
        { ...strategy, enforcement: 'medium' },
        'a plain object',
      ],
    ])(
      'rejects a strategy that is %s with a TypeError naming the task and the value',
      async (_label, bad, got) => {
        await expect(runTaskWithTimeout(task, [], { strategy: bad as never })).rejects.toThrow(
          new TypeError(
            `Task 'checked': strategy must be a TimeoutStrategy (name, enforcement, supports, run, close), such as threadStrategy(), got ${got}`,
          ),
        );
      },
    );

    it.each([
      ['a string', 'console', '"console" lacks debug, info, warn, error'],
      [
        'an object without warn and error',
        { debug() {}, info() {} },
        'a plain object lacks warn, error',
      ],
      ['null', null, 'null lacks debug, info, warn, error'],
    ])(
      'rejects a logger that is %s with a TypeError naming the missing methods',
      async (_label, logger, tail) => {
        await expect(
          runTaskWithTimeout(task, [], { strategy, logger: logger as never }),
        ).rejects.toThrow(
          new TypeError(
            `Task 'checked': logger must have debug, info, warn and error methods (console and pino loggers do); ${tail}`,
          ),
        );
      },
    );

    it.each([
      [
        'a controller instead of its signal',
        new AbortController(),
        'an instance of AbortController',
      ],
      ['a boolean', true, 'true'],
      ['null', null, 'null'],
    ])(
      'rejects a signal that is %s with a TypeError naming the value',
      async (_label, signal, got) => {
        await expect(
          runTaskWithTimeout(task, [], { strategy, signal: signal as never }),
        ).rejects.toThrow(
          new TypeError(`Task 'checked': signal must be an AbortSignal, got ${got}`),
        );
      },
    );

    it.each([
      ['NaN', Number.NaN, RangeError, 'options.timeout must be a number of milliseconds, got NaN'],
      ['negative', -5, RangeError, 'options.timeout must not be negative, got -5'],
      ['a string', '100', TypeError, 'options.timeout must be a number of milliseconds, got "100"'],
      ['null', null, TypeError, 'options.timeout must be a number of milliseconds, got null'],
    ])(
      'rejects options.timeout that is %s naming the task and the value',
      async (_label, timeout, ErrorClass, message) => {
        const error = await runTaskWithTimeout(task, [], {
          strategy,
          timeout: timeout as never,
        }).catch((e: unknown) => e);
        expect(error).toBeInstanceOf(ErrorClass);
        expect((error as Error).message).toBe(`Task 'checked': ${message}`);
      },
    );

    it('accepts a signal from another realm that has the AbortSignal shape', async () => {
      const lookAlike = {
        aborted: false,
        reason: undefined,
        addEventListener: () => {},
        removeEventListener: () => {},
      };
      await expect(
        runTaskWithTimeout(task, [], { strategy, signal: lookAlike as unknown as AbortSignal }),
      ).resolves.toBe(1);
    });
  });
});
