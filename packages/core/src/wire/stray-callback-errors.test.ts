import { describe, expect, it } from 'vitest';
import { executeTaskRequest } from './execute-task-request.js';
import { strayCallbackTask, trackTaskTimerCallbacks } from './stray-callback-errors.js';

/** Runs `source` as an inline task named `name` in this thread, as a worker entry would. */
function runInline(name: string, source: string) {
  return executeTaskRequest({ taskName: name, run: { kind: 'source', source }, args: [] });
}

/** The error thrown by the next timer callback that throws (caught before Node sees it). */
function nextThrownByCallback(): Promise<unknown> {
  return new Promise((resolve) => {
    const listeners = process.listeners('uncaughtException');
    process.removeAllListeners('uncaughtException');
    process.once('uncaughtException', (error) => {
      for (const listener of listeners) process.on('uncaughtException', listener);
      resolve(error);
    });
  });
}

describe('trackTaskTimerCallbacks', () => {
  trackTaskTimerCallbacks();

  it("names the finished task whose timer callback threw while another task runs, and not the running task's own", async () => {
    const thrown = nextThrownByCallback();
    await runInline(
      'leaves a timer',
      "() => { setTimeout(() => { throw new Error('late'); }, 20); return 'done'; }",
    );
    const innocent = runInline(
      'innocent',
      '() => new Promise((resolve) => setTimeout(() => resolve(1), 200))',
    );
    const error = await thrown;
    expect((error as Error).message).toBe('late');
    expect(strayCallbackTask(error)).toBe('leaves a timer');
    await expect(innocent).resolves.toEqual({ outcome: 'fulfilled', value: 1 });

    const own = nextThrownByCallback();
    const running = runInline(
      'throws from its own timer',
      "() => new Promise((resolve) => { setTimeout(() => { throw new Error('own'); }, 5); setTimeout(resolve, 100); })",
    );
    const ownError = await own;
    expect(strayCallbackTask(ownError)).toBeUndefined();
    await running;
  });

  it('names the task for a thrown string too', async () => {
    const thrown = nextThrownByCallback();
    await runInline('throws a string later', "() => { setTimeout(() => { throw 'oops'; }, 10); }");
    const innocent = runInline(
      'runs meanwhile',
      '() => new Promise((resolve) => setTimeout(() => resolve(3), 200))',
    );
    const value = await thrown;
    expect(value).toBe('oops');
    expect(strayCallbackTask(value)).toBe('throws a string later');
    await innocent;
  });

  it('keeps callbacks a stray callback schedules with the task that left it', async () => {
    const thrown = nextThrownByCallback();
    await runInline(
      'nests timers',
      "() => { setTimeout(() => setImmediate(() => { throw new Error('nested'); }), 10); return 0; }",
    );
    const innocent = runInline(
      'runs meanwhile',
      '() => new Promise((resolve) => setTimeout(() => resolve(2), 200))',
    );
    expect(strayCallbackTask(await thrown)).toBe('nests timers');
    await innocent;
  });

  it('keeps what hangs on the timers, such as util.promisify.custom', async () => {
    const { promisify } = await import('node:util');
    await expect(promisify(setTimeout)(1, 'value')).resolves.toBe('value');
    expect(strayCallbackTask(new Error('never thrown by a callback'))).toBeUndefined();
    expect(strayCallbackTask('a string')).toBeUndefined();
  });
});
