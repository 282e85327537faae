import { describe, expect, it } from 'vitest';
import { isTaskModuleLoadError, TaskModuleLoadError } from '../errors/task-module-load-error.js';
import { isTaskSerializationError } from '../errors/task-serialization-error.js';
import { isTaskTimeoutError, TaskTimeoutError } from '../errors/task-timeout-error.js';
import { isTimeboxError } from '../errors/timebox-error.js';
import { assertCloneable } from './assert-cloneable.js';
import { deserializeThrown } from './deserialize-thrown.js';
import { findUncloneable } from './find-uncloneable.js';
import { serializeThrown } from './serialize-thrown.js';
import type { SerializedError } from './serialized-thrown.js';

/** What a worker or child process does to a thrown value: serialize, clone, rebuild. */
function roundTrip(thrown: unknown): unknown {
  return deserializeThrown(structuredClone(serializeThrown(thrown)));
}

function roundTripError(thrown: unknown): Error & Record<string, unknown> {
  const rebuilt = roundTrip(thrown);
  expect(rebuilt).toBeInstanceOf(Error);
  return rebuilt as Error & Record<string, unknown>;
}

class ValidationError extends TypeError {
  readonly code = 'E_VALIDATION';
  constructor(
    message: string,
    readonly field: string,
  ) {
    super(message);
    this.name = 'ValidationError';
  }
}

class Handle {
  #secret = 1;
  read(): number {
    return this.#secret;
  }
}

describe('serializeThrown and deserializeThrown', () => {
  it('keep name, message and stack of a plain Error', () => {
    const error = new Error('plain failure');
    const serialized = serializeThrown(error) as SerializedError;
    expect(serialized).toMatchObject({
      kind: 'error',
      name: 'Error',
      constructorName: 'Error',
      builtinBase: 'Error',
      message: 'plain failure',
      stack: error.stack,
      properties: {},
    });
    const rebuilt = roundTripError(error);
    expect(rebuilt.constructor).toBe(Error);
    expect(rebuilt.name).toBe('Error');
    expect(rebuilt.message).toBe('plain failure');
    expect(rebuilt.stack).toBe(error.stack);
    expect(Object.keys(rebuilt)).toEqual([]);
  });

  it('keep a cause chain, with a non-Error at its end', () => {
    const error = new Error('top', {
      cause: new TypeError('middle', { cause: { code: 42, detail: 'bottom' } }),
    });
    const rebuilt = roundTripError(error);
    const middle = rebuilt.cause as Error;
    expect(middle).toBeInstanceOf(TypeError);
    expect(middle.message).toBe('middle');
    expect(middle.stack).toBe((error.cause as Error).stack);
    expect(middle.cause).toEqual({ code: 42, detail: 'bottom' });
    expect(Object.getOwnPropertyDescriptor(rebuilt, 'cause')?.enumerable).toBe(false);
  });

  it('keep a cause that is explicitly undefined, and add none when there was none', () => {
    const explicit = roundTripError(new Error('x', { cause: undefined }));
    expect('cause' in explicit).toBe(true);
    expect(explicit.cause).toBeUndefined();
    expect('cause' in roundTripError(new Error('x'))).toBe(false);
  });

  it('keep code and every other own property, cloned deeply', () => {
    const error = Object.assign(new Error('with fields'), {
      code: 'ENOENT',
      errno: -2,
      path: '/tmp/missing',
      details: { attempts: [1, 2, 3], at: new Date(0), tags: new Set(['a']) },
      missing: undefined,
    });
    const rebuilt = roundTripError(error);
    expect(rebuilt.code).toBe('ENOENT');
    expect(rebuilt.errno).toBe(-2);
    expect(rebuilt.path).toBe('/tmp/missing');
    expect(rebuilt.details).toEqual(error.details);
    expect(rebuilt.details).not.toBe(error.details);
    expect(Object.hasOwn(rebuilt, 'missing')).toBe(true);
  });

  it('keep a field named __proto__ as a field, without touching the prototype', () => {
    const error = new Error('odd field');
    Object.defineProperty(error, '__proto__', {
      value: { polluted: true },
      enumerable: true,
      writable: true,
      configurable: true,
    });
    const rebuilt = roundTripError(error);
    expect(Object.getPrototypeOf(rebuilt)).toBe(Error.prototype);
    expect(Object.getOwnPropertyDescriptor(rebuilt, '__proto__')?.value).toEqual({
      polluted: true,
    });
  });

  it("keep AggregateError's errors, of any kind", () => {
    const inner = new RangeError('inner', { cause: 'why' });
    const error = new AggregateError([inner, 'a string', 7], 'several failures');
    const rebuilt = roundTripError(error);
    expect(rebuilt).toBeInstanceOf(AggregateError);
    expect(rebuilt.constructor.name).toBe('AggregateError');
    expect(rebuilt.name).toBe('AggregateError');
    expect(rebuilt.message).toBe('several failures');
    const errors = rebuilt.errors as unknown[];
    expect(errors).toHaveLength(3);
    expect(errors[0]).toBeInstanceOf(RangeError);
    expect((errors[0] as Error).cause).toBe('why');
    expect(errors.slice(1)).toEqual(['a string', 7]);
  });

  it('keep a subclass of AggregateError an AggregateError', () => {
    class BatchError extends AggregateError {}
    const rebuilt = roundTripError(new BatchError([new Error('one')], 'batch'));
    expect(rebuilt).toBeInstanceOf(AggregateError);
    expect(rebuilt.constructor.name).toBe('BatchError');
    expect((rebuilt.errors as Error[])[0]?.message).toBe('one');
  });

  it('rebuild a subclass of TypeError as a TypeError with the class name and fields', () => {
    const rebuilt = roundTripError(new ValidationError('email is invalid', 'email'));
    expect(rebuilt).toBeInstanceOf(TypeError);
    expect(rebuilt).toBeInstanceOf(Error);
    expect(rebuilt.constructor.name).toBe('ValidationError');
    expect(rebuilt.name).toBe('ValidationError');
    expect(rebuilt.message).toBe('email is invalid');
    expect(rebuilt.code).toBe('E_VALIDATION');
    expect(rebuilt.field).toBe('email');
  });

  it('keep the name a subclass inherits, and a name that differs from the class', () => {
    class Quiet extends RangeError {}
    const inherited = roundTripError(new Quiet('q'));
    expect(inherited.constructor.name).toBe('Quiet');
    expect(inherited.name).toBe('RangeError');
    expect(inherited).toBeInstanceOf(RangeError);

    const renamed = Object.assign(new Error('r'), { name: 'NetworkError' });
    const rebuiltRenamed = roundTripError(renamed);
    expect(rebuiltRenamed.constructor).toBe(Error);
    expect(rebuiltRenamed.name).toBe('NetworkError');
    expect(String(rebuiltRenamed)).toBe('NetworkError: r');
  });

  it('reuse one rebuilt class per class name, so two rebuilt errors share it', () => {
    const first = roundTripError(new ValidationError('a', 'a'));
    const second = roundTripError(new ValidationError('b', 'b'));
    expect(first.constructor).toBe(second.constructor);
  });

  it('rebuild a timebox error with its fields', () => {
    const error = new TaskTimeoutError({
      taskName: 'nested',
      timeout: 5,
      elapsed: 6,
      strategy: 'thread',
      enforcement: 'soft',
    });
    const rebuilt = roundTripError(error);
    expect(rebuilt).toMatchObject({
      name: 'TaskTimeoutError',
      message: error.message,
      taskName: 'nested',
      timeout: 5,
      elapsed: 6,
      strategy: 'thread',
      enforcement: 'soft',
      stillRunning: true,
    });
  });

  it('drop the stack of an error that had none', () => {
    const error = new Error('no stack');
    delete (error as { stack?: string }).stack;
    const rebuilt = roundTripError(error);
    expect(rebuilt.stack).toBeUndefined();
  });

  it.each([
    ['a string', 'a plain string'],
    ['a number', 42],
    ['zero', 0],
    ['NaN', Number.NaN],
    ['a bigint', 10n],
    ['undefined', undefined],
    ['null', null],
    ['a boolean', false],
    ['a plain object', { reason: 'nope', list: [1, { deep: true }] }],
    ['an array', [1, 'two', null]],
    ['a Date', new Date(1_000)],
    ['a Map', new Map([['k', 1]])],
  ])('give back a non-Error throw of %s as its clone', (_label, thrown) => {
    const serialized = serializeThrown(thrown);
    expect(serialized).toEqual({ kind: 'value', value: thrown });
    expect(roundTrip(thrown)).toEqual(thrown);
  });

  it.each([
    ['a function', function handler() {}, 'function', 'function handler'],
    ['an anonymous arrow', () => {}, 'function', 'an anonymous function'],
    ['a symbol', Symbol('token'), 'symbol', 'Symbol(token)'],
    ['a class instance', new Handle(), 'object', 'an instance of Handle'],
    ['a promise', Promise.resolve(1), 'object', 'an instance of Promise'],
    ['an object holding a function', { onDone: () => {} }, 'object', 'a plain object'],
  ])('describe an uncloneable throw of %s', (_label, thrown, type, description) => {
    expect(serializeThrown(thrown)).toEqual({ kind: 'uncloneable', type, description });
    expect(roundTrip(thrown)).toBe(description);
  });

  it('describe an own property of an error that cannot be cloned, keeping the rest', () => {
    const error = Object.assign(new Error('holds a handler'), {
      handler: function onRetry() {},
      attempts: 3,
    });
    const rebuilt = roundTripError(error);
    expect(rebuilt.handler).toBe('function onRetry');
    expect(rebuilt.attempts).toBe(3);
  });

  it('describe an uncloneable cause', () => {
    const rebuilt = roundTripError(new Error('x', { cause: Symbol('why') }));
    expect(rebuilt.cause).toBe('Symbol(why)');
  });

  it('stop at a cycle in the cause chain, and the result can still be cloned', () => {
    const first = new Error('first');
    const second = new Error('second', { cause: first });
    (first as { cause?: unknown }).cause = second;
    const rebuilt = roundTripError(first);
    const rebuiltSecond = rebuilt.cause as Error;
    expect(rebuiltSecond.message).toBe('second');
    expect((rebuiltSecond.cause as Error).message).toBe('first');
  });

  it('stop at an error that refers to itself', () => {
    const error = new Error('self') as Error & { self?: unknown };
    error.self = error;
    const rebuilt = roundTripError(error);
    expect((rebuilt.self as Error).message).toBe('self');
  });

  it('stop at an error that refers to itself and has an uncloneable cause', () => {
    const error = new Error('self', { cause: () => {} }) as Error & { self?: unknown };
    error.self = error;
    const serialized = serializeThrown(error);
    expect(() => structuredClone(serialized)).not.toThrow();
    const rebuilt = roundTripError(error);
    expect(rebuilt.cause).toBe('function cause');
  });

  it('stop at a depth limit on a very long cause chain, and the result can still be cloned', () => {
    let error = new Error('level 0');
    for (let level = 1; level <= 100; level++) {
      error = new Error(`level ${level}`, { cause: error });
    }
    const rebuilt = roundTripError(error);
    expect(rebuilt.message).toBe('level 100');
    expect((rebuilt.cause as Error).message).toBe('level 99');
  });

  it('keep an error nested in a thrown plain object when it can be cloned', () => {
    const thrown = { error: new RangeError('inside') };
    const rebuilt = roundTrip(thrown) as { error: Error };
    expect(rebuilt.error).toBeInstanceOf(RangeError);
    expect(rebuilt.error.message).toBe('inside');
  });

  it('describe a thrown plain object holding an error whose cause cannot be cloned', () => {
    const thrown = { error: new Error('inside', { cause: () => {} }) };
    expect(serializeThrown(thrown)).toEqual({
      kind: 'uncloneable',
      type: 'object',
      description: 'a plain object',
    });
  });
});

describe('findUncloneable', () => {
  it.each([
    ['a string', 'text'],
    ['a number', 1.5],
    ['a bigint', 1n],
    ['undefined', undefined],
    ['null', null],
    ['a plain object', { a: 1, b: { c: [1, 2] } }],
    ['an object without prototype', Object.assign(Object.create(null), { a: 1 })],
    ['a sparse array', new Array<number>(3).fill(1, 0, 1)],
    ['a Map and a Set', { map: new Map([[{ key: 1 }, 'v']]), set: new Set([1, 'two']) }],
    ['a Date and a RegExp', [new Date(), /x/g]],
    ['binary data', [new Uint8Array(4), new ArrayBuffer(8), new DataView(new ArrayBuffer(2))]],
    ['boxed primitives', [new Number(1), new String('s'), new Boolean(false)]],
    ['errors', [new Error('e'), new TypeError('t', { cause: new Error('c') })]],
  ])('finds nothing in %s', (_label, value) => {
    expect(findUncloneable(value, 'args')).toBeUndefined();
    expect(() => structuredClone(value)).not.toThrow();
  });

  it('finds nothing in arrays of primitives and of arrays of primitives, the usual arguments', () => {
    expect(findUncloneable([1, 'two', null, undefined, 3n, true], 'args')).toBeUndefined();
    expect(findUncloneable([[20, 22], 'x', [], [null]], 'args')).toBeUndefined();
  });

  it.each([
    ['a function among primitives', [1, () => 2], 'args[1]'],
    ['a symbol in an inner array', [[1, Symbol('s')]], 'args[0][1]'],
    ['a function in an inner array', [0, [1, 2, function inner() {}]], 'args[1][2]'],
    ['a function two arrays deep', [[[() => 3]]], 'args[0][0][0]'],
  ])('names the path of %s, as the full walk does', (_label, value, path) => {
    expect(findUncloneable(value, 'args')?.path).toBe(path);
  });

  it('handles an array that holds itself', () => {
    const loop: unknown[] = [1];
    loop.push(loop);
    expect(findUncloneable([loop], 'args')).toBeUndefined();
    loop.push(() => 1);
    expect(findUncloneable([loop], 'args')?.path).toBe('args[0][2]');
  });

  it('handles cycles', () => {
    const cyclic: Record<string, unknown> = { name: 'loop' };
    cyclic.self = cyclic;
    cyclic.list = [cyclic];
    expect(findUncloneable(cyclic, 'args')).toBeUndefined();
  });

  it.each([
    [
      'a function',
      [1, { handler: function handler() {} }],
      'args[1].handler',
      'function handler cannot be cloned; pass data, or make the function a module task',
    ],
    [
      'a symbol',
      [Symbol.iterator],
      'args[0]',
      'a symbol (Symbol(Symbol.iterator)) cannot be cloned',
    ],
    [
      'a Promise',
      [{ pending: Promise.resolve() }],
      'args[0].pending',
      'a Promise cannot be cloned; await it inside the task and return the value',
    ],
    ['a WeakMap', [{ cache: new WeakMap() }], 'args[0].cache', 'a WeakMap cannot be cloned'],
    ['a WeakSet', [new WeakSet()], 'args[0]', 'a WeakSet cannot be cloned'],
    ['a WeakRef', [new WeakRef({})], 'args[0]', 'a WeakRef cannot be cloned'],
    [
      'a class instance with private state',
      [{ connection: new Handle() }],
      'args[0].connection',
      'an instance of Handle would arrive as a plain object, without its methods or private state; send plain data instead',
    ],
    [
      'a key that needs quotes',
      [{ 'on-done': () => {} }],
      'args[0]["on-done"]',
      'function on-done cannot be cloned; pass data, or make the function a module task',
    ],
    [
      'a Map value',
      [new Map([['callback', () => {}]])],
      'args[0].get("callback")',
      'an anonymous function cannot be cloned; pass data, or make the function a module task',
    ],
    [
      'a Map key',
      [new Map([[Symbol('k'), 1]])],
      'args[0]<map key 0>',
      'a symbol (Symbol(k)) cannot be cloned',
    ],
    [
      'a Set entry',
      [new Set([1, () => {}])],
      'args[0]<set entry 1>',
      'an anonymous function cannot be cloned; pass data, or make the function a module task',
    ],
    [
      "an error's cause",
      [new Error('failed', { cause: () => {} })],
      'args[0].cause',
      'function cause cannot be cloned; pass data, or make the function a module task',
    ],
  ])('names the path to %s and why', (_label, value, path, reason) => {
    expect(findUncloneable(value, 'args')).toEqual({ path, reason });
  });

  it('names a reference back to an error from inside its own cause, which v8 cannot read back', () => {
    const selfCause = new Error('self');
    (selfCause as { cause?: unknown }).cause = selfCause;
    const viaObject = new Error('via object');
    (viaObject as { cause?: unknown }).cause = { details: [viaObject] };
    const reason = 'an error whose cause refers back to the error itself cannot be cloned';
    expect(findUncloneable(selfCause, 'value')).toEqual({ path: 'value.cause', reason });
    expect(findUncloneable({ error: viaObject }, 'result')).toEqual({
      path: 'result.error.cause.details[0]',
      reason,
    });
  });

  it('accepts the same error twice, or as the cause of another, which v8 clones fine', () => {
    const shared = new Error('shared');
    const value = [shared, shared, new Error('wrapper', { cause: shared })];
    expect(findUncloneable(value, 'args')).toBeUndefined();
    const clone = structuredClone(value);
    expect(clone[0]).toBe(clone[1]);
  });

  it("does not look into an error's other properties, which structuredClone drops", () => {
    const error = Object.assign(new Error('x'), { handler: () => {} });
    expect(findUncloneable(error, 'value')).toBeUndefined();
    expect(() => structuredClone(error)).not.toThrow();
  });
});

describe('assertCloneable', () => {
  it('returns quietly for a cloneable value', () => {
    expect(() => assertCloneable('upload', 'argument', [1, { a: 'b' }], 'args')).not.toThrow();
  });

  it('throws a TaskSerializationError naming the task, the subject, the path and the reason', () => {
    let caught: unknown;
    try {
      assertCloneable('upload', 'argument', [{}, { handler: () => {} }], 'args');
    } catch (error) {
      caught = error;
    }
    expect(isTaskSerializationError(caught)).toBe(true);
    expect(caught).toMatchObject({
      taskName: 'upload',
      subject: 'argument',
      path: 'args[1].handler',
      reason: 'function handler cannot be cloned; pass data, or make the function a module task',
      message:
        "Task 'upload': args[1].handler cannot be sent across the boundary: function handler cannot be cloned; pass data, or make the function a module task",
    });
  });
});

describe('timebox brands across the boundary', () => {
  it('restores the Symbol.for brands of a timebox error, so its guard holds on the host', () => {
    const original = new TaskTimeoutError({
      taskName: 'nested',
      timeout: 10,
      elapsed: 11,
      strategy: 'thread',
      enforcement: 'soft',
    });
    const rebuilt = deserializeThrown(structuredClone(serializeThrown(original)));
    expect(isTaskTimeoutError(rebuilt)).toBe(true);
    expect(isTimeboxError(rebuilt)).toBe(true);
    expect(rebuilt).toMatchObject({ taskName: 'nested', timeout: 10, stillRunning: true });
  });

  it('keeps a TaskModuleLoadError whole: its guard, fields, message and cause', () => {
    const original = new TaskModuleLoadError({
      taskName: 'resize',
      module: 'file:///srv/tasks/resize.js',
      exportName: 'resize',
      reason: 'threw',
      detail: 'the module threw while it was imported (Error: no config)',
      cause: new Error('no config'),
    });
    const rebuilt = deserializeThrown(structuredClone(serializeThrown(original)));
    expect(isTaskModuleLoadError(rebuilt)).toBe(true);
    expect(isTimeboxError(rebuilt)).toBe(true);
    expect(rebuilt).toMatchObject({
      name: 'TaskModuleLoadError',
      taskName: 'resize',
      module: 'file:///srv/tasks/resize.js',
      exportName: 'resize',
      reason: 'threw',
      message: original.message,
    });
    expect((rebuilt as Error).cause).toMatchObject({ message: 'no config' });
  });
});

describe('the process boundary', () => {
  it('refuses a Blob, a File and a SharedArrayBuffer across a process, not across a thread', () => {
    const values = { blob: new Blob(['x']), shared: new SharedArrayBuffer(8) };
    expect(findUncloneable(values, 'args', 'thread')).toBeUndefined();
    expect(findUncloneable(values, 'args', 'process')).toEqual({
      path: 'args.blob',
      reason:
        'a Blob would arrive in the other process as an empty object; send await blob.arrayBuffer() instead',
    });
    expect(findUncloneable({ shared: values.shared }, 'result', 'process')?.path).toBe(
      'result.shared',
    );
  });

  it('names the path in the TaskSerializationError that assertCloneable throws', () => {
    expect(() =>
      assertCloneable('upload', 'argument', [1, { file: new Blob(['x']) }], 'args', 'process'),
    ).toThrow(
      "Task 'upload': args[1].file cannot be sent across the boundary: a Blob would arrive",
    );
  });
});
