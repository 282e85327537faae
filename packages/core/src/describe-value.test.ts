import { describe, expect, it } from 'vitest';
import { describeValue } from './describe-value.js';

class Widget {}

describe('describeValue', () => {
  it.each([
    ['a string, quoted', 'hello', '"hello"'],
    ['an empty string', '', '""'],
    ['a long string, shortened', 'x'.repeat(80), `"${'x'.repeat(57)}..."`],
    ['a string with quotes, escaped', 'say "hi"', '"say \\"hi\\""'],
    ['a number', 42, '42'],
    ['a negative number', -5, '-5'],
    ['NaN', Number.NaN, 'NaN'],
    ['Infinity', Infinity, 'Infinity'],
    ['a boolean', false, 'false'],
    ['undefined', undefined, 'undefined'],
    ['null', null, 'null'],
    ['a bigint', 10n, '10n'],
    ['a symbol', Symbol('id'), 'Symbol(id)'],
    ['a named function', function resize() {}, 'function resize'],
    ['an anonymous function', (() => () => {})(), 'an anonymous function'],
    ['a class', Widget, 'function Widget'],
    ['an array', [1, 2, 3], 'an array of length 3'],
    ['a plain object', { a: 1 }, 'a plain object'],
    ['an object without prototype', Object.create(null), 'a plain object'],
    ['a class instance', new Widget(), 'an instance of Widget'],
    ['a Map', new Map(), 'an instance of Map'],
    ['a Date', new Date(0), 'an instance of Date'],
    ['an error', new TypeError('x'), 'an instance of TypeError'],
    [
      'an object whose constructor has no name',
      Object.create({ constructor: { name: '' } }),
      'an object',
    ],
  ])('describes %s', (_label, value, expected) => {
    expect(describeValue(value)).toBe(expected);
  });
});
