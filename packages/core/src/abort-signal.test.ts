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

  it('does nothing for an absent signal', () => {
    const stop = onAbort(undefined, () => {
      throw new Error('never');
    });
    expect(() => stop()).not.toThrow();
  });
});
