import type { RuntimeContext } from '@timebox/core';

/**
 * Why worker threads cannot be started in `context`, in words; `undefined` when they can
 * or when the context does not say.
 */
export function workersDisallowedReason(context: RuntimeContext): string | undefined {
  if (context.workersAllowed !== false) return undefined;
  if (context.workerThreadsAvailable === false) {
    return `worker threads are not available here: the ${runtimeLabel(context)} has no worker_threads module`;
  }
  if (context.permissionModel === true) {
    return "worker threads are not allowed here: Node's permission model is on and does not grant them (start Node with --allow-worker)";
  }
  return 'worker threads are not allowed here';
}

/**
 * Why child processes cannot be started in `context`, in words; `undefined` when they can
 * or when the context does not say.
 */
export function childProcessesDisallowedReason(context: RuntimeContext): string | undefined {
  if (context.childProcessesAllowed !== false) return undefined;
  if (context.childProcessAvailable === false) {
    return `child processes are not available here: the ${runtimeLabel(context)} has no child_process module`;
  }
  if (context.permissionModel === true) {
    return "child processes are not allowed here: Node's permission model is on and does not grant them (start Node with --allow-child-process)";
  }
  if (context.runtime === 'deno') {
    return "child processes are not allowed here: Deno's run permission is not granted (--allow-run)";
  }
  return 'child processes are not allowed here';
}

/**
 * Why a thread-based strategy cannot enforce a hard limit in `context` (its runtime cannot
 * stop a thread busy in synchronous code), in words; `undefined` when it can or when the
 * context does not say.
 */
export function threadsUnstoppableReason(context: RuntimeContext): string | undefined {
  if (context.threadTerminationStopsBusyThreads !== false) return undefined;
  return `the ${runtimeLabel(context)} cannot stop a thread that is busy in synchronous code (Worker.terminate() leaves it running), so a thread cannot enforce a hard limit here`;
}

/**
 * Why Web Workers cannot be used in `context`, in words; `undefined` when they can or when
 * the context does not say.
 */
export function webWorkersUnavailableReason(context: RuntimeContext): string | undefined {
  if (context.webWorkersAvailable !== false) return undefined;
  return `Web Workers are not available here: the ${runtimeLabel(context)} has no Worker global`;
}

function runtimeLabel(context: RuntimeContext): string {
  const runtime = typeof context.runtime === 'string' ? context.runtime : 'unknown';
  return runtime === 'unknown' ? 'runtime' : `${runtime} runtime`;
}
