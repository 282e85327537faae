import { assertCloneable } from '../codec/assert-cloneable.js';
import type { CloneBoundary } from '../codec/find-uncloneable.js';
import { TaskSerializationError } from '../errors/task-serialization-error.js';
import { moduleSpecifier } from '../load-task-function.js';
import { type AnyTask, isModuleReference, type Task } from '../task.js';
import { inlineFunctionSource, inlineFunctionSupport } from './inline-function.js';
import type { TaskRequest, WireTaskRun } from './task-request.js';

/**
 * Builds what a worker or child process needs to run `task` with `args`. Throws a
 * `TaskSerializationError` before anything is sent when the function cannot be shipped
 * (native, bound, not compilable alone) or an argument cannot be cloned, naming the path
 * (`args[1].handler`). `boundary` says what the arguments cross: a thread's (default) or a
 * process's. `timeout`, the run's time limit in milliseconds, travels with the request so
 * that tasks the task runs over there are capped by its deadline.
 */
export function createTaskRequest<Args extends unknown[], Result>(
  task: Task<Args, Result>,
  args: Args,
  boundary: CloneBoundary = 'thread',
  timeout?: number,
): TaskRequest {
  const anyTask = task as unknown as AnyTask;
  assertCloneable(anyTask.name, 'argument', args, 'args', boundary);
  const run = wireTaskRun(anyTask);
  return timeout === undefined || timeout === Infinity
    ? { taskName: anyTask.name, run, args }
    : { taskName: anyTask.name, run, args, timeout };
}

/**
 * Each task's wire form, made once (tasks are frozen): the same object on every call, so
 * that a `TaskRequestCompactor` recognises the task.
 */
const wireRuns = new WeakMap<AnyTask, WireTaskRun>();

function wireTaskRun(task: AnyTask): WireTaskRun {
  const made = wireRuns.get(task);
  // A module given as a URL object is checked again: a URL can be changed in place.
  if (made !== undefined && (made.kind === 'source' || isUnchangedModule(task, made))) {
    return made;
  }
  const run = Object.freeze(newWireTaskRun(task));
  wireRuns.set(task, run);
  return run;
}

function isUnchangedModule(task: AnyTask, made: WireTaskRun & { kind: 'module' }): boolean {
  const { module } = task.run as { module: string | URL };
  return typeof module === 'string' || made.specifier === module.href;
}

function newWireTaskRun(task: AnyTask): WireTaskRun {
  if (isModuleReference(task.run)) {
    const specifier = moduleSpecifier(task.run.module);
    return task.run.export === undefined
      ? { kind: 'module', specifier }
      : { kind: 'module', specifier, exportName: task.run.export };
  }
  const support = inlineFunctionSupport(task.run);
  if (!support.supported) {
    throw new TaskSerializationError({
      taskName: task.name,
      subject: 'function',
      path: 'run',
      reason: support.reason,
    });
  }
  return { kind: 'source', source: inlineFunctionSource(task.run) };
}
