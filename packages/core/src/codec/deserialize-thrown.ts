import { setBrand } from '../errors/brand.js';
import type { SerializedError, SerializedThrown } from './serialized-thrown.js';

type ErrorClass = new (message?: string) => Error;

const builtinErrorClasses: Readonly<Record<string, ErrorClass>> = {
  Error,
  EvalError,
  RangeError,
  ReferenceError,
  SyntaxError,
  TypeError,
  URIError,
  AggregateError: class extends AggregateError {
    constructor(message?: string) {
      super([], message);
    }
  },
};

const namedClasses = new Map<string, ErrorClass>();

/**
 * Rebuilds what {@link serializeThrown} produced: an error of a class with the original
 * class name (extending the same built-in, so `instanceof TypeError` still holds) with its
 * name, message, stack, cause chain, `errors` and own properties; or the thrown value
 * itself; or, for a value that could not be cloned, its description.
 */
export function deserializeThrown(serialized: SerializedThrown): unknown {
  switch (serialized.kind) {
    case 'value':
      return serialized.value;
    case 'uncloneable':
      return serialized.description;
    case 'error':
      return deserializeError(serialized);
  }
}

function deserializeError(serialized: SerializedError): Error {
  const ErrorOfClass = errorClass(serialized.constructorName, serialized.builtinBase);
  const error = new ErrorOfClass(serialized.message);
  if (error.name !== serialized.name) defineHidden(error, 'name', serialized.name);
  if (serialized.stack !== undefined) defineHidden(error, 'stack', serialized.stack);
  else delete (error as { stack?: string }).stack;
  if (serialized.cause !== undefined)
    defineHidden(error, 'cause', deserializeThrown(serialized.cause));
  if (serialized.errors !== undefined) {
    defineHidden(error, 'errors', serialized.errors.map(deserializeThrown));
  }
  for (const brand of serialized.brands ?? []) setBrand(error, Symbol.for(brand));
  for (const [key, value] of Object.entries(serialized.properties)) {
    // defineProperty, not assignment: a field named `__proto__` must stay a field.
    Object.defineProperty(error, key, {
      value: deserializeThrown(value),
      enumerable: true,
      writable: true,
      configurable: true,
    });
  }
  return error;
}

function errorClass(constructorName: string, builtinBase: string): ErrorClass {
  const base = builtinErrorClasses[builtinBase] ?? Error;
  if (constructorName === builtinBase) return base;
  const key = `${builtinBase}:${constructorName}`;
  let named = namedClasses.get(key);
  if (named === undefined) {
    named = { [constructorName]: class extends base {} }[constructorName] as ErrorClass;
    Object.defineProperty(named.prototype, 'name', {
      value: constructorName,
      writable: true,
      configurable: true,
    });
    namedClasses.set(key, named);
  }
  return named;
}

function defineHidden(target: object, key: string, value: unknown): void {
  Object.defineProperty(target, key, {
    value,
    writable: true,
    configurable: true,
    enumerable: false,
  });
}
