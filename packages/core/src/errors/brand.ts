/**
 * Marks an object with a registry symbol so that it can be recognised across duplicate
 * copies of `@timebox/core` (two installed versions, or the ESM and CommonJS builds side
 * by side), where `instanceof` fails.
 */
export function setBrand(target: object, brand: symbol): void {
  Object.defineProperty(target, brand, { value: true, enumerable: false });
}

/** Whether `value` carries the registry symbol `brand` set by {@link setBrand}. */
export function hasBrand(value: unknown, brand: symbol): boolean {
  return (
    (typeof value === 'object' || typeof value === 'function') &&
    value !== null &&
    (value as Record<symbol, unknown>)[brand] === true
  );
}
