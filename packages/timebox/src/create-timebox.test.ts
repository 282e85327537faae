import { threadId } from 'node:worker_threads';
import {
  defineTask,
  isStrategyClosedError,
  isTaskSerializationError,
  isTaskTimeoutError,
  type Logger,
  silentLogger,
  type TimeoutStrategy,
} from '@timebox/core';
import {
  createSelector,
  defaultRules,
  defineRule,
  isStrategySelectionError,
  processIsolationTag,
} from '@timebox/select';
import { threadStrategy } from '@timebox/thread';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { Timebox } from './assemble-timebox.js';
import { createTimebox } from './create-timebox.js';
import { childPids, leakedHandles, settled } from './test-support/leftovers.js';

const tasksModule = new URL('./test-fixtures/tasks.mjs', import.meta.url);
interface Place {
  pid: number;
  threadId: number;
}

const whereAmI = defineTask<[], Place>({
  name: 'where am I',
  timeout: 15_000,
  run: { module: tasksModule, export: 'whereAmI' },
});
const whereAmIIsolated = defineTask<[], Place>({
  name: 'where am I, isolated',
  timeout: 15_000,
  tags: [processIsolationTag],
  run: { module: tasksModule, export: 'whereAmI' },
});
const heartbeat = defineTask<[SharedArrayBuffer], number>({
  name: 'heartbeat',
  timeout: 15_000,
  run: { module: tasksModule, export: 'heartbeat' },
});
const runaway = defineTask({
  name: 'runaway',
  timeout: 300,
  run: { module: tasksModule, export: 'runaway' },
});
// Self-contained: reads only globals that every thread and process has.
const selfContained = defineTask({
  name: 'self-contained',
  timeout: 15_000,
  run: (n: number) => ({
    doubled: n * 2,
    threadId: (
      process.getBuiltinModule('node:worker_threads') as typeof import('node:worker_threads')
    ).threadId,
  }),
});
const unlimited = defineTask({
  name: 'unlimited',
  run: () => ({
    threadId: (
      process.getBuiltinModule('node:worker_threads') as typeof import('node:worker_threads')
    ).threadId,
    pid: process.pid,
  }),
});

/** Whether `beats[0]` changes within `within` milliseconds. */
async function nextBeat(beats: Int32Array, within: number): Promise<boolean> {
  const seen = Atomics.load(beats, 0);
  // Atomics.waitAsync (Node 16+) is missing from the ES2022 lib typings.
  const { waitAsync } = Atomics as unknown as {
    waitAsync(
      view: Int32Array,
      index: number,
      value: number,
      timeout: number,
    ): { async: false; value: string } | { async: true; value: Promise<string> };
  };
  const waiting = waitAsync(beats, 0, seen, within);
  const outcome = waiting.async ? await waiting.value : waiting.value;
  return outcome !== 'timed-out' || Atomics.load(beats, 0) !== seen;
}

function recordingLogger(): { logger: Logger; warnings: string[]; debug: string[] } {
  const warnings: string[] = [];
  const debug: string[] = [];
  return {
    warnings,
    debug,
    logger: {
      debug: (message) => debug.push(message),
      info: () => {},
      warn: (message) => warnings.push(message),
      error: () => {},
    },
  };
}

describe('createTimebox', () => {
  const timeboxes: Timebox[] = [];
  const make = (...args: Parameters<typeof createTimebox>): Timebox => {
    const timebox = createTimebox(...args);
    timeboxes.push(timebox);
    return timebox;
  };

  beforeAll(() => {
    expect(leakedHandles()).toEqual([]);
  });

  afterEach(async () => {
    await Promise.all(timeboxes.splice(0).map((timebox) => timebox.close()));
  });

  afterAll(async () => {
    expect(await settled(childPids)).toEqual([]);
    expect(await settled(leakedHandles)).toEqual([]);
  });

  describe('automatic selection', () => {
    it('runs a module task in a worker thread', async () => {
      const timebox = make();
      expect(timebox.explain(whereAmI)).toMatchObject({ name: 'worker', rule: 'worker' });
      const place = await timebox.runTaskWithTimeout(whereAmI);
      expect(place.pid).toBe(process.pid);
      expect(place.threadId).not.toBe(threadId);
    });

    it('runs a self-contained function in a worker thread', async () => {
      const timebox = make();
      expect(timebox.explain(selfContained).name).toBe('worker');
      const result = await timebox.runTaskWithTimeout(selfContained, [21]);
      expect(result.doubled).toBe(42);
      expect(result.threadId).not.toBe(threadId);
    });

    it("runs a task tagged 'process-isolation' in a child process", async () => {
      const timebox = make();
      expect(timebox.explain(whereAmIIsolated)).toMatchObject({
        name: 'process',
        rule: 'process-isolation',
      });
      const place = await timebox.runTaskWithTimeout(whereAmIIsolated);
      expect(place.pid).not.toBe(process.pid);
    });

    it('runs a task without a time limit directly on the calling thread', async () => {
      const timebox = make();
      expect(timebox.explain(unlimited)).toMatchObject({
        strategy: null,
        name: 'direct',
        enforcement: 'none',
      });
      const place = await timebox.runTaskWithTimeout(unlimited);
      expect(place).toEqual({ threadId, pid: process.pid });
      expect(timebox.strategies.every((strategy) => !strategy.started)).toBe(true);
    });

    it('stops a runaway loop with a hard timeout in a worker', async () => {
      const timebox = make();
      const error = await timebox.runTaskWithTimeout(runaway).catch((e: unknown) => e);
      if (!isTaskTimeoutError(error)) throw error;
      await error.stopped;
      expect(error).toMatchObject({ strategy: 'worker', enforcement: 'hard', stillRunning: false });
    });

    it('runs a module task in a child process where workers are not allowed', async () => {
      const timebox = make({
        context: {
          runtime: 'node',
          permissionModel: true,
          workersAllowed: false,
          childProcessesAllowed: true,
        },
      });
      const selection = timebox.explain(whereAmI);
      expect(selection).toMatchObject({ name: 'process', rule: 'child-process' });
      expect(selection.reason).toContain('--allow-worker');
      expect((await timebox.runTaskWithTimeout(whereAmI)).pid).not.toBe(process.pid);
    });

    it('falls back to the thread strategy with a warning when worker and process are left out', async () => {
      const { logger, warnings } = recordingLogger();
      const timebox = make({ worker: false, process: false, logger });
      const place = await timebox.runTaskWithTimeout(whereAmI);
      expect(place).toEqual({ pid: process.pid, threadId });
      expect(warnings).toEqual([
        "task 'where am I' gets only a soft timeout (worker and process: not among the candidate strategies). At its deadline the caller gets a TaskTimeoutError, but the task is not stopped: it may keep running and keep the calling thread busy.",
      ]);
    });

    it('logs the chosen strategy and the reason at debug level', async () => {
      const { logger, debug } = recordingLogger();
      const timebox = make({ logger });
      await timebox.runTaskWithTimeout(selfContained, [1]);
      expect(debug[0]).toBe(
        "task 'self-contained' is a self-contained function and worker threads are allowed here, so it runs in a worker thread that is terminated at the deadline",
      );
    });

    it('throws StrategySelectionError when no candidate is left', async () => {
      const timebox = make({ worker: false, process: false, thread: false });
      const error = await timebox.runTaskWithTimeout(whereAmI).catch((e: unknown) => e);
      expect(isStrategySelectionError(error)).toBe(true);
    });
  });

  describe('closures', () => {
    /** Counts the runs of a task that takes it as its first argument, across threads. */
    function runCounter(): Int32Array {
      return new Int32Array(new SharedArrayBuffer(4));
    }

    /** A closure over `factor` that counts its runs in its first argument. */
    function countingClosure() {
      const factor = 3;
      return defineTask({
        name: 'closure',
        timeout: 15_000,
        run: (counter: Int32Array, n: number) => {
          Atomics.add(counter, 0, 1);
          return n * factor;
        },
      });
    }

    it('rejects a closure by default before it runs, naming the variable and the fixes', async () => {
      const timebox = make();
      const runs = runCounter();
      const closure = countingClosure();
      const error = await timebox.runTaskWithTimeout(closure, [runs, 2]).catch((e: unknown) => e);
      expect(isTaskSerializationError(error)).toBe(true);
      expect(error).toMatchObject({ subject: 'function', path: 'run' });
      expect((error as Error).message).toMatch(
        /^Task 'closure': run cannot be sent across the boundary: the inline function reads factor from its enclosing scope.*module task \(\{ module, export \}\); or createTimebox\(\{ closures: 'soft' \}\)/,
      );
      expect(() => timebox.explain(closure)).toThrow(/reads factor from its enclosing scope/);
      expect(Atomics.load(runs, 0)).toBe(0);
      expect(timebox.strategies.map((strategy) => strategy.started)).toEqual([false, false, false]);
    });

    it("rejects with closures: 'reject' a global that the caller's module imported", async () => {
      const timebox = make({ closures: 'reject' });
      const hash = new Function(
        "return (text) => crypto.createHash('sha256').update(text).digest('hex');",
      )() as (text: string) => string;
      const task = defineTask({ name: 'hash', timeout: 15_000, run: hash });
      const error = await timebox.runTaskWithTimeout(task, ['a']).catch((e: unknown) => e);
      expect(isTaskSerializationError(error)).toBe(true);
      expect((error as Error).message).toMatch(
        /crypto\.createHash \(imported from node:crypto\?\)/,
      );
    });

    it("runs a closure once on the calling thread with closures: 'soft', with a warning", async () => {
      const { logger, warnings } = recordingLogger();
      const timebox = make({ logger, closures: 'soft' });
      const runs = runCounter();
      const closure = countingClosure();
      expect(timebox.explain(closure)).toMatchObject({
        name: 'thread',
        rule: 'soft-closure',
        enforcement: 'soft',
      });
      expect(timebox.explain(closure).passedOver.map((entry) => entry.name)).toEqual([
        'worker',
        'process',
      ]);
      await expect(timebox.runTaskWithTimeout(closure, [runs, 2])).resolves.toBe(6);
      expect(Atomics.load(runs, 0)).toBe(1);
      expect(warnings).toEqual([
        expect.stringMatching(
          /^task 'closure' gets only a soft timeout: it is not self-contained: the inline function reads factor from its enclosing scope.*module task.*At its deadline the caller gets a TaskTimeoutError, but the task is not stopped\.$/,
        ),
      ]);
      expect(timebox.strategies.find((strategy) => strategy.name === 'worker')?.started).toBe(
        false,
      );
    });

    it("keeps the caller's time limit for a soft closure: one run, timed out at its limit", async () => {
      const timebox = make({ closures: 'soft' });
      const never = new Promise<never>(() => {});
      const runs = runCounter();
      const closure = defineTask({
        name: 'slow closure',
        timeout: 300,
        run: (counter: Int32Array) => {
          Atomics.add(counter, 0, 1);
          return never;
        },
      });
      const error = await timebox.runTaskWithTimeout(closure, [runs]).catch((e: unknown) => e);
      expect(isTaskTimeoutError(error)).toBe(true);
      expect(error).toMatchObject({ timeout: 300, strategy: 'thread', enforcement: 'soft' });
      expect(Atomics.load(runs, 0)).toBe(1);
    });

    it('never runs a task twice when a worker reports a ReferenceError its source could not show', async () => {
      const timebox = make({ closures: 'soft' });
      const runs = runCounter();
      const task = defineTask({
        name: 'hidden name',
        timeout: 15_000,
        run: new Function(
          "return (counter) => { Atomics.add(counter, 0, 1); return eval('missingName'); };",
        )() as (counter: Int32Array) => unknown,
      });
      expect(timebox.explain(task).name).toBe('worker');
      const error = await timebox.runTaskWithTimeout(task, [runs]).catch((e: unknown) => e);
      expect(isTaskSerializationError(error)).toBe(true);
      expect((error as Error).message).toContain("reads 'missingName'");
      expect(Atomics.load(runs, 0)).toBe(1);
    });

    it('lets rules of your own send a closure to the thread strategy before it is rejected', async () => {
      const cooperative = defineRule('cooperative', (task) =>
        task.tags.includes('cooperative')
          ? { strategy: 'thread', reason: 'tagged cooperative' }
          : undefined,
      );
      const timebox = make({ selector: createSelector([cooperative, ...defaultRules]) });
      const offset = 1;
      const closure = defineTask({
        name: 'cooperative closure',
        timeout: 15_000,
        tags: ['cooperative'],
        run: () => offset,
      });
      expect(timebox.explain(closure)).toMatchObject({ name: 'thread', rule: 'cooperative' });
      await expect(timebox.runTaskWithTimeout(closure)).resolves.toBe(1);
      const untagged = defineTask({ name: 'untagged closure', timeout: 15_000, run: () => offset });
      expect(() => timebox.explain(untagged)).toThrow(/reads offset from its enclosing scope/);
    });

    it('runs a closure where it is asked to, and where no hard strategy is a candidate', async () => {
      const offset = 1;
      const closure = defineTask({ name: 'closure', timeout: 15_000, run: () => offset });
      await expect(make().runTaskWithTimeout(closure, [], { strategy: 'thread' })).resolves.toBe(1);
      const threadOnly = make({ worker: false, process: false });
      await expect(threadOnly.runTaskWithTimeout(closure)).resolves.toBe(1);
    });
  });

  describe('choosing the strategy by hand', () => {
    it('runs under a managed strategy named in options.strategy', async () => {
      const timebox = make();
      const place = await timebox.runTaskWithTimeout(whereAmI, [], { strategy: 'process' });
      expect(place.pid).not.toBe(process.pid);
      expect(timebox.strategies.find((strategy) => strategy.name === 'process')?.started).toBe(
        true,
      );
      expect(timebox.strategies.find((strategy) => strategy.name === 'worker')?.started).toBe(
        false,
      );
    });

    it('runs under a strategy object given in options.strategy', async () => {
      const timebox = make();
      const strategy: TimeoutStrategy = threadStrategy();
      await expect(timebox.runTaskWithTimeout(whereAmI, [], { strategy })).resolves.toEqual({
        pid: process.pid,
        threadId,
      });
    });

    it('rejects a strategy name it does not manage', async () => {
      const timebox = make({ process: false });
      await expect(
        timebox.runTaskWithTimeout(whereAmI, [], { strategy: 'process' }),
      ).rejects.toThrow(
        new TypeError(
          `Task 'where am I': option strategy must be a TimeoutStrategy or the name of one this timebox manages ('worker', 'thread'), got "process"`,
        ),
      );
    });
  });

  describe('close', () => {
    it('ends every worker thread and child process, and a later run rejects with StrategyClosedError', async () => {
      const timebox = make();
      const beats = new Int32Array(new SharedArrayBuffer(4));
      const [workerThreadId, inProcess] = await Promise.all([
        timebox.runTaskWithTimeout(heartbeat, [beats.buffer as SharedArrayBuffer]),
        timebox.runTaskWithTimeout(whereAmIIsolated),
      ]);
      expect(workerThreadId).not.toBe(threadId);
      expect(await nextBeat(beats, 5_000)).toBe(true);
      expect(childPids()).toContain(inProcess.pid);
      expect(timebox.strategies.filter((strategy) => strategy.started).map((s) => s.name)).toEqual([
        'worker',
        'process',
      ]);

      await timebox.close();
      expect(timebox.strategies.every((strategy) => !strategy.started)).toBe(true);
      // The worker thread's timer would beat every 5 ms if the thread were still alive.
      expect(await nextBeat(beats, 250)).toBe(false);
      expect(await settled(childPids)).toEqual([]);
      expect(await settled(leakedHandles)).toEqual([]);

      const error = await timebox.runTaskWithTimeout(whereAmIIsolated).catch((e: unknown) => e);
      expect(isStrategyClosedError(error)).toBe(true);
      expect(error).toMatchObject({ phase: 'after-close', strategy: 'timebox' });
      expect(timebox.strategies.every((strategy) => !strategy.started)).toBe(true);
      const worker = timebox.strategies.find((strategy) => strategy.name === 'worker');
      const direct = await worker
        ?.run(whereAmIIsolated, [], { timeout: 1_000, logger: silentLogger })
        .catch((e: unknown) => e);
      expect(isStrategyClosedError(direct)).toBe(true);
      expect(await settled(childPids)).toEqual([]);
    });

    it('resolves at once when nothing was started', async () => {
      await expect(make().close()).resolves.toBeUndefined();
    });
  });

  describe('bad arguments', () => {
    it.each([['options', 'fast', 'createTimebox() options must be an object, got "fast"']])(
      'rejects %s that are not an object',
      (_label, options, message) => {
        expect(() => createTimebox(options as never)).toThrow(new TypeError(message));
      },
    );

    it.each(['thread', 'worker', 'process'])(
      'rejects option %s that is neither options nor false',
      (name) => {
        expect(() => createTimebox({ [name]: true } as never)).toThrow(
          new TypeError(
            `createTimebox() option ${name} must be the ${name} strategy's options object, or false to leave it out, got true`,
          ),
        );
      },
    );

    it('rejects a selector that is not one', () => {
      expect(() => createTimebox({ selector: { select() {} } as never })).toThrow(
        new TypeError(
          'createTimebox() option selector must be a selector made by createSelector(), got a plain object',
        ),
      );
    });

    it('rejects a context that is not an object', () => {
      expect(() => createTimebox({ context: 'node' as never })).toThrow(
        new TypeError(
          'createTimebox() option context must be an object such as detectContext() returns, got "node"',
        ),
      );
    });

    it('rejects a logger without the four methods', () => {
      expect(() => createTimebox({ logger: {} as never })).toThrow(
        /logger must have debug, info, warn and error methods/,
      );
    });

    it('rejects a closures policy it does not know', () => {
      expect(() => createTimebox({ closures: 'retry' as never })).toThrow(
        new TypeError(`createTimebox() option closures must be 'reject' or 'soft', got "retry"`),
      );
    });

    it('rejects something that is not a task', async () => {
      await expect(make().runTaskWithTimeout({ name: 'x' } as never)).rejects.toThrow(
        new TypeError(
          'runTaskWithTimeout() expects a task made by defineTask(), got a plain object',
        ),
      );
    });

    it('rejects run options that are not an object', async () => {
      await expect(make().runTaskWithTimeout(whereAmI, [], 5 as never)).rejects.toThrow(
        new TypeError(
          "Task 'where am I': options must be an object { signal?, logger?, timeout?, strategy?, metadata? }, got 5",
        ),
      );
    });

    it('rejects a run timeout that is negative', async () => {
      await expect(make().runTaskWithTimeout(whereAmI, [], { timeout: -1 })).rejects.toThrow(
        new RangeError("Task 'where am I': option timeout must not be negative, got -1"),
      );
    });

    it('rejects explain options that are not an object', () => {
      expect(() => make().explain(whereAmI, 'now' as never)).toThrow(
        new TypeError('explain() options must be an object { timeout? }, got "now"'),
      );
    });
  });
});
