/**
 * A short, readable rendering of any value for error messages: strings quoted, numbers as
 * written (`NaN`, `-5`), objects by their constructor, functions by their name.
 */
export function describeValue(value: unknown): string {
  switch (typeof value) {
    case 'string':
      return JSON.stringify(value.length > 60 ? `${value.slice(0, 57)}...` : value);
    case 'number':
    case 'boolean':
    case 'undefined':
      return String(value);
    case 'bigint':
      return `${value}n`;
    case 'symbol':
      return value.toString();
    case 'function':
      return value.name ? `function ${value.name}` : 'an anonymous function';
    default: {
      if (value === null) return 'null';
      if (Array.isArray(value)) return `an array of length ${value.length}`;
      const prototype: unknown = Object.getPrototypeOf(value);
      if (prototype === null || prototype === Object.prototype) return 'a plain object';
      const constructorName = (value as { constructor?: { name?: unknown } }).constructor?.name;
      return typeof constructorName === 'string' && constructorName
        ? `an instance of ${constructorName}`
        : 'an object';
    }
  }
}
