import { readFileSync } from 'node:fs';
// Module tasks for the worker strategy's tests. Shared memory layout used by several:
// index 0 = started flag, 1 = counter / marker, 2 = abort reason code, 3 = release flag.
import { threadId } from 'node:worker_threads';
import { taskSignal } from '@timebox/core';

const STARTED = 0;
const COUNTER = 1;
const ABORT_REASON = 2;
const RELEASE = 3;

function markStarted(view) {
  Atomics.store(view, STARTED, 1);
  Atomics.notify(view, STARTED);
}

/** Resolves with the sum of its arguments. */
export function add(left, right) {
  return left + right;
}

/** Says which thread ran it and when that thread started (its performance.timeOrigin). */
export function whereAmI() {
  return { threadId, threadStartedAt: performance.timeOrigin };
}

/** Returns the worker's value of an environment variable. */
export function readEnvironment(name) {
  return process.env[name] ?? null;
}

/** Marks the start, then counts up forever in shared memory without yielding. */
export function spinCounting(shared) {
  const view = new Int32Array(shared);
  markStarted(view);
  for (;;) {
    Atomics.add(view, COUNTER, 1);
    Atomics.notify(view, COUNTER);
  }
}

/** Busy for `milliseconds` of wall time, then resolves with 'done'. */
export function busyFor(milliseconds) {
  const end = performance.now() + milliseconds;
  while (performance.now() < end) {
    // keep the thread busy
  }
  return 'done';
}

/** Marks the start, then blocks its thread until the host stores 1 at RELEASE. */
export function holdUntilReleased(shared) {
  const view = new Int32Array(shared);
  markStarted(view);
  Atomics.wait(view, RELEASE, 0);
  return 'released';
}

/** Marks in shared memory that it ran. */
export function markRan(shared) {
  const view = new Int32Array(shared);
  Atomics.store(view, COUNTER, 1);
  Atomics.notify(view, COUNTER);
  return 'ran';
}

/**
 * Listens to its signal, marks the start, and when the signal aborts records the reason
 * (1 = TaskTimeoutError, 2 = TaskAbortedError, 3 = other) and stops after a few ms.
 */
export function stopWhenAborted(shared) {
  const signal = taskSignal();
  const view = new Int32Array(shared);
  markStarted(view);
  return new Promise((resolve) => {
    const stop = () => {
      const name = signal.reason?.name;
      const code = name === 'TaskTimeoutError' ? 1 : name === 'TaskAbortedError' ? 2 : 3;
      Atomics.store(view, ABORT_REASON, code);
      Atomics.notify(view, ABORT_REASON);
      setTimeout(() => resolve('stopped'), 5);
    };
    if (signal.aborted) stop();
    else signal.addEventListener('abort', stop);
  });
}

/** Ignores its signal but yields every millisecond, counting its turns in shared memory. */
export async function ignoreAbortButYield(shared) {
  const view = new Int32Array(shared);
  markStarted(view);
  for (;;) {
    await new Promise((resolve) => setTimeout(resolve, 1));
    Atomics.add(view, COUNTER, 1);
    Atomics.notify(view, COUNTER);
  }
}

/** A task error thrown from a timer, outside the task's promise chain. */
export class TimerError extends Error {
  constructor(message) {
    super(message);
    this.name = 'TimerError';
    this.code = 'E_TIMER';
  }
}

/** Throws from a timer while the task waits forever. */
export function throwFromTimer() {
  setTimeout(() => {
    throw new TimerError('thrown from a timer');
  }, 1);
  return new Promise(() => {});
}

/** Allocates until the thread runs out of memory. */
export function allocateForever() {
  const kept = [];
  for (;;) kept.push(new Array(100_000).fill(kept.length));
}

/** Resolves with a value that holds a function, which cannot be cloned. */
export function returnHandler() {
  return { ok: true, handler: () => 'not cloneable' };
}

/** Whether taskSignal() works in a module task, and its state. */
export function signalState() {
  const signal = taskSignal();
  return { aborted: signal.aborted };
}

/** Marks the start, waits `milliseconds` with its event loop free, then spins forever. */
export async function yieldThenSpin(shared, milliseconds) {
  const view = new Int32Array(shared);
  markStarted(view);
  await new Promise((resolve) => setTimeout(resolve, milliseconds));
  for (;;) {
    Atomics.add(view, COUNTER, 1);
  }
}

/** Settles at once but leaves a timer that throws `delay` ms later, outside any task. */
export function settleThenThrowLater(delay) {
  setTimeout(() => {
    throw new TimerError('left behind by an earlier task');
  }, delay);
  return 'settled';
}

/** Reads a file synchronously: on a FIFO with no writer, the thread blocks in open(). */
export function readFileBlocking(path) {
  return readFileSync(path, 'utf8');
}
