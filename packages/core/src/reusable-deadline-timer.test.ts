import { afterEach, describe, expect, it } from 'vitest';
import { ReusableDeadlineTimer } from './reusable-deadline-timer.js';

const timers: ReusableDeadlineTimer[] = [];

/** A timer that records when (by `performance.now()`) its callback ran. */
function recordingTimer(): { timer: ReusableDeadlineTimer; calls: number[] } {
  const calls: number[] = [];
  const timer = new ReusableDeadlineTimer(() => calls.push(performance.now()));
  timers.push(timer);
  return { timer, calls };
}

const wait = (milliseconds: number) =>
  new Promise<void>((resolve) => setTimeout(resolve, milliseconds));

/** How many timers keep this process alive now. */
function referencedTimers(): number {
  return process.getActiveResourcesInfo().filter((resource) => resource === 'Timeout').length;
}

describe('ReusableDeadlineTimer', () => {
  afterEach(() => {
    for (const timer of timers.splice(0)) timer.clear();
  });

  it('never runs before the deadline by performance.now(), deadline after deadline', async () => {
    const { timer, calls } = recordingTimer();
    for (let index = 0; index < 20; index++) {
      const deadline = performance.now() + 3 + (index % 4);
      timer.set(deadline);
      while (calls.length === index) await wait(1);
      expect(calls[index]).toBeGreaterThanOrEqual(deadline);
    }
    expect(calls).toHaveLength(20);
  });

  it('runs at a later deadline set while an earlier timer is pending, not at the earlier one', async () => {
    const { timer, calls } = recordingTimer();
    const start = performance.now();
    timer.set(start + 5);
    timer.set(start + 40);
    await wait(20);
    expect(calls).toEqual([]);
    while (calls.length === 0) await wait(2);
    expect(calls[0]).toBeGreaterThanOrEqual(start + 40);
    expect(calls).toHaveLength(1);
  });

  it('runs at an earlier deadline set while a later timer is pending', async () => {
    const { timer, calls } = recordingTimer();
    const start = performance.now();
    timer.set(start + 10_000);
    timer.set(start + 5);
    await wait(200);
    expect(calls).toHaveLength(1);
    expect(calls[0]).toBeGreaterThanOrEqual(start + 5);
  });

  it('does not run after cancel() or clear(), and runs for a deadline set after cancel()', async () => {
    const { timer, calls } = recordingTimer();
    timer.set(performance.now() + 5);
    timer.cancel();
    const { timer: cleared, calls: clearedCalls } = recordingTimer();
    cleared.set(performance.now() + 5);
    cleared.clear();
    await wait(40);
    expect(calls).toEqual([]);
    expect(clearedCalls).toEqual([]);
    const deadline = performance.now() + 5;
    timer.set(deadline);
    while (calls.length === 0) await wait(2);
    expect(calls[0]).toBeGreaterThanOrEqual(deadline);
  });

  it('holds a deadline beyond 2^31-1 ms instead of running at once', async () => {
    const { timer, calls } = recordingTimer();
    timer.set(performance.now() + 2 ** 31 + 5);
    await wait(30);
    expect(calls).toEqual([]);
  });

  it('keeps the host alive while a deadline is set, and not while none is', () => {
    const { timer } = recordingTimer();
    const before = referencedTimers();
    timer.set(performance.now() + 10_000);
    expect(referencedTimers()).toBe(before + 1);
    timer.cancel();
    expect(referencedTimers()).toBe(before);
    timer.set(performance.now() + 20_000);
    expect(referencedTimers()).toBe(before + 1);
    timer.set(Infinity);
    expect(referencedTimers()).toBe(before);
    timer.clear();
    expect(referencedTimers()).toBe(before);
  });
});
