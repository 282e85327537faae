import {
  defineTask,
  isTaskAbortedError,
  isTaskCrashedError,
  isTaskModuleLoadError,
  isTaskSerializationError,
  isTaskTimeoutError,
  isTimeboxError,
  runTaskWithTimeout,
  silentLogger,
  type TimeoutStrategy,
} from '@timebox/core';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { ConformanceHooks } from './conformance-hooks.js';
import {
  itWhen,
  moduleTasksOf,
  recordingLogger,
  rejectionOf,
  settle,
} from './conformance-support.js';
import { lifecycleCases } from './lifecycle-cases.js';
import type { MarkerBoard } from './marker-board.js';
import type { ConformanceStrategyFactory, StrategyCapabilities } from './strategy-capabilities.js';

/**
 * The behaviour every `TimeoutStrategy` must show, as a vitest suite that runs wherever
 * vitest runs (Node, a browser): the runtime's part comes through `hooks` (the fixture
 * module's URL, where tasks report markers, a leak check). On Node,
 * `strategyConformanceSuite` from `@timebox/core/testing` supplies Node's hooks and adds
 * the diagnostics channel cases. Results and errors results and errors
 * come back intact, timeouts reject with a complete `TaskTimeoutError` whose `elapsed` is
 * never below the limit, a result that arrives after the deadline loses to it,
 * `taskSignal()` aborts at the deadline and carries the caller's abort reason, concurrent
 * tasks keep their own outcomes, limits beyond 2^31-1 ms hold, `close()` rejects what is
 * queued, running or submitted later with `StrategyClosedError` and leaves nothing behind;
 * hard strategies stop a runaway loop, report crashes and uncloneable values as such, and
 * settle even when a runner never becomes ready. Cases behind a capability flag that the
 * strategy does not set are not registered.
 *
 * `createStrategy(options)` makes a fresh strategy; it applies the
 * {@link ConformanceStrategyOptions} it supports (say which in `capabilities`).
 *
 * @example
 * ```ts
 * strategyConformanceSuite('worker', (options) => workerStrategy({ maxWorkers: options?.runners ?? 2 }), {
 *   enforcement: 'hard',
 *   inlineFunctions: true,
 *   queue: true,
 * });
 * ```
 */
export function strategyConformanceCases(
  name: string,
  createStrategy: ConformanceStrategyFactory,
  capabilities: StrategyCapabilities,
  hooks: ConformanceHooks,
): void {
  const hard = capabilities.enforcement === 'hard';
  const moduleTask = moduleTasksOf(hooks.fixtures);
  describe(`${name} strategy conformance`, () => {
    let strategy: TimeoutStrategy;
    let markers: MarkerBoard;
    const reported = (target: string): boolean => markers.read(target) !== undefined;

    beforeAll(() => {
      strategy = createStrategy();
      markers = hooks.openMarkers();
    });

    afterAll(async () => {
      await strategy.close();
      markers.close();
    });

    it('reports its enforcement', () => {
      expect(strategy.enforcement).toBe(capabilities.enforcement);
    });

    it('resolves with the result of a module task', async () => {
      const task = moduleTask<[number, number], number>('add');
      await expect(runTaskWithTimeout(task, [2, 3], { strategy })).resolves.toBe(5);
    });

    it.each([
      [
        'a module path that does not exist',
        new URL('./does-not-exist.js', hooks.fixtures).href,
        'default',
        'not-found',
      ],
      [
        'a module with a syntax error',
        'data:text/javascript,export default (',
        'default',
        'syntax-error',
      ],
      [
        'a module that throws while it is imported',
        'data:text/javascript,throw new RangeError("no config")',
        'default',
        'threw',
      ],
      ['a missing export', hooks.fixtures.href, 'noSuchExport', 'not-a-function'],
    ])(
      'rejects a module task with %s with a TaskModuleLoadError naming the task and the module',
      async (_label, module, exportName, reason) => {
        const task = defineTask({
          name: `conformance load ${reason}`,
          timeout: 10_000,
          run: { module, export: exportName },
        });
        const error = await runTaskWithTimeout(task, [], { strategy }).catch((e: unknown) => e);
        expect(isTaskModuleLoadError(error)).toBe(true);
        expect(isTimeboxError(error)).toBe(true);
        expect(error).toMatchObject({ taskName: task.name, module, exportName, reason });
        expect((error as Error).message).toContain(`Task '${task.name}': could not load the`);
        expect((error as Error).message).toContain(module);
        if (reason !== 'not-a-function') {
          expect((error as Error).cause).toMatchObject({ message: expect.any(String) });
        }
      },
    );

    it('resolves with a structured result after an await', async () => {
      const value = { list: [1, 'two', null], nested: { date: new Date(0), big: 10n } };
      const task = moduleTask<[typeof value], typeof value>('echoLater');
      await expect(runTaskWithTimeout(task, [value], { strategy })).resolves.toEqual(value);
    });

    it('rejects with the task error preserved: class name, message, stack, cause and fields', async () => {
      const task = moduleTask<[string], never>('rejectWithValidationError');
      const result = await settle(runTaskWithTimeout(task, ['email'], { strategy }));
      expect(result.status).toBe('rejected');
      const error = (result as PromiseRejectedResult).reason as Error & Record<string, unknown>;
      expect(error).toBeInstanceOf(Error);
      expect(error.name).toBe('ValidationError');
      expect(error.constructor.name).toBe('ValidationError');
      expect(error.message).toBe('field email is invalid');
      expect(error.code).toBe('E_VALIDATION');
      expect(error.field).toBe('email');
      expect(error.stack).toContain('rejectWithValidationError');
      expect(error.cause).toBeInstanceOf(RangeError);
      expect((error.cause as Error).message).toBe('out of range');
    });

    it('rejects with a synchronous throw', async () => {
      const task = moduleTask<[], never>('throwSynchronously');
      const result = await settle(runTaskWithTimeout(task, [], { strategy }));
      const error = (result as PromiseRejectedResult).reason as Error;
      expect(error).toBeInstanceOf(TypeError);
      expect(error.message).toBe('thrown synchronously');
    });

    it('rejects with a non-Error throw as that value', async () => {
      const task = moduleTask<[], never>('throwString');
      await expect(runTaskWithTimeout(task, [], { strategy })).rejects.toBe('a plain string');
    });

    it('rejects a never-settling task with a complete TaskTimeoutError', async () => {
      const task = moduleTask<[], never>('neverSettle', 100);
      const started = performance.now();
      const result = await settle(runTaskWithTimeout(task, [], { strategy }));
      const waited = performance.now() - started;
      expect(result.status).toBe('rejected');
      const error = (result as PromiseRejectedResult).reason;
      expect(isTaskTimeoutError(error)).toBe(true);
      expect(error).toMatchObject({
        name: 'TaskTimeoutError',
        taskName: 'conformance neverSettle',
        timeout: 100,
        strategy: strategy.name,
        enforcement: capabilities.enforcement,
        stillRunning: true,
      });
      expect(error.elapsed).toBeGreaterThanOrEqual(capabilities.elapsedAtLeastLimit ? 100 : 99);
      expect(error.elapsed).toBeLessThan(5_000);
      expect(waited).toBeGreaterThanOrEqual(99);
    });

    it('aborts taskSignal() at the deadline with the TaskTimeoutError as reason', async () => {
      const started = markers.target('deadline-started');
      const aborted = markers.target('deadline-aborted');
      const task = moduleTask<[string, string], string>('reportAbort', 100);
      const result = await settle(runTaskWithTimeout(task, [started, aborted], { strategy }));
      expect(isTaskTimeoutError((result as PromiseRejectedResult).reason)).toBe(true);
      await vi.waitFor(() => expect(reported(aborted)).toBe(true), { timeout: 5_000 });
      expect(markers.read(aborted) ?? '').toBe('TaskTimeoutError');
    });

    it("rejects with TaskAbortedError when the caller's signal aborts a running task", async () => {
      const started = markers.target('abort-started');
      const aborted = markers.target('abort-aborted');
      const controller = new AbortController();
      const task = moduleTask<[string, string], string>('reportAbort', 10_000);
      const running = settle(
        runTaskWithTimeout(task, [started, aborted], { strategy, signal: controller.signal }),
      );
      await vi.waitFor(() => expect(reported(started)).toBe(true), { timeout: 5_000 });
      const reason = new Error('the caller changed its mind');
      controller.abort(reason);
      const result = await running;
      const error = (result as PromiseRejectedResult).reason;
      expect(isTaskAbortedError(error)).toBe(true);
      expect(error.cause).toBe(reason);
      expect(error.phase).toBe('running');
      await vi.waitFor(() => expect(reported(aborted)).toBe(true), { timeout: 5_000 });
      expect(markers.read(aborted) ?? '').toBe('TaskAbortedError');
    });

    it('run() rejects at once, without running the task, when the signal is already aborted', async () => {
      const started = markers.target('pre-aborted-started');
      const task = moduleTask<[string, string], string>('reportAbort');
      const signal = AbortSignal.abort(new Error('too late'));
      // Straight to the strategy: runTaskWithTimeout() would refuse before reaching it.
      const error = await rejectionOf(
        strategy.run(task, [started, started], { timeout: 10_000, signal, logger: silentLogger }),
      );
      expect(isTaskAbortedError(error)).toBe(true);
      expect((error as { phase: string }).phase).toBe('before-start');
      expect((error as Error).cause).toBe(signal.reason);
      expect(reported(started)).toBe(false);
    });

    itWhen(capabilities.callerReasonInTask)(
      "passes the caller's abort reason to taskSignal() inside the task [capability callerReasonInTask]",
      async () => {
        const started = markers.target('reason-started');
        const aborted = markers.target('reason-aborted');
        const controller = new AbortController();
        const task = moduleTask<[string, string], string>('reportAbortReason', 10_000);
        const running = settle(
          runTaskWithTimeout(task, [started, aborted], { strategy, signal: controller.signal }),
        );
        await vi.waitFor(() => expect(reported(started)).toBe(true), { timeout: 5_000 });
        controller.abort(new Error('the caller changed its mind'));
        expect(isTaskAbortedError(((await running) as PromiseRejectedResult).reason)).toBe(true);
        await vi.waitFor(() => expect(reported(aborted)).toBe(true), { timeout: 5_000 });
        const seen = JSON.parse(markers.read(aborted) ?? '') as Record<string, unknown>;
        expect([seen.message, seen.causeMessage]).toContain('the caller changed its mind');
      },
    );

    it('lets a cooperative task clean up after its signal aborts at the deadline (the grace period)', async () => {
      const started = markers.target('grace-started');
      const cleaned = markers.target('grace-cleaned');
      const task = moduleTask<[string, string, number], string>('cleanUpOnAbort', 150);
      const error = await rejectionOf(
        runTaskWithTimeout(task, [started, cleaned, 10], { strategy }),
      );
      expect(isTaskTimeoutError(error)).toBe(true);
      await vi.waitFor(() => expect(reported(cleaned)).toBe(true), { timeout: 5_000 });
    });

    it('rejects with TaskTimeoutError when the result arrives after the deadline (the deadline wins)', async () => {
      const { logger, lines } = recordingLogger();
      const task = moduleTask<[number], string>('blockFor', 150);
      const started = performance.now();
      const error = await rejectionOf(runTaskWithTimeout(task, [600], { strategy, logger }));
      expect(isTaskTimeoutError(error)).toBe(true);
      expect(error).toMatchObject({ timeout: 150, strategy: strategy.name });
      expect((error as { elapsed: number }).elapsed).toBeGreaterThanOrEqual(150);
      expect((error as { elapsed: number }).elapsed).toBeLessThanOrEqual(
        performance.now() - started + 1,
      );
      const warnings = lines.filter((line) => line.level === 'warn').map((line) => line.message);
      expect(warnings.some((message) => message.includes("'conformance blockFor'"))).toBe(true);
    });

    it('honours a limit beyond 2^31-1 ms instead of firing at once', async () => {
      const task = moduleTask<[number, string], string>('waitThenReturn', 2 ** 31 + 10);
      await expect(runTaskWithTimeout(task, [100, 'done'], { strategy })).resolves.toBe('done');
    });

    itWhen(capabilities.elapsedAtLeastLimit)(
      'never reports an elapsed time below the limit [capability elapsedAtLeastLimit]',
      async () => {
        const task = moduleTask<[], never>('neverSettle', 30);
        const outcomes = await Promise.allSettled(
          Array.from({ length: 10 }, () => runTaskWithTimeout(task, [], { strategy })),
        );
        for (const outcome of outcomes) {
          const error = (outcome as PromiseRejectedResult).reason;
          expect(isTaskTimeoutError(error)).toBe(true);
          expect(error.elapsed).toBeGreaterThanOrEqual(30);
        }
      },
    );

    it('gives 100 concurrent mixed tasks each its own outcome', async () => {
      const task = moduleTask<[number], number>('mixed', 1_000);
      const outcomes = await Promise.allSettled(
        Array.from({ length: 100 }, (_, index) => runTaskWithTimeout(task, [index], { strategy })),
      );
      outcomes.forEach((outcome, index) => {
        if (index % 10 === 3) {
          expect(outcome.status).toBe('rejected');
          expect(isTaskTimeoutError((outcome as PromiseRejectedResult).reason)).toBe(true);
        } else if (index % 10 === 5) {
          expect(outcome.status).toBe('rejected');
          expect(((outcome as PromiseRejectedResult).reason as Error).message).toBe(
            `failure ${index}`,
          );
        } else {
          expect(outcome).toEqual({ status: 'fulfilled', value: index * 2 });
        }
      });
    }, 60_000);

    if (capabilities.inlineFunctions) {
      it('runs a self-contained inline function', async () => {
        const task = defineTask({
          name: 'conformance inline multiply',
          timeout: 10_000,
          run: (left: number, right: number) => left * right,
        });
        await expect(runTaskWithTimeout(task, [6, 7], { strategy })).resolves.toBe(42);
      });

      it('rejects with the error an inline function throws', async () => {
        const task = defineTask({
          name: 'conformance inline throw',
          timeout: 10_000,
          run: (): never => {
            throw new RangeError('inline failure');
          },
        });
        const error = await runTaskWithTimeout(task, [], { strategy }).catch((e: unknown) => e);
        expect(error).toBeInstanceOf(RangeError);
        expect((error as Error).message).toBe('inline failure');
      });
    }

    if (hard) {
      it('stops a while (true) {} task and runs the next task', async () => {
        const spin = moduleTask<[], never>('spinForever', 100);
        const error = await runTaskWithTimeout(spin, [], { strategy }).catch((e: unknown) => e);
        if (!isTaskTimeoutError(error)) throw error;
        await error.stopped;
        expect(error).toMatchObject({
          enforcement: 'hard',
          stillRunning: capabilities.unconfirmedStops === true,
        });
        const add = moduleTask<[number, number], number>('add');
        await expect(runTaskWithTimeout(add, [20, 22], { strategy })).resolves.toBe(42);
      });

      itWhen(capabilities.unconfirmedStops !== true)(
        'says the task is still running at the rejection, and not once the stop is confirmed',
        async () => {
          const spin = moduleTask<[], never>('spinForever', 100);
          const error = await runTaskWithTimeout(spin, [], { strategy }).catch((e: unknown) => e);
          if (!isTaskTimeoutError(error)) throw error;
          expect(error.stillRunning).toBe(true);
          expect(error.forced).toBeUndefined();
          expect(error.message).toMatch(
            /^Task 'conformance spinForever' timed out after 100 ms; the \S+ strategy is stopping it$/,
          );
          const report = await error.stopped;
          expect(report.confirmed).toBe(true);
          expect(error.stillRunning).toBe(false);
          expect(typeof error.forced).toBe('boolean');
          expect(error.forced).toBe(report.forced);
        },
      );

      itWhen(capabilities.unconfirmedStops)(
        'says why the task may still be running when its runtime cannot confirm the stop [capability unconfirmedStops]',
        async () => {
          const spin = moduleTask<[], never>('spinForever', 100);
          const error = await runTaskWithTimeout(spin, [], { strategy }).catch((e: unknown) => e);
          if (!isTaskTimeoutError(error)) throw error;
          expect(error.stillRunning).toBe(true);
          expect(error.message).toMatch(
            /^Task 'conformance spinForever' timed out after 100 ms; the \S+ strategy terminated it, but it may still be running: \S/,
          );
          const report = await error.stopped;
          expect(report).toMatchObject({ confirmed: false, forced: true });
          expect(report.reason).toEqual(expect.stringMatching(/\S/));
          expect(error.stillRunning).toBe(true);
          expect(error.forced).toBe(true);
        },
      );

      it('rejects with TaskCrashedError, never a timeout, when the runner dies', async () => {
        const crash = moduleTask<[], never>('crashRunner', 10_000);
        const error = await rejectionOf(runTaskWithTimeout(crash, [], { strategy }));
        expect(isTaskCrashedError(error)).toBe(true);
        expect(isTaskTimeoutError(error)).toBe(false);
        const add = moduleTask<[number, number], number>('add');
        await expect(runTaskWithTimeout(add, [1, 2], { strategy })).resolves.toBe(3);
      });

      it('rejects with TaskSerializationError for an argument that cannot be cloned', async () => {
        const echo = moduleTask<[unknown, string], unknown>('waitThenReturn');
        const error = await rejectionOf(
          runTaskWithTimeout(echo, [1, (() => 1) as never], { strategy }),
        );
        expect(isTaskSerializationError(error)).toBe(true);
        expect(error).toMatchObject({ subject: 'argument' });
      });

      it('rejects with TaskSerializationError for a result that cannot be cloned', async () => {
        const task = moduleTask<[], unknown>('returnUncloneable');
        const error = await rejectionOf(runTaskWithTimeout(task, [], { strategy }));
        expect(isTaskSerializationError(error)).toBe(true);
        expect(error).toMatchObject({ subject: 'result' });
      });
    }

    lifecycleCases(createStrategy, capabilities, hooks, () => markers);

    const { watchLeaks } = hooks;
    itWhen(watchLeaks !== undefined)(
      'leaves no timer, worker, process or handle behind after close()',
      async () => {
        const leftBehind = (watchLeaks as NonNullable<typeof watchLeaks>)();
        const fresh = createStrategy();
        const add = moduleTask<[number, number], number>('add');
        await expect(runTaskWithTimeout(add, [1, 1], { strategy: fresh })).resolves.toBe(2);
        const timesOut = moduleTask<[], never>(hard ? 'spinForever' : 'neverSettle', 50);
        await expect(runTaskWithTimeout(timesOut, [], { strategy: fresh })).rejects.toMatchObject({
          name: 'TaskTimeoutError',
        });
        await fresh.close();
        expect(await leftBehind()).toEqual([]);
      },
    );
  });
}
