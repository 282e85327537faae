/**
 * The program each child process runs: it waits for tasks from the host over IPC, runs one
 * at a time with `executeTaskRequest` (so `taskSignal()` works anywhere in the task),
 * aborts the task's signal when the host says so, and ends itself with everything it
 * started when the host goes away.
 */
import { createRequire } from 'node:module';
import {
  abortRunningTask,
  executeTaskRequest,
  preloadTaskModules,
  prepareTaskModule,
  serializeThrown,
  strayCallbackTask,
  type TaskRequest,
  type TaskResponse,
  trackTaskTimerCallbacks,
} from '@timebox/core/strategy-kit';
import { endOnTerminate } from './end-on-terminate.js';
import { killOwnProcessTree } from './kill-own-process-tree.js';
import { type ChildMessage, isHostMessage } from './messages.js';
import { startParentWatchdog } from './parent-watchdog.js';
import { pendingOutputWritten } from './pending-output-flush.js';
import { limitPendingOutput } from './pending-output-limit.js';
import { rememberProcessState } from './process-state-reset.js';

const uncaughtExitCode = 1;
/** The longest a result waits for the task's output to be written before it is sent. */
const outputFlushWaitMs = 500;
let runningId: number | undefined;
let restoreProcessState: () => void = () => {};

function send(message: ChildMessage, callback?: (error: Error | null) => void): void {
  process.send?.(message, undefined, undefined, callback);
}

async function runTask(id: number, request: TaskRequest): Promise<void> {
  runningId = id;
  const startedAt = performance.now();
  await prepareTaskModule(request, createRequire);
  const response = await executeTaskRequest(request, 'process');
  const ranFor = performance.now() - startedAt;
  await pendingOutputWritten(outputFlushWaitMs);
  if (runningId === id) runningId = undefined;
  try {
    send({ type: 'settled', id, response, ranFor });
  } catch (error) {
    send({ type: 'settled', id, response: unsendable(response, error), ranFor });
  }
  // After the response has gone (off the round trip's path), before any next message.
  restoreProcessState();
}

/** The response to send when the first one cannot be serialized. */
function unsendable(response: TaskResponse, error: unknown): TaskResponse {
  const subject = response.outcome === 'rejected' ? 'error' : 'result';
  return {
    outcome: 'unserializable',
    subject,
    path: subject,
    reason: `it cannot be serialized for the trip to the host process: ${(error as Error)?.message ?? String(error)}`,
  };
}

if (process.send === undefined) {
  throw new Error('This module is the child side of @timebox/process and must be started by it.');
}

// argv: the host's pid, then the most output bytes that may wait to be written per stream.
const maxPendingOutput = Number(process.argv[3] ?? Infinity);
limitPendingOutput(process.stdout, 'stdout', maxPendingOutput);
limitPendingOutput(process.stderr, 'stderr', maxPendingOutput);
endOnTerminate();
process.on('disconnect', killOwnProcessTree);
trackTaskTimerCallbacks();
process.on('uncaughtException', (error) => {
  const strayFrom = strayCallbackTask(error);
  if (strayFrom !== undefined) {
    send({ type: 'stray', taskName: strayFrom, error: serializeThrown(error) });
    return;
  }
  const exit = (): never => process.exit(uncaughtExitCode);
  try {
    send({ type: 'uncaught', error: serializeThrown(error) }, exit);
  } catch {
    exit();
  }
  setTimeout(exit, 1_000).unref();
});
process.on('message', (message) => {
  if (!isHostMessage(message)) return;
  if (message.type === 'run') {
    void runTask(message.id, message.request);
  } else if (message.type === 'preload') {
    void preload(message.requests);
  } else if (message.id === runningId) {
    abortRunningTask(message.abort);
  }
});

/**
 * Imports modules of module tasks ahead of need (a spare), then tells the host they are
 * loaded. What their top-level code changed in the process is part of the state every
 * task starts from.
 */
async function preload(requests: readonly TaskRequest[]): Promise<void> {
  await preloadTaskModules(requests, (request) => prepareTaskModule(request, createRequire));
  restoreProcessState = rememberProcessState();
  send({ type: 'preloaded' });
}
// Every task starts from the state the child had when it became ready.
restoreProcessState = rememberProcessState();
// The host passes its pid: if it died while this process started, the parent is already
// someone else and the watchdog ends this process at its first look.
const hostPid = Number(process.argv[2]) || process.ppid;
startParentWatchdog(hostPid);
// Runs the task path once before saying ready, so that the first real task (on a spare
// replacing a killed process, say) does not pay for compiling it, nor for loading Node's
// lazy `performance` global (1–5 ms on its first use, measured in a spare here): the
// warm-up's limit makes its task context read the clock, as every real task's does.
const warmUp: TaskRequest = {
  taskName: 'process warm-up',
  run: { kind: 'source', source: '() => 0' },
  args: [],
  timeout: 1_000,
};
executeTaskRequest(warmUp, 'process').then(() => send({ type: 'ready' }));
