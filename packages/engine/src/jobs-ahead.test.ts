import {
  isStrategyClosedError,
  isTaskAbortedError,
  isTaskCrashedError,
  isTaskQueueFullError,
  isTaskTimeoutError,
  silentLogger,
  type TaskTimeoutError,
} from '@timebox/core';
import { describe, expect, it, vi } from 'vitest';
import type { EngineSettings } from './engine-settings.js';
import type { TaskEngine } from './task-engine.js';
import { fakeEnginesPerTest } from './test-support/fake-engines.js';
import {
  type FakePrefetch,
  type FakeRunner,
  fulfilled,
  moduleRequest,
  rejectionOf,
} from './test-support/fake-runner.js';

const run = { timeout: 1_000, logger: silentLogger };

describe('TaskEngine with a runner that prefetches', () => {
  const engines = fakeEnginesPerTest({}, (runners) => {
    runners.prefetchDepth = 2;
  });
  const make = engines.make;
  const runTask = (
    engine: TaskEngine,
    taskName: string,
    options: Parameters<TaskEngine['run']>[2] = run,
  ): Promise<unknown> => {
    const request = moduleRequest(taskName);
    return engine.run(taskName, () => request, options);
  };
  const prefetchOf = (runner: FakeRunner): FakePrefetch => {
    if (runner.prefetch === undefined) throw new Error(`${runner.label} does not prefetch`);
    return runner.prefetch;
  };
  /** An engine whose first runner runs `taskName` (started there), with room ahead. */
  const busyRunner = async (
    taskName: string,
    options: Parameters<TaskEngine['run']>[2] = run,
    overrides: Partial<EngineSettings> = {},
  ) => {
    const engine = make(overrides);
    const running = runTask(engine, taskName, options);
    await vi.advanceTimersByTimeAsync(0);
    const runner = engines.runners.runner(0);
    prefetchOf(runner).claim(0);
    return { engine, running, runner };
  };
  /** The runner's thread ends `taskName` and answers it, and starts the next task it holds. */
  const finish = (runner: FakeRunner, taskName: string, value: unknown): void => {
    const prefetch = prefetchOf(runner);
    const ticket = runner.ticketOf(taskName);
    prefetch.end(ticket);
    prefetch.claim(ticket + 1);
    runner.respond(fulfilled(value));
  };

  it('sends waiting tasks ahead to a busy runner, up to its depth; they count as queued and against maxQueue', async () => {
    const { engine, running: first, runner } = await busyRunner('first', run, { maxQueue: 3 });
    const second = runTask(engine, 'second');
    const third = runTask(engine, 'third');
    const fourth = runTask(engine, 'fourth');
    expect(runner.sent.map((request) => request.taskName)).toEqual(['first', 'second', 'third']);
    expect(runner.tickets).toEqual([0, 1, 2]);
    expect(engine.stats()).toMatchObject({ running: 1, queued: 3, prefetched: 2 });
    const refused = await rejectionOf(runTask(engine, 'fifth'));
    expect(isTaskQueueFullError(refused)).toBe(true);
    finish(runner, 'first', 1);
    // The next task is current now, and the one that waited in the queue is sent ahead.
    expect(runner.sent.at(-1)?.taskName).toBe('fourth');
    finish(runner, 'second', 2);
    finish(runner, 'third', 3);
    finish(runner, 'fourth', 4);
    await expect(Promise.all([first, second, third, fourth])).resolves.toEqual([1, 2, 3, 4]);
    expect(prefetchOf(runner).currents).toEqual([0, 1, 2, 3]);
    expect(engine.stats()).toMatchObject({ completed: 4, queued: 0, idleRunners: 1 });
  });

  it('counts the time limit of a task sent ahead from its real start, not from when it was sent', async () => {
    const { engine, running: first, runner } = await busyRunner('long');
    const second = rejectionOf(runTask(engine, 'held', { ...run, timeout: 100 }));
    // The first task runs far longer than the second's limit.
    await vi.advanceTimersByTimeAsync(500);
    prefetchOf(runner).end(0);
    prefetchOf(runner).claim(1, performance.now() - 30);
    runner.respond(fulfilled('long done'));
    await expect(first).resolves.toBe('long done');
    await vi.advanceTimersByTimeAsync(69);
    expect(engine.stats().timedOut).toBe(0);
    await vi.advanceTimersByTimeAsync(1);
    const error = (await second) as TaskTimeoutError;
    expect(isTaskTimeoutError(error)).toBe(true);
    expect(error.elapsed).toBeGreaterThanOrEqual(100);
    expect(error.elapsed).toBeLessThan(110);
  });

  it('takes back a task sent ahead whose caller aborts: it is rejected as queued and never runs', async () => {
    const { engine, running: first, runner } = await busyRunner('first');
    const controller = new AbortController();
    const aborted = rejectionOf(runTask(engine, 'aborted', { ...run, signal: controller.signal }));
    controller.abort(new Error('changed my mind'));
    const error = await aborted;
    expect(isTaskAbortedError(error)).toBe(true);
    expect(error).toMatchObject({ phase: 'queued', taskName: 'aborted' });
    expect(prefetchOf(runner).revoked).toEqual([1]);
    expect(prefetchOf(runner).claim(1)).toBe(false);
    expect(runner.stopCalls).toEqual([]);
    expect(engine.stats().queued).toBe(0);
    runner.respond(fulfilled('first done'));
    await expect(first).resolves.toBe('first done');
  });

  it('stops a task sent ahead that had started when its caller aborted, once the answer before it is in', async () => {
    const { engine, running: first, runner } = await busyRunner('first');
    const controller = new AbortController();
    const aborted = rejectionOf(runTask(engine, 'started', { ...run, signal: controller.signal }));
    // The thread ended the first task and started the next before the host heard of it.
    prefetchOf(runner).end(0);
    prefetchOf(runner).claim(1);
    controller.abort(new Error('changed my mind'));
    runner.respond(fulfilled('first done'));
    await expect(first).resolves.toBe('first done');
    const error = await aborted;
    expect(isTaskAbortedError(error)).toBe(true);
    expect(error).toMatchObject({ phase: 'running', taskName: 'started' });
    expect(runner.aborts).toEqual([
      { cause: 'caller', reason: expect.objectContaining({ message: 'changed my mind' }) },
    ]);
  });

  it('at a deadline takes back the tasks sent ahead, stops the runner, and runs them on the next one', async () => {
    const { engine, running, runner: first } = await busyRunner('runaway', { ...run, timeout: 50 });
    const runaway = rejectionOf(running);
    const waiting = [runTask(engine, 'a'), runTask(engine, 'b')];
    expect(first.sent).toHaveLength(3);
    await vi.advanceTimersByTimeAsync(50);
    expect(isTaskTimeoutError(await runaway)).toBe(true);
    expect(prefetchOf(first).revoked).toEqual([2, 1]);
    await vi.advanceTimersByTimeAsync(200);
    expect(first.stopCalls).toHaveLength(1);
    const second = engines.runners.runner(1);
    expect(second.sent.map((request) => request.taskName)).toEqual(['a', 'b']);
    finish(second, 'a', 'a done');
    finish(second, 'b', 'b done');
    await expect(Promise.all(waiting)).resolves.toEqual(['a done', 'b done']);
  });

  it('rejects a task whose deadline passed after it ended, with its answer on the way, and keeps the runner', async () => {
    const { engine, running, runner } = await busyRunner('late', { ...run, timeout: 50 });
    const late = rejectionOf(running);
    const next = runTask(engine, 'next');
    // The thread measured 60 ms, past the 50 ms limit, and went on to the next task.
    prefetchOf(runner).end(0, 60);
    prefetchOf(runner).claim(1);
    await vi.advanceTimersByTimeAsync(50);
    const error = (await late) as TaskTimeoutError;
    expect(error.elapsed).toBe(60);
    expect(isTaskTimeoutError(error)).toBe(true);
    expect(error.stillRunning).toBe(false);
    expect(error.forced).toBe(false);
    expect(runner.stopCalls).toEqual([]);
    expect(runner.aborts).toEqual([]);
    runner.respond(fulfilled('late answer'));
    finish(runner, 'next', 'next done');
    await expect(next).resolves.toBe('next done');
    expect(engine.stats()).toMatchObject({ timedOut: 1, completed: 1, kills: 0 });
  });

  it('rejects a task whose deadline passed after it ended, with nothing after it, and keeps the runner', async () => {
    const { engine, running, runner } = await busyRunner('late', { ...run, timeout: 50 });
    const late = rejectionOf(running);
    prefetchOf(runner).end(0, 50);
    await vi.advanceTimersByTimeAsync(50);
    const error = (await late) as TaskTimeoutError;
    expect(isTaskTimeoutError(error)).toBe(true);
    expect(error.stillRunning).toBe(false);
    expect(runner.stopCalls).toEqual([]);
    runner.respond(fulfilled('late answer'));
    expect(engine.stats()).toMatchObject({ timedOut: 1, kills: 0, idleRunners: 1 });
  });

  it('resolves a task that ended within its limit though its answer comes after the deadline (a busy host)', async () => {
    const { engine, running, runner } = await busyRunner('quick', { ...run, timeout: 50 });
    const held = runTask(engine, 'held', { ...run, timeout: 50 });
    prefetchOf(runner).end(0, 5);
    // The held task started long ago by the host's clock and ended within its limit too.
    prefetchOf(runner).claim(1, performance.now() - 40);
    prefetchOf(runner).end(1, 8);
    await vi.advanceTimersByTimeAsync(200);
    expect(engine.stats()).toMatchObject({ timedOut: 0, kills: 0 });
    runner.respond(fulfilled('quick done'));
    await vi.advanceTimersByTimeAsync(200);
    runner.respond(fulfilled('held done'));
    await expect(Promise.all([running, held])).resolves.toEqual(['quick done', 'held done']);
    expect(engine.stats()).toMatchObject({ timedOut: 0, completed: 2, kills: 0 });
    expect(runner.stopCalls).toEqual([]);
  });

  it('gives a runner with nothing to do the newest task sent ahead to a busy one', async () => {
    const engine = make({ maxRunners: 2 });
    const long = runTask(engine, 'long');
    const short = runTask(engine, 'short');
    await vi.advanceTimersByTimeAsync(0);
    const [busy, free] = [engines.runners.runner(0), engines.runners.runner(1)];
    prefetchOf(busy).claim(0);
    prefetchOf(free).claim(0);
    const held = [runTask(engine, 'x'), runTask(engine, 'y')];
    // One each: each runner gets the job with the fewest ahead.
    expect(busy.sent.map((request) => request.taskName)).toEqual(['long', 'x']);
    expect(free.sent.map((request) => request.taskName)).toEqual(['short', 'y']);
    finish(free, 'short', 'short done');
    finish(free, 'y', 'y done');
    await expect(Promise.all([short, held[1]])).resolves.toEqual(['short done', 'y done']);
    expect(prefetchOf(busy).revoked).toEqual([1]);
    expect(free.sent.at(-1)?.taskName).toBe('x');
    finish(free, 'x', 'x done');
    await expect(held[0]).resolves.toBe('x done');
    busy.respond(fulfilled('long done'));
    await expect(long).resolves.toBe('long done');
  });

  it('on close() rejects the tasks sent ahead as queued', async () => {
    const engine = make();
    const running = rejectionOf(runTask(engine, 'running'));
    await vi.advanceTimersByTimeAsync(0);
    prefetchOf(engines.runners.runner(0)).claim(0);
    const held = rejectionOf(runTask(engine, 'held'));
    const closing = engine.close();
    const [runningError, heldError] = await Promise.all([running, held]);
    expect(isStrategyClosedError(runningError)).toBe(true);
    expect(runningError).toMatchObject({ phase: 'running' });
    expect(isStrategyClosedError(heldError)).toBe(true);
    expect(heldError).toMatchObject({ phase: 'queued', taskName: 'held' });
    await vi.runAllTimersAsync();
    await closing;
  });

  it('when a runner crashes, runs the tasks it had not started elsewhere and blames the one it had', async () => {
    const { engine, running: first, runner } = await busyRunner('first');
    const started = rejectionOf(runTask(engine, 'started'));
    const held = runTask(engine, 'held');
    prefetchOf(runner).end(0);
    prefetchOf(runner).claim(1);
    runner.respond(fulfilled('first done'));
    await expect(first).resolves.toBe('first done');
    runner.crash({ reason: 'exit', detail: 'the runner exited', exitCode: 3 });
    const error = await started;
    expect(isTaskCrashedError(error)).toBe(true);
    expect(error).toMatchObject({ taskName: 'started' });
    await vi.advanceTimersByTimeAsync(0);
    const next = engines.runners.runner(1);
    expect(next.sent.map((request) => request.taskName)).toEqual(['held']);
    next.respond(fulfilled('held done'));
    await expect(held).resolves.toBe('held done');
  });

  it('sends nothing ahead of an isolated task, nor an isolated task ahead', async () => {
    const {
      engine,
      running: isolated,
      runner: first,
    } = await busyRunner('isolated', { ...run, isolate: true });
    const waiting = runTask(engine, 'waiting');
    expect(first.sent.map((request) => request.taskName)).toEqual(['isolated']);
    first.respond(fulfilled('isolated done'));
    await expect(isolated).resolves.toBe('isolated done');
    await vi.advanceTimersByTimeAsync(0);
    const second = engines.runners.runner(1);
    prefetchOf(second).claim(0);
    const isolatedLater = runTask(engine, 'isolated later', { ...run, isolate: true });
    expect(second.sent.map((request) => request.taskName)).toEqual(['waiting']);
    second.respond(fulfilled('waiting done'));
    await expect(waiting).resolves.toBe('waiting done');
    await vi.advanceTimersByTimeAsync(0);
    engines.runners.runner(2).respond(fulfilled('isolated later done'));
    await expect(isolatedLater).resolves.toBe('isolated later done');
  });

  it('sends nothing past the tickets a runner tracks, counting tasks taken back', async () => {
    engines.runners.prefetchCapacity = 3;
    const { engine, running: first, runner } = await busyRunner('first');
    const controllers = [new AbortController(), new AbortController()];
    const aborted = controllers.map((controller, index) =>
      rejectionOf(runTask(engine, `aborted ${index}`, { ...run, signal: controller.signal })),
    );
    for (const controller of controllers) controller.abort();
    await Promise.all(aborted);
    const waiting = runTask(engine, 'waiting');
    expect(runner.tickets).toEqual([0, 1, 2]);
    expect(engine.stats().queued).toBe(1);
    runner.respond(fulfilled('first done'));
    await expect(first).resolves.toBe('first done');
    expect(runner.sent.at(-1)?.taskName).toBe('waiting');
    expect(runner.tickets.at(-1)).toBe(3);
    runner.respond(fulfilled('waiting done'));
    await expect(waiting).resolves.toBe('waiting done');
  });
});
