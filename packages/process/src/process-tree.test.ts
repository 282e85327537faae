import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  defineTask,
  isTaskAbortedError,
  isTaskTimeoutError,
  type Logger,
  runTaskWithTimeout,
  type Task,
} from '@timebox/core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { processStrategy } from './index.js';
import {
  isRunning,
  leftoverProcesses,
  markedEnvironment,
  readWhenWritten,
  survivorsAfter,
} from './test-support/processes.js';
import { recordingLogger } from './test-support/recording-logger.js';

const marker = randomUUID();
const env = markedEnvironment(marker);
const tasksModule = new URL('./test-fixtures/tasks.mjs', import.meta.url);

interface TreePids {
  readonly child: number;
  readonly grandchild: number;
}

interface GrandchildOptions {
  readonly stubborn?: boolean;
  readonly spin?: boolean;
}

function task<Args extends unknown[], Result>(exportName: string, timeout: number) {
  return defineTask<Args, Result>({
    name: `tree ${exportName}`,
    timeout,
    run: { module: tasksModule, export: exportName },
  });
}

describe('processStrategy stops the whole process tree', () => {
  const strategies: Array<{ close(): Promise<void> }> = [];
  let scratch: string;

  function strategyFor(options: Parameters<typeof processStrategy>[0] = {}) {
    const strategy = processStrategy({ env, maxProcesses: 1, ...options });
    strategies.push(strategy);
    return strategy;
  }

  beforeAll(() => {
    scratch = mkdtempSync(join(tmpdir(), 'timebox-tree-'));
  });

  afterEach(async () => {
    await Promise.all(strategies.splice(0).map((strategy) => strategy.close()));
  });

  afterAll(async () => {
    rmSync(scratch, { recursive: true, force: true });
    expect(await leftoverProcesses(marker)).toEqual({ children: [], marked: [] });
  });

  /**
   * Runs `spawnGrandchild` under a caller signal that aborts once both pids are known, so
   * that the kill never races the spawn.
   */
  async function runAndAbort(
    options: GrandchildOptions,
    strategyOptions: Parameters<typeof processStrategy>[0] = {},
    logger?: Logger,
  ) {
    const strategy = strategyFor(strategyOptions);
    const pidFile = join(scratch, `pids-${randomUUID()}`);
    const controller = new AbortController();
    const spawnGrandchild: Task<[string, GrandchildOptions], never> = task(
      'spawnGrandchild',
      60_000,
    );
    const running = runTaskWithTimeout(spawnGrandchild, [pidFile, options], {
      strategy,
      signal: controller.signal,
      ...(logger === undefined ? {} : { logger }),
    }).catch((e: unknown) => e);
    const pids = await readWhenWritten<TreePids>(pidFile);
    expect(isRunning(pids.child)).toBe(true);
    expect(isRunning(pids.grandchild)).toBe(true);
    controller.abort(new Error('stop the tree'));
    const error = await running;
    expect(isTaskAbortedError(error)).toBe(true);
    return { pids, strategy };
  }

  it('kills a grandchild (sleep 1000) together with the child at the timeout', async () => {
    const strategy = strategyFor({ graceMs: 0 });
    const pidFile = join(scratch, 'timeout-pids');
    const spawnGrandchild: Task<[string], never> = task('spawnGrandchild', 2_000);
    const error = await runTaskWithTimeout(spawnGrandchild, [pidFile], { strategy }).catch(
      (e: unknown) => e,
    );
    if (!isTaskTimeoutError(error)) throw error;
    await error.stopped;
    expect(error).toMatchObject({ strategy: 'process', enforcement: 'hard', stillRunning: false });
    const pids = await readWhenWritten<TreePids>(pidFile, 0);
    expect(await survivorsAfter([pids.child, pids.grandchild])).toEqual([]);
  });

  it('kills the child and grandchild when the caller aborts', async () => {
    const { pids } = await runAndAbort({});
    expect(await survivorsAfter([pids.child, pids.grandchild])).toEqual([]);
  });

  it('kills a child that blocks its thread, with its grandchild', async () => {
    const { pids } = await runAndAbort({ spin: true });
    expect(await survivorsAfter([pids.child, pids.grandchild])).toEqual([]);
  });

  it('follows SIGTERM with SIGKILL for a grandchild that ignores SIGTERM', async () => {
    const logger = recordingLogger();
    const { pids, strategy } = await runAndAbort(
      { stubborn: true },
      { killTimeoutMs: 200 },
      logger,
    );
    expect(await survivorsAfter([pids.child, pids.grandchild])).toEqual([]);
    await strategy.close(); // resolves once the escalation has finished, and logged
    expect(logger.lines.some((line) => line.includes('killed with SIGKILL'))).toBe(true);
  });

  it('follows SIGTERM with SIGKILL for a child that ignores SIGTERM', async () => {
    const logger = recordingLogger();
    const strategy = strategyFor({ graceMs: 0, killTimeoutMs: 200 });
    const pidFile = join(scratch, 'stubborn-child');
    const controller = new AbortController();
    const ignoreTerminate: Task<[string], never> = task('ignoreTerminate', 60_000);
    const running = runTaskWithTimeout(ignoreTerminate, [pidFile], {
      strategy,
      logger,
      signal: controller.signal,
    }).catch((e: unknown) => e);
    const pid = await readWhenWritten<number>(pidFile);
    controller.abort(new Error('stop'));
    expect(isTaskAbortedError(await running)).toBe(true);
    expect(await survivorsAfter([pid])).toEqual([]);
    await strategy.close(); // resolves once the escalation has finished, and logged
    expect(logger.lines.some((line) => line.includes('killed with SIGKILL'))).toBe(true);
  });

  it("aborts the task's signal first and cuts the grace period short when the task stops", async () => {
    const strategy = strategyFor({ graceMs: 30_000 });
    const startedFile = join(scratch, 'cooperative');
    const cooperate: Task<[string], string> = task('cooperate', 200);
    const error = await runTaskWithTimeout(cooperate, [startedFile], { strategy }).catch(
      (e: unknown) => e,
    );
    expect(isTaskTimeoutError(error)).toBe(true);
    const pid = await readWhenWritten<number>(startedFile, 0);
    // Far sooner than the 30 s grace: the task settled when its signal aborted.
    expect(await survivorsAfter([pid], 10_000)).toEqual([]);
  });

  it('kills what a crashed child left behind', async () => {
    const strategy = strategyFor();
    const pidFile = join(scratch, 'crash-pids');
    const controller = new AbortController();
    const spawnGrandchild: Task<[string], never> = task('spawnGrandchild', 60_000);
    const running = runTaskWithTimeout(spawnGrandchild, [pidFile], {
      strategy,
      signal: controller.signal,
    }).catch((e: unknown) => e);
    const pids = await readWhenWritten<TreePids>(pidFile);
    process.kill(pids.child, 'SIGKILL');
    const error = await running;
    expect(error).toMatchObject({ name: 'TaskCrashedError', reason: 'signal', signal: 'SIGKILL' });
    expect(await survivorsAfter([pids.grandchild])).toEqual([]);
  });
});
