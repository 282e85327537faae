import { execFileSync } from 'node:child_process';
import { closeSync, mkdtempSync, openSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  defineTask,
  isTaskTimeoutError,
  runTaskWithTimeout,
  type TaskStopReport,
} from '@timebox/core';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { workerStrategy } from './index.js';
import {
  inlineAdd,
  recordingLogger,
  rejectionOf,
  tasksModule,
  workerCount,
} from './test-helpers.js';

describe.runIf(process.platform === 'linux')(
  'workerStrategy and a thread terminate() cannot stop',
  () => {
    let scratch: string;
    let fifo: string;
    let workersBefore: number;

    beforeAll(() => {
      workersBefore = workerCount();
      scratch = mkdtempSync(join(tmpdir(), 'timebox-fifo-'));
      fifo = join(scratch, 'no-writer');
      execFileSync('mkfifo', [fifo]);
    });

    afterAll(async () => {
      // A writer lets the blocked open() return; the thread then ends, and the test leaves nothing.
      closeSync(openSync(fifo, 'w'));
      await vi.waitFor(() => expect(workerCount()).toBe(workersBefore), { timeout: 10_000 });
      rmSync(scratch, { recursive: true, force: true });
    });

    it('says the thread could not be confirmed stopped, refills its slot, and close() still settles', async () => {
      const { logger, waitFor } = recordingLogger();
      const strategy = workerStrategy({ maxWorkers: 1, exitTimeout: 300, logger });
      const blocked = defineTask<[string], string>({
        name: 'reads a FIFO with no writer',
        timeout: 200,
        run: { module: tasksModule, export: 'readFileBlocking' },
      });
      const error = await rejectionOf(runTaskWithTimeout(blocked, [fifo], { strategy }));
      expect(isTaskTimeoutError(error)).toBe(true);
      const report: TaskStopReport = await (error as { stopped: Promise<TaskStopReport> }).stopped;
      expect(report).toMatchObject({ confirmed: false, forced: true });
      expect(report.reason).toContain('was not confirmed gone 300 ms after it was stopped');
      expect(error).toMatchObject({ stillRunning: true, forced: true });
      const warning = await waitFor((line) => line.level === 'warn');
      expect(warning.message).toContain("task 'reads a FIFO with no writer'");
      expect(strategy.stats()).toMatchObject({ unconfirmedRunners: 1, stoppingRunners: 0 });
      await expect(runTaskWithTimeout(inlineAdd, [2, 2], { strategy })).resolves.toBe(4);
      const closing = strategy.close();
      await expect(closing).resolves.toBeUndefined();
    });

    it('runs the tasks held behind such a thread on the next one, none blamed', async () => {
      const strategy = workerStrategy({ maxWorkers: 1, exitTimeout: 300 });
      const blocked = defineTask<[string], string>({
        name: 'reads a FIFO with no writer, tasks held behind it',
        timeout: 200,
        run: { module: tasksModule, export: 'readFileBlocking' },
      });
      try {
        await runTaskWithTimeout(inlineAdd, [0, 0], { strategy });
        const blocking = rejectionOf(runTaskWithTimeout(blocked, [fifo], { strategy }));
        const held = [1, 2, 3].map((value) =>
          runTaskWithTimeout(inlineAdd, [value, 1], { strategy }),
        );
        expect(strategy.stats().prefetched).toBe(3);
        expect(isTaskTimeoutError(await blocking)).toBe(true);
        await expect(Promise.all(held)).resolves.toEqual([2, 3, 4]);
        expect(strategy.stats()).toMatchObject({ completed: 4, timedOut: 1 });
      } finally {
        await strategy.close();
      }
    });
  },
);
