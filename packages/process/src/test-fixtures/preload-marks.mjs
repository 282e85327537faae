// Notes in a file (named by TIMEBOX_TEST_PRELOAD_MARKS) each process that imports it, and
// tells a task whether this process imported it before the task was called.
import { appendFileSync } from 'node:fs';

const loadedAt = Date.now();
const marks = process.env.TIMEBOX_TEST_PRELOAD_MARKS;
if (marks) appendFileSync(marks, `${process.pid}\n`);

/** Which process runs it, and whether that process imported this module before `calledAt`. */
export function loadedBefore(calledAt) {
  return { pid: process.pid, preloaded: loadedAt < calledAt };
}

/** Runs forever. */
export function spin() {
  for (;;) {}
}
