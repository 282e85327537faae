import { afterEach, describe, expect, it } from 'vitest';
import { runTaskWithTimeout } from './run-task-with-timeout.js';
import type { TimeoutStrategy } from './strategy.js';
import { defineTask } from './task.js';
import {
  addTaskContextLookup,
  currentTaskContext,
  runInTaskContext,
  setCurrentTaskContext,
  TaskContext,
  taskSignal,
} from './task-context.js';

/** Replaces the global AbortController with a subclass that counts what it makes. */
function countAbortControllers(): { readonly count: number; restore(): void } {
  const Original = globalThis.AbortController;
  let count = 0;
  globalThis.AbortController = class CountingAbortController extends Original {
    constructor() {
      super();
      count++;
    }
  };
  return {
    get count() {
      return count;
    },
    restore() {
      globalThis.AbortController = Original;
    },
  };
}

const unusedStrategy: TimeoutStrategy = {
  name: 'unused',
  enforcement: 'soft',
  supports: () => ({ supported: true }),
  run: () => Promise.reject(new Error('not called')),
  close: async () => {},
};

describe('taskSignal', () => {
  afterEach(() => {
    setCurrentTaskContext(undefined);
  });

  it('throws a clear error outside a task', () => {
    expect(currentTaskContext()).toBeUndefined();
    expect(() => taskSignal()).toThrow(
      new Error(
        'taskSignal() was called outside a running task. Call it inside the task, before its first await ' +
          '(under the thread strategy the task is known after an await only with threadStrategy({ asyncContext: true })).',
      ),
    );
  });

  it('returns the signal of the task running in runInTaskContext, and the same one each time', () => {
    const context = new TaskContext('current');
    const [first, second] = runInTaskContext(context, () => [taskSignal(), taskSignal()]);
    expect(first).toBeInstanceOf(AbortSignal);
    expect(first).toBe(second);
    expect(first).toBe(context.signal);
    expect(() => taskSignal()).toThrow(/outside a running task/);
  });

  it('follows nested contexts and restores the outer one, also after a throw', () => {
    const outer = new TaskContext('outer');
    const inner = new TaskContext('inner');
    runInTaskContext(outer, () => {
      expect(currentTaskContext()).toBe(outer);
      expect(() =>
        runInTaskContext(inner, () => {
          expect(currentTaskContext()).toBe(inner);
          throw new Error('inner failed');
        }),
      ).toThrow('inner failed');
      expect(currentTaskContext()).toBe(outer);
    });
    expect(currentTaskContext()).toBeUndefined();
  });

  it('is lazy: no AbortController is made for a task that never asks for its signal', async () => {
    const counter = countAbortControllers();
    try {
      const context = new TaskContext('never asks');
      runInTaskContext(context, () => 1);
      context.abort(new Error('deadline'));
      expect(context.aborted).toBe(true);
      const task = defineTask({ name: 'never asks', run: async (value: number) => value });
      await runTaskWithTimeout(task, [1], { strategy: unusedStrategy });
      expect(counter.count).toBe(0);

      const asks = defineTask({ name: 'asks', run: () => taskSignal().aborted });
      await expect(runTaskWithTimeout(asks, [], { strategy: unusedStrategy })).resolves.toBe(false);
      expect(counter.count).toBe(1);
    } finally {
      counter.restore();
    }
  });

  it('gives an aborted signal, with the reason, when asked for after the abort', () => {
    const context = new TaskContext('late');
    const reason = new Error('deadline');
    context.abort(reason);
    const signal = runInTaskContext(context, () => taskSignal());
    expect(signal.aborted).toBe(true);
    expect(signal.reason).toBe(reason);
  });

  it('aborts a signal asked for before the abort, once, keeping the first reason', () => {
    const context = new TaskContext('early');
    const signal = context.signal;
    let events = 0;
    signal.addEventListener('abort', () => {
      events++;
    });
    const first = new Error('first');
    context.abort(first);
    context.abort(new Error('second'));
    expect(events).toBe(1);
    expect(signal.reason).toBe(first);
    expect(context.aborted).toBe(true);
  });

  it('gives the standard AbortError for an undefined reason, whether asked for before or after', () => {
    const early = new TaskContext('asked before');
    const earlySignal = early.signal;
    early.abort(undefined);
    const late = new TaskContext('asked after');
    late.abort(undefined);
    for (const signal of [earlySignal, late.signal]) {
      expect(signal.aborted).toBe(true);
      expect((signal.reason as Error).name).toBe('AbortError');
    }
  });

  it('uses the context made current with setCurrentTaskContext across awaits', async () => {
    const context = new TaskContext('runner');
    setCurrentTaskContext(context);
    await Promise.resolve();
    expect(taskSignal()).toBe(context.signal);
    setCurrentTaskContext(undefined);
    expect(() => taskSignal()).toThrow(/outside a running task/);
  });

  it('asks the added lookups when no context is current, the current one first', () => {
    const looked = new TaskContext('looked up');
    const current = new TaskContext('current');
    const removeEmpty = addTaskContextLookup(() => undefined);
    const remove = addTaskContextLookup(() => looked);
    try {
      expect(taskSignal()).toBe(looked.signal);
      expect(runInTaskContext(current, () => taskSignal())).toBe(current.signal);
    } finally {
      remove();
      remove();
      removeEmpty();
    }
    expect(currentTaskContext()).toBeUndefined();
  });
});

describe('TaskContext deadline', () => {
  it('has no deadline by default: Infinity, and Infinity remaining', () => {
    const context = new TaskContext('unlimited');
    expect(context.deadline).toBe(Infinity);
    expect(context.remaining()).toBe(Infinity);
  });

  it('gives the milliseconds left before its deadline, and 0 once it has passed', () => {
    const now = performance.now();
    expect(new TaskContext('limited', now + 1_000).remaining()).toBeGreaterThan(900);
    expect(new TaskContext('limited', now + 1_000).remaining()).toBeLessThanOrEqual(1_000);
    expect(new TaskContext('late', now - 5).remaining()).toBe(0);
  });
});
