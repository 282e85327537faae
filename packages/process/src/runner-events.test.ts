import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
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
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { processStrategy } from './index.js';
import { leftoverProcesses, markedEnvironment } from './test-support/processes.js';

const marker = randomUUID();
const env = markedEnvironment(marker);
const tasksModule = new URL('./test-fixtures/tasks.mjs', import.meta.url);

function task<Args extends unknown[]>(exportName: string, timeout = 60_000) {
  return defineTask<Args, unknown>({
    name: `events ${exportName}`,
    timeout,
    run: { module: tasksModule, export: exportName },
  });
}

describe('processStrategy runner events', () => {
  const strategies: Array<{ close(): Promise<void> }> = [];
  let scratch: string;
  let recorder: RunnerEventRecorder;

  function strategyFor(options: Parameters<typeof processStrategy>[0] = {}) {
    const strategy = processStrategy({ env, maxProcesses: 1, spareProcesses: 0, ...options });
    strategies.push(strategy);
    return strategy;
  }

  function taskStarted(taskName: string) {
    return recorder.next((event) => event.event === 'task-started' && event.task === taskName);
  }

  function eventsOf(runnerId: number | string): string[] {
    return recorder.ofRunner(runnerId).map(({ event }) => event);
  }

  beforeAll(() => {
    scratch = mkdtempSync(join(tmpdir(), 'timebox-events-'));
  });

  beforeEach(() => {
    recorder = recordRunnerEvents();
  });

  afterEach(async () => {
    await Promise.all(strategies.splice(0).map((strategy) => strategy.close()));
    recorder.stop();
  });

  afterAll(async () => {
    rmSync(scratch, { recursive: true, force: true });
    expect(await leftoverProcesses(marker)).toEqual({ children: [], marked: [] });
  });

  it('publishes spawned then task-started for the first task, spawned then spare-ready for the spare', async () => {
    const strategy = strategyFor({ spareProcesses: 1 });
    await expect(runTaskWithTimeout(task('echo'), ['hi'], { strategy })).resolves.toBe('hi');
    const started = await taskStarted('events echo');
    const { runnerId } = started;
    expect(runnerId).toEqual(expect.any(Number));
    expect(recorder.ofRunner(runnerId)).toEqual([
      { event: 'spawned', strategy: 'process', runnerId, spare: false },
      {
        event: 'task-started',
        strategy: 'process',
        runnerId,
        task: 'events echo',
        waitTime: expect.any(Number),
      },
    ]);
    expect(started.waitTime).toBeGreaterThanOrEqual(0);
    const ready = await recorder.next((event) => event.event === 'spare-ready');
    expect(ready.runnerId).not.toBe(runnerId);
    expect(recorder.ofRunner(ready.runnerId)).toEqual([
      { event: 'spawned', strategy: 'process', runnerId: ready.runnerId, spare: true },
      {
        event: 'spare-ready',
        strategy: 'process',
        runnerId: ready.runnerId,
        startupTime: expect.any(Number),
      },
    ]);
    expect(ready.startupTime).toBeGreaterThan(0);
  });

  it('publishes killed with reason timeout and forced true once a runaway that ignores SIGTERM is killed', async () => {
    const strategy = strategyFor({ graceMs: 0, killTimeoutMs: 200 });
    const runaway = task<[string]>('ignoreTerminate', 300);
    const pidFile = join(scratch, 'runaway');
    const error = await runTaskWithTimeout(runaway, [pidFile], { strategy }).catch(
      (caught: unknown) => caught,
    );
    expect(isTaskTimeoutError(error)).toBe(true);
    await (error as TaskTimeoutError).stopped;
    const killed = await recorder.next((event) => event.event === 'killed');
    expect(eventsOf(killed.runnerId)).toEqual(['spawned', 'task-started', 'killed']);
    expect(killed).toEqual({
      event: 'killed',
      strategy: 'process',
      runnerId: killed.runnerId,
      reason: 'timeout',
      task: 'events ignoreTerminate',
      forced: true,
    });
    expect((error as TaskTimeoutError).forced).toBe(true);
  });

  it('publishes crashed with the task name and the exit code when a task exits its process', async () => {
    const strategy = strategyFor();
    const error = await runTaskWithTimeout(task<[number]>('exitMidTask'), [3], { strategy }).catch(
      (caught: unknown) => caught,
    );
    expect(isTaskCrashedError(error)).toBe(true);
    const crashed = await recorder.next((event) => event.event === 'crashed');
    expect(eventsOf(crashed.runnerId)).toEqual(['spawned', 'task-started', 'crashed']);
    expect(crashed).toEqual({
      event: 'crashed',
      strategy: 'process',
      runnerId: crashed.runnerId,
      task: 'events exitMidTask',
      exitCode: 3,
      signal: undefined,
    });
  });

  it('publishes killed with reason abort when the caller aborts a running task', async () => {
    const strategy = strategyFor({ graceMs: 100 });
    const controller = new AbortController();
    const running = runTaskWithTimeout(task('neverSettle'), [], {
      strategy,
      signal: controller.signal,
    }).catch((caught: unknown) => caught);
    await taskStarted('events neverSettle');
    controller.abort(new Error('no longer needed'));
    expect(isTaskAbortedError(await running)).toBe(true);
    const killed = await recorder.next((event) => event.event === 'killed');
    expect(eventsOf(killed.runnerId)).toEqual(['spawned', 'task-started', 'killed']);
    expect(killed).toMatchObject({
      strategy: 'process',
      reason: 'abort',
      task: 'events neverSettle',
      forced: expect.any(Boolean),
    });
  });

  it('publishes killed with reason close for a running task, and for an idle spare without a task', async () => {
    const strategy = strategyFor({ spareProcesses: 1, graceMs: 100 });
    const running = runTaskWithTimeout(task('neverSettle'), [], { strategy }).catch(
      (caught: unknown) => caught,
    );
    const started = await taskStarted('events neverSettle');
    const ready = await recorder.next((event) => event.event === 'spare-ready');
    await strategy.close();
    expect(isStrategyClosedError(await running)).toBe(true);
    expect(eventsOf(started.runnerId)).toEqual(['spawned', 'task-started', 'killed']);
    expect(recorder.ofRunner(started.runnerId)[2]).toMatchObject({
      reason: 'close',
      task: 'events neverSettle',
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
