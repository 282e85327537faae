import { defineTask, runTaskWithTimeout } from '@timebox/core';
import { recordRunnerEvents } from '@timebox/core/testing';
import { describe, expect, it } from 'vitest';
import { recordingLogger, strategiesClosedAfterAll } from './test-helpers.js';

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

/** Runs until the host sets the first slot of `buffer` (after it heard of the stray error). */
const innocent = defineTask({
  name: 'innocent',
  timeout: 30_000,
  run: async (buffer: SharedArrayBuffer) => {
    const view = new Int32Array(buffer);
    const waiting = Atomics.waitAsync(view, 0, 0);
    if (waiting.async) await waiting.value;
    return 'innocent result';
  },
});

describe('a callback that a settled task left behind throws in the worker', () => {
  const strategyWith = strategiesClosedAfterAll();

  it('blames no other task: the running task completes, a warning names the task that left it, and the thread is retired', async () => {
    const { logger, waitFor } = recordingLogger();
    const recorder = recordRunnerEvents();
    try {
      const strategy = strategyWith({ maxWorkers: 1, spareWorkers: 0, logger });
      await expect(runTaskWithTimeout(leavesATimer, [], { strategy })).resolves.toBe('settled');
      const buffer = new SharedArrayBuffer(4);
      const running = runTaskWithTimeout(innocent, [buffer], { strategy });
      const warning = await waitFor((line) => line.level === 'warn');
      // The innocent task is still running on that thread: only now may it finish.
      Atomics.store(new Int32Array(buffer), 0, 1);
      Atomics.notify(new Int32Array(buffer), 0);
      await expect(running).resolves.toBe('innocent result');
      expect(warning.message).toContain("task 'leaves a timer' left a callback behind that threw");
      expect(warning.message).toContain('thrown by a timer of a task that has settled');
      expect(warning.fields).toMatchObject({ task: 'leaves a timer' });
      const killed = await recorder.next(
        (event) => event.event === 'killed' && event.reason === 'stray-error',
      );
      expect(killed).toMatchObject({ strategy: 'worker', task: undefined });
      // The next task runs on a new thread.
      await expect(runTaskWithTimeout(leavesATimer, [], { strategy })).resolves.toBe('settled');
    } finally {
      recorder.stop();
    }
  });
});
