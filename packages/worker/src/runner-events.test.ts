import {
  defineTask,
  isStrategyClosedError,
  isTaskAbortedError,
  isTaskCrashedError,
  isTaskTimeoutError,
  runTaskWithTimeout,
  type TaskTimeoutError,
} from '@timebox/core';
import { type RunnerEventRecorder, recordRunnerEvents } from '@timebox/core/testing';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { inlineAdd, rejectionOf, strategiesClosedAfterAll } from './test-helpers.js';

const runaway = defineTask({
  name: 'runaway',
  timeout: 200,
  run: () => {
    for (;;) {
      // never yields
    }
  },
});

const exits = defineTask({ name: 'exits', timeout: 30_000, run: () => process.exit(3) });

const waitsForever = defineTask({
  name: 'waits forever',
  timeout: 60_000,
  run: () => new Promise<never>(() => {}),
});

describe('workerStrategy runner events', () => {
  const strategyWith = strategiesClosedAfterAll();
  let recorder: RunnerEventRecorder;

  beforeEach(() => {
    recorder = recordRunnerEvents();
  });
  afterEach(() => recorder.stop());

  function taskStarted(task: string) {
    return recorder.next((event) => event.event === 'task-started' && event.task === task);
  }

  it('publishes spawned then task-started for the first task, spawned then spare-ready for the spare', async () => {
    const strategy = strategyWith({ maxWorkers: 1, spareWorkers: 1 });
    await expect(runTaskWithTimeout(inlineAdd, [1, 2], { strategy })).resolves.toBe(3);
    const started = await taskStarted('inline add');
    const { runnerId } = started;
    expect(runnerId).toEqual(expect.any(Number));
    expect(recorder.ofRunner(runnerId)).toEqual([
      { event: 'spawned', strategy: 'worker', runnerId, spare: false },
      {
        event: 'task-started',
        strategy: 'worker',
        runnerId,
        task: 'inline add',
        waitTime: expect.any(Number),
      },
    ]);
    expect(started.waitTime).toBeGreaterThanOrEqual(0);
    const ready = await recorder.next((event) => event.event === 'spare-ready');
    expect(ready.runnerId).not.toBe(runnerId);
    expect(recorder.ofRunner(ready.runnerId)).toEqual([
      { event: 'spawned', strategy: 'worker', runnerId: ready.runnerId, spare: true },
      {
        event: 'spare-ready',
        strategy: 'worker',
        runnerId: ready.runnerId,
        startupTime: expect.any(Number),
      },
    ]);
    expect(ready.startupTime).toBeGreaterThan(0);
  });

  it('publishes killed with reason timeout and forced true once a runaway is stopped', async () => {
    const strategy = strategyWith({ maxWorkers: 1, spareWorkers: 0 });
    const error = await rejectionOf(runTaskWithTimeout(runaway, [], { strategy }));
    expect(isTaskTimeoutError(error)).toBe(true);
    await (error as TaskTimeoutError).stopped;
    const killed = await recorder.next((event) => event.event === 'killed');
    expect(recorder.ofRunner(killed.runnerId).map(({ event }) => event)).toEqual([
      'spawned',
      'task-started',
      'killed',
    ]);
    expect(killed).toEqual({
      event: 'killed',
      strategy: 'worker',
      runnerId: killed.runnerId,
      reason: 'timeout',
      task: 'runaway',
      forced: true,
    });
  });

  it('publishes crashed with the task name and the exit code when a task ends its thread', async () => {
    const strategy = strategyWith({ maxWorkers: 1, spareWorkers: 0 });
    const error = await rejectionOf(runTaskWithTimeout(exits, [], { strategy }));
    expect(isTaskCrashedError(error)).toBe(true);
    const crashed = await recorder.next((event) => event.event === 'crashed');
    expect(recorder.ofRunner(crashed.runnerId).map(({ event }) => event)).toEqual([
      'spawned',
      'task-started',
      'crashed',
    ]);
    expect(crashed).toEqual({
      event: 'crashed',
      strategy: 'worker',
      runnerId: crashed.runnerId,
      task: 'exits',
      exitCode: 3,
      signal: undefined,
    });
  });

  it('publishes killed with reason abort when the caller aborts a running task', async () => {
    const strategy = strategyWith({ maxWorkers: 1, spareWorkers: 0, graceMs: 100 });
    const controller = new AbortController();
    const running = rejectionOf(
      runTaskWithTimeout(waitsForever, [], { strategy, signal: controller.signal }),
    );
    await taskStarted('waits forever');
    controller.abort(new Error('no longer needed'));
    expect(isTaskAbortedError(await running)).toBe(true);
    const killed = await recorder.next((event) => event.event === 'killed');
    expect(recorder.ofRunner(killed.runnerId).map(({ event }) => event)).toEqual([
      'spawned',
      'task-started',
      'killed',
    ]);
    expect(killed).toMatchObject({ strategy: 'worker', reason: 'abort', task: 'waits forever' });
    expect(killed.forced).toEqual(expect.any(Boolean));
  });

  it('publishes killed with reason close for a running task, and for an idle spare without a task', async () => {
    const strategy = strategyWith({ maxWorkers: 1, spareWorkers: 1, graceMs: 100 });
    const running = rejectionOf(runTaskWithTimeout(waitsForever, [], { strategy }));
    const started = await taskStarted('waits forever');
    const ready = await recorder.next((event) => event.event === 'spare-ready');
    await strategy.close();
    expect(isStrategyClosedError(await running)).toBe(true);
    expect(recorder.ofRunner(started.runnerId).map(({ event }) => event)).toEqual([
      'spawned',
      'task-started',
      'killed',
    ]);
    expect(recorder.ofRunner(started.runnerId)[2]).toMatchObject({
      reason: 'close',
      task: 'waits forever',
      forced: expect.any(Boolean),
    });
    expect(recorder.ofRunner(ready.runnerId).at(-1)).toMatchObject({
      event: 'killed',
      reason: 'close',
      task: undefined,
      forced: false,
    });
  });
});
