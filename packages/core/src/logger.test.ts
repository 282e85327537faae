import { describe, expect, it } from 'vitest';
import { isLogger, silentLogger, validateLogger } from './logger.js';

describe('isLogger', () => {
  it('accepts console and any object with the four methods', () => {
    expect(isLogger(console)).toBe(true);
    expect(isLogger({ debug() {}, info() {}, warn() {}, error() {}, trace() {} })).toBe(true);
    expect(isLogger({ debug() {}, info() {}, warn() {} })).toBe(false);
    expect(isLogger(null)).toBe(false);
    expect(isLogger(() => {})).toBe(false);
  });
});

describe('silentLogger', () => {
  it('drops every line and cannot be changed', () => {
    expect(isLogger(silentLogger)).toBe(true);
    expect(() => silentLogger.warn('ignored', { detail: 1 })).not.toThrow();
    expect(Object.isFrozen(silentLogger)).toBe(true);
  });
});

describe('validateLogger', () => {
  it('returns the logger, or the silent logger when absent', () => {
    expect(validateLogger('t', console)).toBe(console);
    expect(validateLogger('t', undefined)).toBe(silentLogger);
  });

  it.each([
    ['a string', 'console', '"console" lacks debug, info, warn, error'],
    [
      'an object lacking two methods',
      { debug() {}, info() {}, warn: 'no' },
      'a plain object lacks warn, error',
    ],
    ['a function', () => {}, 'an anonymous function lacks debug, info, warn, error'],
  ])(
    'rejects %s with a TypeError naming the task and the missing methods',
    (_label, logger, tail) => {
      expect(() => validateLogger('report', logger)).toThrow(
        new TypeError(
          `Task 'report': logger must have debug, info, warn and error methods (console and pino loggers do); ${tail}`,
        ),
      );
    },
  );
});
