import { describe, expect, it } from 'vitest';
import { setDeadlineTimer } from './deadline-timer.js';

function firesAfter(timeout: number, start = performance.now()): Promise<number> {
  return new Promise((resolve) => {
    setDeadlineTimer(() => resolve(performance.now() - start), timeout, start);
  });
}

describe('setDeadlineTimer', () => {
  it('never fires before the limit by performance.now(), over many timers', async () => {
    const waited = await Promise.all(
      Array.from({ length: 50 }, (_, index) => firesAfter(5 + (index % 7))),
    );
    waited.forEach((milliseconds, index) => {
      expect(milliseconds).toBeGreaterThanOrEqual(5 + (index % 7));
    });
  });

  it('counts from the given start, so that time already spent counts', async () => {
    const waited = await firesAfter(50, performance.now() - 40);
    expect(waited).toBeGreaterThanOrEqual(50);
    expect(waited).toBeLessThan(5_000);
  });

  it('does not fire once cleared', async () => {
    let fired = false;
    const timer = setDeadlineTimer(
      () => {
        fired = true;
      },
      20,
      performance.now(),
    );
    timer.clear();
    await firesAfter(60);
    expect(fired).toBe(false);
  });

  it('holds a limit beyond 2^31-1 ms instead of firing at once', async () => {
    let fired = false;
    const timer = setDeadlineTimer(
      () => {
        fired = true;
      },
      2 ** 31 + 5,
      performance.now(),
    );
    await firesAfter(30);
    timer.clear();
    expect(fired).toBe(false);
  });
});
