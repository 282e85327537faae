import { describeValue } from '../describe-value.js';
import { findUncloneable } from './find-uncloneable.js';
import type { SerializedError, SerializedThrown } from './serialized-thrown.js';

const builtinErrorClasses = [
  AggregateError,
  EvalError,
  RangeError,
  ReferenceError,
  SyntaxError,
  TypeError,
  URIError,
  Error,
] as const;

const maximumDepth = 32;
const standardKeys = new Set(['name', 'message', 'stack', 'cause', 'errors']);

/**
 * Turns anything a task threw into a {@link SerializedThrown} that can cross a thread or
 * process boundary: errors keep name, class name, message, stack, `cause` chain,
 * `AggregateError`'s `errors`, `code` and every other own property; other values are kept
 * as they are when they can be cloned, else as a description.
 */
export function serializeThrown(thrown: unknown): SerializedThrown {
  return serialize(thrown, new Set(), 0);
}

function serialize(thrown: unknown, seen: Set<object>, depth: number): SerializedThrown {
  if (thrown instanceof Error) {
    // An error met again (a cycle) or past the depth limit keeps its name, message and
    // stack only: cloning the error object itself fails on a cause that refers back to it.
    const shallow = seen.has(thrown) || depth >= maximumDepth;
    seen.add(thrown);
    return serializeError(thrown, seen, depth, shallow);
  }
  if (findUncloneable(thrown, 'value') === undefined) return { kind: 'value', value: thrown };
  return { kind: 'uncloneable', type: typeof thrown, description: describeValue(thrown) };
}

function serializeError(
  error: Error,
  seen: Set<object>,
  depth: number,
  shallow: boolean,
): SerializedError {
  const properties: Record<string, SerializedThrown> = {};
  for (const key of shallow ? [] : Object.getOwnPropertyNames(error)) {
    if (standardKeys.has(key)) continue;
    defineField(
      properties,
      key,
      serialize((error as unknown as Record<string, unknown>)[key], seen, depth + 1),
    );
  }
  const serialized: {
    -readonly [Key in keyof SerializedError]: SerializedError[Key];
  } = {
    kind: 'error',
    name: String(error.name),
    constructorName: error.constructor?.name || 'Error',
    builtinBase: builtinErrorClasses.find((builtin) => error instanceof builtin)?.name ?? 'Error',
    message: String(error.message),
    properties,
  };
  const brands = timeboxBrands(error);
  if (brands.length > 0) serialized.brands = brands;
  if (typeof error.stack === 'string') serialized.stack = error.stack;
  if (shallow) return serialized;
  if ('cause' in error) serialized.cause = serialize(error.cause, seen, depth + 1);
  if (error instanceof AggregateError && Array.isArray(error.errors)) {
    serialized.errors = error.errors.map((inner: unknown) => serialize(inner, seen, depth + 1));
  }
  return serialized;
}

/** Sets an own property, even one named `__proto__`, which plain assignment would not. */
function defineField(target: object, key: string, value: unknown): void {
  Object.defineProperty(target, key, {
    value,
    enumerable: true,
    writable: true,
    configurable: true,
  });
}

/** The `Symbol.for('timebox.…')` brands an error carries, by key, so they survive the trip. */
function timeboxBrands(error: Error): string[] {
  const brands: string[] = [];
  for (const symbol of Object.getOwnPropertySymbols(error)) {
    const key = Symbol.keyFor(symbol);
    if (
      key?.startsWith('timebox.') &&
      (error as unknown as Record<symbol, unknown>)[symbol] === true
    ) {
      brands.push(key);
    }
  }
  return brands;
}
