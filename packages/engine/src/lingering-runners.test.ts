import { isTaskTimeoutError, isTaskUnsupportedError, silentLogger } from '@timebox/core';
import { describe, expect, it, vi } from 'vitest';
import { LingeringRunners } from './lingering-runners.js';
import { fakeEnginesPerTest } from './test-support/fake-engines.js';
import { fulfilled, moduleRequest, rejectionOf } from './test-support/fake-runner.js';

describe('LingeringRunners', () => {
  it('counts nothing without a limit or for a runner that stopped at once', () => {
    const unbounded = new LingeringRunners(undefined, () => {});
    unbounded.add(Infinity, 'spins');
    expect(unbounded.allowsStart(100)).toBe(true);
    expect(unbounded.exhaustedForever).toBe(false);
    const bounded = new LingeringRunners({ limit: 1, option: 'maxZombieWorkers' }, () => {});
    bounded.add(0, undefined);
    bounded.add(undefined, undefined);
    expect(bounded.count).toBe(0);
    expect(bounded.allowsStart(0)).toBe(true);
  });

  it('holds starts back while full, counting runners still being stopped, and releases each in time', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    try {
      const released = vi.fn();
      const lingering = new LingeringRunners({ limit: 2, option: 'maxZombieWorkers' }, released);
      lingering.add(3_000, 'spins');
      expect(lingering.allowsStart(0)).toBe(true);
      expect(lingering.allowsStart(1)).toBe(false);
      lingering.add(3_000, 'spins');
      expect(lingering.allowsStart(0)).toBe(false);
      expect(lingering.exhaustedForever).toBe(false);
      await vi.advanceTimersByTimeAsync(3_000);
      expect(released).toHaveBeenCalledTimes(2);
      expect(lingering.count).toBe(0);
      lingering.close();
    } finally {
      vi.useRealTimers();
    }
  });

  it('is full for good when runners may never stop, and its refusal names the reason and the option', () => {
    const lingering = new LingeringRunners({ limit: 2, option: 'maxZombieWorkers' }, () => {});
    lingering.add(Infinity, 'Deno never stops it');
    expect(lingering.exhaustedForever).toBe(false);
    lingering.add(Infinity, 'Deno never stops it');
    expect(lingering.exhaustedForever).toBe(true);
    const error = lingering.refusal('next', 'web-worker');
    expect(isTaskUnsupportedError(error)).toBe(true);
    expect(error.message).toContain('Deno never stops it');
    expect(error.message).toContain('maxZombieWorkers: 2');
  });
});

describe('TaskEngine with runners that linger after a stop', () => {
  const engines = fakeEnginesPerTest({
    graceMs: 0,
    lingeringRunners: { limit: 1, option: 'maxZombieWorkers' },
  });
  const make = engines.make;
  const run = (timeout: number) => ({ timeout, logger: silentLogger });

  it('says why the task may still run, and starts no new runner until the lingering one surely stopped', async () => {
    engines.runners.lingersForMs = 3_000;
    const engine = make();
    const request = moduleRequest('spin');
    const killed = rejectionOf(engine.run('spin', () => request, run(100)));
    await vi.advanceTimersByTimeAsync(100);
    const error = await killed;
    expect(isTaskTimeoutError(error)).toBe(true);
    expect(error).toMatchObject({ stillRunning: true });
    expect((error as Error).message).toContain('it may still be running: it spins on');
    const nextRequest = moduleRequest('next');
    const next = engine.run('next', () => nextRequest, run(5_000));
    await vi.advanceTimersByTimeAsync(2_900);
    expect(engines.runners.started).toHaveLength(1);
    expect(engine.stats()).toMatchObject({ queued: 1 });
    await vi.advanceTimersByTimeAsync(100);
    expect(engines.runners.started).toHaveLength(2);
    engines.runners.runner(1).respond(fulfilled('done'));
    await expect(next).resolves.toBe('done');
  });

  it('starts no spare while the limit is full, and refills the spare once a lingering runner is released', async () => {
    engines.runners.lingersForMs = 3_000;
    const engine = make({ spareRunners: 1 });
    const request = moduleRequest('spin');
    const killed = rejectionOf(engine.run('spin', () => request, run(100)));
    await vi.advanceTimersByTimeAsync(100);
    expect(isTaskTimeoutError(await killed)).toBe(true);
    const nextRequest = moduleRequest('next');
    const next = engine.run('next', () => nextRequest, run(5_000)); // adopts the spare
    await vi.advanceTimersByTimeAsync(10);
    expect(engines.runners.started).toHaveLength(2);
    expect(engine.stats().spareRunners).toBe(0);
    await vi.advanceTimersByTimeAsync(3_000);
    expect(engines.runners.started).toHaveLength(3);
    expect(engine.stats().spareRunners).toBe(1);
    engines.runners.runner(1).respond(fulfilled('done'));
    await expect(next).resolves.toBe('done');
  });

  it('refuses waiting tasks with TaskUnsupportedError once runners that never stop fill the limit', async () => {
    engines.runners.lingersForMs = Infinity;
    const engine = make();
    const request = moduleRequest('spin');
    const killed = rejectionOf(engine.run('spin', () => request, run(100)));
    await vi.advanceTimersByTimeAsync(100);
    expect(isTaskTimeoutError(await killed)).toBe(true);
    await vi.advanceTimersByTimeAsync(0);
    const nextRequest = moduleRequest('next');
    const refused = await rejectionOf(engine.run('next', () => nextRequest, run(5_000)));
    expect(isTaskUnsupportedError(refused)).toBe(true);
    expect(refused).toMatchObject({ taskName: 'next', strategy: 'fake' });
    expect(engines.runners.started).toHaveLength(1);
  });

  it('keeps the pool as it was for runners that stop at once', async () => {
    const engine = make();
    const request = moduleRequest('spin');
    const killed = rejectionOf(engine.run('spin', () => request, run(100)));
    await vi.advanceTimersByTimeAsync(100);
    expect(await killed).toMatchObject({ stillRunning: false });
    const nextRequest = moduleRequest('next');
    const next = engine.run('next', () => nextRequest, run(5_000));
    await vi.advanceTimersByTimeAsync(0);
    engines.runners.runner(1).respond(fulfilled('done'));
    await expect(next).resolves.toBe('done');
  });
});
