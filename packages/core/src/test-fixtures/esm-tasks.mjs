// Module tasks in ES module syntax, for the tests of loadTaskFunction and module tasks.

/** The default export: doubles its argument. */
export default function double(value) {
  return value * 2;
}

/** A named export: adds its arguments. */
export function add(left, right) {
  return left + right;
}

/** A named export that is not a function. */
export const notAFunction = 42;

/** Reads the current task's deadline from the registry every copy of core shares. */
export function readDeadline() {
  const context = globalThis[Symbol.for('timebox.taskContext.v1')].current;
  return { deadline: context.deadline, remaining: context.remaining() };
}
