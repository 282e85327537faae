import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { threadId } from 'node:worker_threads';
import { defineTask, isStrategyClosedError, isTaskTimeoutError } from '@timebox/core';
import { afterAll, afterEach, describe, expect, it, vi } from 'vitest';
import { close, explain, runTaskWithTimeout } from './default-timebox.js';
import { childPids, leakedHandles, settled } from './test-support/leftovers.js';
import { staleBuildReason } from './test-support/stale-build.js';

const run = promisify(execFile);
const tasksModule = new URL('./test-fixtures/tasks.mjs', import.meta.url);
const autoSelect = fileURLToPath(new URL('./test-fixtures/auto-select.mjs', import.meta.url));
const permissionFlag = process.allowedNodeEnvironmentFlags.has('--permission')
  ? '--permission'
  : '--experimental-permission';

const whereAmI = defineTask<[], { pid: number; threadId: number }>({
  name: 'where am I',
  timeout: 15_000,
  run: { module: tasksModule, export: 'whereAmI' },
});

interface Report {
  pid: number;
  tasks: Record<
    string,
    { name: string; rule: string; ranAt?: { pid: number; threadId: number }; error?: string }
  >;
  warnings: string[];
}

async function runAutoSelect(flags: string[]): Promise<Report> {
  const { stdout } = await run(process.execPath, [...flags, autoSelect], { timeout: 20_000 });
  return JSON.parse(stdout) as Report;
}

describe('runTaskWithTimeout, explain and close of the package', () => {
  afterEach(() => {
    vi.restoreAllMocks();
  });

  afterAll(async () => {
    await close();
    expect(await settled(childPids)).toEqual([]);
    expect(await settled(leakedHandles)).toEqual([]);
  });

  it('selects, runs and explains with the shared default timebox', async () => {
    expect(explain(whereAmI)).toMatchObject({
      name: 'worker',
      rule: 'worker',
      enforcement: 'hard',
    });
    const place = await runTaskWithTimeout(whereAmI);
    expect(place.threadId).not.toBe(threadId);
    const runaway = defineTask({
      name: 'runaway',
      timeout: 200,
      run: { module: tasksModule, export: 'runaway' },
    });
    const error = await runTaskWithTimeout(runaway).catch((e: unknown) => e);
    expect(isTaskTimeoutError(error)).toBe(true);
    expect(error).toMatchObject({ strategy: 'worker', enforcement: 'hard' });
  });

  it('warns through process.emitWarning when it falls back to soft without a logger', async () => {
    const emitWarning = vi.spyOn(process, 'emitWarning').mockImplementation(() => {});
    const bound = defineTask({ name: 'bound', timeout: 1_000, run: Math.max.bind(Math) });
    await expect(runTaskWithTimeout(bound, [1, 7])).resolves.toBe(7);
    expect(emitWarning).toHaveBeenCalledTimes(1);
    expect(emitWarning.mock.calls[0]?.[0]).toMatch(/^task 'bound' gets only a soft timeout/);
  });

  it('close() resolves, again when called twice, and a later run rejects with StrategyClosedError', async () => {
    await close();
    await expect(close()).resolves.toBeUndefined();
    const error = await runTaskWithTimeout(whereAmI).catch((e: unknown) => e);
    expect(isStrategyClosedError(error)).toBe(true);
    expect(error).toMatchObject({ taskName: 'where am I', phase: 'after-close' });
  });

  describe('in real Node processes, from the build', () => {
    it('picks worker, worker and process, and the process exits by itself after close()', async () => {
      expect(staleBuildReason()).toBeUndefined();
      const report = await runAutoSelect([]);
      expect(report.tasks.module).toMatchObject({ name: 'worker', ranAt: { pid: report.pid } });
      expect(report.tasks.module?.ranAt?.threadId).not.toBe(0);
      expect(report.tasks.inline).toMatchObject({ name: 'worker', ranAt: { pid: report.pid } });
      expect(report.tasks.isolated?.name).toBe('process');
      expect(report.tasks.isolated?.ranAt?.pid).not.toBe(report.pid);
      expect(report.warnings).toEqual([]);
    });

    it(`runs everything on the calling thread, with warnings, under ${permissionFlag} without --allow-worker and --allow-child-process`, async () => {
      const report = await runAutoSelect([permissionFlag, '--allow-fs-read=*']);
      for (const key of ['module', 'inline', 'isolated']) {
        expect(report.tasks[key]).toMatchObject({
          name: 'thread',
          rule: 'soft-fallback',
          ranAt: { pid: report.pid, threadId: 0 },
        });
      }
      expect(report.warnings).toHaveLength(3);
      expect(report.warnings[0]).toContain('(start Node with --allow-worker)');
      expect(report.warnings[0]).toContain('(start Node with --allow-child-process)');
    });

    it('runs in a real worker under the permission model with --allow-worker', async () => {
      const report = await runAutoSelect([permissionFlag, '--allow-fs-read=*', '--allow-worker']);
      expect(report.tasks.module).toMatchObject({ name: 'worker', ranAt: { pid: report.pid } });
      expect(report.tasks.module?.ranAt?.threadId).not.toBe(0);
      expect(report.tasks.isolated).toMatchObject({ name: 'thread', rule: 'soft-fallback' });
    });

    it('runs in a real child process under the permission model with --allow-child-process', async () => {
      const report = await runAutoSelect([
        permissionFlag,
        '--allow-fs-read=*',
        '--allow-child-process',
      ]);
      expect(report.tasks.module).toMatchObject({ name: 'process', rule: 'child-process' });
      expect(report.tasks.isolated).toMatchObject({ name: 'process', rule: 'process-isolation' });
      // The child inherits the flags: it must start without --allow-worker, and the tasks run.
      for (const key of ['module', 'isolated']) {
        expect(report.tasks[key]?.error).toBeUndefined();
        expect(report.tasks[key]?.ranAt?.pid).toEqual(expect.any(Number));
        expect(report.tasks[key]?.ranAt?.pid).not.toBe(report.pid);
      }
    });
  });
});
