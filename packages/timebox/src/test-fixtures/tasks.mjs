// Module tasks for the timebox tests: each reports where it ran, or never ends.
const workerThreads = process.getBuiltinModule('node:worker_threads');

/** Where the task ran: process id and thread id. */
export function whereAmI() {
  return { pid: process.pid, threadId: workerThreads.threadId };
}

/** A synchronous loop that never yields: only a hard strategy can stop it. */
export function runaway() {
  for (;;) {
    // spin
  }
}

/**
 * Leaves a timer behind that adds 1 to `shared[0]` every 5 ms for as long as its thread
 * lives, and returns the thread's id: the count stops only when the thread is gone.
 */
export function heartbeat(shared) {
  const beats = new Int32Array(shared);
  setInterval(() => {
    Atomics.add(beats, 0, 1);
    Atomics.notify(beats, 0);
  }, 5);
  return workerThreads.threadId;
}
