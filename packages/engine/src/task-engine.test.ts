import {
  isStrategyClosedError,
  isTaskAbortedError,
  isTaskCrashedError,
  isTaskQueueFullError,
  isTaskSerializationError,
  isTaskTimeoutError,
  type Logger,
  silentLogger,
  type TaskTimeoutError,
} from '@timebox/core';
import { describe, expect, it, vi } from 'vitest';
import type { TaskEngine } from './task-engine.js';
import { fakeEnginesPerTest } from './test-support/fake-engines.js';
import { moduleRequest } from './test-support/fake-runner.js';

interface LoggedLine {
  level: string;
  message: string;
  fields: Record<string, unknown> | undefined;
}

function recordingLogger(): { logger: Logger; lines: LoggedLine[] } {
  const lines: LoggedLine[] = [];
  const record =
    (level: string) =>
    (message: string, fields?: unknown): void => {
      lines.push({ level, message, fields: fields as Record<string, unknown> | undefined });
    };
  return {
    lines,
    logger: {
      debug: record('debug'),
      info: record('info'),
      warn: record('warn'),
      error: record('error'),
    },
  };
}

const fulfilled = (value: unknown) => ({ outcome: 'fulfilled', value }) as const;
const run = { timeout: 1_000, logger: silentLogger };

function runOn(
  engine: TaskEngine,
  request: ReturnType<typeof moduleRequest>,
  options: Parameters<TaskEngine['run']>[2],
): Promise<unknown> {
  return engine.run(request.taskName, () => request, options);
}

async function rejectionOf(promise: Promise<unknown>): Promise<unknown> {
  return promise.then(
    (value) => ({ unexpectedValue: value }),
    (error: unknown) => error,
  );
}

describe('TaskEngine', () => {
  const engines = fakeEnginesPerTest();
  const make = engines.make;

  it('runs a task on a runner once it is ready and resolves with its answer', async () => {
    const engine = make();
    const result = runOn(engine, moduleRequest('add', [1, 2]), run);
    await vi.advanceTimersByTimeAsync(0);
    const runner = engines.runners.runner(0);
    expect(runner.sent).toHaveLength(1);
    runner.respond(fulfilled(3));
    await expect(result).resolves.toBe(3);
    expect(engine.stats()).toMatchObject({ completed: 1, running: 0, idleRunners: 1 });
  });

  it('blames no task for a stray callback: warns once per runner naming the task that left it, and retires the runner after its current task', async () => {
    const { logger, lines } = recordingLogger();
    const engine = make({ logger });
    await expect(
      (async () => {
        const first = runOn(engine, moduleRequest('leaves a timer'), run);
        await vi.advanceTimersByTimeAsync(0);
        engines.runners.runner(0).respond(fulfilled('settled'));
        return first;
      })(),
    ).resolves.toBe('settled');
    const innocent = runOn(engine, moduleRequest('innocent'), run);
    await vi.advanceTimersByTimeAsync(0);
    const runner = engines.runners.runner(0);
    expect(runner.sent.at(-1)?.taskName).toBe('innocent');
    // An interval that keeps throwing: one warning, not one per tick.
    runner.reportStray('leaves a timer', new Error('tick'));
    runner.reportStray('leaves a timer', new Error('tick'));
    runner.respond(fulfilled('innocent result'));
    await expect(innocent).resolves.toBe('innocent result');
    const warnings = lines.filter((line) => line.level === 'warn');
    expect(warnings).toHaveLength(1);
    expect(warnings[0]?.message).toContain("task 'leaves a timer' left a callback behind");
    expect(runner.stopCalls).toEqual([true]);
    expect(engine.stats().idleRunners).toBe(0);
  });

  it('counts the deadline from the start of execution, not from the call', async () => {
    engines.runners.readyAtOnce = false;
    const engine = make();
    const result = rejectionOf(runOn(engine, moduleRequest('slow'), { ...run, timeout: 100 }));
    await vi.advanceTimersByTimeAsync(500);
    engines.runners.runner(0).becomeReady();
    await vi.advanceTimersByTimeAsync(99);
    expect(engine.stats().timedOut).toBe(0);
    await vi.advanceTimersByTimeAsync(1);
    const error = await result;
    expect(isTaskTimeoutError(error)).toBe(true);
    expect(error).toMatchObject({ timeout: 100, strategy: 'fake', enforcement: 'hard' });
    expect((error as { elapsed: number }).elapsed).toBeGreaterThanOrEqual(100);
    expect((error as { elapsed: number }).elapsed).toBeLessThan(200);
  });

  it('refuses a task with TaskQueueFullError when maxQueue tasks already wait', async () => {
    const engine = make({ maxQueue: 1 });
    const first = runOn(engine, moduleRequest('first'), run);
    const second = runOn(engine, moduleRequest('second'), run);
    const third = await rejectionOf(runOn(engine, moduleRequest('third'), run));
    expect(isTaskQueueFullError(third)).toBe(true);
    expect(third).toMatchObject({ taskName: 'third', maxQueue: 1, strategy: 'fake' });
    await vi.advanceTimersByTimeAsync(0);
    engines.runners.runner(0).respond(fulfilled('a'));
    engines.runners.runner(0).respond(fulfilled('b'));
    await expect(first).resolves.toBe('a');
    await expect(second).resolves.toBe('b');
  });

  it('at the deadline: rejects at once, aborts, waits the grace period, stops, and logs the confirmed exit', async () => {
    const engine = make({ graceMs: 300 });
    const { logger, lines } = recordingLogger();
    const result = rejectionOf(runOn(engine, moduleRequest('spin'), { timeout: 100, logger }));
    await vi.advanceTimersByTimeAsync(100);
    expect(isTaskTimeoutError(await result)).toBe(true);
    const runner = engines.runners.runner(0);
    expect(runner.aborts).toEqual([
      expect.objectContaining({ cause: 'timeout', timeout: 100, strategy: 'fake' }),
    ]);
    expect(runner.stopCalls).toEqual([]);
    runner.hearAbort();
    await vi.advanceTimersByTimeAsync(300);
    expect(runner.stopCalls).toEqual([false]);
    await vi.advanceTimersByTimeAsync(0);
    const gone = lines.find((line) => line.fields?.ending !== undefined);
    expect(gone?.fields).toMatchObject({
      task: 'spin',
      ending: 'grace-expired',
      confirmed: true,
      forced: true,
      cause: 'timeout',
    });
    expect(engine.stats()).toMatchObject({ timedOut: 1, kills: 1, stoppingRunners: 0 });
    const timeout = (await result) as TaskTimeoutError;
    await expect(timeout.stopped).resolves.toMatchObject({ confirmed: true, forced: true });
    expect(timeout).toMatchObject({ stillRunning: false, forced: true });
  });

  it('says in the TaskTimeoutError when the runner could not be confirmed gone', async () => {
    const engine = make({ exitTimeout: 1_000 });
    const result = rejectionOf(runOn(engine, moduleRequest('blocked'), { ...run, timeout: 10 }));
    await vi.advanceTimersByTimeAsync(0);
    engines.runners.runner(0).exitsOnStop = false;
    engines.runners.runner(0).hearsAbort = false;
    await vi.advanceTimersByTimeAsync(10);
    const error = (await result) as TaskTimeoutError;
    expect(error.stillRunning).toBe(true);
    expect(error.forced).toBeUndefined();
    await vi.advanceTimersByTimeAsync(1_000);
    await expect(error.stopped).resolves.toMatchObject({
      confirmed: false,
      forced: true,
      reason: expect.stringContaining('was not confirmed gone 1000 ms after it was stopped'),
    });
    expect(error).toMatchObject({ stillRunning: true, forced: true });
    expect(engine.stats()).toMatchObject({ unconfirmedRunners: 1 });
  });

  it('skips the grace period when the runner cannot hear the abort', async () => {
    const engine = make({ graceMs: 5_000 });
    const result = rejectionOf(runOn(engine, moduleRequest('stuck'), { ...run, timeout: 50 }));
    await vi.advanceTimersByTimeAsync(0);
    engines.runners.runner(0).hearsAbort = false;
    await vi.advanceTimersByTimeAsync(50);
    await result;
    expect(engines.runners.runner(0).aborts).toEqual([]);
    expect(engines.runners.runner(0).stopCalls).toEqual([false]);
  });

  it('with graceMs: Infinity waits for the task to stop on its own, however long', async () => {
    const engine = make({ graceMs: Infinity });
    const result = rejectionOf(runOn(engine, moduleRequest('slow stop'), { ...run, timeout: 10 }));
    await vi.advanceTimersByTimeAsync(10);
    await result;
    await vi.advanceTimersByTimeAsync(2 ** 32);
    const runner = engines.runners.runner(0);
    expect(runner.stopCalls).toEqual([]);
    runner.respond(fulfilled('finally'));
    expect(runner.stopCalls).toEqual([true]);
  });

  it('runs the next queued task on a new runner after a kill', async () => {
    const engine = make();
    const first = rejectionOf(runOn(engine, moduleRequest('spin'), { ...run, timeout: 10 }));
    const second = runOn(engine, moduleRequest('next'), run);
    await vi.advanceTimersByTimeAsync(10);
    await first;
    await vi.advanceTimersByTimeAsync(0);
    const replacement = engines.runners.runner(1);
    expect(replacement.sent.map((request) => request.taskName)).toEqual(['next']);
    replacement.respond(fulfilled('ok'));
    await expect(second).resolves.toBe('ok');
  });

  it('settles a call within the start-up bound when runners never become ready, with the real cause', async () => {
    engines.runners.readyAtOnce = false;
    const engine = make({ startTimeout: 200, startAttempts: 3 });
    const result = rejectionOf(runOn(engine, moduleRequest('never ready'), run));
    await vi.advanceTimersByTimeAsync(3 * 200);
    const error = await result;
    expect(isTaskCrashedError(error)).toBe(true);
    expect(error).toMatchObject({ reason: 'spawn-failed', taskName: 'never ready' });
    expect((error as Error).message).toContain('did not become ready within 200 ms');
    expect(engines.runners.started).toHaveLength(3);
    expect(engines.runners.started.every((runner) => runner.stopCalls.length === 1)).toBe(true);
  });

  it('retries a failed start, then rejects the oldest waiting task with spawn-failed and the thrown cause', async () => {
    const cause = new Error('bad execArgv');
    engines.runners.failWith = cause;
    const engine = make({ startAttempts: 2 });
    const first = rejectionOf(runOn(engine, moduleRequest('first'), run));
    await vi.advanceTimersByTimeAsync(0);
    const error = await first;
    expect(isTaskCrashedError(error)).toBe(true);
    expect(error).toMatchObject({ reason: 'spawn-failed', cause });
    engines.runners.failWith = undefined;
    const second = runOn(engine, moduleRequest('second'), run);
    await vi.advanceTimersByTimeAsync(0);
    engines.runners.runner(0).respond(fulfilled(2));
    await expect(second).resolves.toBe(2);
  });

  it('reports a crash under a task as TaskCrashedError with the runner id', async () => {
    const engine = make();
    const result = rejectionOf(runOn(engine, moduleRequest('exits'), run));
    await vi.advanceTimersByTimeAsync(0);
    engines.runners.runner(0).crash({ reason: 'exit', exitCode: 3, detail: 'exited with 3' });
    const error = await result;
    expect(isTaskCrashedError(error)).toBe(true);
    expect(error).toMatchObject({ reason: 'exit', exitCode: 3, threadId: 1, strategy: 'fake' });
    expect(engine.stats().crashed).toBe(1);
  });

  it("logs a crash between tasks to the strategy's logger naming the task that left it, and blames no other task", async () => {
    const { logger, lines } = recordingLogger();
    const engine = make({ logger });
    const first = runOn(engine, moduleRequest('leaves a timer'), run);
    await vi.advanceTimersByTimeAsync(0);
    engines.runners.runner(0).respond(fulfilled(1));
    await first;
    engines.runners.runner(0).crash({ reason: 'uncaught-exception', detail: 'Error: late' });
    const warning = lines.find((line) => line.level === 'warn');
    expect(warning?.message).toContain("task 'leaves a timer'");
    expect(warning?.message).not.toContain('(none)');
    const next = runOn(engine, moduleRequest('innocent'), run);
    await vi.advanceTimersByTimeAsync(0);
    engines.runners.runner(1).respond(fulfilled('fine'));
    await expect(next).resolves.toBe('fine');
  });

  it('takes a queued task out when its signal aborts, and stops a running one', async () => {
    const engine = make();
    const running = new AbortController();
    const queued = new AbortController();
    const first = rejectionOf(
      runOn(engine, moduleRequest('running'), { ...run, signal: running.signal }),
    );
    const second = rejectionOf(
      runOn(engine, moduleRequest('queued'), { ...run, signal: queued.signal }),
    );
    await vi.advanceTimersByTimeAsync(0);
    const reason = new Error('changed my mind');
    queued.abort(reason);
    expect(await second).toMatchObject({ phase: 'queued', cause: reason });
    running.abort(reason);
    const error = await first;
    expect(isTaskAbortedError(error)).toBe(true);
    expect(error).toMatchObject({ phase: 'running', cause: reason });
    expect(engines.runners.runner(0).aborts).toEqual([
      {
        cause: 'caller',
        reason: expect.objectContaining({ name: 'Error', message: 'changed my mind' }),
      },
    ]);
    expect(engines.runners.runner(0).sent.map((request) => request.taskName)).toEqual(['running']);
  });

  it('refuses a run after close() or with an aborted signal before building its request', async () => {
    const engine = make();
    const createRequest = vi.fn(() => moduleRequest('never built'));
    const controller = new AbortController();
    controller.abort(new Error('already'));
    const aborted = await rejectionOf(
      engine.run('aborted', createRequest, { ...run, signal: controller.signal }),
    );
    expect(aborted).toMatchObject({ name: 'TaskAbortedError', phase: 'before-start' });
    const unbuildable = await rejectionOf(
      engine.run(
        'unbuildable',
        () => {
          throw new TypeError('cannot build');
        },
        run,
      ),
    );
    expect(unbuildable).toMatchObject({ name: 'TypeError', message: 'cannot build' });
    await engine.close();
    const closed = await rejectionOf(engine.run('closed', createRequest, run));
    expect(closed).toMatchObject({ name: 'StrategyClosedError', phase: 'after-close' });
    expect(createRequest).not.toHaveBeenCalled();
  });

  it('rejects a request the runner refuses with TaskSerializationError and keeps the runner', async () => {
    const engine = make();
    await vi.advanceTimersByTimeAsync(0);
    const error = await rejectionOf(runOn(engine, moduleRequest('refused', ['refuse']), run));
    expect(isTaskSerializationError(error)).toBe(true);
    const next = runOn(engine, moduleRequest('next'), run);
    engines.runners.runner(0).respond(fulfilled('ok'));
    await expect(next).resolves.toBe('ok');
    expect(engines.runners.started).toHaveLength(1);
  });

  it('close() rejects queued and running tasks, refuses later ones, and settles even when a runner never exits', async () => {
    const engine = make({ exitTimeout: 1_000 });
    const running = rejectionOf(runOn(engine, moduleRequest('running'), run));
    const queued = rejectionOf(runOn(engine, moduleRequest('queued'), run));
    await vi.advanceTimersByTimeAsync(0);
    engines.runners.runner(0).exitsOnStop = false;
    engines.runners.runner(0).hearsAbort = false;
    const closing = engine.close();
    expect(await queued).toMatchObject({ phase: 'queued', name: 'StrategyClosedError' });
    expect(await running).toMatchObject({ phase: 'running', name: 'StrategyClosedError' });
    const late = await rejectionOf(runOn(engine, moduleRequest('late'), run));
    expect(isStrategyClosedError(late)).toBe(true);
    expect(late).toMatchObject({ phase: 'after-close' });
    await vi.advanceTimersByTimeAsync(1_000);
    await closing;
    expect(engine.stats()).toMatchObject({ unconfirmedRunners: 1, stoppingRunners: 0 });
    expect(engines.runners.runner(0).referenced).toBe(false);
  });

  it('retires an idle runner after idleTimeout, and a timeout above 2^31 ms is not "at once"', async () => {
    const engine = make({ idleTimeout: 2 ** 31 });
    const first = runOn(engine, moduleRequest('first'), run);
    await vi.advanceTimersByTimeAsync(0);
    engines.runners.runner(0).respond(fulfilled(1));
    await first;
    await vi.advanceTimersByTimeAsync(2 ** 31 - 2);
    expect(engines.runners.runner(0).stopCalls).toEqual([]);
    await vi.advanceTimersByTimeAsync(10);
    expect(engines.runners.runner(0).stopCalls).toEqual([true]);
  });

  it("keeps a spare that preloads recent modules, and never preloads another module again once the first task on a spare that preloaded it timed out (the task's own module stays)", async () => {
    const engine = make({ spareRunners: 1, graceMs: 0 });
    const answer = async (
      name: string,
      timeout = 1_000,
      specifier = 'file:///tasks.mjs',
    ): Promise<unknown> => {
      const request = {
        ...moduleRequest(name),
        run: { kind: 'module', specifier, exportName: name },
      } as const;
      const result = rejectionOf(runOn(engine, request, { ...run, timeout }));
      await vi.advanceTimersByTimeAsync(0);
      const holder = engines.runners.started.find(
        (runner) => runner.sent.at(-1)?.taskName === name && !runner.gone,
      );
      if (timeout === 1_000) holder?.respond(fulfilled(name));
      await vi.advanceTimersByTimeAsync(timeout === 1_000 ? 0 : timeout);
      return result;
    };
    await answer('hangs at import', 1_000, 'file:///hangs.mjs');
    expect(
      engines.runners
        .runner(1)
        .preloads.flat()
        .map((request) => request.taskName),
    ).toEqual(['hangs at import']);
    expect(engine.stats()).toMatchObject({ spareRunners: 1, idleRunners: 1 });
    await answer('spin', 10);
    await answer('innocent', 10); // on the spare that preloaded 'hangs at import'
    await answer('later', 10);
    await vi.advanceTimersByTimeAsync(0);
    const latest = engines.runners.started.at(-1);
    const preloaded = latest?.preloads.flat().map((request) => request.taskName) ?? [];
    expect(preloaded).toContain('innocent');
    expect(preloaded).toContain('spin');
    expect(preloaded).not.toContain('hangs at import');
  });

  it('never preloads again a module whose preload ended a spare, and names it in one warning', async () => {
    const { logger, lines } = recordingLogger();
    const engine = make({ spareRunners: 1, logger });
    const first = runOn(engine, moduleRequest('exits at import'), run);
    await vi.advanceTimersByTimeAsync(0);
    engines.runners.runner(0).respond(fulfilled(1));
    await first;
    const preloadedBy = (index: number): string[] =>
      engines.runners
        .runner(index)
        .preloads.flat()
        .map((request) => request.taskName);
    expect(preloadedBy(1)).toEqual(['exits at import']);
    engines.runners.runner(1).crash({ reason: 'exit', exitCode: 0 });
    await vi.advanceTimersByTimeAsync(0);
    expect(engines.runners.started).toHaveLength(3);
    expect(preloadedBy(2)).toEqual([]);
    const warnings = lines.filter((line) => line.level === 'warn');
    expect(warnings).toHaveLength(1);
    expect(warnings[0]?.message).toMatch(
      /^fake runner 2 ended \(exit code 0\) while it preloaded file:\/\/\/tasks\.mjs \(export 'exits at import'\) of task 'exits at import', before running any task; that module is never preloaded again/,
    );
    expect(warnings[0]?.fields).toMatchObject({ modules: ['file:///tasks.mjs'] });
  });

  it('gives no task to a spare before its preloads load; one that ends while loading them puts the waiting task back, blameless', async () => {
    const { logger, lines } = recordingLogger();
    engines.runners.acknowledgePreloads = true;
    const engine = make({ spareRunners: 1, graceMs: 0, logger });
    const first = runOn(engine, moduleRequest('exits at import'), run);
    await vi.advanceTimersByTimeAsync(0);
    engines.runners.runner(0).respond(fulfilled(1));
    await first;
    const spare = engines.runners.runner(1);
    expect(spare.preloads.flat().map((request) => request.taskName)).toEqual(['exits at import']);
    // The pool's runner is stopped at a deadline; the next task adopts the preloading spare.
    const killed = rejectionOf(runOn(engine, moduleRequest('spin'), { ...run, timeout: 10 }));
    await vi.advanceTimersByTimeAsync(10);
    expect(isTaskTimeoutError(await killed)).toBe(true);
    const innocent = runOn(engine, moduleRequest('innocent'), run);
    await vi.advanceTimersByTimeAsync(0);
    expect(spare.sent).toEqual([]);
    spare.crash({ reason: 'exit', exitCode: 0 });
    await vi.advanceTimersByTimeAsync(0);
    // A spare started before the module was refused preloads it too, and ends the same way;
    // the others load their preloads.
    for (let turn = 0; turn < 3; turn++) {
      for (const other of engines.runners.started) {
        if (other.gone || other.preloads.length === 0) continue;
        const preloaded = other.preloads.flat().map((request) => request.taskName);
        if (preloaded.includes('exits at import')) other.crash({ reason: 'exit', exitCode: 0 });
        else other.finishPreloads();
      }
      await vi.advanceTimersByTimeAsync(100);
    }
    const next = engines.runners.started.find(
      (runner) => runner.sent.at(-1)?.taskName === 'innocent',
    );
    expect(next).toBeDefined();
    expect(next?.preloads.flat().map((request) => request.taskName)).not.toContain(
      'exits at import',
    );
    next?.respond(fulfilled('fine'));
    await expect(innocent).resolves.toBe('fine');
    const warnings = lines.filter((line) => line.level === 'warn');
    expect(warnings.map((line) => line.message)).toEqual([
      expect.stringMatching(
        /^fake runner 2 ended \(exit code 0\) while it preloaded .*'exits at import'/,
      ),
    ]);
  });

  it('ends a spare whose preloads do not load within startTimeout and never preloads them again', async () => {
    const { logger, lines } = recordingLogger();
    engines.runners.acknowledgePreloads = true;
    const engine = make({ spareRunners: 1, startTimeout: 500, logger });
    const first = runOn(engine, moduleRequest('hangs at import'), run);
    await vi.advanceTimersByTimeAsync(0);
    engines.runners.runner(0).respond(fulfilled(1));
    await first;
    const spare = engines.runners.runner(1);
    expect(spare.preloads).toHaveLength(1);
    await vi.advanceTimersByTimeAsync(500);
    expect(spare.stopCalls).toHaveLength(1);
    expect(lines.filter((line) => line.level === 'warn').map((line) => line.message)).toEqual([
      expect.stringMatching(
        /^fake runner 2 ended \(spawn-failed\) while it preloaded .*'hangs at import'/,
      ),
    ]);
    await vi.advanceTimersByTimeAsync(100);
    await vi.advanceTimersByTimeAsync(100);
    const replacement = engines.runners.started.at(-1);
    expect(replacement).not.toBe(spare);
    expect(replacement?.preloads).toEqual([]);
    const later = runOn(engine, moduleRequest('later'), run);
    await vi.advanceTimersByTimeAsync(0);
    engines.runners.runner(0).respond(fulfilled('ok'));
    await expect(later).resolves.toBe('ok');
  });

  it('frees a preloading runner whose waiting task was aborted, once its preloads load', async () => {
    engines.runners.acknowledgePreloads = true;
    const engine = make({ spareRunners: 1, graceMs: 0 });
    const first = runOn(engine, moduleRequest('warm'), run);
    await vi.advanceTimersByTimeAsync(0);
    engines.runners.runner(0).respond(fulfilled(1));
    await first;
    const spare = engines.runners.runner(1);
    const killed = rejectionOf(runOn(engine, moduleRequest('spin'), { ...run, timeout: 10 }));
    await vi.advanceTimersByTimeAsync(10);
    expect(isTaskTimeoutError(await killed)).toBe(true);
    // The next task adopts the preloading spare; its caller gives up before the preloads load.
    const controller = new AbortController();
    const gaveUp = rejectionOf(
      runOn(engine, moduleRequest('gives up'), { ...run, signal: controller.signal }),
    );
    await vi.advanceTimersByTimeAsync(0);
    controller.abort(new Error('no longer needed'));
    expect(isTaskAbortedError(await gaveUp)).toBe(true);
    spare.finishPreloads();
    const later = runOn(engine, moduleRequest('later'), run);
    await vi.advanceTimersByTimeAsync(0);
    expect(spare.sent.map((request) => request.taskName)).toEqual(['later']);
    spare.respond(fulfilled('served'));
    await expect(later).resolves.toBe('served');
  });

  it('counts a spare ready once its preloads loaded', async () => {
    engines.runners.acknowledgePreloads = true;
    const engine = make({ spareRunners: 1, maxRunners: 2 });
    const first = runOn(engine, moduleRequest('warm'), run);
    await vi.advanceTimersByTimeAsync(0);
    engines.runners.runner(0).respond(fulfilled(1));
    await first;
    const spare = engines.runners.runner(1);
    spare.finishPreloads();
    const busy = runOn(engine, moduleRequest('busy'), run);
    const second = runOn(engine, moduleRequest('second'), run);
    await vi.advanceTimersByTimeAsync(0);
    expect(spare.sent.map((request) => request.taskName)).toEqual(['second']);
    spare.respond(fulfilled(2));
    engines.runners.runner(0).respond(fulfilled(3));
    await expect(Promise.all([busy, second])).resolves.toEqual([3, 2]);
  });

  it('does not preload the module of a task that ended its runner', async () => {
    const engine = make({ spareRunners: 1 });
    const crashed = rejectionOf(runOn(engine, moduleRequest('exits while it runs'), run));
    engines.runners.readyAtOnce = false;
    await vi.advanceTimersByTimeAsync(0);
    engines.runners.runner(0).crash({ reason: 'exit', exitCode: 0 });
    expect(isTaskCrashedError(await crashed)).toBe(true);
    await vi.advanceTimersByTimeAsync(0);
    const spare = engines.runners.started.at(-1);
    spare?.becomeReady();
    expect(spare?.preloads.flat().map((request) => request.taskName) ?? []).toEqual([]);
  });

  it('refills spares while a stopped runner is still in its grace period, and waits only for one being ended', async () => {
    const engine = make({ spareRunners: 1, graceMs: 1_000 });
    const result = rejectionOf(
      runOn(engine, moduleRequest('cooperative'), { ...run, timeout: 10 }),
    );
    await vi.advanceTimersByTimeAsync(0);
    expect(engines.runners.started).toHaveLength(2); // the pool's runner and one spare
    await vi.advanceTimersByTimeAsync(10);
    await result;
    const next = runOn(engine, moduleRequest('next'), run); // adopts the spare
    await vi.advanceTimersByTimeAsync(0);
    expect(engines.runners.started).toHaveLength(3); // a new spare, while runner 1 is in its grace
    expect(engines.runners.runner(0).stopCalls).toEqual([]);
    engines.runners.runner(1).respond(fulfilled('ok'));
    await expect(next).resolves.toBe('ok');
  });

  it('runs an isolated task on a runner no task used, retires that runner after it, and makes room for it', async () => {
    const engine = make({ maxRunners: 1, spareRunners: 1 });
    const answerOn = async (name: string, isolate: boolean): Promise<number> => {
      const result = runOn(engine, moduleRequest(name), { ...run, isolate });
      await vi.advanceTimersByTimeAsync(0);
      const index = engines.runners.started.findIndex(
        (runner) => !runner.gone && runner.sent.at(-1)?.taskName === name,
      );
      engines.runners.runner(index).respond(fulfilled(name));
      await expect(result).resolves.toBe(name);
      await vi.advanceTimersByTimeAsync(0);
      return index;
    };
    const first = await answerOn('shared state', false);
    const isolated = await answerOn('changes globals', true);
    expect(isolated).not.toBe(first);
    expect(engines.runners.runner(isolated).sent).toHaveLength(1);
    // The used idle runner made room for it; the isolated one is retired after it.
    expect(engines.runners.runner(first).stopCalls).toHaveLength(1);
    expect(engines.runners.runner(isolated).stopCalls).toHaveLength(1);
    const again = await answerOn('changes globals', true);
    expect([first, isolated]).not.toContain(again);
    const next = await answerOn('after', false);
    expect([first, isolated, again]).not.toContain(next);
    // Queued behind a busy runner, it waits for a fresh one, not for that runner.
    const busy = runOn(engine, moduleRequest('busy'), run);
    await vi.advanceTimersByTimeAsync(0);
    const busyRunner = engines.runners.runner(next);
    expect(busyRunner.sent.at(-1)?.taskName).toBe('busy');
    const queued = runOn(engine, moduleRequest('queued isolated'), { ...run, isolate: true });
    await vi.advanceTimersByTimeAsync(0);
    busyRunner.respond(fulfilled('busy'));
    await vi.advanceTimersByTimeAsync(0);
    expect(busyRunner.sent.map((request) => request.taskName)).toEqual(['after', 'busy']);
    const holder = engines.runners.started.find(
      (runner) => !runner.gone && runner.sent.at(-1)?.taskName === 'queued isolated',
    );
    expect(holder?.sent).toHaveLength(1);
    holder?.respond(fulfilled('queued'));
    await expect(Promise.all([busy, queued])).resolves.toEqual(['busy', 'queued']);
    expect(engine.stats()).toMatchObject({ completed: 6, crashed: 0 });
  });

  it('reports wait and run time percentiles', async () => {
    const engine = make();
    const first = runOn(engine, moduleRequest('first'), run);
    await vi.advanceTimersByTimeAsync(0);
    await vi.advanceTimersByTimeAsync(40);
    engines.runners.runner(0).respond(fulfilled(1));
    await first;
    const stats = engine.stats();
    expect(stats.runTime.p50).toBeGreaterThanOrEqual(40);
    expect(stats.runTime.max).toBeLessThan(100);
    expect(stats.waitTime.p99).toBeLessThan(40);
  });
});
