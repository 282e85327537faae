import { deserializeThrown } from '../codec/deserialize-thrown.js';
import { type CloneBoundary, findUncloneable } from '../codec/find-uncloneable.js';
import { serializeThrown } from '../codec/serialize-thrown.js';
import { StrategyClosedError } from '../errors/strategy-closed-error.js';
import { TaskAbortedError } from '../errors/task-aborted-error.js';
import { TaskTimeoutError } from '../errors/task-timeout-error.js';
import type { TaskFunction } from '../task.js';
import { setCurrentTaskContext, TaskContext, taskSignal } from '../task-context.js';
import { loadedModuleFunction, loadModuleFunction } from './loaded-modules.js';
import type { AbortRequest, TaskRequest, TaskResponse, WireTaskRun } from './task-request.js';

const compiledSources = new Map<string, TaskFunction>();
const maximumCompiledSources = 256;
/** Each wire run's function once loaded: a definition's run object is the same on every request. */
const loadedFunctions = new WeakMap<WireTaskRun, TaskFunction>();
let runningContext: TaskContext | undefined;

/** The task this thread (or process) runs now, if one is running. */
export function runningTaskContext(): TaskContext | undefined {
  return runningContext;
}

/**
 * Runs one task request on this thread (inside a worker or child process), with its
 * context current so that `taskSignal()` works anywhere in the task, and returns a
 * response that can be posted back: the result (checked to be cloneable), the error
 * (serialized with name, stack, cause and fields), or what could not cross. An inline
 * function that reads a variable from its enclosing scope is reported as such.
 * Inline functions get `taskSignal` as a free identifier; module functions are imported
 * once per thread and kept. `boundary` says what the result must cross back: a thread's
 * (default) or a process's. The request's `timeout` becomes the context's deadline, so
 * that tasks run from this one are capped by it.
 */
export function executeTaskRequest(
  request: TaskRequest,
  boundary: CloneBoundary = 'thread',
): Promise<TaskResponse> {
  return new Promise((resolve) => runTaskRequest(request, resolve, boundary));
}

/**
 * {@link executeTaskRequest} with a callback: `respond` gets the response, in the same turn
 * when the task's function is already loaded and returns a plain value (no promise is made
 * for such a task), later otherwise. `respond` is called exactly once and must not throw.
 */
export function runTaskRequest(
  request: TaskRequest,
  respond: (response: TaskResponse) => void,
  boundary: CloneBoundary = 'thread',
): void {
  const context = new TaskContext(
    request.taskName,
    request.timeout === undefined ? Infinity : performance.now() + request.timeout,
  );
  runningContext = context;
  setCurrentTaskContext(context);
  const run = request.run;
  let loaded = loadedFunctions.get(run);
  if (loaded === undefined && run.kind === 'module') {
    // Imported already for another request of the task (a spare's preload, say).
    loaded = loadedModuleFunction(run);
    if (loaded !== undefined) loadedFunctions.set(run, loaded);
  }
  if (loaded === undefined) {
    resolveFunction(request).then(
      (run) => {
        loadedFunctions.set(request.run, run);
        callTask(context, request, run, respond, boundary);
      },
      (error: unknown) => respond(finish(context, request, { threw: error }, boundary)),
    );
    return;
  }
  callTask(context, request, loaded, respond, boundary);
}

/** A task's end: what it returned, or what it threw. */
type TaskEnd = { readonly value: unknown } | { readonly threw: unknown };

function callTask(
  context: TaskContext,
  request: TaskRequest,
  run: TaskFunction,
  respond: (response: TaskResponse) => void,
  boundary: CloneBoundary,
): void {
  let value: unknown;
  try {
    value = run(...request.args);
    if (isThenable(value)) {
      Promise.resolve(value).then(
        (settled) => respond(finish(context, request, { value: settled }, boundary)),
        (error: unknown) => respond(finish(context, request, { threw: error }, boundary)),
      );
      return;
    }
  } catch (error) {
    respond(finish(context, request, { threw: error }, boundary));
    return;
  }
  respond(finish(context, request, { value }, boundary));
}

/** Whether a task's return value is a promise (or another thenable) to wait for. */
function isThenable(value: unknown): boolean {
  return (
    value !== null &&
    (typeof value === 'object' || typeof value === 'function') &&
    typeof (value as { then?: unknown }).then === 'function'
  );
}

/** The task ended: its context is no longer current, and its response is built. */
function finish(
  context: TaskContext,
  request: TaskRequest,
  end: TaskEnd,
  boundary: CloneBoundary,
): TaskResponse {
  if (runningContext === context) {
    runningContext = undefined;
    setCurrentTaskContext(undefined);
  }
  if ('value' in end) {
    const uncloneable = findUncloneable(end.value, 'result', boundary);
    if (uncloneable) return { outcome: 'unserializable', subject: 'result', ...uncloneable };
    return { outcome: 'fulfilled', value: end.value };
  }
  const error = end.threw;
  const closureVariable =
    request.run.kind === 'source' ? capturedVariable(request.run.source, error) : undefined;
  if (closureVariable !== undefined) {
    return {
      outcome: 'unserializable',
      subject: 'function',
      path: 'run',
      reason: `the inline function reads '${closureVariable}' from its enclosing scope, which does not exist in another thread or process; inline functions must be self-contained (pass values as arguments), or make it a module task ({ module, export })`,
      cause: serializeThrown(error),
    };
  }
  return { outcome: 'rejected', error: serializeThrown(error) };
}

/**
 * Aborts the signal of the task running on this thread, with a real `TaskTimeoutError`,
 * `StrategyClosedError` or `TaskAbortedError` as reason, rebuilt from what the host sent.
 */
export function abortRunningTask(request: AbortRequest): void {
  const context = runningContext;
  if (context === undefined) return;
  context.abort(abortReason(context.taskName, request));
}

async function resolveFunction(request: TaskRequest): Promise<TaskFunction> {
  const run: WireTaskRun = request.run;
  if (run.kind === 'module') return loadModuleFunction(request.taskName, run);
  let compiled = compiledSources.get(run.source);
  if (compiled === undefined) {
    compiled = new Function('taskSignal', `return (${run.source});`)(taskSignal) as TaskFunction;
    if (compiledSources.size >= maximumCompiledSources) compiledSources.clear();
    compiledSources.set(run.source, compiled);
  }
  return compiled;
}

function capturedVariable(source: string, error: unknown): string | undefined {
  if (!(error instanceof ReferenceError)) return undefined;
  const match = /^(\S+) is not defined$/.exec(error.message);
  const name = match?.[1];
  if (name === undefined) return undefined;
  return new RegExp(`(^|[^\\w$.])${name.replace(/\$/g, '\\$')}([^\\w$]|$)`).test(source)
    ? name
    : undefined;
}

/** The error a task's signal aborts with, rebuilt from what the host sent. */
function abortReason(taskName: string, request: AbortRequest): Error {
  switch (request.cause) {
    case 'timeout':
      return new TaskTimeoutError({
        taskName,
        timeout: request.timeout,
        elapsed: request.elapsed,
        strategy: request.strategy,
        enforcement: 'hard',
      });
    case 'closed':
      return new StrategyClosedError({ taskName, strategy: request.strategy, phase: 'running' });
    case 'caller':
      return new TaskAbortedError({
        taskName,
        phase: 'running',
        cause: request.reason === undefined ? undefined : deserializeThrown(request.reason),
      });
  }
}
