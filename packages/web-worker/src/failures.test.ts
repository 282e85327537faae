import {
  defineTask,
  isTaskCrashedError,
  isTaskQueueFullError,
  isTaskSerializationError,
  runTaskWithTimeout,
} from '@timebox/core';
import { afterEach, describe, expect, it } from 'vitest';
import {
  closeStrategies,
  nextMessage,
  openStrategy,
  rejectionOf,
  tasksModuleUrl,
  uniqueChannel,
} from './test-support.js';

afterEach(closeStrategies);

describe('webWorkerStrategy failures in Chromium', () => {
  it('refuses a task beyond maxQueue with TaskQueueFullError', async () => {
    const strategy = openStrategy({ maxWorkers: 1, maxQueue: 0 });
    const channel = uniqueChannel('queue');
    const started = nextMessage(channel);
    const spin = defineTask({
      name: 'occupies the worker',
      timeout: 60_000,
      run: { module: tasksModuleUrl, export: 'spin' },
    });
    const occupying = rejectionOf(runTaskWithTimeout(spin, [channel], { strategy }));
    await started;
    const quick = defineTask({ name: 'one too many', timeout: 5_000, run: () => 1 });
    const error = await rejectionOf(runTaskWithTimeout(quick, [], { strategy }));
    expect(isTaskQueueFullError(error)).toBe(true);
    expect(error).toMatchObject({ taskName: 'one too many', strategy: 'web-worker', maxQueue: 0 });
    await strategy.close();
    await occupying;
  });

  it('reports a throw outside the task as TaskCrashedError, never as a timeout, and runs the next task', async () => {
    const strategy = openStrategy();
    const task = defineTask({
      name: 'throws later',
      timeout: 5_000,
      run: () =>
        new Promise(() => {
          setTimeout(() => {
            throw new Error('escaped the task');
          }, 0);
        }),
    });
    const error = await rejectionOf(runTaskWithTimeout(task, [], { strategy }));
    expect(isTaskCrashedError(error)).toBe(true);
    expect(error).toMatchObject({ taskName: 'throws later', reason: 'uncaught-exception' });
    expect(((error as Error).cause as Error).message).toBe('escaped the task');
    const next = defineTask({ name: 'next', timeout: 5_000, run: () => 'fine' });
    await expect(runTaskWithTimeout(next, [], { strategy })).resolves.toBe('fine');
  });

  it('reports a worker entry that cannot load as TaskCrashedError (spawn-failed)', async () => {
    const strategy = openStrategy({
      workerUrl: new URL('/timebox-static/dist/missing-entry.js', location.href),
      spareWorkers: 0,
    });
    const task = defineTask({ name: 'no entry', timeout: 5_000, run: () => 1 });
    const error = await rejectionOf(runTaskWithTimeout(task, [], { strategy }));
    expect(isTaskCrashedError(error)).toBe(true);
    expect(error).toMatchObject({ taskName: 'no entry', reason: 'spawn-failed' });
  });

  it('reports a result that cannot be cloned as TaskSerializationError naming its path', async () => {
    const strategy = openStrategy();
    const task = defineTask({
      name: 'returns a function',
      timeout: 5_000,
      run: () => ({ ok: true, callback: () => 1 }),
    });
    const error = await rejectionOf(runTaskWithTimeout(task, [], { strategy }));
    expect(isTaskSerializationError(error)).toBe(true);
    expect(error).toMatchObject({ subject: 'result', path: 'result.callback' });
  });
});
