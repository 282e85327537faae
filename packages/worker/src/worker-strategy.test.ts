import { fileURLToPath } from 'node:url';
import {
  defineTask,
  isTaskModuleLoadError,
  isTaskSerializationError,
  isTaskUnsupportedError,
  runTaskWithTimeout,
  silentLogger,
  type TimeoutStrategy,
} from '@timebox/core';
import { strategyConformanceSuite } from '@timebox/core/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { workerStrategy } from './index.js';
import { fixtureTask, rejectionOf, tasksModule, workerCount } from './test-helpers.js';

/** Inline functions reach their signal as this free identifier (see the README). */
declare function taskSignal(): AbortSignal;

strategyConformanceSuite(
  'worker',
  (options) =>
    workerStrategy({
      maxWorkers: options?.runners ?? 2,
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

describe('workerStrategy tasks', () => {
  let strategy: TimeoutStrategy;
  let workersBefore: number;

  beforeAll(() => {
    workersBefore = workerCount();
    strategy = workerStrategy({ maxWorkers: 2 });
  });

  afterAll(async () => {
    await strategy.close();
    expect(workerCount()).toBe(workersBefore);
  });

  it('names itself and its enforcement', () => {
    expect(strategy.name).toBe('worker');
    expect(strategy.enforcement).toBe('hard');
  });

  describe('module tasks', () => {
    it('runs a named export of an ESM module given as a URL', async () => {
      const task = defineTask({
        name: 'esm named',
        timeout: 10_000,
        run: { module: tasksModule, export: 'add' },
      });
      await expect(runTaskWithTimeout(task, [40, 2], { strategy })).resolves.toBe(42);
    });

    it('runs the default export of an ESM module given as an absolute path', async () => {
      const task = defineTask({
        name: 'esm default',
        timeout: 10_000,
        run: {
          module: fileURLToPath(new URL('./test-fixtures/default-task.mjs', import.meta.url)),
        },
      });
      await expect(runTaskWithTimeout(task, [6, 7], { strategy })).resolves.toBe(42);
    });

    it('runs module.exports of a CommonJS module given as a file URL string', async () => {
      const task = defineTask({
        name: 'cjs default',
        timeout: 10_000,
        run: { module: new URL('./test-fixtures/tasks.cjs', import.meta.url).href },
      });
      await expect(runTaskWithTimeout(task, [50, 8], { strategy })).resolves.toBe(42);
    });

    it('runs a named field of a CommonJS module', async () => {
      const task = defineTask({
        name: 'cjs named',
        timeout: 10_000,
        run: { module: new URL('./test-fixtures/tasks.cjs', import.meta.url), export: 'shout' },
      });
      await expect(runTaskWithTimeout(task, ['hello'], { strategy })).resolves.toBe('HELLO!');
    });

    it('gives module tasks taskSignal() from @timebox/core', async () => {
      const task = fixtureTask<[], { aborted: boolean }>('signalState');
      await expect(runTaskWithTimeout(task, [], { strategy })).resolves.toEqual({ aborted: false });
    });

    it('rejects with a TaskModuleLoadError naming the export when it is not a function', async () => {
      const task = defineTask({
        name: 'missing export',
        timeout: 10_000,
        run: { module: tasksModule, export: 'noSuchExport' },
      });
      const error = await rejectionOf(runTaskWithTimeout(task, [], { strategy }));
      expect(isTaskModuleLoadError(error)).toBe(true);
      expect(error).toMatchObject({ exportName: 'noSuchExport', reason: 'not-a-function' });
      expect((error as Error).message).toContain("export 'noSuchExport'");
    });
  });

  describe('inline functions', () => {
    it('runs a self-contained function shipped as source', async () => {
      const task = defineTask({
        name: 'inline power',
        timeout: 10_000,
        run: (base: number, exponent: number) => base ** exponent,
      });
      await expect(runTaskWithTimeout(task, [2, 10], { strategy })).resolves.toBe(1024);
    });

    it('gives inline functions taskSignal as a free identifier', async () => {
      const task = defineTask({
        name: 'inline signal',
        timeout: 10_000,
        run: () => {
          const signal = taskSignal();
          return { isSignal: signal instanceof AbortSignal, aborted: signal.aborted };
        },
      });
      await expect(runTaskWithTimeout(task, [], { strategy })).resolves.toEqual({
        isSignal: true,
        aborted: false,
      });
    });

    it('refuses a function that reads its enclosing scope before it runs, naming the variable and the fix', async () => {
      const factor = 3;
      const runs = new Int32Array(new SharedArrayBuffer(4));
      const task = defineTask({
        name: 'inline closure',
        timeout: 10_000,
        run: (counter: Int32Array, value: number) => {
          Atomics.add(counter, 0, 1);
          return value * factor;
        },
      });
      expect(strategy.supports(task)).toEqual({
        supported: false,
        reason: expect.stringContaining('reads factor from its enclosing scope'),
      });
      const error = await rejectionOf(runTaskWithTimeout(task, [runs, 14], { strategy }));
      expect(isTaskUnsupportedError(error)).toBe(true);
      expect((error as Error).message).toMatch(
        /^Task 'inline closure' cannot run under the worker strategy: the inline function reads factor .*module task/,
      );
      expect(Atomics.load(runs, 0)).toBe(0);
    });

    it('refuses a function that uses a global its module imported, such as crypto', () => {
      const hash = new Function(
        "return (text) => crypto.createHash('sha256').update(text).digest('hex');",
      )() as (text: string) => string;
      const task = defineTask({ name: 'hash', timeout: 10_000, run: hash });
      expect(strategy.supports(task)).toEqual({
        supported: false,
        reason: expect.stringMatching(
          /uses crypto\.createHash \(imported from node:crypto\?\).*await import\('node:crypto'\)/,
        ),
      });
    });

    it('still reports a closure that run() is given directly, once it reads the variable there', async () => {
      const factor = 3;
      const task = defineTask({
        name: 'direct closure',
        timeout: 10_000,
        run: (value: number) => value * factor,
      });
      const error = await rejectionOf(
        strategy.run(task, [14], { timeout: 10_000, signal: undefined, logger: silentLogger }),
      );
      expect(isTaskSerializationError(error)).toBe(true);
      expect(error).toMatchObject({ subject: 'function', path: 'run' });
      expect((error as Error).message).toContain("reads 'factor' from its enclosing scope");
    });

    it('refuses native and bound functions up front, with the reason', async () => {
      const native = defineTask({ name: 'native', timeout: 1_000, run: Math.max });
      const bound = defineTask({
        name: 'bound',
        timeout: 1_000,
        run: ((left: number, right: number) => left + right).bind(null, 1),
      });
      const nativeSupport = strategy.supports(native);
      expect(nativeSupport.supported).toBe(false);
      expect(nativeSupport).toMatchObject({ reason: expect.stringContaining('a native function') });
      expect(strategy.supports(bound)).toMatchObject({
        supported: false,
        reason: expect.stringContaining('a bound function'),
      });
      const error = await rejectionOf(runTaskWithTimeout(native, [1, 2], { strategy }));
      expect(isTaskUnsupportedError(error)).toBe(true);
      expect((error as Error).message).toContain('a native function');
    });

    it('supports module tasks, and nothing where workers are not allowed', () => {
      const task = fixtureTask('add');
      expect(strategy.supports(task)).toEqual({ supported: true });
      expect(strategy.supports(task, { workersAllowed: false })).toMatchObject({
        supported: false,
        reason: expect.stringContaining('workersAllowed: false'),
      });
    });
  });

  describe('serialization', () => {
    it('refuses an argument that cannot be cloned before the task starts, naming its path', async () => {
      const task = fixtureTask<[number, { handler: () => void }], unknown>('add');
      const error = await rejectionOf(
        runTaskWithTimeout(task, [1, { handler: () => {} }], { strategy }),
      );
      expect(isTaskSerializationError(error)).toBe(true);
      expect(error).toMatchObject({ subject: 'argument', path: 'args[1].handler' });
    });

    it('rejects a result that cannot be cloned with TaskSerializationError, not a timeout', async () => {
      const task = fixtureTask<[], unknown>('returnHandler', 5_000);
      const started = performance.now();
      const error = await rejectionOf(runTaskWithTimeout(task, [], { strategy }));
      expect(isTaskSerializationError(error)).toBe(true);
      expect(error).toMatchObject({ subject: 'result', path: 'result.handler' });
      expect(performance.now() - started).toBeLessThan(4_000);
    });

    it('carries structured values both ways', async () => {
      const value = { map: new Map([[1, 'one']]), set: new Set([2]), when: new Date(5), big: 7n };
      const task = defineTask({
        name: 'inline echo',
        timeout: 10_000,
        run: (input: typeof value) => input,
      });
      await expect(runTaskWithTimeout(task, [value], { strategy })).resolves.toEqual(value);
    });
  });
});
