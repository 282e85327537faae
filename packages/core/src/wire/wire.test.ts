import { afterEach, describe, expect, it } from 'vitest';
import { serializeThrown } from '../codec/serialize-thrown.js';
import { isStrategyClosedError } from '../errors/strategy-closed-error.js';
import { isTaskAbortedError, TaskAbortedError } from '../errors/task-aborted-error.js';
import { isTaskSerializationError } from '../errors/task-serialization-error.js';
import { isTaskTimeoutError, TaskTimeoutError } from '../errors/task-timeout-error.js';
import { defineTask, type Task } from '../task.js';
import { currentTaskContext } from '../task-context.js';
import { createTaskRequest } from './create-task-request.js';
import { abortRunningTask, executeTaskRequest, runTaskRequest } from './execute-task-request.js';
import { inlineFunctionSource, inlineFunctionSupport } from './inline-function.js';
import { preloadTaskModules } from './preload-task-modules.js';
import { settleTaskResponse } from './settle-task-response.js';
import type { TaskResponse } from './task-request.js';

/**
 * Inline functions get `taskSignal` as a free identifier on the runner side. It is declared
 * here, not imported, so that the shipped source text names it as it is.
 */
declare const taskSignal: () => AbortSignal;

/** Where an inline task leaves what it saw, for the test to read. */
const seenKey = 'timeboxWireTestSeen';
type Seen = { [seenKey]?: unknown };

/** What a worker or child process would do: clone the request, run it, clone the response. */
async function runAcross<Args extends unknown[], Result>(
  task: Task<Args, Result>,
  args: Args,
): Promise<Result> {
  const request = structuredClone(createTaskRequest(task, args));
  const response = structuredClone(await executeTaskRequest(request));
  return settleTaskResponse<Result>(task.name, response);
}

/** The error a response settles with (it must be one). */
function settleTaskResponseError(taskName: string, response: TaskResponse | undefined): unknown {
  try {
    settleTaskResponse(taskName, response as TaskResponse);
  } catch (error) {
    return error;
  }
  throw new Error('expected the response to settle with an error');
}

async function outcome(promise: Promise<unknown>): Promise<unknown> {
  return promise.then(
    () => {
      throw new Error('expected a rejection');
    },
    (error: unknown) => error,
  );
}

const fixtures = new URL('../test-fixtures/', import.meta.url);

describe('the wire protocol, in one process', () => {
  afterEach(() => {
    delete (globalThis as Seen)[seenKey];
  });

  describe('createTaskRequest', () => {
    it('ships a self-contained function as its source text with its arguments', () => {
      const run = (left: number, right: number) => left * right;
      const task = defineTask({ name: 'multiply', timeout: 100, run });
      expect(createTaskRequest(task, [6, 7])).toEqual({
        taskName: 'multiply',
        run: { kind: 'source', source: Function.prototype.toString.call(run) },
        args: [6, 7],
      });
      expect(inlineFunctionSource(run)).toBe(Function.prototype.toString.call(run));
    });

    it('ships a module task as an import specifier, with the export when named', () => {
      const named = defineTask({
        name: 'named',
        run: { module: '/srv/tasks/resize.js', export: 'resize' },
      });
      expect(createTaskRequest(named, []).run).toEqual({
        kind: 'module',
        specifier: 'file:///srv/tasks/resize.js',
        exportName: 'resize',
      });
      const byDefault = defineTask({
        name: 'default',
        run: { module: new URL('file:///a/b.mjs') },
      });
      expect(createTaskRequest(byDefault, []).run).toEqual({
        kind: 'module',
        specifier: 'file:///a/b.mjs',
      });
    });

    it('refuses an argument that cannot be cloned, naming its path, before anything is sent', () => {
      const task = defineTask({ name: 'upload', run: (..._args: unknown[]) => 1 });
      const error = (() => {
        try {
          createTaskRequest(task, ['file.txt', { handler: () => {} }]);
        } catch (caught) {
          return caught;
        }
      })();
      expect(isTaskSerializationError(error)).toBe(true);
      expect(error).toMatchObject({
        taskName: 'upload',
        subject: 'argument',
        path: 'args[1].handler',
      });
    });

    it.each([
      [
        'a bound function',
        function add(left: number, right: number) {
          return left + right;
        }.bind(null),
        'a bound function (add) has no source to send to another thread or process',
      ],
      ['a native function', Math.max, 'a native function (max) has no source to send'],
      [
        'a method shorthand',
        {
          compute(value: number) {
            return value;
          },
        }.compute,
        'the source of function compute does not compile on its own (a method shorthand or a class member?)',
      ],
    ])('refuses %s as a TaskSerializationError for the function', (_label, run, reason) => {
      const task = defineTask({ name: 'unshippable', run: run as (...args: unknown[]) => unknown });
      const support = inlineFunctionSupport(task.run as Function);
      expect(support.supported).toBe(false);
      expect(support.supported === false && support.reason).toContain(reason);
      expect(inlineFunctionSupport(task.run as Function)).toBe(support);
      let error: unknown;
      try {
        createTaskRequest(task, []);
      } catch (caught) {
        error = caught;
      }
      expect(isTaskSerializationError(error)).toBe(true);
      expect(error).toMatchObject({ subject: 'function', path: 'run' });
      expect((error as Error).message).toContain(reason);
    });

    it('accepts function expressions, arrow functions and async functions', () => {
      for (const run of [
        function named() {
          return 1;
        },
        () => 1,
        async (value: number) => value,
        async function* generate() {
          yield 1;
        },
      ]) {
        expect(inlineFunctionSupport(run)).toEqual({ supported: true });
      }
    });
  });

  describe('the deadline on the wire', () => {
    it('sends the time limit as milliseconds, and none for no limit', () => {
      const task = defineTask({ name: 'limited', run: (value: number) => value });
      expect(createTaskRequest(task, [1], 'thread', 250).timeout).toBe(250);
      expect(createTaskRequest(task, [1], 'thread', Infinity)).not.toHaveProperty('timeout');
      expect(createTaskRequest(task, [1])).not.toHaveProperty('timeout');
    });

    it("gives the task's context a deadline that many milliseconds from its start", async () => {
      const task = defineTask({
        name: 'reads its deadline',
        run: { module: new URL('esm-tasks.mjs', fixtures), export: 'readDeadline' },
      });
      const request = structuredClone(createTaskRequest(task, [], 'thread', 5_000));
      const before = performance.now();
      const response = await executeTaskRequest(request);
      const after = performance.now();
      const value = (response as { value: { remaining: number; deadline: number } }).value;
      expect(value.deadline).toBeGreaterThanOrEqual(before + 5_000);
      expect(value.deadline).toBeLessThanOrEqual(after + 5_000);
      expect(value.remaining).toBeGreaterThan(4_000);
      expect(value.remaining).toBeLessThanOrEqual(5_000);
      const unlimited = await executeTaskRequest(structuredClone(createTaskRequest(task, [])));
      expect((unlimited as { value: { deadline: number } }).value.deadline).toBe(Infinity);
    });
  });

  describe('executeTaskRequest and settleTaskResponse', () => {
    it('round-trip a result', async () => {
      const task = defineTask({
        name: 'shape',
        run: async (count: number) => ({
          list: Array.from({ length: count }, (_, i) => i),
          at: new Date(0),
        }),
      });
      await expect(runAcross(task, [3])).resolves.toEqual({ list: [0, 1, 2], at: new Date(0) });
    });

    it('run a module task, ESM and CommonJS', async () => {
      const esm = defineTask<[number, number], number>({
        name: 'esm add',
        run: { module: new URL('esm-tasks.mjs', fixtures), export: 'add' },
      });
      const commonJs = defineTask<[number], number>({
        name: 'cjs default',
        run: { module: new URL('cjs-default.cjs', fixtures) },
      });
      await expect(runAcross(esm, [2, 3])).resolves.toBe(5);
      await expect(runAcross(commonJs, [5])).resolves.toBe(15);
    });

    it('round-trip a task error with class name, message, stack, cause and fields', async () => {
      const task = defineTask({
        name: 'fails',
        run: () => {
          class QuotaError extends RangeError {}
          throw Object.assign(new QuotaError('over quota', { cause: new Error('disk') }), {
            code: 'E_QUOTA',
            limit: 10,
          });
        },
      });
      const error = (await outcome(runAcross(task, []))) as RangeError & Record<string, unknown>;
      expect(error).toBeInstanceOf(RangeError);
      expect(error.constructor.name).toBe('QuotaError');
      expect(error.message).toBe('over quota');
      expect(error.stack).toMatch(/^RangeError: over quota\n\s+at /);
      expect((error.cause as Error).message).toBe('disk');
      expect(error).toMatchObject({ code: 'E_QUOTA', limit: 10 });
    });

    it('round-trip a non-Error throw', async () => {
      const task = defineTask({
        name: 'throws a value',
        run: async () => {
          throw { status: 503 };
        },
      });
      await expect(outcome(runAcross(task, []))).resolves.toEqual({ status: 503 });
    });

    it('report a closure reading an outer variable as a TaskSerializationError naming it', async () => {
      const factor = 3;
      const task = defineTask({ name: 'closure', run: (value: number) => value * factor });
      const request = createTaskRequest(task, [2]);
      const response = await executeTaskRequest(structuredClone(request));
      expect(response).toMatchObject({
        outcome: 'unserializable',
        subject: 'function',
        path: 'run',
      });
      const error = await outcome(
        Promise.resolve().then(() => settleTaskResponse('closure', response)),
      );
      expect(isTaskSerializationError(error)).toBe(true);
      expect(error).toMatchObject({ taskName: 'closure', subject: 'function', path: 'run' });
      expect((error as Error).message).toBe(
        "Task 'closure': run cannot be sent across the boundary: the inline function reads 'factor' from its enclosing scope, which does not exist in another thread or process; inline functions must be self-contained (pass values as arguments), or make it a module task ({ module, export })",
      );
      expect((error as Error).cause).toBeInstanceOf(ReferenceError);
    });

    it('leave a ReferenceError that names no identifier of the source as the task error', async () => {
      const task = defineTask({
        name: 'own reference error',
        run: () => {
          throw new ReferenceError(`${'gh'}${'ost'} is not defined`);
        },
      });
      const error = await outcome(runAcross(task, []));
      expect(error).toBeInstanceOf(ReferenceError);
      expect(isTaskSerializationError(error)).toBe(false);
    });

    it('report a result that cannot be cloned as a TaskSerializationError for the result', async () => {
      const task = defineTask({
        name: 'returns a handler',
        run: () => ({ ok: true, handler: () => {} }),
      });
      const response = await executeTaskRequest(structuredClone(createTaskRequest(task, [])));
      expect(response).toMatchObject({
        outcome: 'unserializable',
        subject: 'result',
        path: 'result.handler',
      });
      const error = await outcome(
        Promise.resolve().then(() => settleTaskResponse('returns a handler', response)),
      );
      expect(isTaskSerializationError(error)).toBe(true);
      expect(error).toMatchObject({ subject: 'result', path: 'result.handler' });
    });

    it('give inline functions taskSignal as a free identifier, anywhere in the task', async () => {
      const task = defineTask({
        name: 'signal inside',
        run: async () => {
          const before = taskSignal();
          await new Promise((resolve) => setTimeout(resolve, 1));
          return { same: taskSignal() === before, aborted: before.aborted };
        },
      });
      await expect(runAcross(task, [])).resolves.toEqual({ same: true, aborted: false });
      expect(currentTaskContext()).toBeUndefined();
    });

    it('clear the current task when the task settles, even when it fails', async () => {
      const task = defineTask({
        name: 'fails',
        run: () => {
          throw new Error('x');
        },
      });
      await outcome(runAcross(task, []));
      expect(currentTaskContext()).toBeUndefined();
    });
  });

  describe('runTaskRequest', () => {
    /** Runs a request and says whether its response came in the same turn. */
    function respondsInTheSameTurn(request: ReturnType<typeof createTaskRequest>) {
      const responses: TaskResponse[] = [];
      runTaskRequest(request, (response) => responses.push(response));
      const sameTurn = responses.length;
      const settled = new Promise<TaskResponse>((resolve) => {
        const poll = () =>
          responses.length > 0 ? resolve(responses[0] as TaskResponse) : setImmediate(poll);
        poll();
      });
      return { sameTurn, settled, responses };
    }

    it('answers a loaded synchronous task in the same turn, and only once', async () => {
      const task = defineTask({ name: 'sync add', run: (a: number, b: number) => a + b });
      const request = createTaskRequest(task, [2, 3]);
      // The first run compiles the function: its answer comes later.
      const first = respondsInTheSameTurn(request);
      expect(first.sameTurn).toBe(0);
      expect(await first.settled).toEqual({ outcome: 'fulfilled', value: 5 });
      const second = respondsInTheSameTurn(request);
      expect(second.sameTurn).toBe(1);
      expect(second.responses[0]).toEqual({ outcome: 'fulfilled', value: 5 });
      expect(currentTaskContext()).toBeUndefined();
      await new Promise((resolve) => setImmediate(resolve));
      expect(second.responses).toHaveLength(1);
    });

    it('answers in the same turn the first request of a module a preload imported', async () => {
      const task = defineTask<[number, number], number>({
        name: 'preloaded multiply',
        run: { module: new URL('preloaded-tasks.mjs', fixtures), export: 'multiply' },
      });
      await preloadTaskModules([{ ...createTaskRequest(task, [0, 0]), args: [] }]);
      // A request cloned across a boundary: a new run object, the same module.
      const request = structuredClone(createTaskRequest(task, [2, 3]));
      const run = respondsInTheSameTurn(request);
      expect(run.sameTurn).toBe(1);
      expect(run.responses[0]).toEqual({ outcome: 'fulfilled', value: 6 });
    });

    it('answers a synchronous throw in the same turn as the task error', async () => {
      const task = defineTask({
        name: 'sync throw',
        run: () => {
          throw new RangeError('no');
        },
      });
      const request = createTaskRequest(task, []);
      await respondsInTheSameTurn(request).settled;
      const again = respondsInTheSameTurn(request);
      expect(again.sameTurn).toBe(1);
      const error = settleTaskResponseError(task.name, again.responses[0]);
      expect(error).toBeInstanceOf(Error);
      expect((error as Error).name).toBe('RangeError');
      expect(currentTaskContext()).toBeUndefined();
    });

    it('waits for a promise, keeping the task current until it settles', async () => {
      const task = defineTask({
        name: 'async',
        run: async () => {
          await new Promise((resolve) => setImmediate(resolve));
          return taskSignal().aborted;
        },
      });
      const request = createTaskRequest(task, []);
      await respondsInTheSameTurn(request).settled;
      const again = respondsInTheSameTurn(request);
      expect(again.sameTurn).toBe(0);
      expect(currentTaskContext()?.taskName).toBe('async');
      expect(await again.settled).toEqual({ outcome: 'fulfilled', value: false });
      expect(currentTaskContext()).toBeUndefined();
    });

    it("reports a thenable whose 'then' throws as the task's error", async () => {
      const task = defineTask({
        name: 'bad thenable',
        run: () => ({
          // biome-ignore lint/suspicious/noThenProperty: the case under test is a broken thenable
          get then(): never {
            throw new Error('then getter');
          },
        }),
      });
      const request = createTaskRequest(task, []);
      await respondsInTheSameTurn(request).settled;
      const again = respondsInTheSameTurn(request);
      expect(again.sameTurn).toBe(1);
      expect((settleTaskResponseError(task.name, again.responses[0]) as Error).message).toBe(
        'then getter',
      );
    });

    it('reports a module that fails to load, and loads it again next time', async () => {
      const task = defineTask({
        name: 'missing module',
        run: { module: new URL('no-such-module.mjs', fixtures) },
      });
      const request = createTaskRequest(task, []);
      const response = await respondsInTheSameTurn(request).settled;
      expect(response.outcome).toBe('rejected');
      const again = respondsInTheSameTurn(request);
      expect(again.sameTurn).toBe(0);
      expect((await again.settled).outcome).toBe('rejected');
    });
  });

  describe('abortRunningTask', () => {
    function waitForAbort() {
      return defineTask({
        name: 'waits for abort',
        run: () =>
          new Promise((_resolve, reject) => {
            const signal = taskSignal();
            signal.addEventListener('abort', () => {
              (globalThis as { timeboxWireTestSeen?: unknown }).timeboxWireTestSeen = signal.reason;
              reject(signal.reason);
            });
          }),
      });
    }

    it('aborts the running task with a real TaskTimeoutError at the deadline', async () => {
      const task = waitForAbort();
      const running = executeTaskRequest(structuredClone(createTaskRequest(task, [])));
      await Promise.resolve();
      abortRunningTask({ cause: 'timeout', timeout: 100, elapsed: 100.5, strategy: 'worker' });
      const response: TaskResponse = await running;
      const reason = (globalThis as Seen)[seenKey];
      expect(reason).toBeInstanceOf(TaskTimeoutError);
      expect(isTaskTimeoutError(reason)).toBe(true);
      expect(reason).toMatchObject({
        taskName: 'waits for abort',
        timeout: 100,
        elapsed: 100.5,
        strategy: 'worker',
        enforcement: 'hard',
        stillRunning: false,
      });
      expect(response.outcome).toBe('rejected');
      const rebuilt = await outcome(
        Promise.resolve().then(() => settleTaskResponse(task.name, structuredClone(response))),
      );
      expect(rebuilt).toMatchObject({ name: 'TaskTimeoutError', timeout: 100, strategy: 'worker' });
    });

    it("aborts the running task with a real TaskAbortedError when the caller's signal aborts", async () => {
      const task = waitForAbort();
      const running = executeTaskRequest(structuredClone(createTaskRequest(task, [])));
      await Promise.resolve();
      abortRunningTask({ cause: 'caller' });
      await running;
      const reason = (globalThis as Seen)[seenKey];
      expect(reason).toBeInstanceOf(TaskAbortedError);
      expect(isTaskAbortedError(reason)).toBe(true);
      expect(reason).toMatchObject({ taskName: 'waits for abort', phase: 'running' });
    });

    it('aborts the running task with a real StrategyClosedError when its strategy closes', async () => {
      const task = waitForAbort();
      const running = executeTaskRequest(structuredClone(createTaskRequest(task, [])));
      await Promise.resolve();
      abortRunningTask({ cause: 'closed', strategy: 'process' });
      await running;
      const reason = (globalThis as Seen)[seenKey];
      expect(isStrategyClosedError(reason)).toBe(true);
      expect(reason).toMatchObject({
        taskName: 'waits for abort',
        strategy: 'process',
        phase: 'running',
      });
    });

    it("carries the caller's abort reason to the task's signal as its cause", async () => {
      const task = waitForAbort();
      const running = executeTaskRequest(structuredClone(createTaskRequest(task, [])));
      await Promise.resolve();
      abortRunningTask({
        cause: 'caller',
        reason: serializeThrown(new Error('the caller changed its mind')),
      });
      await running;
      const reason = (globalThis as Seen)[seenKey] as TaskAbortedError;
      expect(isTaskAbortedError(reason)).toBe(true);
      expect(reason.cause).toBeInstanceOf(Error);
      expect((reason.cause as Error).message).toBe('the caller changed its mind');
    });

    it('does nothing when no task is running', () => {
      expect(() => abortRunningTask({ cause: 'caller' })).not.toThrow();
    });
  });
});
