import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { deserializeThrown } from './deserialize-thrown.js';
import { findUncloneable } from './find-uncloneable.js';
import { serializeThrown } from './serialize-thrown.js';

/** Values the structured clone algorithm copies faithfully. */
const cloneableValue = fc.anything({
  maxDepth: 3,
  maxKeys: 5,
  withBigInt: true,
  withBoxedValues: true,
  withDate: true,
  withMap: true,
  withSet: true,
  withNullPrototype: true,
  withSparseArray: true,
  withTypedArray: true,
  withUnicodeString: true,
});

/** Property keys, including awkward ones: quotes, spaces, digits, `__proto__`. */
const propertyKey = fc.oneof(
  fc.string({ minLength: 1, maxLength: 12 }),
  fc.stringMatching(/^[A-Za-z_$][\w$]{0,10}$/),
  fc.constantFrom('__proto__', 'toString', '0', 'code', 'has space', 'quote"d'),
);

/** Keys that the codec handles as the error's own standard parts, not as fields. */
const reservedKeys = new Set(['name', 'message', 'stack', 'cause', 'errors', 'constructor']);

const builtinBases = [
  Error,
  TypeError,
  RangeError,
  SyntaxError,
  ReferenceError,
  EvalError,
  URIError,
  AggregateError,
] as const;

interface ErrorRecipe {
  readonly base: (typeof builtinBases)[number];
  readonly className: string | null;
  readonly name: string | null;
  readonly message: string;
  readonly code: string | number | null;
  readonly fields: ReadonlyArray<readonly [string, unknown]>;
  readonly cause: { readonly value: ErrorRecipe | { readonly plain: unknown } } | null;
  readonly errors: readonly ErrorRecipe[];
}

/** Recipes for errors whose cause chains and `errors` lists nest up to `depth` levels. */
function errorRecipeOfDepth(depth: number): fc.Arbitrary<ErrorRecipe> {
  const inner = depth > 0 ? errorRecipeOfDepth(depth - 1) : undefined;
  const plainCause = fc.record({ plain: cloneableValue });
  return fc.record({
    base: fc.constantFrom(...builtinBases),
    className: fc.option(fc.stringMatching(/^[A-Z][A-Za-z0-9_]{0,14}$/)),
    name: fc.option(fc.string({ maxLength: 20 })),
    message: fc.string({ maxLength: 40 }),
    code: fc.option(fc.oneof(fc.string({ maxLength: 10 }), fc.integer())),
    fields: fc.uniqueArray(
      fc.tuple(
        propertyKey.filter((key) => !reservedKeys.has(key)),
        cloneableValue,
      ),
      { maxLength: 4, selector: ([key]) => key },
    ),
    cause: fc.option(
      fc.record({
        value: inner ? fc.oneof(plainCause, inner) : plainCause,
      }),
    ),
    errors: inner ? fc.array(inner, { maxLength: 2 }) : fc.constant([]),
  });
}

const errorRecipe = errorRecipeOfDepth(4);

const classes = new Map<string, new (...args: never[]) => Error>();

function errorClassFor(recipe: ErrorRecipe): new (...args: unknown[]) => Error {
  if (recipe.className === null) return recipe.base as unknown as new (...args: unknown[]) => Error;
  const key = `${recipe.base.name}:${recipe.className}`;
  let made = classes.get(key);
  if (made === undefined) {
    const base = recipe.base as unknown as new (...args: unknown[]) => Error;
    made = { [recipe.className]: class extends base {} }[recipe.className] as never;
    classes.set(key, made);
  }
  return made as unknown as new (
    ...args: unknown[]
  ) => Error;
}

function isErrorRecipe(value: ErrorRecipe | { readonly plain: unknown }): value is ErrorRecipe {
  return 'base' in value;
}

function buildError(recipe: ErrorRecipe): Error {
  const ErrorClass = errorClassFor(recipe);
  const options =
    recipe.cause === null
      ? undefined
      : {
          cause: isErrorRecipe(recipe.cause.value)
            ? buildError(recipe.cause.value)
            : recipe.cause.value.plain,
        };
  const error =
    recipe.base === AggregateError
      ? new ErrorClass(recipe.errors.map(buildError), recipe.message, options)
      : new ErrorClass(recipe.message, options);
  if (recipe.name !== null) error.name = recipe.name;
  if (recipe.code !== null) (error as { code?: unknown }).code = recipe.code;
  for (const [key, value] of recipe.fields) {
    Object.defineProperty(error, key, {
      value,
      enumerable: true,
      writable: true,
      configurable: true,
    });
  }
  return error;
}

/** Checks that `rebuilt` has everything a user reads from `original`. */
function expectSameError(rebuilt: unknown, original: Error): void {
  expect(rebuilt).toBeInstanceOf(Error);
  const copy = rebuilt as Error & Record<string, unknown>;
  const base = builtinBases.find((builtin) => original instanceof builtin) ?? Error;
  expect(copy).toBeInstanceOf(base);
  expect(copy.constructor.name).toBe(original.constructor.name || 'Error');
  expect(copy.name).toBe(original.name);
  expect(copy.message).toBe(original.message);
  expect(copy.stack).toBe(original.stack);
  expect(copy.code).toEqual((original as { code?: unknown }).code);
  for (const key of Object.getOwnPropertyNames(original)) {
    if (reservedKeys.has(key)) continue;
    expect(Object.hasOwn(copy, key), `field ${key}`).toBe(true);
    expect(copy[key], `field ${key}`).toEqual(
      (original as unknown as Record<string, unknown>)[key],
    );
  }
  expect('cause' in copy).toBe('cause' in original);
  if (original.cause instanceof Error) expectSameError(copy.cause, original.cause);
  else expect(copy.cause).toEqual(original.cause);
  if (original instanceof AggregateError) {
    const errors = copy.errors as unknown[];
    expect(errors).toHaveLength(original.errors.length);
    original.errors.forEach((inner: Error, index: number) => {
      expectSameError(errors[index], inner);
    });
  }
}

describe('codec properties', () => {
  it('finds nothing uncloneable in cloneable values, which structuredClone copies', () => {
    fc.assert(
      fc.property(cloneableValue, (value) => {
        expect(findUncloneable(value, 'value')).toBeUndefined();
        expect(structuredClone(value)).toEqual(value);
      }),
      { numRuns: 300 },
    );
  });

  it('gives back a cloneable non-Error throw as its clone', () => {
    fc.assert(
      fc.property(cloneableValue, (thrown) => {
        const rebuilt = deserializeThrown(structuredClone(serializeThrown(thrown)));
        expect(rebuilt).toEqual(thrown);
      }),
    );
  });

  it('round-trips errors through serializeThrown, structuredClone and deserializeThrown', () => {
    fc.assert(
      fc.property(errorRecipe, (recipe) => {
        const original = buildError(recipe);
        const rebuilt = deserializeThrown(structuredClone(serializeThrown(original)));
        expectSameError(rebuilt, original);
      }),
      { numRuns: 300 },
    );
  });

  type Step =
    | { readonly kind: 'index'; readonly index: number }
    | { readonly kind: 'key'; readonly key: string }
    | { readonly kind: 'map'; readonly key: string };

  const step: fc.Arbitrary<Step> = fc.oneof(
    fc.record({ kind: fc.constant('index' as const), index: fc.nat(4) }),
    fc.record({ kind: fc.constant('key' as const), key: propertyKey }),
    fc.record({ kind: fc.constant('map' as const), key: fc.string({ maxLength: 8 }) }),
  );

  class Connection {
    #socket = 1;
    send(): number {
      return this.#socket;
    }
  }

  const uncloneable = fc.constantFrom(
    {
      label: 'a function',
      make: () => function handler() {},
      reason: /^function handler cannot be cloned/,
    },
    {
      label: 'a symbol',
      make: () => Symbol('token'),
      reason: /^a symbol \(Symbol\(token\)\) cannot be cloned$/,
    },
    { label: 'a Promise', make: () => Promise.resolve(1), reason: /^a Promise cannot be cloned/ },
    { label: 'a WeakMap', make: () => new WeakMap(), reason: /^a WeakMap cannot be cloned$/ },
    {
      label: 'a class instance',
      make: () => new Connection(),
      reason: /^an instance of Connection would arrive as a plain object/,
    },
  );

  function plant(steps: readonly Step[], bad: unknown, fillers: readonly unknown[]): unknown {
    let value = bad;
    for (const [position, current] of [...steps].reverse().entries()) {
      const filler = fillers[position % Math.max(1, fillers.length)];
      if (current.kind === 'index') {
        const array: unknown[] = Array.from({ length: current.index + 2 }, () => filler);
        array[current.index] = value;
        value = array;
      } else if (current.kind === 'key') {
        const object: Record<string, unknown> = { before: filler };
        Object.defineProperty(object, current.key, {
          value,
          enumerable: true,
          writable: true,
          configurable: true,
        });
        if (current.key !== 'after') object.after = filler;
        value = object;
      } else {
        value = new Map<unknown, unknown>([
          [1, filler],
          [current.key, value],
        ]);
      }
    }
    return value;
  }

  function renderPath(root: string, steps: readonly Step[]): string {
    let path = root;
    for (const current of steps) {
      if (current.kind === 'index') path += `[${current.index}]`;
      else if (current.kind === 'map') path += `.get(${JSON.stringify(current.key)})`;
      else if (/^[A-Za-z_$][\w$]*$/.test(current.key)) path += `.${current.key}`;
      else path += `[${JSON.stringify(current.key)}]`;
    }
    return path;
  }

  it('names the exact path of an uncloneable value planted anywhere in the arguments', () => {
    fc.assert(
      fc.property(
        fc.nat(3),
        fc.array(step, { maxLength: 6 }),
        uncloneable,
        fc.array(cloneableValue, { minLength: 1, maxLength: 3 }),
        (argumentIndex, steps, bad, fillers) => {
          const args: unknown[] = [...fillers];
          args[argumentIndex] = plant(steps, bad.make(), fillers);
          const found = findUncloneable(args, 'args');
          expect(found?.path).toBe(renderPath(`args[${argumentIndex}]`, steps));
          expect(found?.reason).toMatch(bad.reason);
        },
      ),
      { numRuns: 300 },
    );
  });
});
