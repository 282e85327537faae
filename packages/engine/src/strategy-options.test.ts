import { describe, expect, it } from 'vitest';
import { engineOptionRules } from './engine-settings.js';
import { checkStrategyOptions, type OptionRules } from './strategy-options.js';

const rules: OptionRules = {
  ...engineOptionRules,
  maxWorkers: { kind: 'count', minimum: 1, maximum: 1_024 },
};

function attempt(options: unknown): unknown {
  try {
    checkStrategyOptions('exampleStrategy()', options, rules);
  } catch (error) {
    return error;
  }
  return undefined;
}

describe('checkStrategyOptions', () => {
  it('returns the options as given, absent ones undefined, and accepts Infinity for every duration', () => {
    const options = {
      maxWorkers: 2,
      graceMs: Infinity,
      idleTimeout: 2 ** 31,
      exitTimeout: Infinity,
    };
    expect(checkStrategyOptions('exampleStrategy()', options, rules)).toBe(options);
    expect(checkStrategyOptions('exampleStrategy()', undefined, rules)).toEqual({});
  });

  it('refuses an unknown option name with the list of known ones', () => {
    const error = attempt({ maxWorker: 4 });
    expect(error).toBeInstanceOf(TypeError);
    expect((error as Error).message).toBe(
      `exampleStrategy() has no option "maxWorker"; the options are ${Object.keys(rules).join(', ')}`,
    );
  });

  it.each([
    ['options', 'fast', TypeError, 'exampleStrategy() options must be an object, got "fast"'],
    ['options', [1], TypeError, 'exampleStrategy() options must be an object'],
    [
      'maxWorkers',
      { maxWorkers: 'two' },
      TypeError,
      'exampleStrategy() option maxWorkers must be an integer from 1 to 1024, got "two"',
    ],
    [
      'maxWorkers',
      { maxWorkers: Number.NaN },
      RangeError,
      'option maxWorkers must be an integer from 1 to 1024, got NaN',
    ],
    ['maxWorkers', { maxWorkers: 0 }, RangeError, 'from 1 to 1024, got 0'],
    ['maxWorkers', { maxWorkers: 1.5 }, RangeError, 'from 1 to 1024, got 1.5'],
    ['maxWorkers', { maxWorkers: 1e9 }, RangeError, 'from 1 to 1024, got 1000000000'],
    ['maxWorkers', { maxWorkers: Infinity }, RangeError, 'from 1 to 1024, got Infinity'],
    [
      'maxQueue',
      { maxQueue: -1 },
      RangeError,
      'option maxQueue must be an integer of at least 0 or Infinity, got -1',
    ],
    [
      'graceMs',
      { graceMs: '100' },
      TypeError,
      'option graceMs must be a number of milliseconds, got "100"',
    ],
    [
      'graceMs',
      { graceMs: Number.NaN },
      RangeError,
      'option graceMs must be a number of milliseconds of at least 0 (Infinity allowed), got NaN',
    ],
    ['idleTimeout', { idleTimeout: -5 }, RangeError, 'option idleTimeout must be a number'],
    [
      'logger',
      { logger: { info() {} } },
      TypeError,
      'option logger must have debug, info, warn and error methods',
    ],
  ])(
    'refuses a bad %s (%j) with a %s naming it and the value',
    (_name, options, ErrorClass, message) => {
      const error = attempt(options);
      expect(error).toBeInstanceOf(ErrorClass);
      expect((error as Error).message).toContain(message);
    },
  );
});
