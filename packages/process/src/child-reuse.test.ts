import { randomUUID } from 'node:crypto';
import { subscribe, unsubscribe } from 'node:diagnostics_channel';
import { mkdtempSync, realpathSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { defineTask, isTaskTimeoutError, runTaskWithTimeout, timeboxChannels } from '@timebox/core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { processStrategy } from '../dist/index.js';
import {
  leftoverProcesses,
  markedEnvironment,
  readWhenWritten,
  survivorsAfter,
} from './test-support/processes.js';
import { recordingLogger } from './test-support/recording-logger.js';

const marker = randomUUID();
const env = markedEnvironment(marker);
const tasksModule = new URL('./test-fixtures/tasks.mjs', import.meta.url);

interface ProcessState {
  readonly pid: number;
  readonly variable: string | undefined;
  readonly home: string | undefined;
  readonly cwd: string;
  readonly umask: number;
  readonly terminateListeners: number;
  readonly interruptListeners: number;
  readonly global: string | undefined;
}

function task<Args extends unknown[], Result>(exportName: string, timeout = 10_000) {
  return defineTask<Args, Result>({
    name: `reuse ${exportName}`,
    timeout,
    run: { module: tasksModule, export: exportName },
  });
}

function hostUmask(): number {
  const mask = process.umask(0o022);
  process.umask(mask);
  return mask;
}

describe('processStrategy reuses child processes', () => {
  const strategies: Array<{ close(): Promise<void> }> = [];
  let scratch: string;

  function strategyFor(options: Parameters<typeof processStrategy>[0] = {}) {
    const strategy = processStrategy({ env, maxProcesses: 1, spareProcesses: 0, ...options });
    strategies.push(strategy);
    return strategy;
  }

  beforeAll(() => {
    scratch = realpathSync(mkdtempSync(join(tmpdir(), 'timebox-reuse-')));
  });

  afterEach(async () => {
    await Promise.all(strategies.splice(0).map((strategy) => strategy.close()));
  });

  afterAll(async () => {
    rmSync(scratch, { recursive: true, force: true });
    expect(await leftoverProcesses(marker)).toEqual({ children: [], marked: [] });
  });

  it('gives the next task the environment, cwd, umask and signal listeners the child started with', async () => {
    const strategy = strategyFor();
    const changed = await runTaskWithTimeout(
      task<[string], ProcessState>('changeProcessState'),
      [scratch],
      {
        strategy,
      },
    );
    expect(changed).toMatchObject({
      variable: 'yes',
      home: undefined,
      cwd: scratch,
      umask: 0o077,
      terminateListeners: 2,
      interruptListeners: 1,
    });
    const next = await runTaskWithTimeout(task<[], ProcessState>('describeProcessState'), [], {
      strategy,
    });
    expect(next).toEqual({
      pid: changed.pid,
      variable: undefined,
      home: process.env.HOME,
      cwd: process.cwd(),
      umask: hostUmask(),
      // As in a fresh process: while a task runs, SIGTERM has its default action.
      terminateListeners: 0,
      interruptListeners: 0,
      // Globals are not restored: the README says so.
      global: 'yes',
    });
  });

  it('runs a task defined with isolate: true in a child no task used, from a warm spare, and never reuses that child', async () => {
    const spawned = new Map<number, boolean>();
    const startedOn = new Map<string, number>();
    const onSpawned = (message: unknown): void => {
      const { runnerId, spare } = message as { runnerId: number; spare: boolean };
      spawned.set(runnerId, spare);
    };
    const onStarted = (message: unknown): void => {
      const { runnerId, task: taskName } = message as { runnerId: number; task: string };
      startedOn.set(taskName, runnerId);
    };
    subscribe(timeboxChannels.runnerSpawned, onSpawned);
    subscribe(timeboxChannels.runnerTaskStarted, onStarted);
    try {
      const strategy = strategyFor({ spareProcesses: 1 });
      const describeState = task<[], ProcessState>('describeProcessState');
      const before = await runTaskWithTimeout(describeState, [], { strategy });
      const isolated = defineTask<[string], ProcessState>({
        name: 'reuse isolated changeProcessState',
        timeout: 10_000,
        isolate: true,
        run: { module: tasksModule, export: 'changeProcessState' },
      });
      const changed = await runTaskWithTimeout(isolated, [scratch], { strategy });
      expect(changed.global).toBe('yes');
      expect(changed.pid).not.toBe(before.pid);
      expect(spawned.get(changed.pid), 'the isolated task ran on a spare').toBe(true);
      expect(startedOn.get(isolated.name)).toBe(changed.pid);
      const after = await runTaskWithTimeout(describeState, [], { strategy });
      expect(after.pid).not.toBe(changed.pid);
      expect(after.global).toBeUndefined();
      // Both children that made room or ran the isolated task are gone.
      expect(await survivorsAfter([before.pid, changed.pid])).toEqual([]);
    } finally {
      unsubscribe(timeboxChannels.runnerSpawned, onSpawned);
      unsubscribe(timeboxChannels.runnerTaskStarted, onStarted);
    }
  });

  it('gives the next task the environment back when a task replaced process.env as a whole', async () => {
    const strategy = strategyFor();
    const replaced = await runTaskWithTimeout(
      task<[], { home?: string; variable?: string }>('replaceEnvironment'),
      [],
      { strategy },
    );
    expect(replaced).toEqual({ variable: 'replaced' });
    const next = await runTaskWithTimeout(task<[], ProcessState>('describeProcessState'), [], {
      strategy,
    });
    expect(next).toMatchObject({ variable: undefined, home: process.env.HOME });
  });

  it('stops a child at once on SIGTERM although the task added a SIGTERM listener', async () => {
    const logger = recordingLogger();
    // Were the listener to keep the child alive, it would take the 30 s to SIGKILL.
    const strategy = strategyFor({ graceMs: 0, killTimeoutMs: 30_000 });
    const pidFile = join(scratch, 'listens-for-terminate');
    const error = await runTaskWithTimeout(
      task<[string], never>('listenForTerminate', 300),
      [pidFile],
      {
        strategy,
        logger,
      },
    ).catch((e: unknown) => e);
    expect(isTaskTimeoutError(error)).toBe(true);
    const pid = await readWhenWritten<number>(pidFile, 0);
    const stopping = performance.now();
    expect(await survivorsAfter([pid], 10_000)).toEqual([]);
    expect(performance.now() - stopping).toBeLessThan(10_000);
    await strategy.close();
    expect(logger.lines.filter((line) => line.includes('SIGKILL'))).toEqual([]);
  });

  it('kills a task that takes SIGTERM over with SIGKILL once killTimeoutMs has passed', async () => {
    const logger = recordingLogger();
    const strategy = strategyFor({ graceMs: 0, killTimeoutMs: 300 });
    const pidFile = join(scratch, 'takes-terminate-over');
    const started = performance.now();
    const error = await runTaskWithTimeout(
      task<[string], never>('ignoreTerminate', 300),
      [pidFile],
      {
        strategy,
        logger,
      },
    ).catch((e: unknown) => e);
    expect(isTaskTimeoutError(error)).toBe(true);
    const pid = await readWhenWritten<number>(pidFile, 0);
    expect(await survivorsAfter([pid], 10_000)).toEqual([]);
    await strategy.close(); // resolves once the escalation has finished, and logged
    // Limit (300) + killTimeoutMs (300), with room for a busy machine; the log proves the
    // SIGTERM did not end it.
    expect(performance.now() - started).toBeLessThan(5_000);
    expect(logger.lines.some((line) => line.includes('did not end within 300 ms of SIGTERM'))).toBe(
      true,
    );
  });
});
