import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { maximumTimerDelay, setLongTimeout } from './long-timeout.js';

const day = 24 * 60 * 60 * 1_000;

describe('setLongTimeout', () => {
  beforeEach(() => {
    vi.useFakeTimers();
  });

  afterEach(() => {
    vi.useRealTimers();
  });

  it('holds the longest delay setTimeout can hold', () => {
    expect(maximumTimerDelay).toBe(2 ** 31 - 1);
  });

  it('fires a 30-day delay after 30 days, not before', () => {
    const callback = vi.fn();
    setLongTimeout(callback, 30 * day);
    vi.advanceTimersByTime(maximumTimerDelay);
    expect(callback).not.toHaveBeenCalled();
    vi.advanceTimersByTime(30 * day - maximumTimerDelay - 1);
    expect(callback).not.toHaveBeenCalled();
    vi.advanceTimersByTime(1);
    expect(callback).toHaveBeenCalledTimes(1);
    vi.advanceTimersByTime(100 * day);
    expect(callback).toHaveBeenCalledTimes(1);
  });

  it('fires a delay of several whole chunks exactly at its end', () => {
    const callback = vi.fn();
    setLongTimeout(callback, 3 * maximumTimerDelay);
    vi.advanceTimersByTime(3 * maximumTimerDelay - 1);
    expect(callback).not.toHaveBeenCalled();
    vi.advanceTimersByTime(1);
    expect(callback).toHaveBeenCalledTimes(1);
  });

  it('fires a short delay like setTimeout, keeping one timer', () => {
    const callback = vi.fn();
    setLongTimeout(callback, 100);
    expect(vi.getTimerCount()).toBe(1);
    vi.advanceTimersByTime(99);
    expect(callback).not.toHaveBeenCalled();
    vi.advanceTimersByTime(1);
    expect(callback).toHaveBeenCalledTimes(1);
    expect(vi.getTimerCount()).toBe(0);
  });

  it('fires a zero delay on the next timer turn', () => {
    const callback = vi.fn();
    setLongTimeout(callback, 0);
    expect(callback).not.toHaveBeenCalled();
    vi.advanceTimersByTime(0);
    expect(callback).toHaveBeenCalledTimes(1);
  });

  it('never fires Infinity, and arms no timer for it', () => {
    const callback = vi.fn();
    const timer = setLongTimeout(callback, Infinity);
    expect(vi.getTimerCount()).toBe(0);
    vi.advanceTimersByTime(10_000 * day);
    expect(callback).not.toHaveBeenCalled();
    timer.clear();
  });

  it('clear() in the middle of the first chunk cancels it', () => {
    const callback = vi.fn();
    const timer = setLongTimeout(callback, 30 * day);
    vi.advanceTimersByTime(day);
    timer.clear();
    expect(vi.getTimerCount()).toBe(0);
    vi.advanceTimersByTime(60 * day);
    expect(callback).not.toHaveBeenCalled();
  });

  it('clear() in the middle of a later chunk cancels it', () => {
    const callback = vi.fn();
    const timer = setLongTimeout(callback, 60 * day);
    vi.advanceTimersByTime(maximumTimerDelay + day);
    expect(vi.getTimerCount()).toBe(1);
    timer.clear();
    expect(vi.getTimerCount()).toBe(0);
    vi.advanceTimersByTime(120 * day);
    expect(callback).not.toHaveBeenCalled();
  });

  it('clear() after firing, or twice, does nothing', () => {
    const callback = vi.fn();
    const timer = setLongTimeout(callback, 10);
    vi.advanceTimersByTime(10);
    timer.clear();
    timer.clear();
    expect(callback).toHaveBeenCalledTimes(1);
  });
});

describe('setLongTimeout with keepsHostAlive: false', () => {
  const pendingTimers = (): number =>
    process.getActiveResourcesInfo().filter((resource) => resource === 'Timeout').length;

  it.each([
    ['a short', 60_000],
    ['a long', 3 * maximumTimerDelay],
  ])('lets the host exit while %s delay is pending, and keeps it alive by default', (_, delay) => {
    const before = pendingTimers();
    const released = setLongTimeout(() => {}, delay, { keepsHostAlive: false });
    expect(pendingTimers()).toBe(before);
    const kept = setLongTimeout(() => {}, delay);
    expect(pendingTimers()).toBe(before + 1);
    released.clear();
    kept.clear();
    expect(pendingTimers()).toBe(before);
  });
});
