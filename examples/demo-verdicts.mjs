// How the demo judges what it measured: each function takes measured numbers and returns a
// verdict, `{ ok, text }`, whose text prints the measurement next to the threshold it was
// judged by. Nothing here measures; the demo measures and these functions judge, so a bad
// measurement always prints a bad verdict.
import { readFileSync } from 'node:fs';

/**
 * The event-loop delay (ms) under which the host counts as responsive: a delay a person
 * would not notice, and a third of the 300 ms that a runaway loop on the host's own thread
 * would block it for.
 */
export const hostDelayThresholdMs = 100;

/** How far past its limit (ms of running time) a timed-out task may run and still count as on time. */
export const pastLimitBoundMs = 50;

/** How soon after the error (ms) a hard-stopped task, and what it started, must be gone. */
export const stoppedBoundMs = 1_000;

/**
 * @typedef {object} Verdict
 * @property {boolean} ok whether the measurement met its threshold
 * @property {string} text the measurement, the threshold, and the judgement, for a reader
 */

/**
 * Judges the largest event-loop delay the host saw while tasks ran.
 * @param {number} maxDelayMs the largest delay measured, in milliseconds
 * @param {number} [thresholdMs] the largest delay that still counts as responsive
 * @returns {Verdict}
 */
export function judgeHostDelay(maxDelayMs, thresholdMs = hostDelayThresholdMs) {
  const delay = Math.round(maxDelayMs);
  return maxDelayMs < thresholdMs
    ? {
        ok: true,
        text: `The host stayed responsive: its largest event-loop delay was ${delay} ms, under the ${thresholdMs} ms threshold.`,
      }
    : {
        ok: false,
        text: `The host was NOT responsive: its largest event-loop delay was ${delay} ms, at or over the ${thresholdMs} ms threshold.`,
      };
}

/**
 * Judges a timeout: how long the task ran past its limit (the strategy measures the running
 * time from the moment the task started executing), and what the caller waited in all.
 * @param {{ limitMs: number, ranMs: number, callToErrorMs: number }} measured the task's
 *   limit, its running time when it was stopped (`TaskTimeoutError.elapsed`), and the time
 *   from the call to the error (running time plus the runner's start-up)
 * @param {number} [boundMs] how far past its limit a task may run and still count as on time
 * @returns {Verdict}
 */
export function judgeTimeout({ limitMs, ranMs, callToErrorMs }, boundMs = pastLimitBoundMs) {
  const past = Math.round(ranMs - limitMs);
  const startUp = Math.max(0, Math.round(callToErrorMs - ranMs));
  const ok = ranMs >= limitMs && ranMs - limitMs <= boundMs;
  const judgement = ok
    ? `within the ${boundMs} ms bound`
    : ranMs < limitMs
      ? 'BEFORE its limit'
      : `OVER the ${boundMs} ms bound`;
  return {
    ok,
    text: `timed out after ${Math.round(ranMs)} ms of running, ${past} ms past its ${limitMs} ms limit (${judgement}); the caller waited ${Math.round(callToErrorMs)} ms, ${startUp} ms of it before the task started`,
  };
}

/**
 * Judges a task that finished: it must have finished within its limit.
 * @param {{ limitMs: number, tookMs: number }} measured the task's limit and how long the call took
 * @returns {Verdict}
 */
export function judgeFinished({ limitMs, tookMs }) {
  const took = Math.round(tookMs);
  return tookMs <= limitMs
    ? { ok: true, text: `finished in ${took} ms, within its ${limitMs} ms limit` }
    : { ok: false, text: `finished in ${took} ms, OVER its ${limitMs} ms limit` };
}

/**
 * Judges how soon after the error a stopped task (and what it started) was gone.
 * @param {number | undefined} goneAfterMs milliseconds from the error until it was gone, or
 *   `undefined` when it was still running when the demo stopped looking
 * @param {string} what what had to stop, e.g. "the worker thread"
 * @param {number} [boundMs] how soon it must be gone
 * @returns {Verdict}
 */
export function judgeStopped(goneAfterMs, what, boundMs = stoppedBoundMs) {
  if (goneAfterMs === undefined) {
    return { ok: false, text: `NO: ${what} still running (bound ${boundMs} ms)` };
  }
  const after = Math.round(goneAfterMs);
  return goneAfterMs <= boundMs
    ? { ok: true, text: `yes: ${what} gone ${after} ms after the error (bound ${boundMs} ms)` }
    : {
        ok: false,
        text: `LATE: ${what} gone only ${after} ms after the error (bound ${boundMs} ms)`,
      };
}

/**
 * Reads a process's state letter from the text of `/proc/<pid>/stat` (`R`, `S`, `Z`…).
 * The command name in parentheses may itself hold spaces and parentheses, so the state is
 * read after the last `)`.
 * @param {string} statText the contents of `/proc/<pid>/stat`
 * @returns {string} the state letter
 */
export function processStateFromStat(statText) {
  const afterName = statText.slice(statText.lastIndexOf(')') + 2);
  return afterName.split(' ')[0] ?? '';
}

/**
 * Whether a process is still running. A zombie (state `Z`: it has exited, its parent has
 * not yet collected it) counts as gone. Reads `/proc` where there is one; elsewhere asks
 * the system with signal 0, which cannot tell a zombie apart.
 * @param {number} pid the process id
 * @returns {boolean}
 */
export function isProcessRunning(pid) {
  let statText;
  try {
    statText = readFileSync(`/proc/${pid}/stat`, 'utf8');
  } catch (error) {
    if (error?.code !== 'ENOENT' || !hasProcFileSystem()) return signalReachesProcess(pid);
    return false;
  }
  return processStateFromStat(statText) !== 'Z';
}

function hasProcFileSystem() {
  try {
    readFileSync('/proc/self/stat', 'utf8');
    return true;
  } catch {
    return false;
  }
}

function signalReachesProcess(pid) {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}
