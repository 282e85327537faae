import {
  type AnyTask,
  isModuleReference,
  isTaskSerializationError,
  type TaskSerializationError,
} from '@timebox/core';
import { defineRule } from '@timebox/select';

/** Functions seen reading a variable from their enclosing scope, with the reason given then. */
const knownClosures = new WeakMap<Function, string>();

/**
 * Whether `error` says that `task`'s inline function read a variable from its enclosing
 * scope when it ran in a worker thread or child process: a `TaskSerializationError` about
 * the function whose cause is a `ReferenceError`.
 */
export function isClosureError(task: AnyTask, error: unknown): error is TaskSerializationError {
  return (
    !isModuleReference(task.run) &&
    isTaskSerializationError(error) &&
    error.subject === 'function' &&
    error.path === 'run' &&
    (error.cause as { name?: unknown } | undefined)?.name === 'ReferenceError'
  );
}

/** Remembers that `task`'s function is a closure, so that later selections skip hard strategies. */
export function rememberClosure(task: AnyTask, reason: string): void {
  if (!isModuleReference(task.run)) knownClosures.set(task.run as Function, reason);
}

/**
 * A rule asked before the defaults: a task whose function was seen reading a variable from
 * its enclosing scope goes straight to the thread strategy, with a warning, instead of
 * failing in a worker again.
 */
export const knownClosureRule = defineRule('known-closure', (task, _context, situation) => {
  if (situation.timeout === Infinity || isModuleReference(task.run)) return undefined;
  const reason = knownClosures.get(task.run as Function);
  if (reason === undefined) return undefined;
  const why = `it is not self-contained, as an earlier run in another thread showed: ${reason}`;
  situation.passOver('worker', why);
  situation.passOver('process', why);
  return {
    strategy: 'thread',
    reason: `task '${task.name}' runs on the calling thread under a soft timeout, because ${why}`,
    warning: softClosureWarning(task.name, why),
  };
});

/** The warning for a closure that runs under a soft timeout. */
export function softClosureWarning(taskName: string, why: string): string {
  return `task '${taskName}' gets only a soft timeout: ${why}. At its deadline the caller gets a TaskTimeoutError, but the task is not stopped.`;
}
