import { afterEach, describe, expect, it, vi } from 'vitest';
import { elapsedSince } from './elapsed.js';

describe('elapsedSince', () => {
  afterEach(() => {
    vi.restoreAllMocks();
  });

  it('gives the milliseconds since a performance.now() reading, to 0.1 ms', () => {
    vi.spyOn(performance, 'now').mockReturnValue(1_234.5678);
    expect(elapsedSince(1_000)).toBe(234.6);
    expect(elapsedSince(1_234.5678)).toBe(0);
  });

  it('rounds up, so that a time at or past a deadline is never reported below it', () => {
    vi.spyOn(performance, 'now').mockReturnValue(1_100.01);
    expect(elapsedSince(1_000)).toBe(100.1);
    vi.spyOn(performance, 'now').mockReturnValue(1_099.99);
    expect(elapsedSince(1_000)).toBe(100);
  });
});
