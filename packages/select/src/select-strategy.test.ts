import { defineTask } from '@timebox/core';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { blockingIoTag } from './blocking-io.js';
import { detectContext } from './detect-context.js';
import { processIsolationTag } from './process-isolation.js';
import { selectStrategy } from './select-strategy.js';
import { isStrategySelectionError } from './strategy-selection-error.js';
import {
  fakeStrategies,
  fakeStrategy,
  nodeContext,
  recordingLogger,
} from './test-support/fake-strategy.js';

const moduleTask = defineTask({
  name: 'resize',
  timeout: 1_000,
  run: { module: '/srv/tasks/resize.mjs', export: 'resize' },
});
const inlineTask = defineTask({ name: 'double', timeout: 1_000, run: (n: number) => n * 2 });
const isolatedTask = defineTask({
  name: 'convert',
  timeout: 1_000,
  tags: [processIsolationTag],
  run: { module: '/srv/tasks/convert.mjs' },
});
const unlimitedTask = defineTask({ name: 'forever', run: () => 1 });
const boundTask = defineTask({ name: 'bound', timeout: 1_000, run: Math.max.bind(Math) });
const permissionModelOn = nodeContext({
  permissionModel: true,
  workersAllowed: false,
  childProcessesAllowed: false,
});

function passedOverNames(selection: { passedOver: readonly { name: string }[] }): string[] {
  return selection.passedOver.map((entry) => entry.name);
}

describe('selectStrategy', () => {
  afterEach(() => {
    vi.restoreAllMocks();
  });

  describe('rule 1: no time limit', () => {
    it('runs a task without a time limit directly, with no strategy, and says so', () => {
      const { all } = fakeStrategies();
      const selection = selectStrategy(unlimitedTask, { strategies: all, context: nodeContext() });
      expect(selection).toMatchObject({
        strategy: null,
        name: 'direct',
        enforcement: 'none',
        rule: 'no-time-limit',
        reason:
          "task 'forever' has no time limit, so it runs directly on the calling thread: there is nothing to enforce",
      });
      expect(selection.passedOver).toEqual([
        {
          name: 'worker',
          strategy: all[0],
          reason: "not needed: task 'forever' has no time limit",
        },
        {
          name: 'process',
          strategy: all[1],
          reason: "not needed: task 'forever' has no time limit",
        },
        {
          name: 'thread',
          strategy: all[2],
          reason: "not needed: task 'forever' has no time limit",
        },
      ]);
    });

    it('runs directly even with no candidates at all', () => {
      expect(selectStrategy(unlimitedTask, { strategies: [], context: nodeContext() }).name).toBe(
        'direct',
      );
    });

    it('weighs the caller timeout instead of the task own', () => {
      const { all } = fakeStrategies();
      expect(
        selectStrategy(unlimitedTask, { strategies: all, context: nodeContext(), timeout: 50 })
          .name,
      ).toBe('worker');
      expect(
        selectStrategy(moduleTask, { strategies: all, context: nodeContext(), timeout: Infinity })
          .name,
      ).toBe('direct');
    });
  });

  describe('rule 2: process isolation', () => {
    it("runs a task tagged 'process-isolation' under the process strategy", () => {
      const { all, process } = fakeStrategies();
      const selection = selectStrategy(isolatedTask, { strategies: all, context: nodeContext() });
      expect(selection.strategy).toBe(process);
      expect(selection).toMatchObject({ rule: 'process-isolation', enforcement: 'hard' });
      expect(selection.reason).toContain(
        "declares it needs process isolation (tag 'process-isolation')",
      );
      expect(passedOverNames(selection)).toEqual(['worker', 'thread']);
    });

    it('falls back to thread with a warning when child processes are not allowed, never to a worker', () => {
      const { all } = fakeStrategies();
      const { logger, warnings } = recordingLogger();
      const selection = selectStrategy(isolatedTask, {
        strategies: all,
        context: permissionModelOn,
        logger,
      });
      expect(selection).toMatchObject({
        name: 'thread',
        rule: 'soft-fallback',
        enforcement: 'soft',
      });
      expect(selection.passedOver.find((entry) => entry.name === 'worker')?.reason).toBe(
        "task 'convert' declares it needs process isolation (tag 'process-isolation'), which a worker thread cannot give",
      );
      expect(warnings).toHaveLength(1);
      expect(warnings[0]).toContain('--allow-child-process');
    });
  });

  describe('rule 3: shippable tasks go to a worker', () => {
    it('runs a module task in a worker where workers are allowed', () => {
      const { all, worker } = fakeStrategies();
      const selection = selectStrategy(moduleTask, { strategies: all, context: nodeContext() });
      expect(selection.strategy).toBe(worker);
      expect(selection).toMatchObject({
        rule: 'worker',
        enforcement: 'hard',
        reason:
          "task 'resize' is a module task and worker threads are allowed here, so it runs in a worker thread that is terminated at the deadline",
      });
      expect(selection.passedOver).toEqual([
        {
          name: 'process',
          strategy: all[1],
          reason: "not considered: rule 'worker' chose the worker strategy first",
        },
        {
          name: 'thread',
          strategy: all[2],
          reason: "not considered: rule 'worker' chose the worker strategy first",
        },
      ]);
    });

    it('runs a self-contained function in a worker', () => {
      const { all } = fakeStrategies();
      const selection = selectStrategy(inlineTask, { strategies: all, context: nodeContext() });
      expect(selection.name).toBe('worker');
      expect(selection.reason).toContain('is a self-contained function');
    });

    it('still picks the worker inside a worker thread (workers can start workers)', () => {
      const { all } = fakeStrategies();
      const context = nodeContext({ thread: 'worker' });
      expect(selectStrategy(moduleTask, { strategies: all, context }).name).toBe('worker');
    });

    it('still picks the worker inside a child process with an IPC channel', () => {
      const { all } = fakeStrategies();
      const context = nodeContext({ ipcChannel: true });
      expect(selectStrategy(inlineTask, { strategies: all, context }).name).toBe('worker');
    });

    it('picks the worker when the permission model is on and grants workers', () => {
      const { all } = fakeStrategies();
      const context = nodeContext({ permissionModel: true, childProcessesAllowed: false });
      expect(selectStrategy(moduleTask, { strategies: all, context }).name).toBe('worker');
    });
  });

  describe('rule 4: child process when workers are not possible', () => {
    it('picks the process strategy when the permission model denies workers but grants child processes', () => {
      const { all } = fakeStrategies();
      const context = nodeContext({ permissionModel: true, workersAllowed: false });
      const selection = selectStrategy(moduleTask, { strategies: all, context });
      expect(selection).toMatchObject({ name: 'process', rule: 'child-process' });
      expect(selection.reason).toBe(
        "task 'resize' is a module task and child processes are allowed here, so it runs in a child process that is killed at the deadline (no worker: worker threads are not allowed here: Node's permission model is on and does not grant them (start Node with --allow-worker))",
      );
      expect(selection.passedOver[0]).toMatchObject({ name: 'worker' });
    });

    it('picks the process strategy when the worker strategy is not a candidate', () => {
      const { process, thread } = fakeStrategies();
      const selection = selectStrategy(moduleTask, {
        strategies: [process, thread],
        context: nodeContext(),
      });
      expect(selection.strategy).toBe(process);
      expect(selection.passedOver).toContainEqual({
        name: 'worker',
        reason: 'not among the candidate strategies',
      });
    });

    it("picks the process strategy when the worker's supports() refuses, keeping its reason", () => {
      const { process, thread } = fakeStrategies();
      const refusing = {
        ...fakeStrategies().worker,
        supports: () => ({ supported: false as const, reason: 'the pool is closed' }),
      };
      const selection = selectStrategy(inlineTask, {
        strategies: [refusing, process, thread],
        context: nodeContext(),
      });
      expect(selection.name).toBe('process');
      expect(selection.reason).toContain('(no worker: the pool is closed)');
      expect(selection.passedOver[0]).toEqual({
        name: 'worker',
        strategy: refusing,
        reason: 'the pool is closed',
      });
    });
  });

  describe('tasks that may block in system calls', () => {
    const scanTask = defineTask({
      name: 'scan-share',
      timeout: 1_000,
      tags: [blockingIoTag],
      run: { module: '/srv/tasks/scan.mjs' },
    });

    it("runs a task tagged 'blocking-io' in a child process, and says why not in a worker", () => {
      const { all, process } = fakeStrategies();
      const selection = selectStrategy(scanTask, { strategies: all, context: nodeContext() });
      expect(selection.strategy).toBe(process);
      expect(selection.rule).toBe('blocking-io');
      expect(selection.reason).toContain('has a threadpool of its own');
      expect(selection.passedOver.find((entry) => entry.name === 'worker')?.reason).toContain(
        'cannot be terminated',
      );
    });

    it('goes on to the worker where child processes are not allowed', () => {
      const { all, worker } = fakeStrategies();
      const context = nodeContext({ childProcessesAllowed: false });
      const selection = selectStrategy(scanTask, { strategies: all, context });
      expect(selection.strategy).toBe(worker);
      expect(selection.passedOver.find((entry) => entry.name === 'process')?.reason).toContain(
        "may block in system calls (tag 'blocking-io'), but child processes are not allowed here",
      );
    });
  });

  describe('runtimes that cannot stop a busy thread (Deno)', () => {
    const deno = nodeContext({ runtime: 'deno', threadTerminationStopsBusyThreads: false });

    it('never picks the worker there, and prefers the process strategy, saying why', () => {
      const { all, process } = fakeStrategies();
      const selection = selectStrategy(moduleTask, { strategies: all, context: deno });
      expect(selection.strategy).toBe(process);
      expect(selection.reason).toContain('no worker: the deno runtime cannot stop a thread');
    });

    it('falls back to thread with a warning rather than call a thread hard there', () => {
      const { worker, thread } = fakeStrategies();
      const { logger, warnings } = recordingLogger();
      const selection = selectStrategy(moduleTask, {
        strategies: [worker, thread],
        context: deno,
        logger,
      });
      expect(selection.strategy).toBe(thread);
      expect(warnings[0]).toContain('cannot stop a thread that is busy in synchronous code');
    });
  });

  describe('Web Workers', () => {
    const browser = nodeContext({
      runtime: 'browser',
      platform: 'unknown',
      workerThreadsAvailable: false,
      childProcessAvailable: false,
      workersAllowed: false,
      childProcessesAllowed: false,
      webWorkersAvailable: true,
    });

    it('picks the web-worker strategy in a browser when it is a candidate', () => {
      const { thread } = fakeStrategies();
      const webWorker = fakeStrategy('web-worker', 'hard', { needs: 'webWorkersAvailable' });
      const selection = selectStrategy(moduleTask, {
        strategies: [webWorker, thread],
        context: browser,
      });
      expect(selection.strategy).toBe(webWorker);
      expect(selection).toMatchObject({ rule: 'web-worker', enforcement: 'hard' });
      expect(selection.reason).toContain('runs in a Web Worker that is terminated at the deadline');
    });

    it('prefers worker threads where both exist (Bun)', () => {
      const { worker, thread } = fakeStrategies();
      const webWorker = fakeStrategy('web-worker', 'hard');
      const bun = nodeContext({ runtime: 'bun', webWorkersAvailable: true });
      const selection = selectStrategy(moduleTask, {
        strategies: [webWorker, worker, thread],
        context: bun,
      });
      expect(selection.strategy).toBe(worker);
    });

    it('says in the soft-fallback warning that the web-worker strategy is not installed', () => {
      const { thread } = fakeStrategies();
      const { logger, warnings } = recordingLogger();
      const selection = selectStrategy(moduleTask, {
        strategies: [thread],
        context: browser,
        logger,
      });
      expect(selection.strategy).toBe(thread);
      expect(warnings[0]).toContain('web-worker');
      expect(warnings[0]).toContain('not among the candidate strategies');
    });

    it('passes the web-worker strategy over on Deno, which cannot stop a busy Web Worker', () => {
      const { thread } = fakeStrategies();
      const webWorker = fakeStrategy('web-worker', 'hard');
      const deno = nodeContext({
        runtime: 'deno',
        webWorkersAvailable: true,
        threadTerminationStopsBusyThreads: false,
        childProcessesAllowed: false,
      });
      const selection = selectStrategy(moduleTask, {
        strategies: [webWorker, thread],
        context: deno,
        warn: false,
      });
      expect(selection.strategy).toBe(thread);
      expect(selection.passedOver.find((entry) => entry.name === 'web-worker')?.reason).toContain(
        'cannot stop a thread that is busy',
      );
    });
  });

  describe('rule 5: soft fallback with a warning', () => {
    it('falls back to thread under the permission model without --allow-worker and --allow-child-process, and says why', () => {
      const { all, thread } = fakeStrategies();
      const { logger, warnings } = recordingLogger();
      const selection = selectStrategy(moduleTask, {
        strategies: all,
        context: permissionModelOn,
        logger,
      });
      expect(selection.strategy).toBe(thread);
      expect(selection).toMatchObject({ rule: 'soft-fallback', enforcement: 'soft' });
      expect(warnings).toEqual([selection.warning]);
      expect(selection.warning).toBe(
        "task 'resize' gets only a soft timeout (worker: worker threads are not allowed here: Node's permission model is on and does not grant them (start Node with --allow-worker); process: child processes are not allowed here: Node's permission model is on and does not grant them (start Node with --allow-child-process)). At its deadline the caller gets a TaskTimeoutError, but the task is not stopped: it may keep running and keep the calling thread busy.",
      );
      expect(passedOverNames(selection)).toEqual(['worker', 'process']);
    });

    it('falls back to thread when the modules are missing', () => {
      const { all } = fakeStrategies();
      const { logger, warnings } = recordingLogger();
      const context = nodeContext({
        runtime: 'unknown',
        workerThreadsAvailable: false,
        childProcessAvailable: false,
        workersAllowed: false,
        childProcessesAllowed: false,
      });
      const selection = selectStrategy(inlineTask, { strategies: all, context, logger });
      expect(selection.name).toBe('thread');
      expect(warnings[0]).toContain(
        'worker threads are not available here: the runtime has no worker_threads module',
      );
      expect(warnings[0]).toContain(
        'child processes are not available here: the runtime has no child_process module',
      );
    });

    it('falls back to thread in a browser-like runtime', () => {
      const { all } = fakeStrategies();
      const { logger, warnings } = recordingLogger();
      const context = {
        runtime: 'browser' as const,
        workerThreadsAvailable: false,
        childProcessAvailable: false,
        workersAllowed: false,
        childProcessesAllowed: false,
      };
      const selection = selectStrategy(moduleTask, { strategies: all, context, logger });
      expect(selection.name).toBe('thread');
      expect(warnings[0]).toContain('the browser runtime has no worker_threads module');
    });

    it('falls back to thread for a function that cannot be shipped (bound or native)', () => {
      const { all } = fakeStrategies();
      const { logger } = recordingLogger();
      const selection = selectStrategy(boundTask, {
        strategies: all,
        context: nodeContext(),
        logger,
      });
      expect(selection.name).toBe('thread');
      expect(selection.warning).toMatch(
        /^task 'bound' gets only a soft timeout \(worker and process: task 'bound' cannot be sent to another thread or process: a bound function/,
      );
    });

    it('falls back to thread for a closure, found from its source before it runs, naming the variable', () => {
      const { all } = fakeStrategies();
      const { logger } = recordingLogger();
      const factor = 3;
      const closure = defineTask({
        name: 'closure',
        timeout: 1_000,
        run: (n: number) => n * factor,
      });
      const selection = selectStrategy(closure, {
        strategies: all,
        context: nodeContext(),
        logger,
      });
      expect(selection.name).toBe('thread');
      expect(selection.warning).toMatch(
        /^task 'closure' gets only a soft timeout \(worker and process: task 'closure' cannot be sent to another thread or process: the inline function reads factor from its enclosing scope.*module task/,
      );
    });

    it('says which hard strategies were not candidates when only thread is given', () => {
      const { thread } = fakeStrategies();
      const { logger } = recordingLogger();
      const selection = selectStrategy(moduleTask, {
        strategies: [thread],
        context: nodeContext(),
        logger,
      });
      expect(selection.name).toBe('thread');
      expect(selection.warning).toContain(
        '(worker and process: not among the candidate strategies)',
      );
    });

    it('emits a process warning, once per task, when no logger is given', () => {
      const { all } = fakeStrategies();
      const emitWarning = vi.spyOn(process, 'emitWarning').mockImplementation(() => {});
      const task = defineTask({ name: 'once', timeout: 10, run: { module: '/srv/once.mjs' } });
      const options = { strategies: all, context: permissionModelOn };
      const selection = selectStrategy(task, options);
      selectStrategy(task, options);
      expect(emitWarning).toHaveBeenCalledTimes(1);
      expect(emitWarning).toHaveBeenCalledWith(selection.warning, {
        type: 'TimeboxWarning',
        code: 'TIMEBOX_SOFT_TIMEOUT',
      });
    });

    it('warns through the logger on every selection', () => {
      const { all } = fakeStrategies();
      const { logger, warnings } = recordingLogger();
      selectStrategy(moduleTask, { strategies: all, context: permissionModelOn, logger });
      selectStrategy(moduleTask, { strategies: all, context: permissionModelOn, logger });
      expect(warnings).toHaveLength(2);
    });

    it('does not emit the warning with warn: false, but still returns it', () => {
      const { all } = fakeStrategies();
      const { logger, warnings } = recordingLogger();
      const emitWarning = vi.spyOn(process, 'emitWarning').mockImplementation(() => {});
      const selection = selectStrategy(moduleTask, {
        strategies: all,
        context: permissionModelOn,
        logger,
        warn: false,
      });
      expect(selection.warning).toContain('gets only a soft timeout');
      expect(warnings).toEqual([]);
      expect(emitWarning).not.toHaveBeenCalled();
    });
  });

  describe('candidates', () => {
    it('throws StrategySelectionError listing every reason when nothing can run the task', () => {
      const { worker } = fakeStrategies();
      let thrown: unknown;
      try {
        selectStrategy(boundTask, { strategies: [worker], context: nodeContext() });
      } catch (error) {
        thrown = error;
      }
      expect(isStrategySelectionError(thrown)).toBe(true);
      expect((thrown as Error).message).toMatch(
        /^No strategy can run task 'bound' \(worker and process: task 'bound' cannot be sent/,
      );
      expect((thrown as { passedOver: { name: string }[] }).passedOver.map((e) => e.name)).toEqual([
        'worker',
        'process',
        'thread',
      ]);
    });

    it('throws StrategySelectionError for a timed task with no candidates', () => {
      expect(() => selectStrategy(moduleTask, { strategies: [], context: nodeContext() })).toThrow(
        /^No strategy can run task 'resize'/,
      );
    });

    it('works with the worker alone', () => {
      const { worker } = fakeStrategies();
      expect(
        selectStrategy(inlineTask, { strategies: [worker], context: nodeContext() }).strategy,
      ).toBe(worker);
    });

    it('works with the process strategy alone under a permission model that grants only child processes', () => {
      const { process } = fakeStrategies();
      const context = nodeContext({ permissionModel: true, workersAllowed: false });
      expect(selectStrategy(moduleTask, { strategies: [process], context }).strategy).toBe(process);
    });

    it('uses detectContext() when no context is given', () => {
      const { all } = fakeStrategies();
      expect(selectStrategy(moduleTask, { strategies: all }).context).toBe(detectContext());
    });

    it('returns a frozen selection', () => {
      const { all } = fakeStrategies();
      const selection = selectStrategy(moduleTask, { strategies: all, context: nodeContext() });
      expect(Object.isFrozen(selection)).toBe(true);
      expect(Object.isFrozen(selection.passedOver)).toBe(true);
    });
  });

  describe('bad arguments', () => {
    const { all, worker } = fakeStrategies();

    it('rejects something that is not a task', () => {
      expect(() => selectStrategy({ name: 'x' } as never, { strategies: all })).toThrow(
        new TypeError('selectStrategy() expects a task made by defineTask(), got a plain object'),
      );
    });

    it('rejects options that are not an object', () => {
      expect(() => selectStrategy(moduleTask, 'fast' as never)).toThrow(
        /^Task 'resize': selectStrategy\(\) options must be an object .* got "fast"$/,
      );
    });

    it('rejects strategies that are not an array', () => {
      expect(() => selectStrategy(moduleTask, { strategies: worker as never })).toThrow(
        /^Task 'resize': option strategies must be an array .* got a plain object$/,
      );
    });

    it('rejects a candidate that is not a strategy, naming its index', () => {
      expect(() =>
        selectStrategy(moduleTask, { strategies: [worker, 'process' as never] }),
      ).toThrow(
        /^Task 'resize': option strategies\[1\] must be a TimeoutStrategy .* got "process"$/,
      );
    });

    it('rejects two candidates with the same name', () => {
      expect(() => selectStrategy(moduleTask, { strategies: [worker, worker] })).toThrow(
        "Task 'resize': option strategies has two strategies named 'worker' (strategies[1]); names must be unique",
      );
    });

    it('rejects a context that is not an object', () => {
      expect(() =>
        selectStrategy(moduleTask, { strategies: all, context: 'node' as never }),
      ).toThrow(/^Task 'resize': option context must be an object .* got "node"$/);
    });

    it('rejects a logger without the four methods', () => {
      expect(() =>
        selectStrategy(moduleTask, { strategies: all, logger: { warn() {} } as never }),
      ).toThrow(/logger must have debug, info, warn and error methods/);
    });

    it.each([
      ['a string', '5', TypeError, /option timeout must be a number of milliseconds, got "5"/],
      ['NaN', Number.NaN, RangeError, /option timeout must be a number of milliseconds, got NaN/],
      ['negative', -1, RangeError, /option timeout must not be negative, got -1/],
    ])('rejects a timeout that is %s', (_label, timeout, type, message) => {
      const run = () => selectStrategy(moduleTask, { strategies: all, timeout: timeout as never });
      expect(run).toThrow(type);
      expect(run).toThrow(message);
    });

    it('rejects a warn option that is not a boolean', () => {
      expect(() => selectStrategy(moduleTask, { strategies: all, warn: 'yes' as never })).toThrow(
        new TypeError(`Task 'resize': option warn must be true or false, got "yes"`),
      );
    });
  });
});
