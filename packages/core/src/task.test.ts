import { describe, expect, expectTypeOf, it } from 'vitest';
import {
  defineTask,
  isModuleReference,
  isTask,
  type Task,
  type TaskArguments,
  type TaskResult,
  validateTimeout,
} from './task.js';

describe('defineTask', () => {
  const run = (value: number) => value;

  it('returns a frozen, branded task with Infinity as the absent limit', () => {
    const task = defineTask({ name: 'double', run });
    expect(task).toMatchObject({
      name: 'double',
      timeout: Infinity,
      run,
      tags: [],
      isolate: false,
    });
    expect(Object.isFrozen(task)).toBe(true);
    expect(isTask(task)).toBe(true);
    expect(isTask({ name: 'double', timeout: 1, run })).toBe(false);
  });

  it('keeps isolate: true, and rejects an isolate that is not a boolean with a TypeError naming the task and the value', () => {
    expect(defineTask({ name: 'changes globals', run, isolate: true }).isolate).toBe(true);
    expect(() => defineTask({ name: 'changes globals', run, isolate: 'yes' as never })).toThrow(
      new TypeError(`Task 'changes globals': isolate must be true or false, got "yes"`),
    );
  });

  it('accepts a module reference given as a URL, an absolute path or a package name', () => {
    const url = new URL('file:///srv/tasks/resize.js');
    expect(defineTask({ name: 'a', run: { module: url } }).run).toEqual({ module: url });
    expect(
      defineTask({ name: 'b', run: { module: '/srv/tasks/resize.js', export: 'resize' } }).run,
    ).toEqual({
      module: '/srv/tasks/resize.js',
      export: 'resize',
    });
    expect(defineTask({ name: 'c', run: { module: 'some-package' } }).run).toEqual({
      module: 'some-package',
    });
  });

  it.each([
    [{ name: '', run }, TypeError, 'A task\'s name must not be empty, got ""'],
    [{ name: '   ', run }, TypeError, "A task's name must not be empty"],
    [{ name: 42, run }, TypeError, "A task's name must be a string, got 42"],
    [
      { name: 'x', run: 'not a function' },
      TypeError,
      'Task \'x\': run must be a function or a module reference { module, export? }, got "not a function"',
    ],
    [
      { name: 'x', run: { module: '' } },
      TypeError,
      "Task 'x': run.module must be an absolute path",
    ],
    [
      { name: 'x', run: { module: './relative.js' } },
      TypeError,
      'Task \'x\': run.module "./relative.js" is relative',
    ],
    [
      { name: 'x', run: { module: '/a.js', export: 7 } },
      TypeError,
      "Task 'x': run.export must be a non-empty string when given, got 7",
    ],
    [
      { name: 'x', run, timeout: Number.NaN },
      RangeError,
      "Task 'x': timeout must be a number of milliseconds, got NaN",
    ],
    [{ name: 'x', run, timeout: -1 }, RangeError, "Task 'x': timeout must not be negative, got -1"],
    [
      { name: 'x', run, timeout: '100' },
      TypeError,
      'Task \'x\': timeout must be a number of milliseconds, got "100"',
    ],
    [
      { name: 'x', run, tags: 'fast' },
      TypeError,
      'Task \'x\': tags must be an array of strings, got "fast"',
    ],
  ])('rejects %o with a %o naming the task and the value', (definition, ErrorClass, message) => {
    expect(() => defineTask(definition as never)).toThrow(ErrorClass);
    expect(() => defineTask(definition as never)).toThrow(message);
  });

  it('rejects a definition that is not an object', () => {
    expect(() => defineTask(null as never)).toThrow(
      /expects an object \{ name, timeout\?, run \}, got null/,
    );
  });

  it('accepts 0 and Infinity as limits', () => {
    expect(defineTask({ name: 'zero', timeout: 0, run }).timeout).toBe(0);
    expect(defineTask({ name: 'none', timeout: Infinity, run }).timeout).toBe(Infinity);
  });
});

describe('defineTask types', () => {
  it('infers the arguments and result from run', () => {
    const task = defineTask({
      name: 'typed',
      run: async (path: string, size: number) => ({ path, size }),
    });
    expectTypeOf(task).toEqualTypeOf<
      Task<[path: string, size: number], { path: string; size: number }>
    >();
    expectTypeOf<TaskArguments<typeof task>>().toEqualTypeOf<[path: string, size: number]>();
    expectTypeOf<TaskResult<typeof task>>().toEqualTypeOf<{ path: string; size: number }>();
  });

  it('keeps tags as a frozen copy', () => {
    const tags = ['cooperative'];
    const task = defineTask({ name: 'tagged', run: () => 1, tags });
    tags.push('changed');
    expect(task.tags).toEqual(['cooperative']);
    expect(Object.isFrozen(task.tags)).toBe(true);
  });
});

describe('isModuleReference', () => {
  it.each([
    [{ module: '/a.js' }, true],
    [{ module: new URL('file:///a.js'), export: 'x' }, true],
    [{ module: 42 }, false],
    [() => 1, false],
    [null, false],
    ['/a.js', false],
  ])('tells whether %o is a module reference', (value, expected) => {
    expect(isModuleReference(value)).toBe(expected);
  });
});

describe('validateTimeout', () => {
  it('returns a valid limit, naming the option in errors', () => {
    expect(validateTimeout('t', 10, 'options.timeout')).toBe(10);
    expect(validateTimeout('t', Infinity, 'options.timeout')).toBe(Infinity);
    expect(() => validateTimeout('t', -1, 'options.timeout')).toThrow(
      new RangeError("Task 't': options.timeout must not be negative, got -1"),
    );
    expect(() => validateTimeout('t', 10n, 'overall')).toThrow(
      new TypeError("Task 't': overall must be a number of milliseconds, got 10n"),
    );
  });
});
