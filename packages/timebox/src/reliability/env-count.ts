/** Reads a positive integer from environment variable `name`, or `fallback` when it is unset. */
export function envCount(name: string, fallback: number): number {
  const text = process.env[name];
  if (text === undefined || text === '') return fallback;
  const value = Number(text);
  if (!Number.isInteger(value) || value < 1) {
    throw new RangeError(`${name} must be a positive integer, got ${JSON.stringify(text)}`);
  }
  return value;
}
