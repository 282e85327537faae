import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { defineTask, isTaskTimeoutError, runTaskWithTimeout } from '@timebox/core';
import { afterAll, describe, expect, it } from 'vitest';
import { processStrategy } from './index.js';
import { eventually } from './test-support/processes.js';

const fixture = new URL('./test-fixtures/preload-marks.mjs', import.meta.url);
const loadedBefore = defineTask<[number], { pid: number; preloaded: boolean }>({
  name: 'loaded before',
  timeout: 10_000,
  run: { module: fixture, export: 'loadedBefore' },
});
const spin = defineTask<[], never>({
  name: 'spin',
  timeout: 100,
  run: { module: fixture, export: 'spin' },
});

describe('processStrategy spares', () => {
  const scratch = mkdtempSync(join(tmpdir(), 'timebox-preload-marks-'));
  afterAll(() => rmSync(scratch, { recursive: true, force: true }));

  it('import the modules of recent tasks before they take a task, so the task after a kill starts warm', async () => {
    const marks = join(scratch, 'marks');
    writeFileSync(marks, '');
    const strategy = processStrategy({
      maxProcesses: 1,
      spareProcesses: 1,
      graceMs: 0,
      env: { ...process.env, TIMEBOX_TEST_PRELOAD_MARKS: marks },
    });
    try {
      const first = await runTaskWithTimeout(loadedBefore, [Date.now()], { strategy });
      const importers = () => readFileSync(marks, 'utf8').split('\n').filter(Boolean).map(Number);
      // The spare started beside the first process imports the module on its own.
      const spareImported = await eventually(() => importers().some((pid) => pid !== first.pid));
      expect(spareImported, `importers: ${importers().join(', ')}`).toBe(true);
      const spare = importers().find((pid) => pid !== first.pid);
      const error = await runTaskWithTimeout(spin, [], { strategy }).catch((caught) => caught);
      expect(isTaskTimeoutError(error)).toBe(true);
      const next = await runTaskWithTimeout(loadedBefore, [Date.now()], { strategy });
      expect(next).toEqual({ pid: spare, preloaded: true });
    } finally {
      await strategy.close();
    }
  });
});
