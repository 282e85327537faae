import {
  defineTask,
  isTaskCrashedError,
  runTaskWithTimeout,
  type TaskCrashedError,
  type TimeoutStrategy,
} from '@timebox/core';
import { describe, expect, it } from 'vitest';
import { fixtureTask, inlineAdd, rejectionOf, strategiesClosedAfterAll } from './test-helpers.js';

describe('workerStrategy crashes', () => {
  const strategyWith = strategiesClosedAfterAll();

  async function crashOf(
    strategy: TimeoutStrategy,
    run: Promise<unknown>,
  ): Promise<{ error: TaskCrashedError; waited: number }> {
    const started = performance.now();
    const error = await rejectionOf(run);
    const waited = performance.now() - started;
    expect(isTaskCrashedError(error)).toBe(true);
    await expect(runTaskWithTimeout(inlineAdd, [1, 2], { strategy })).resolves.toBe(3);
    return { error: error as TaskCrashedError, waited };
  }

  it('reports process.exit() in the task at once as reason exit, with the exit code', async () => {
    const strategy = strategyWith({ maxWorkers: 1 });
    const task = defineTask({ name: 'exits', timeout: 30_000, run: () => process.exit(3) });
    const { error, waited } = await crashOf(strategy, runTaskWithTimeout(task, [], { strategy }));
    expect(error).toMatchObject({
      name: 'TaskCrashedError',
      taskName: 'exits',
      strategy: 'worker',
      reason: 'exit',
      exitCode: 3,
    });
    expect(error.threadId).toEqual(expect.any(Number));
    expect(error.message).toContain('exited with code 3');
    expect(error.message).toContain('process.exit()');
    expect(waited).toBeLessThan(15_000);
  });

  it('reports an exception thrown from a timer as uncaught-exception, with the rebuilt error as cause', async () => {
    const strategy = strategyWith({ maxWorkers: 1 });
    const task = fixtureTask<[], never>('throwFromTimer', 30_000);
    const { error, waited } = await crashOf(strategy, runTaskWithTimeout(task, [], { strategy }));
    expect(error).toMatchObject({ reason: 'uncaught-exception', strategy: 'worker' });
    const cause = error.cause as Error & { code?: string };
    expect(cause).toBeInstanceOf(Error);
    expect(cause.name).toBe('TimerError');
    expect(cause.message).toBe('thrown from a timer');
    expect(cause.code).toBe('E_TIMER');
    expect(cause.stack).toContain('test-fixtures/tasks.mjs');
    expect(error.message).toContain('TimerError: thrown from a timer');
    expect(waited).toBeLessThan(15_000);
  });

  it('reports running out of memory under resourceLimits as out-of-memory, and says so', async () => {
    const strategy = strategyWith({
      maxWorkers: 1,
      resourceLimits: { maxOldGenerationSizeMb: 24, maxYoungGenerationSizeMb: 4 },
    });
    const task = fixtureTask<[], never>('allocateForever', 60_000);
    const { error, waited } = await crashOf(strategy, runTaskWithTimeout(task, [], { strategy }));
    expect(error).toMatchObject({ reason: 'out-of-memory', strategy: 'worker' });
    expect(error.message).toContain('ran out of memory');
    expect(error.message).toContain('ERR_WORKER_OUT_OF_MEMORY');
    expect(error.message).toContain('maxOldGenerationSizeMb');
    expect((error.cause as { code?: string }).code).toBe('ERR_WORKER_OUT_OF_MEMORY');
    expect(waited).toBeLessThan(30_000);
  });

  it('reports a thread that cannot start as spawn-failed', async () => {
    const strategy = strategyWith({ maxWorkers: 1, execArgv: ['--no-such-node-flag'] });
    const error = await rejectionOf(runTaskWithTimeout(inlineAdd, [1, 2], { strategy }));
    expect(isTaskCrashedError(error)).toBe(true);
    expect(error).toMatchObject({ reason: 'spawn-failed', strategy: 'worker' });
    expect((error as Error).message).toContain('could not start');
  });

  it('passes env to the worker threads', async () => {
    const strategy = strategyWith({ maxWorkers: 1, env: { TIMEBOX_TEST_VALUE: 'from env' } });
    const task = fixtureTask<[string], string | null>('readEnvironment');
    await expect(runTaskWithTimeout(task, ['TIMEBOX_TEST_VALUE'], { strategy })).resolves.toBe(
      'from env',
    );
  });
});
