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
  if (thrown instanceof Error && !seen.has(thrown) && depth < maximumDepth) {
    seen.add(thrown);
    return serializeError(thrown, seen, depth);
  }
  if (findUncloneable(thrown, 'value') === undefined) return { kind: 'value', value: thrown };
  return { kind: 'uncloneable', type: typeof thrown, description: describeValue(thrown) };
}

function serializeError(error: Error, seen: Set<object>, depth: number): SerializedError {
  const properties: Record<string, SerializedThrown> = {};
  for (const key of Object.getOwnPropertyNames(error)) {
    if (standardKeys.has(key)) continue;
    properties[key] = serialize(
      (error as unknown as Record<string, unknown>)[key],
      seen,
      depth + 1,
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
  if (typeof error.stack === 'string') serialized.stack = error.stack;
  if ('cause' in error) serialized.cause = serialize(error.cause, seen, depth + 1);
  if (error instanceof AggregateError && Array.isArray(error.errors)) {
    serialized.errors = error.errors.map((inner: unknown) => serialize(inner, seen, depth + 1));
  }
  return serialized;
}
