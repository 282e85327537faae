import { defineTask, runTaskWithTimeout } from '@timebox/core';
import { afterEach, describe, expect, it } from 'vitest';
import { type WorkerStrategy, workerStrategy } from './index.js';
import { workerCount } from './test-helpers.js';

interface ThreadState {
  readonly threadId: number;
  readonly leftBehind: unknown;
}

/** Reports its thread and the global a previous task there may have left, then sets it. */
function leaveGlobal(): ThreadState {
  const { threadId } = process.getBuiltinModule('node:worker_threads');
  const holder = globalThis as { timeboxLeftBehind?: number };
  const leftBehind = holder.timeboxLeftBehind;
  holder.timeboxLeftBehind = threadId;
  return { threadId, leftBehind };
}

const shared = defineTask({ name: 'shares its thread', timeout: 10_000, run: leaveGlobal });
const isolated = defineTask({
  name: 'isolated',
  timeout: 10_000,
  isolate: true,
  run: leaveGlobal,
});

describe('workerStrategy: tasks defined with isolate: true', () => {
  let strategy: WorkerStrategy | undefined;

  afterEach(async () => {
    await strategy?.close();
    expect(workerCount()).toBe(0);
  });

  it('run in a thread no task used, which no later task uses', async () => {
    strategy = workerStrategy({ maxWorkers: 1, spareWorkers: 1 });
    const first = await runTaskWithTimeout(shared, [], { strategy });
    const reused = await runTaskWithTimeout(shared, [], { strategy });
    // Without isolate, the thread and what a task left there are shared.
    expect(reused).toEqual({ threadId: first.threadId, leftBehind: first.threadId });
    const alone = await runTaskWithTimeout(isolated, [], { strategy });
    expect(alone.threadId).not.toBe(first.threadId);
    expect(alone.leftBehind).toBeUndefined();
    const again = await runTaskWithTimeout(isolated, [], { strategy });
    expect([first.threadId, alone.threadId]).not.toContain(again.threadId);
    expect(again.leftBehind).toBeUndefined();
    const after = await runTaskWithTimeout(shared, [], { strategy });
    expect([first.threadId, alone.threadId, again.threadId]).not.toContain(after.threadId);
    expect(after.leftBehind).toBeUndefined();
  });
});
