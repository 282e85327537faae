// Task modules for the browser tests, served as they are (not through vite): plain
// JavaScript without imports, loaded by the worker entry with import().

/** Adds two numbers. */
export function add(left, right) {
  return left + right;
}

/** Doubles a number (the default export). */
export default function double(value) {
  return value * 2;
}

/** Throws an error with a subclass, a cause and own fields. */
export function failsWithDetails() {
  class QuotaError extends RangeError {}
  throw Object.assign(new QuotaError('over quota', { cause: new Error('disk full') }), {
    code: 'E_QUOTA',
    limit: 10,
  });
}

/** Spins forever in synchronous code; says on `channelName` that it started. */
export function spin(channelName) {
  if (channelName) new BroadcastChannel(channelName).postMessage('started');
  for (;;) {}
}
