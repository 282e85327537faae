import { describe, expect, it } from 'vitest';
import { createTimebox, defineTask, detectContext, isStrategyClosedError } from '../browser.js';

describe('the browser build of createTimebox', () => {
  const task = defineTask({ name: 'sum', timeout: 1_000, run: (left: number) => left + 1 });

  it('says why it cannot use Web Workers where there are none, and falls back to soft', () => {
    const timebox = createTimebox();
    const selection = timebox.explain(task);
    expect(detectContext().runtime).toBe('node');
    expect(selection.name).toBe('thread');
    expect(selection.passedOver).toContainEqual(
      expect.objectContaining({
        name: 'web-worker',
        reason: expect.stringContaining('Web Workers'),
      }),
    );
  });

  it('picks the web-worker strategy in a context with Web Workers', () => {
    const browserLike = { ...detectContext(), runtime: 'browser', webWorkersAvailable: true };
    const timebox = createTimebox({ context: browserLike as ReturnType<typeof detectContext> });
    expect(timebox.explain(task)).toMatchObject({
      name: 'web-worker',
      reason: expect.stringContaining('runs in a Web Worker that is terminated at the deadline'),
    });
    expect(timebox.strategies.map((strategy) => strategy.name)).toEqual(['web-worker', 'thread']);
  });

  it.each([
    [{ webWorker: 3 }, "option webWorker must be the web-worker strategy's options object"],
    [{ thread: 'yes' }, "option thread must be the thread strategy's options object"],
    [{ selector: {} }, 'option selector must be a selector made by createSelector()'],
    [{ context: 1 }, 'option context must be an object'],
  ])('refuses %o with a TypeError naming the option', (options, message) => {
    expect(() => createTimebox(options as never)).toThrow(TypeError);
    expect(() => createTimebox(options as never)).toThrow(message);
  });

  it('leaves the web-worker strategy out with webWorker: false', () => {
    const timebox = createTimebox({ webWorker: false });
    expect(timebox.strategies.map((strategy) => strategy.name)).toEqual(['thread']);
  });

  it('runs a task, and refuses every run after close() with StrategyClosedError', async () => {
    const timebox = createTimebox({ webWorker: false });
    await expect(timebox.runTaskWithTimeout(task, [41])).resolves.toBe(42);
    await timebox.close();
    const error = await timebox.runTaskWithTimeout(task, [41]).then(
      () => undefined,
      (reason: unknown) => reason,
    );
    expect(isStrategyClosedError(error)).toBe(true);
    expect(error).toMatchObject({ taskName: 'sum', strategy: 'timebox', phase: 'after-close' });
  });

  it("runs under a strategy named in the run's options, and refuses a name it does not manage", async () => {
    const timebox = createTimebox({ webWorker: false });
    await expect(timebox.runTaskWithTimeout(task, [1], { strategy: 'thread' })).resolves.toBe(2);
    await expect(timebox.runTaskWithTimeout(task, [1], { strategy: 'web-worker' })).rejects.toThrow(
      "Task 'sum': option strategy must be a TimeoutStrategy or the name of one this timebox manages ('thread'), got \"web-worker\"",
    );
    await timebox.close();
  });
});
