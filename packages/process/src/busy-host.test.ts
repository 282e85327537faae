import { defineTask, isTaskTimeoutError, runTaskWithTimeout } from '@timebox/core';
import { afterAll, describe, expect, it } from 'vitest';
import { type ProcessStrategy, processStrategy } from './index.js';

const sum = defineTask<[number, number], number>({
  name: 'sum',
  timeout: 100,
  run: { module: new URL('./test-fixtures/tasks.mjs', import.meta.url) },
});
const neverSettle = defineTask<[], never>({
  name: 'never settles',
  timeout: 100,
  run: { module: new URL('./test-fixtures/tasks.mjs', import.meta.url), export: 'neverSettle' },
});

/** Holds this thread (the host's event loop) for `milliseconds`. */
function holdTheHost(milliseconds: number): void {
  const until = performance.now() + milliseconds;
  while (performance.now() < until) {
    // The host's own synchronous work.
  }
}

describe('processStrategy on a host too busy to read answers in time', () => {
  const strategies: ProcessStrategy[] = [];
  afterAll(async () => {
    await Promise.all(strategies.map((strategy) => strategy.close()));
  });
  const strategyWith = (options: Parameters<typeof processStrategy>[0]) => {
    const strategy = processStrategy(options);
    strategies.push(strategy);
    return strategy;
  };

  it('blames no task that ended within its limit while the host held its thread past it', async () => {
    const strategy = strategyWith({ maxProcesses: 1 });
    await runTaskWithTimeout(sum, [0, 0], { strategy });
    const calls = [1, 2, 3].map((value) => runTaskWithTimeout(sum, [value, 1], { strategy }));
    holdTheHost(300);
    await expect(Promise.all(calls)).resolves.toEqual([2, 3, 4]);
    expect(strategy.stats()).toMatchObject({ completed: 4, timedOut: 0, kills: 0 });
  });

  it('still stops a task that is running when the late deadline is looked at', async () => {
    const strategy = strategyWith({ maxProcesses: 1, graceMs: 0 });
    await runTaskWithTimeout(sum, [0, 0], { strategy });
    const hanging = runTaskWithTimeout(neverSettle, [], { strategy }).catch((error) => error);
    holdTheHost(300);
    const error = await hanging;
    expect(isTaskTimeoutError(error)).toBe(true);
    expect(error).toMatchObject({ taskName: 'never settles', timeout: 100 });
    expect((error as { elapsed: number }).elapsed).toBeGreaterThanOrEqual(300);
    expect(strategy.stats()).toMatchObject({ timedOut: 1, kills: 1 });
  });
});
