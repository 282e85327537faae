// The functions the queue tests' jobs run, inside a worker thread or child process under
// the timebox processor, or directly on the event loop under a plain BullMQ processor.
import { writeFileSync } from 'node:fs';
import { threadId } from 'node:worker_threads';

/** Squares `data.n`. */
export function square(data) {
  return data.n * data.n;
}

/** Keeps the CPU busy for `data.ms` milliseconds, then returns 'spun': a runaway when long. */
export function spin(data) {
  const end = Date.now() + data.ms;
  while (Date.now() < end) {
    // busy: nothing on this thread can interrupt the loop
  }
  return 'spun';
}

/**
 * Writes `{ pid, threadId }` of the thread running it to `data.file`, then spins for
 * `data.ms`: tests wait for the file to know the job has started, and where.
 */
export function spinAndReport(data) {
  writeFileSync(data.file, JSON.stringify({ pid: process.pid, threadId }));
  return spin(data);
}

/** Ends the thread or process it runs in with exit code 7. */
export function crash() {
  process.exit(7);
}

/** Throws the task's own error, with the name and message the job asks for. */
export function fail(data) {
  const error = new Error(data.message);
  error.name = data.name ?? 'Error';
  throw error;
}
