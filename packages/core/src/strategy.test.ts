import { describe, expect, it } from 'vitest';
import { isTimeoutStrategy, type TimeoutStrategy, validateStrategy } from './strategy.js';

const strategy: TimeoutStrategy = {
  name: 'custom',
  enforcement: 'hard',
  supports: () => ({ supported: true }),
  run: () => Promise.resolve(undefined as never),
  close: async () => {},
};

describe('isTimeoutStrategy and validateStrategy', () => {
  it('accept an object with name, enforcement, supports, run and close', () => {
    expect(isTimeoutStrategy(strategy)).toBe(true);
    expect(validateStrategy('t', strategy)).toBe(strategy);
  });

  it.each([
    ['without a name', { ...strategy, name: undefined }, 'a plain object'],
    ['with an unknown enforcement', { ...strategy, enforcement: 'strict' }, 'a plain object'],
    ['without close', { ...strategy, close: undefined }, 'a plain object'],
    ['a number', 3, '3'],
  ])(
    'reject a strategy %s with a TypeError naming the task and the value',
    (_label, value, got) => {
      expect(isTimeoutStrategy(value)).toBe(false);
      expect(() => validateStrategy('job', value)).toThrow(
        new TypeError(
          `Task 'job': strategy must be a TimeoutStrategy (name, enforcement, supports, run, close), such as threadStrategy(), got ${got}`,
        ),
      );
    },
  );
});
