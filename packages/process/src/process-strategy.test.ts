import { randomUUID } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import {
  defineTask,
  isStrategyClosedError,
  isTaskAbortedError,
  isTaskCrashedError,
  isTaskModuleLoadError,
  isTaskQueueFullError,
  isTaskSerializationError,
  isTaskTimeoutError,
  isTaskUnsupportedError,
  runTaskWithTimeout,
  silentLogger,
  type Task,
} from '@timebox/core';
import { strategyConformanceSuite } from '@timebox/core/testing';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { type ProcessOutput, processStrategy } from './index.js';
import {
  childrenOf,
  eventually,
  leftoverProcesses,
  markedEnvironment,
  readWhenWritten,
} from './test-support/processes.js';

const marker = randomUUID();
const env = markedEnvironment(marker);
const tasksModule = new URL('./test-fixtures/tasks.mjs', import.meta.url);
const commonJsModule = new URL('./test-fixtures/tasks.cjs', import.meta.url);

function moduleTask<Args extends unknown[], Result>(
  exportName: string | undefined,
  timeout = 10_000,
  module: URL | string = tasksModule,
): Task<Args, Result> {
  return defineTask<Args, Result>({
    name: `process ${exportName ?? 'default'}`,
    timeout,
    run: exportName === undefined ? { module } : { module, export: exportName },
  });
}

strategyConformanceSuite(
  'process',
  (options) =>
    processStrategy({
      maxProcesses: options?.runners ?? 2,
      env,
      ...(options?.startTimeout === undefined ? {} : { startTimeout: options.startTimeout }),
      ...(options?.execArgv === undefined ? {} : { execArgv: [...options.execArgv] }),
    }),
  {
    enforcement: 'hard',
    inlineFunctions: true,
    queue: true,
    startTimeout: true,
    stats: true,
    callerReasonInTask: true,
    closedRejectsRuns: true,
    elapsedAtLeastLimit: true,
  },
);

describe('processStrategy', () => {
  const strategies: Array<{ close(): Promise<void> }> = [];
  let scratch: string;

  /** A strategy that the test file closes in the end. */
  function strategyFor(options: Parameters<typeof processStrategy>[0] = {}) {
    const strategy = processStrategy({ env, ...options });
    strategies.push(strategy);
    return strategy;
  }

  beforeAll(() => {
    scratch = mkdtempSync(join(tmpdir(), 'timebox-process-'));
  });

  afterEach(async () => {
    await Promise.all(strategies.splice(0).map((strategy) => strategy.close()));
  });

  afterAll(async () => {
    rmSync(scratch, { recursive: true, force: true });
    expect(await leftoverProcesses(marker)).toEqual({ children: [], marked: [] });
  });

  it('names itself and enforces hard', () => {
    const strategy = strategyFor();
    expect(strategy.name).toBe('process');
    expect(strategy.enforcement).toBe('hard');
  });

  describe('module tasks', () => {
    it('runs the default export of an ESM module given as a file URL', async () => {
      const strategy = strategyFor();
      await expect(runTaskWithTimeout(moduleTask(undefined), [2, 3], { strategy })).resolves.toBe(
        5,
      );
    });

    it('runs a named export of an ESM module given as an absolute path', async () => {
      const strategy = strategyFor();
      const task = moduleTask<[string], { variable: string }>(
        'describeProcess',
        10_000,
        tasksModule.pathname,
      );
      const described = await runTaskWithTimeout(task, ['HOME'], { strategy });
      expect(described.variable).toBe(process.env.HOME);
    });

    it('runs the default and a named export of a CommonJS module', async () => {
      const strategy = strategyFor();
      const multiply = moduleTask(undefined, 10_000, commonJsModule);
      const subtract = moduleTask('subtract', 10_000, commonJsModule);
      await expect(runTaskWithTimeout(multiply, [6, 7], { strategy })).resolves.toBe(42);
      await expect(runTaskWithTimeout(subtract, [6, 7], { strategy })).resolves.toBe(-1);
    });

    it('rejects with a TaskModuleLoadError naming the export when it is not a function', async () => {
      const strategy = strategyFor();
      const error = await runTaskWithTimeout(moduleTask('missing'), [], { strategy }).catch(
        (caught: unknown) => caught,
      );
      expect(isTaskModuleLoadError(error)).toBe(true);
      expect(error).toMatchObject({ exportName: 'missing', reason: 'not-a-function' });
      expect((error as Error).message).toContain("export 'missing'");
    });
  });

  describe('inline functions', () => {
    it('gives an inline function taskSignal as a free identifier', async () => {
      const strategy = strategyFor();
      const task = defineTask({
        name: 'inline signal',
        timeout: 10_000,
        // @ts-expect-error taskSignal is provided in the child process, not imported here
        run: () => taskSignal().aborted,
      });
      await expect(runTaskWithTimeout(task, [], { strategy })).resolves.toBe(false);
    });

    it('refuses native and bound functions in supports()', () => {
      const strategy = strategyFor();
      const native = defineTask({ name: 'native', timeout: 1_000, run: Math.max });
      const bound = defineTask({
        name: 'bound',
        timeout: 1_000,
        run: ((x: number) => x).bind(null),
      });
      expect(strategy.supports(native)).toMatchObject({ supported: false });
      expect(strategy.supports(bound)).toMatchObject({ supported: false });
      expect(strategy.supports(moduleTask('echo'))).toEqual({ supported: true });
    });

    it('refuses a function that reads variables from its enclosing scope before it runs', async () => {
      const strategy = strategyFor();
      const outer = 41;
      const task = defineTask({ name: 'closure', timeout: 10_000, run: () => outer + 1 });
      const error = await runTaskWithTimeout(task, [], { strategy }).catch((e: unknown) => e);
      expect(isTaskUnsupportedError(error)).toBe(true);
      expect((error as Error).message).toMatch(
        /^Task 'closure' cannot run under the process strategy: the inline function reads outer from its enclosing scope.*module task/,
      );
    });

    it('explains the names of CommonJS and of compiled TypeScript imports', () => {
      const strategy = strategyFor();
      const compiled = new Function(
        "return () => core_1.defineTask({ name: require('node:path').basename(__filename) });",
      )() as () => unknown;
      const support = strategy.supports(
        defineTask({ name: 'compiled', timeout: 1_000, run: compiled }),
      );
      expect(support).toEqual({
        supported: false,
        reason: expect.stringMatching(
          /uses require, __filename, which exist only in a CommonJS module's own scope.*uses core_1, which look like names a compiler wrote in place of your imports/,
        ),
      });
    });

    it('says so in supports() when child processes are not allowed here', () => {
      const strategy = strategyFor();
      expect(strategy.supports(moduleTask('echo'), { childProcessesAllowed: false })).toEqual({
        supported: false,
        reason: 'child processes cannot be started here',
      });
    });
  });

  describe('values crossing the boundary', () => {
    it('carries Map, Set, Date, BigInt, typed arrays and errors both ways', async () => {
      const strategy = strategyFor();
      const value = {
        map: new Map<unknown, unknown>([['key', { nested: [1, 2] }]]),
        set: new Set([1, 'two']),
        date: new Date(86_400_000),
        big: 2n ** 70n,
        bytes: new Uint8Array([1, 2, 255]),
        floats: new Float64Array([0.5, -1]),
        error: new RangeError('carried'),
        nothing: undefined,
      };
      const echoed = await runTaskWithTimeout(
        moduleTask<[typeof value], typeof value>('echo'),
        [value],
        { strategy },
      );
      expect(echoed.map).toEqual(value.map);
      expect(echoed.set).toEqual(value.set);
      expect(echoed.date.getTime()).toBe(value.date.getTime());
      expect(echoed.big).toBe(value.big);
      expect(echoed.bytes).toEqual(value.bytes);
      expect(echoed.floats).toEqual(value.floats);
      expect(echoed.error).toBeInstanceOf(RangeError);
      expect(echoed.error.message).toBe('carried');
      expect('nothing' in echoed).toBe(true);
    });

    it('rejects an uncloneable argument before starting, naming its path', async () => {
      const strategy = strategyFor();
      const started = join(scratch, 'uncloneable-argument');
      const error = await runTaskWithTimeout(
        moduleTask<[string, unknown], unknown>('reportPid'),
        [started, { list: [0, { handler: () => {} }] }],
        { strategy },
      ).catch((e: unknown) => e);
      expect(isTaskSerializationError(error)).toBe(true);
      expect(error).toMatchObject({ subject: 'argument', path: 'args[1].list[1].handler' });
    });

    it.each([
      [
        'a Blob',
        () => new Blob(['data']),
        'args[0].upload',
        /Blob would arrive .* as an empty object/,
      ],
      ['a File', () => new File(['data'], 'name.txt'), 'args[0].upload', /File would arrive/],
      [
        'a SharedArrayBuffer',
        () => new SharedArrayBuffer(8),
        'args[0].upload',
        /SharedArrayBuffer cannot be shared with another process/,
      ],
    ])(
      'rejects %s argument, which a child process would not receive intact',
      async (_kind, make, path, reason) => {
        const strategy = strategyFor();
        const error = await runTaskWithTimeout(
          moduleTask<[unknown], unknown>('echo'),
          [{ upload: make() }],
          { strategy },
        ).catch((e: unknown) => e);
        expect(isTaskSerializationError(error)).toBe(true);
        expect(error).toMatchObject({ subject: 'argument', path });
        expect((error as { reason: string }).reason).toMatch(reason);
      },
    );

    it('rejects a Blob result, which would arrive as an empty object', async () => {
      const strategy = strategyFor();
      const task = defineTask({
        name: 'blob result',
        timeout: 10_000,
        run: () => ({ files: [new Blob(['data'])] }),
      });
      const error = await runTaskWithTimeout(task, [], { strategy }).catch((e: unknown) => e);
      expect(isTaskSerializationError(error)).toBe(true);
      expect(error).toMatchObject({ subject: 'result', path: 'result.files[0]' });
    });

    it('rejects an uncloneable result from the child, naming its path', async () => {
      const strategy = strategyFor();
      const error = await runTaskWithTimeout(moduleTask('returnFunction'), [], { strategy }).catch(
        (e: unknown) => e,
      );
      expect(isTaskSerializationError(error)).toBe(true);
      expect(error).toMatchObject({ subject: 'result', path: 'result.list[1].handler' });
    });
  });

  describe('pool', () => {
    it('keeps a warm spare: the task after a kill runs in a process started before it', async () => {
      const strategy = strategyFor({ maxProcesses: 1, spareProcesses: 1 });
      const describe = moduleTask<[string], { pid: number }>('describeProcess');
      const first = await runTaskWithTimeout(describe, ['HOME'], { strategy });
      expect(await eventually(() => childrenOf(process.pid).length === 2)).toBe(true);
      const before = childrenOf(process.pid);
      const spare = before.find((pid) => pid !== first.pid);
      const spin = defineTask({
        name: 'spin',
        timeout: 100,
        run: (): never => {
          for (;;) {}
        },
      });
      const error = await runTaskWithTimeout(spin, [], { strategy }).catch((e: unknown) => e);
      expect(isTaskTimeoutError(error)).toBe(true);
      const next = await runTaskWithTimeout(describe, ['HOME'], { strategy });
      expect(next.pid).toBe(spare);
    });

    it('never runs more than maxProcesses tasks at once, and queues the rest', async () => {
      const strategy = strategyFor({ maxProcesses: 2, spareProcesses: 0 });
      const running = join(scratch, 'running');
      mkdirSync(running);
      // Each task counts the tasks running beside it (entries in a shared directory).
      const countRunning = moduleTask<[string, number], number>('countRunning');
      const most = await Promise.all(
        Array.from({ length: 8 }, () =>
          runTaskWithTimeout(countRunning, [running, 100], { strategy }),
        ),
      );
      expect(Math.max(...most)).toBe(2);
    });

    it('counts the timeout from when the task starts, not while it waits in the queue', async () => {
      const strategy = strategyFor({ maxProcesses: 1 });
      const blockerStarted = join(scratch, 'queue-blocker');
      const controller = new AbortController();
      const blocker = runTaskWithTimeout(
        moduleTask<[string], never>('reportPid'),
        [blockerStarted],
        {
          strategy,
          signal: controller.signal,
        },
      ).catch((e: unknown) => e);
      await readWhenWritten(blockerStarted);
      const queued = runTaskWithTimeout(
        moduleTask<[number, number], number>(undefined, 300),
        [1, 1],
        {
          strategy,
        },
      );
      // The queued task waits longer than its own limit before it starts.
      await new Promise((resolve) => setTimeout(resolve, 600));
      controller.abort(new Error('unblock'));
      expect(isTaskAbortedError(await blocker)).toBe(true);
      await expect(queued).resolves.toBe(2);
    });

    it('takes a queued task out of the queue when its signal aborts', async () => {
      const strategy = strategyFor({ maxProcesses: 1 });
      const blockerStarted = join(scratch, 'abort-queued-blocker');
      const blocker = runTaskWithTimeout(
        moduleTask<[string], never>('reportPid', 5_000),
        [blockerStarted],
        { strategy },
      ).catch((e: unknown) => e);
      await readWhenWritten(blockerStarted);
      const controller = new AbortController();
      const queued = runTaskWithTimeout(moduleTask<[number, number], number>(undefined), [1, 1], {
        strategy,
        signal: controller.signal,
      }).catch((e: unknown) => e);
      const reason = new Error('no longer needed');
      controller.abort(reason);
      const error = await queued;
      expect(isTaskAbortedError(error)).toBe(true);
      expect(error).toMatchObject({ phase: 'queued', cause: reason });
      await strategy.close();
      expect(isStrategyClosedError(await blocker)).toBe(true);
    });

    it('rejects with TaskQueueFullError beyond maxQueue waiting tasks', async () => {
      const strategy = strategyFor({ maxProcesses: 1, maxQueue: 1 });
      const blockerStarted = join(scratch, 'queue-full-blocker');
      const blocker = runTaskWithTimeout(
        moduleTask<[string], never>('reportPid'),
        [blockerStarted],
        {
          strategy,
        },
      ).catch((e: unknown) => e);
      const waiting = runTaskWithTimeout(moduleTask<[number, number], number>(undefined), [1, 1], {
        strategy,
      }).catch((e: unknown) => e);
      const refused = await runTaskWithTimeout(moduleTask(undefined), [1, 1], { strategy }).catch(
        (e: unknown) => e,
      );
      expect(isTaskQueueFullError(refused)).toBe(true);
      expect(refused).toMatchObject({
        name: 'TaskQueueFullError',
        maxQueue: 1,
        strategy: 'process',
      });
      await strategy.close();
      expect(isStrategyClosedError(await blocker)).toBe(true);
      expect(isStrategyClosedError(await waiting)).toBe(true);
    });

    it('stops idle processes beyond the spares after idleTimeout', async () => {
      const strategy = strategyFor({ maxProcesses: 3, spareProcesses: 0, idleTimeout: 100 });
      const describe = moduleTask<[string], { pid: number }>('describeProcess');
      const results = await Promise.all(
        Array.from({ length: 3 }, () => runTaskWithTimeout(describe, ['HOME'], { strategy })),
      );
      expect(results.length).toBe(3);
      expect(await eventually(() => childrenOf(process.pid).length === 0)).toBe(true);
    });
  });

  describe('child process settings', () => {
    it('starts children with the given env, cwd and execArgv', async () => {
      const strategy = strategyFor({
        env: { ...env, TIMEBOX_PROCESS_TEST: 'set' },
        cwd: pathToFileURL(scratch),
        execArgv: ['--max-old-space-size=64'],
      });
      const described = await runTaskWithTimeout(
        moduleTask<[string], { cwd: string; variable: string; execArgv: string[] }>(
          'describeProcess',
        ),
        ['TIMEBOX_PROCESS_TEST'],
        { strategy },
      );
      expect(described).toMatchObject({
        cwd: scratch,
        variable: 'set',
        execArgv: ['--max-old-space-size=64'],
      });
    });

    it("captures stdout and stderr with stdio: 'pipe' and hands them to onOutput", async () => {
      const outputs: ProcessOutput[] = [];
      const strategy = strategyFor({ stdio: 'pipe', onOutput: (output) => outputs.push(output) });
      const task = moduleTask<[string], string>('print');
      await expect(runTaskWithTimeout(task, ['hello'], { strategy })).resolves.toBe('printed');
      expect(
        await eventually(() =>
          outputs
            .map((output) => output.text)
            .join('')
            .includes('err:hello'),
        ),
      ).toBe(true);
      const text = (stream: string) =>
        outputs
          .filter((output) => output.stream === stream)
          .map((output) => output.text)
          .join('');
      expect(text('stdout')).toBe('out:hello\n');
      expect(text('stderr')).toBe('err:hello\n');
      expect(outputs[0]).toMatchObject({ taskName: 'process print' });
      expect(outputs[0]?.pid).toBeGreaterThan(0);
    });
  });

  describe('close()', () => {
    it('rejects queued and running tasks, and refuses new ones', async () => {
      const strategy = processStrategy({ env, maxProcesses: 1 });
      const runningStarted = join(scratch, 'close-running');
      const running = runTaskWithTimeout(
        moduleTask<[string], string>('cooperate'),
        [runningStarted],
        { strategy },
      ).catch((e: unknown) => e);
      const queued = runTaskWithTimeout(moduleTask(undefined), [1, 1], { strategy }).catch(
        (e: unknown) => e,
      );
      await readWhenWritten(runningStarted);
      await strategy.close();
      const runningError = await running;
      const queuedError = await queued;
      expect(isStrategyClosedError(runningError)).toBe(true);
      expect(runningError).toMatchObject({ phase: 'running', strategy: 'process' });
      expect(isStrategyClosedError(queuedError)).toBe(true);
      expect(queuedError).toMatchObject({ phase: 'queued' });
      // Closing is not a reason to refuse a task as unsupported: the run says it was closed.
      expect(strategy.supports(moduleTask('echo'))).toEqual({ supported: true });
      const refused = await runTaskWithTimeout(moduleTask(undefined), [1, 1], { strategy }).catch(
        (e: unknown) => e,
      );
      expect(isStrategyClosedError(refused)).toBe(true);
      expect(refused).toMatchObject({ phase: 'after-close', strategy: 'process' });
      const direct = await strategy
        .run(moduleTask(undefined), [1, 1], { timeout: 1_000, logger: silentLogger })
        .catch((e: unknown) => e);
      expect(isStrategyClosedError(direct)).toBe(true);
      expect(direct).toMatchObject({ phase: 'after-close' });
      expect(childrenOf(process.pid)).toEqual([]);
    });

    it("passes the caller's abort reason to the task's taskSignal() as the cause", async () => {
      const strategy = strategyFor({ maxProcesses: 1, graceMs: 5_000 });
      const startedFile = join(scratch, 'reason-started');
      const reasonFile = join(scratch, 'reason');
      const controller = new AbortController();
      const running = runTaskWithTimeout(
        moduleTask<[string, string], string>('reportAbortReason'),
        [startedFile, reasonFile],
        { strategy, signal: controller.signal },
      ).catch((e: unknown) => e);
      await readWhenWritten(startedFile);
      controller.abort(new Error('no longer needed'));
      expect(await running).toMatchObject({ name: 'TaskAbortedError', phase: 'running' });
      expect(await readWhenWritten(reasonFile)).toEqual({
        name: 'TaskAbortedError',
        cause: 'no longer needed',
      });
    });

    it('settles a call within startTimeout when a child never becomes ready (--inspect-brk)', async () => {
      const strategy = strategyFor({
        maxProcesses: 1,
        spareProcesses: 0,
        execArgv: ['--inspect-brk=0'],
        startTimeout: 500,
        startAttempts: 2,
      });
      const started = performance.now();
      const error = await runTaskWithTimeout(moduleTask('echo', 100), ['x'], { strategy }).catch(
        (e: unknown) => e,
      );
      const waited = performance.now() - started;
      expect(isTaskCrashedError(error)).toBe(true);
      expect(error).toMatchObject({ reason: 'spawn-failed', strategy: 'process' });
      expect((error as Error).message).toContain('did not become ready within 500 ms');
      expect(waited).toBeGreaterThanOrEqual(900);
      expect(waited).toBeLessThan(10_000);
    });

    it('reports in TaskTimeoutError.stopped that the process tree was confirmed gone', async () => {
      const strategy = strategyFor({ maxProcesses: 1, graceMs: 0 });
      const error = (await runTaskWithTimeout(moduleTask('neverSettle', 100), [], {
        strategy,
      }).catch((e: unknown) => e)) as { stopped: Promise<unknown> };
      expect(isTaskTimeoutError(error)).toBe(true);
      await expect(error.stopped).resolves.toMatchObject({ confirmed: true, forced: false });
      expect(error).toMatchObject({ stillRunning: false, forced: false });
    });

    it('can be called twice and before any task', async () => {
      const strategy = processStrategy({ env });
      await strategy.close();
      await strategy.close();
      expect(childrenOf(process.pid)).toEqual([]);
    });
  });
});
