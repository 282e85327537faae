import { getEventListeners } from 'node:events';
import { describe, expect, it, vi } from 'vitest';
import { isAbortSignal, onAbort, validateSignal } from './abort-signal.js';

describe('isAbortSignal', () => {
  it('accepts a signal and a look-alike from another realm, and nothing else', () => {
    expect(isAbortSignal(new AbortController().signal)).toBe(true);
    expect(isAbortSignal(AbortSignal.timeout(1_000))).toBe(true);
    expect(isAbortSignal({ aborted: false, addEventListener() {}, removeEventListener() {} })).toBe(
      true,
    );
    expect(isAbortSignal(new AbortController())).toBe(false);
    expect(isAbortSignal({ aborted: 'no', addEventListener() {}, removeEventListener() {} })).toBe(
      false,
    );
    expect(isAbortSignal(null)).toBe(false);
    expect(isAbortSignal('signal')).toBe(false);
  });
});

describe('validateSignal', () => {
  it('returns a signal or undefined as it is', () => {
    const signal = new AbortController().signal;
    expect(validateSignal('t', signal)).toBe(signal);
    expect(validateSignal('t', undefined)).toBeUndefined();
  });

  it.each([
    ['a controller', new AbortController(), 'an instance of AbortController'],
    ['a string', 'abort', '"abort"'],
    ['null', null, 'null'],
  ])('rejects %s with a TypeError naming the task and the value', (_label, value, got) => {
    expect(() => validateSignal('fetch', value)).toThrow(
      new TypeError(`Task 'fetch': signal must be an AbortSignal, got ${got}`),
    );
  });
});

describe('onAbort', () => {
  it('calls back once when the signal aborts', () => {
    const controller = new AbortController();
    const callback = vi.fn();
    onAbort(controller.signal, callback);
    controller.abort();
    controller.abort();
    expect(callback).toHaveBeenCalledTimes(1);
  });

  it('stops listening when asked', () => {
    const controller = new AbortController();
    const callback = vi.fn();
    const stop = onAbort(controller.signal, callback);
    stop();
    controller.abort();
    expect(callback).not.toHaveBeenCalled();
  });

  it('adds one listener to a signal however many runs wait on it, and calls each in order', () => {
    const controller = new AbortController();
    const calls: number[] = [];
    const stops = Array.from({ length: 100 }, (_, index) =>
      onAbort(controller.signal, () => calls.push(index)),
    );
    expect(getEventListeners(controller.signal, 'abort')).toHaveLength(1);
    stops[3]?.();
    controller.abort();
    expect(calls).toEqual(Array.from({ length: 100 }, (_, index) => index).filter((i) => i !== 3));
  });

  it('does not call a callback that an earlier one stopped while the signal aborts', () => {
    const controller = new AbortController();
    const later = vi.fn();
    onAbort(controller.signal, () => stopLater());
    const stopLater = onAbort(controller.signal, later);
    controller.abort();
    expect(later).not.toHaveBeenCalled();
  });

  it('keeps listening for new runs after the earlier ones stopped, and never calls back for an aborted signal', () => {
    const controller = new AbortController();
    onAbort(controller.signal, () => {})();
    const callback = vi.fn();
    onAbort(controller.signal, callback);
    controller.abort();
    expect(callback).toHaveBeenCalledTimes(1);
    const tooLate = vi.fn();
    onAbort(controller.signal, tooLate);
    controller.abort();
    expect(tooLate).not.toHaveBeenCalled();
  });

  it('reports a callback that throws, as an event listener would, and still calls the others', () => {
    const controller = new AbortController();
    const reported: Array<() => void> = [];
    const queue = globalThis.queueMicrotask;
    globalThis.queueMicrotask = (task) => reported.push(task);
    try {
      const after = vi.fn();
      onAbort(controller.signal, () => {
        throw new Error('listener failed');
      });
      onAbort(controller.signal, after);
      controller.abort();
      expect(after).toHaveBeenCalledTimes(1);
    } finally {
      globalThis.queueMicrotask = queue;
    }
    expect(reported).toHaveLength(1);
    expect(() => reported[0]?.()).toThrow('listener failed');
  });

  it('does nothing for an absent signal', () => {
    const stop = onAbort(undefined, () => {
      throw new Error('never');
    });
    expect(() => stop()).not.toThrow();
  });
});
