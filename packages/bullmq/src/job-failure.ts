import { UnrecoverableError } from 'bullmq';
import {
  isTaskAbortedError,
  isTaskCrashedError,
  isTaskTimeoutError,
  isTimeboxError,
  type TimeboxError,
} from 'timebox';
import { recordFailureInStack } from './failure-record.js';
import type { UnrecoverableFailure } from './timebox-processor-options.js';

/**
 * What the processor throws for a failed run. A timebox error gets its name and fields
 * written into its stack, and, when its kind is listed in `unrecoverable`, is wrapped in
 * BullMQ's `UnrecoverableError` (same message, the original as `cause`, the annotated stack)
 * so that BullMQ fails the job without a retry. Anything else (the task's own error) passes
 * through untouched, so BullMQ's own error names (`UnrecoverableError`, `DelayedError`…)
 * thrown by a task keep their meaning.
 */
export function jobFailure(
  error: unknown,
  unrecoverable: ReadonlySet<UnrecoverableFailure>,
): unknown {
  if (!isTimeboxError(error)) return error;
  recordFailureInStack(error);
  const kind = failureKind(error);
  if (kind === undefined || !unrecoverable.has(kind)) return error;
  const wrapper = new UnrecoverableError(error.message);
  Object.defineProperty(wrapper, 'cause', {
    value: error,
    writable: true,
    configurable: true,
    enumerable: false,
  });
  const stack = error.stack ?? '';
  const header = `${error.name}: ${error.message}`;
  wrapper.stack = `${wrapper.name}: ${error.message}${stack.startsWith(header) ? stack.slice(header.length) : `\n${stack}`}`;
  return wrapper;
}

function failureKind(error: TimeboxError): UnrecoverableFailure | undefined {
  if (isTaskTimeoutError(error)) return 'timeout';
  if (isTaskAbortedError(error)) return 'abort';
  if (isTaskCrashedError(error)) return 'crash';
  return undefined;
}
