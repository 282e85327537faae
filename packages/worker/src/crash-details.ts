import type { ResourceLimits } from 'node:worker_threads';
import type { CrashReason } from '@timebox/core';

/** A sentence for `TaskCrashedError`'s `detail`: what ended the worker thread. */
export function crashDetail(
  reason: CrashReason,
  cause: unknown,
  exitCode: number | undefined,
  resourceLimits: ResourceLimits | undefined,
): string {
  switch (reason) {
    case 'exit':
      return `the worker thread ended with exit code ${exitCode} while the task ran; process.exit() in the task does this`;
    case 'out-of-memory':
      return `the worker thread's JavaScript heap reached its limit and Node stopped it (ERR_WORKER_OUT_OF_MEMORY)${resourceLimits === undefined ? '' : `; resourceLimits: ${JSON.stringify(resourceLimits)}`}`;
    case 'uncaught-exception':
      return `${describeError(cause)} was thrown outside the task's promise chain (from a timer or an event handler, say), which ends the worker thread`;
    case 'spawn-failed':
      return cause === undefined
        ? `the worker thread could not start: it exited with code ${exitCode} before it was ready`
        : `the worker thread could not start: ${describeError(cause)}`;
    default:
      return `the worker thread ended (${reason})`;
  }
}

function describeError(error: unknown): string {
  if (error instanceof Error) return `${error.name}: ${error.message}`;
  return String(error);
}
