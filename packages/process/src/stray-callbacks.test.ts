import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { defineTask, runTaskWithTimeout } from '@timebox/core';
import { recordRunnerEvents } from '@timebox/core/testing';
import { afterAll, describe, expect, it } from 'vitest';
import { processStrategy } from './index.js';

const leavesATimer = defineTask({
  name: 'leaves a timer',
  timeout: 10_000,
  run: () => {
    setTimeout(() => {
      throw new Error('thrown by a timer of a task that has settled');
    }, 20);
    return 'settled';
  },
});

/** Runs until the file at `path` exists (the host writes it once it heard of the stray error). */
const innocent = defineTask<[string], string>({
  name: 'innocent',
  timeout: 30_000,
  run: { module: new URL('./test-fixtures/tasks.mjs', import.meta.url), export: 'waitForFile' },
});

const scratch = mkdtempSync(join(tmpdir(), 'timebox-stray-'));
const strategy = processStrategy({
  maxProcesses: 1,
  spareProcesses: 0,
  logger: {
    debug() {},
    info() {},
    warn(message: string, fields?: unknown) {
      warnings.push({ message, fields });
      if (message.includes('left a callback behind')) writeFileSync(join(scratch, 'heard'), '');
    },
    error() {},
  },
});
const warnings: Array<{ message: string; fields: unknown }> = [];

afterAll(async () => {
  await strategy.close();
  rmSync(scratch, { recursive: true, force: true });
});

describe('a callback that a settled task left behind throws in the child', () => {
  it('blames no other task: the running task completes, a warning names the task that left it, and the child is retired', async () => {
    const recorder = recordRunnerEvents();
    try {
      await expect(runTaskWithTimeout(leavesATimer, [], { strategy })).resolves.toBe('settled');
      // The innocent task ends only once the host has heard of the stray error.
      await expect(
        runTaskWithTimeout(innocent, [join(scratch, 'heard')], { strategy }),
      ).resolves.toBe('innocent result');
      const warning = warnings.find(({ message }) => message.includes('left a callback behind'));
      expect(warning?.message).toContain("task 'leaves a timer' left a callback behind that threw");
      expect(warning?.message).toContain('thrown by a timer of a task that has settled');
      expect(warning?.fields).toMatchObject({ task: 'leaves a timer' });
      const killed = await recorder.next(
        (event) => event.event === 'killed' && event.reason === 'stray-error',
      );
      expect(killed).toMatchObject({ strategy: 'process' });
      await expect(runTaskWithTimeout(leavesATimer, [], { strategy })).resolves.toBe('settled');
    } finally {
      recorder.stop();
    }
  });
});
