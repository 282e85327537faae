// A module with named function exports only, for the tests of moduleTask.

/** Adds its arguments. */
export function add(left: number, right: number): number {
  return left + right;
}
