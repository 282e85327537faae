import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  defineTask,
  isTaskCrashedError,
  isTaskTimeoutError,
  runTaskWithTimeout,
  type TaskCrashedError,
} from '@timebox/core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { processStrategy } from './index.js';
import { leftoverProcesses, markedEnvironment, readWhenWritten } from './test-support/processes.js';

const marker = randomUUID();
const env = markedEnvironment(marker);
const tasksModule = new URL('./test-fixtures/tasks.mjs', import.meta.url);

function task<Args extends unknown[]>(exportName: string, timeout = 30_000) {
  return defineTask<Args, unknown>({
    name: `crash ${exportName}`,
    timeout,
    run: { module: tasksModule, export: exportName },
  });
}

describe('processStrategy reports crashes as TaskCrashedError', () => {
  const strategies: Array<{ close(): Promise<void> }> = [];
  let scratch: string;

  function strategyFor(options: Parameters<typeof processStrategy>[0] = {}) {
    const strategy = processStrategy({ env, maxProcesses: 1, stdio: 'pipe', ...options });
    strategies.push(strategy);
    return strategy;
  }

  async function crashOf(
    promise: Promise<unknown>,
  ): Promise<TaskCrashedError & { readonly elapsedMs: number }> {
    const started = performance.now();
    const error = await promise.catch((caught: unknown) => caught);
    expect(isTaskCrashedError(error)).toBe(true);
    return Object.assign(error as TaskCrashedError, { elapsedMs: performance.now() - started });
  }

  beforeAll(() => {
    scratch = mkdtempSync(join(tmpdir(), 'timebox-crash-'));
  });

  afterEach(async () => {
    await Promise.all(strategies.splice(0).map((strategy) => strategy.close()));
  });

  afterAll(async () => {
    rmSync(scratch, { recursive: true, force: true });
    expect(await leftoverProcesses(marker)).toEqual({ children: [], marked: [] });
  });

  it('reports process.exit in the middle of a task as exit with its code, at once', async () => {
    const strategy = strategyFor();
    const error = await crashOf(
      runTaskWithTimeout(task<[number]>('exitMidTask'), [3], { strategy }),
    );
    expect(error).toMatchObject({
      reason: 'exit',
      exitCode: 3,
      signal: null,
      strategy: 'process',
      taskName: 'crash exitMidTask',
    });
    expect(error.pid).toBeGreaterThan(0);
    // Reported on the exit, long before the 30 s limit.
    expect(error.elapsedMs).toBeLessThan(10_000);
  });

  it('reports process.exit(0) mid-task as a crash, not a result', async () => {
    const strategy = strategyFor();
    const error = await crashOf(
      runTaskWithTimeout(task<[number]>('exitMidTask'), [0], { strategy }),
    );
    expect(error).toMatchObject({ reason: 'exit', exitCode: 0 });
  });

  it('reports an uncaught exception with the error as cause', async () => {
    const strategy = strategyFor();
    const error = await crashOf(
      runTaskWithTimeout(task<[string]>('throwOutsideTask'), ['from a timer'], { strategy }),
    );
    expect(error.reason).toBe('uncaught-exception');
    expect(error.exitCode).toBe(1);
    expect(error.cause).toBeInstanceOf(RangeError);
    expect(error.cause).toMatchObject({ message: 'from a timer', code: 'E_OUTSIDE' });
    expect(error.message).toContain('RangeError: from a timer');
  });

  it('reports an unhandled rejection as an uncaught exception', async () => {
    const strategy = strategyFor();
    const error = await crashOf(
      runTaskWithTimeout(task<[string]>('rejectUnhandled'), ['nobody listens'], { strategy }),
    );
    expect(error.reason).toBe('uncaught-exception');
    expect(error.cause).toBeInstanceOf(TypeError);
    expect((error.cause as Error).message).toBe('nobody listens');
  });

  it('reports running out of memory under a heap limit', async () => {
    const strategy = strategyFor({ execArgv: ['--max-old-space-size=32'] });
    const error = await crashOf(runTaskWithTimeout(task<[]>('exhaustMemory'), [], { strategy }));
    expect(error.reason).toBe('out-of-memory');
    expect(error.message).toContain('ran out of memory');
  });

  it('reports a child killed from outside with the signal', async () => {
    const strategy = strategyFor();
    const pidFile = join(scratch, 'killed-from-outside');
    const running = crashOf(
      runTaskWithTimeout(task<[string]>('reportPid'), [pidFile], { strategy }),
    );
    const pid = await readWhenWritten<number>(pidFile);
    process.kill(pid, 'SIGTERM');
    const error = await running;
    expect(error).toMatchObject({ reason: 'signal', signal: 'SIGTERM', exitCode: null, pid });
  });

  it('reports a child that cannot start as spawn-failed, with what it printed', async () => {
    const strategy = strategyFor({ execArgv: ['--no-such-node-option'] });
    const error = await crashOf(runTaskWithTimeout(task<[number]>('echo'), [1], { strategy }));
    expect(error.reason).toBe('spawn-failed');
    expect(error.message).toContain('--no-such-node-option');
  });

  it('gives the real cause of a failed start: exit code and last stderr line, not a warning', async () => {
    const failAtStart = fileURLToPath(
      new URL('./test-fixtures/fail-at-start.cjs', import.meta.url),
    );
    const strategy = strategyFor({ execArgv: ['--require', failAtStart] });
    const error = await crashOf(runTaskWithTimeout(task<[number]>('echo'), [1], { strategy }));
    expect(error).toMatchObject({ reason: 'spawn-failed', exitCode: 3 });
    expect(error.message).toContain(
      'exit code 3; last stderr line: the database at db.invalid cannot be reached',
    );
    expect(error.message).not.toContain('SecurityWarning');
  });

  it('runs the next task in a fresh process after a crash', async () => {
    const strategy = strategyFor();
    await crashOf(runTaskWithTimeout(task<[number]>('exitMidTask'), [5], { strategy }));
    await expect(runTaskWithTimeout(task<[number]>('echo'), [7], { strategy })).resolves.toBe(7);
  });

  it('never reports a crash as a timeout, nor a timeout as a crash', async () => {
    const strategy = strategyFor();
    const timedOut = await runTaskWithTimeout(task<[]>('neverSettle', 100), [], { strategy }).catch(
      (e: unknown) => e,
    );
    expect(isTaskTimeoutError(timedOut)).toBe(true);
    expect(isTaskCrashedError(timedOut)).toBe(false);
    const crashed = await crashOf(
      runTaskWithTimeout(task<[number]>('exitMidTask', 100_000), [2], { strategy }),
    );
    expect(isTaskTimeoutError(crashed)).toBe(false);
  });
});
