// Fault matrix: each fault under every strategy it applies to, asserting the typed error
// and that the next task on the same strategy succeeds.
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import {
  type AnyTask,
  createTimebox,
  defineTask,
  isStrategyClosedError,
  isTaskAbortedError,
  isTaskCrashedError,
  isTaskSerializationError,
  isTaskTimeoutError,
  type ManagedStrategyName,
  processStrategy,
  type Task,
  type Timebox,
  workerStrategy,
} from '../index.js';
import { isAlive, leftovers, survivors } from './process-table.js';

const faults = new URL('./fixtures/faults.mjs', import.meta.url);
const scratch = mkdtempSync(join(tmpdir(), 'timebox-faults-'));
const timebox: Timebox = createTimebox({
  worker: { maxWorkers: 2, spareWorkers: 1, graceMs: 20 },
  process: { maxProcesses: 2, spareProcesses: 1, graceMs: 20, killTimeoutMs: 300 },
});
const closedElsewhere: Array<{ close(): Promise<void> }> = [];

afterAll(async () => {
  await timebox.close();
  await Promise.all(closedElsewhere.map((strategy) => strategy.close()));
  rmSync(scratch, { recursive: true, force: true });
  const left = await leftovers();
  expect(
    left,
    `fault matrix left workers or child processes behind: ${JSON.stringify(left)}`,
  ).toEqual({
    handles: [],
    children: [],
  });
});

const allStrategies: ManagedStrategyName[] = ['thread', 'worker', 'process'];
const hardStrategies: ManagedStrategyName[] = ['worker', 'process'];

function faultTask(exportName: string, timeout = 10_000): Task<unknown[], unknown> {
  return defineTask<unknown[], unknown>({
    name: `fault ${exportName}`,
    timeout,
    run: { module: faults, export: exportName },
  });
}
const echo = defineTask<[string], string>({
  name: 'fault echo',
  timeout: 10_000,
  run: { module: faults, export: 'echo' },
});

/** Runs `task` on `strategy` and returns what it rejected with; fails if it resolved. */
async function rejection(
  task: AnyTask,
  args: unknown[],
  strategy: ManagedStrategyName,
  options: { signal?: AbortSignal; timeout?: number } = {},
): Promise<unknown> {
  let value: unknown;
  try {
    value = await timebox.runTaskWithTimeout(task, args as never, { ...options, strategy });
  } catch (error) {
    return error;
  }
  expect.fail(
    `task '${task.name}' on strategy ${strategy} resolved with ${String(value)} instead of rejecting`,
  );
}

/** Describes an error for assertion messages. */
function describeError(error: unknown): string {
  if (error instanceof Error) {
    const fields = Object.fromEntries(
      Object.entries(error).filter(([key]) => !['stack', 'cause'].includes(key)),
    );
    return `${error.name}: ${error.message} ${JSON.stringify(fields)}`;
  }
  return `${typeof error} ${String(error)}`;
}

/** Asserts that the next task on `strategy` succeeds. */
async function expectNextTaskSucceeds(strategy: ManagedStrategyName, after: string): Promise<void> {
  const result = await timebox
    .runTaskWithTimeout(echo, ['next'], { strategy })
    .catch((error: unknown) => {
      expect.fail(
        `after '${after}' on strategy ${strategy}, the next task failed: ${describeError(error)}`,
      );
    });
  expect(result, `after '${after}' on strategy ${strategy}`).toBe('next');
}

interface ThrownCase {
  exportName: string;
  check(error: unknown, context: string): void;
}

const thrownCases: ThrownCase[] = [
  {
    exportName: 'throwsError',
    check(error, context) {
      expect(error, context).toBeInstanceOf(Error);
      expect(error, context).toMatchObject({ name: 'Error', message: 'plain failure' });
    },
  },
  {
    exportName: 'throwsSubclass',
    check(error, context) {
      expect(error, context).toBeInstanceOf(Error);
      expect(error, context).toMatchObject({
        name: 'QuotaError',
        message: 'over quota',
        code: 'E_QUOTA',
        quota: { limit: 10, used: 11 },
      });
    },
  },
  {
    exportName: 'throwsString',
    check(error, context) {
      expect(error, context).toBe('a string was thrown');
    },
  },
  {
    exportName: 'throwsUndefined',
    check(error, context) {
      expect(error, context).toBeUndefined();
    },
  },
  {
    exportName: 'throwsObject',
    check(error, context) {
      expect(error, context).toEqual({ code: 42, detail: 'an object was thrown' });
    },
  },
  {
    exportName: 'rejectsLater',
    check(error, context) {
      expect(error, context).toMatchObject({ name: 'Error', message: 'rejected later' });
    },
  },
];

describe.each(allStrategies)('strategy %s', (strategy) => {
  const enforcement = strategy === 'thread' ? 'soft' : 'hard';

  it.each(thrownCases)(
    '$exportName: the thrown value comes back as it was',
    async ({ exportName, check }) => {
      const task = faultTask(exportName);
      const error = await rejection(task, [], strategy);
      check(error, `task '${task.name}' on strategy ${strategy}: got ${describeError(error)}`);
      await expectNextTaskSucceeds(strategy, task.name);
    },
  );

  it('never settles: TaskTimeoutError', async () => {
    const task = faultTask('neverSettles', 50);
    const error = await rejection(task, [], strategy);
    const context = `task '${task.name}' on strategy ${strategy}: got ${describeError(error)}`;
    expect(isTaskTimeoutError(error), context).toBe(true);
    expect(error, context).toMatchObject({
      taskName: task.name,
      strategy,
      enforcement,
      // Soft: the task runs on. Hard: the runner is still being stopped at the rejection.
      stillRunning: true,
    });
    if (enforcement === 'hard' && isTaskTimeoutError(error)) {
      await error.stopped;
      expect(error.stillRunning, context).toBe(false);
    }
    await expectNextTaskSucceeds(strategy, task.name);
  });

  it('timeout 0: TaskTimeoutError', async () => {
    const task = defineTask({
      name: 'fault timeout 0',
      timeout: 0,
      run: { module: faults, export: 'waits' },
    });
    const error = await rejection(task, [5_000], strategy);
    expect(
      isTaskTimeoutError(error),
      `task '${task.name}' on ${strategy}: ${describeError(error)}`,
    ).toBe(true);
    await expectNextTaskSucceeds(strategy, task.name);
  });

  it('timeout 1 ms: TaskTimeoutError', async () => {
    const task = defineTask({
      name: 'fault timeout 1',
      timeout: 1,
      run: { module: faults, export: 'waits' },
    });
    const error = await rejection(task, [5_000], strategy);
    expect(
      isTaskTimeoutError(error),
      `task '${task.name}' on ${strategy}: ${describeError(error)}`,
    ).toBe(true);
    expect(error).toMatchObject({ timeout: 1, strategy });
    await expectNextTaskSucceeds(strategy, task.name);
  });

  it('timeout Infinity and above 2^31-1: the task runs to its end', async () => {
    for (const timeout of [Number.POSITIVE_INFINITY, 2 ** 31, 2 ** 40]) {
      const task = defineTask<[number], string>({
        name: `fault timeout ${timeout}`,
        timeout,
        run: { module: faults, export: 'waits' },
      });
      const result = await timebox
        .runTaskWithTimeout(task, [30], { strategy })
        .catch(
          (error: unknown) =>
            `task '${task.name}' on ${strategy} rejected: ${describeError(error)}`,
        );
      expect(result).toBe('done');
    }
  });

  it('caller aborts before the run: TaskAbortedError before-start', async () => {
    const task = faultTask('waits');
    const reason = new Error('aborted before');
    const error = await rejection(task, [5_000], strategy, { signal: AbortSignal.abort(reason) });
    const context = `task '${task.name}' on ${strategy}: ${describeError(error)}`;
    expect(isTaskAbortedError(error), context).toBe(true);
    expect(error, context).toMatchObject({ phase: 'before-start', cause: reason });
    await expectNextTaskSucceeds(strategy, 'abort before');
  });

  it('caller aborts during the run: TaskAbortedError', async () => {
    const task = faultTask('waits');
    const controller = new AbortController();
    const reason = new Error('aborted during');
    const pending = rejection(task, [10_000], strategy, { signal: controller.signal });
    setTimeout(() => controller.abort(reason), 150);
    const error = await pending;
    const context = `task '${task.name}' on ${strategy}: ${describeError(error)}`;
    expect(isTaskAbortedError(error), context).toBe(true);
    expect(error, context).toMatchObject({ cause: reason });
    await expectNextTaskSucceeds(strategy, 'abort during');
  });

  it('caller aborts after the run: the result stands, nothing rejects later', async () => {
    const controller = new AbortController();
    const result = await timebox.runTaskWithTimeout(echo, ['kept'], {
      strategy,
      signal: controller.signal,
    });
    controller.abort(new Error('aborted after'));
    expect(result, `task '${echo.name}' on ${strategy}`).toBe('kept');
    await expectNextTaskSucceeds(strategy, 'abort after');
  });

  it('returns a 100 MB buffer: it arrives whole', async () => {
    const size = 100 * 2 ** 20;
    const task = defineTask<[number], Uint8Array>({
      name: 'fault huge result',
      timeout: 60_000,
      run: (length: number) => new Uint8Array(length).fill(7),
    });
    const result = await timebox.runTaskWithTimeout(task, [size], { strategy });
    const context = `task '${task.name}' on ${strategy}`;
    expect(result.length, context).toBe(size);
    expect(result[0], context).toBe(7);
    expect(result[size - 1], context).toBe(7);
    await expectNextTaskSucceeds(strategy, 'huge result');
  }, 60_000);
});

describe.each(hardStrategies)('hard strategy %s', (strategy) => {
  it('sync infinite loop: TaskTimeoutError', async () => {
    const task = faultTask('runaway', 50);
    const error = await rejection(task, [], strategy);
    const context = `task '${task.name}' on ${strategy}: ${describeError(error)}`;
    expect(isTaskTimeoutError(error), context).toBe(true);
    expect(error, context).toMatchObject({ taskName: task.name, strategy, enforcement: 'hard' });
    await expectNextTaskSucceeds(strategy, task.name);
  });

  it('process.exit(3): TaskCrashedError exit 3, never a timeout', async () => {
    const task = faultTask('exitsWithThree');
    const error = await rejection(task, [], strategy);
    const context = `task '${task.name}' on ${strategy}: ${describeError(error)}`;
    expect(isTaskCrashedError(error), context).toBe(true);
    expect(isTaskTimeoutError(error), context).toBe(false);
    expect(error, context).toMatchObject({ reason: 'exit', exitCode: 3 });
    await expectNextTaskSucceeds(strategy, task.name);
  });

  it('throws from a timer: TaskCrashedError uncaught-exception', async () => {
    const task = faultTask('throwsFromTimer');
    const error = await rejection(task, [], strategy);
    const context = `task '${task.name}' on ${strategy}: ${describeError(error)}`;
    expect(isTaskCrashedError(error), context).toBe(true);
    expect(error, context).toMatchObject({ reason: 'uncaught-exception' });
    await expectNextTaskSucceeds(strategy, task.name);
  });

  it.each(['returnsFunction', 'returnsSymbol'])(
    '%s: TaskSerializationError for the result',
    async (exportName) => {
      const task = faultTask(exportName);
      const error = await rejection(task, [], strategy);
      const context = `task '${task.name}' on ${strategy}: ${describeError(error)}`;
      expect(isTaskSerializationError(error), context).toBe(true);
      expect(error, context).toMatchObject({ subject: 'result' });
      await expectNextTaskSucceeds(strategy, task.name);
    },
  );

  it('uncloneable args: TaskSerializationError naming the path', async () => {
    const error = await rejection(echo, [{ handler: () => 1 }], strategy);
    const context = `task '${echo.name}' on ${strategy}: ${describeError(error)}`;
    expect(isTaskSerializationError(error), context).toBe(true);
    expect(error, context).toMatchObject({ path: 'args[0].handler' });
    await expectNextTaskSucceeds(strategy, 'uncloneable args');
  });

  it('close() while tasks run: StrategyClosedError, and a second close() resolves', async () => {
    const own = createTimebox({
      worker: { maxWorkers: 1, spareWorkers: 0 },
      process: { maxProcesses: 1, spareProcesses: 0, killTimeoutMs: 300 },
    });
    const task = faultTask('waits');
    const running = own.runTaskWithTimeout(task, [10_000], { strategy }).then(
      (value) => ({ value }),
      (error: unknown) => ({ error }),
    );
    const queued = own.runTaskWithTimeout(task, [10_000], { strategy }).then(
      (value) => ({ value }),
      (error: unknown) => ({ error }),
    );
    await new Promise((resolve) => setTimeout(resolve, 200));
    await own.close();
    for (const outcome of [await running, await queued]) {
      const error = 'error' in outcome ? outcome.error : undefined;
      expect(
        isStrategyClosedError(error),
        `task '${task.name}' on ${strategy} after close(): ${'value' in outcome ? `resolved ${String(outcome.value)}` : describeError(error)}`,
      ).toBe(true);
    }
    await expect(own.close()).resolves.toBeUndefined();
  });
});

describe('definition-time timeouts', () => {
  it.each([Number.NaN, -1, Number.NEGATIVE_INFINITY])(
    'timeout %s: RangeError naming the task',
    (timeout) => {
      expect(() =>
        defineTask({ name: 'bad timeout', timeout, run: { module: faults, export: 'echo' } }),
      ).toThrow(RangeError);
      expect(() =>
        defineTask({ name: 'bad timeout', timeout, run: { module: faults, export: 'echo' } }),
      ).toThrow(/bad timeout/);
    },
  );

  it('timeout Infinity with the auto selector runs the task directly', async () => {
    const task = defineTask<[number], string>({
      name: 'fault unlimited auto',
      timeout: Number.POSITIVE_INFINITY,
      run: { module: faults, export: 'waits' },
    });
    const explanation = timebox.explain(task);
    expect(explanation, `selection for '${task.name}'`).toMatchObject({
      strategy: null,
      name: 'direct',
      enforcement: 'none',
    });
    expect(await timebox.runTaskWithTimeout(task, [10])).toBe('done');
  });
});

describe('process strategy against stubborn children', () => {
  it('a child that ignores SIGTERM is still killed: TaskTimeoutError, pid gone', async () => {
    const pidFile = join(scratch, 'stubborn-child');
    const task = faultTask('ignoresSigterm', 200);
    const error = await rejection(task, [pidFile], 'process');
    const pid = existsSync(pidFile) ? Number(readFileSync(pidFile, 'utf8')) : undefined;
    const context = `task '${task.name}' on process (child pid ${pid}): ${describeError(error)}`;
    expect(isTaskTimeoutError(error), context).toBe(true);
    expect(pid, `${context}: the task never wrote its pid`).toBeTypeOf('number');
    expect(await survivors([pid as number]), context).toEqual([]);
    await expectNextTaskSucceeds('process', task.name);
  });

  it('a grandchild that ignores SIGTERM is still killed: TaskTimeoutError, pid gone', async () => {
    const pidFile = join(scratch, 'stubborn-grandchild');
    const task = faultTask('grandchildIgnoresSigterm', 3_000);
    const error = await rejection(task, [pidFile], 'process');
    const pid = existsSync(pidFile) ? Number(readFileSync(pidFile, 'utf8')) : undefined;
    const context = `task '${task.name}' on process (grandchild pid ${pid}): ${describeError(error)}`;
    expect(isTaskTimeoutError(error), context).toBe(true);
    expect(pid, `${context}: the task never wrote the grandchild's pid`).toBeTypeOf('number');
    expect(await survivors([pid as number]), context).toEqual([]);
    expect(isAlive(pid as number)).toBe(false);
    await expectNextTaskSucceeds('process', task.name);
  });
});

describe('process strategy reusing a child', () => {
  it('a task that changed env, cwd, umask and added a SIGTERM listener leaves none of it to the next task there', async () => {
    const leave = faultTask('leavesStateBehind');
    const pid = await timebox.runTaskWithTimeout(leave, [scratch], { strategy: 'process' });
    const hostMask = process.umask(0o022);
    process.umask(hostMask);
    const found = await timebox.runTaskWithTimeout(faultTask('describesState'), [], {
      strategy: 'process',
    });
    const context = `task '${leave.name}' in child ${pid}, then a task in child ${(found as { pid: number }).pid}`;
    // The most recently used idle child takes the next task: the same one.
    expect(found, context).toEqual({
      pid,
      variable: undefined,
      cwd: process.cwd(),
      umask: hostMask,
      terminateListeners: 0,
    });
  });
});

describe('memory limits', () => {
  it.each([
    [
      'worker',
      () =>
        workerStrategy({
          maxWorkers: 1,
          spareWorkers: 0,
          resourceLimits: { maxOldGenerationSizeMb: 24, maxYoungGenerationSizeMb: 4 },
        }),
    ],
    [
      'process',
      () =>
        processStrategy({
          maxProcesses: 1,
          spareProcesses: 0,
          execArgv: ['--max-old-space-size=32'],
        }),
    ],
  ] as const)(
    '%s: exceeding the heap limit is TaskCrashedError out-of-memory, and the next task runs',
    async (name, create) => {
      const strategy = create();
      closedElsewhere.push(strategy);
      const task = faultTask('allocatesForever', 30_000);
      const error = await timebox.runTaskWithTimeout(task, [], { strategy }).then(
        (value) => expect.fail(`task '${task.name}' on ${name} resolved with ${String(value)}`),
        (caught: unknown) => caught,
      );
      const context = `task '${task.name}' on ${name}: ${describeError(error)}`;
      expect(isTaskCrashedError(error), context).toBe(true);
      expect(error, context).toMatchObject({ reason: 'out-of-memory' });
      expect(
        await timebox.runTaskWithTimeout(echo, ['next'], { strategy }),
        `after '${task.name}' on ${name}`,
      ).toBe('next');
      await strategy.close();
    },
  );
});

describe('two strategies closed twice', () => {
  it('the second close() of each resolves', async () => {
    const worker = workerStrategy({ maxWorkers: 1, spareWorkers: 0 });
    const child = processStrategy({ maxProcesses: 1, spareProcesses: 0 });
    closedElsewhere.push(worker, child);
    expect(await timebox.runTaskWithTimeout(echo, ['w'], { strategy: worker })).toBe('w');
    expect(await timebox.runTaskWithTimeout(echo, ['p'], { strategy: child })).toBe('p');
    await Promise.all([worker.close(), child.close()]);
    await expect(Promise.all([worker.close(), child.close()])).resolves.toEqual([
      undefined,
      undefined,
    ]);
  });
});
