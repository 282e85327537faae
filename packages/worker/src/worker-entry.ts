/**
 * The script each worker thread runs: it waits for task requests from the host, runs them
 * one at a time with `executeTaskRequest` (so `taskSignal()` works anywhere in the task),
 * aborts the running task's signal when the host asks, and reports anything thrown outside
 * the task before the thread exits.
 */
import { parentPort } from 'node:worker_threads';
import {
  abortRunningTask,
  type CompactTaskRequest,
  executeTaskRequest,
  loadTaskFunction,
  postTaskResponse,
  serializeThrown,
  TaskDefinitions,
  type TaskRequest,
  type TaskResponse,
} from '@timebox/core/strategy-kit';
import type { AbortMessage, HostMessage, PreloadMessage, WorkerEvent } from './wire-messages.js';

const port = parentPort;
if (port === null) {
  throw new Error(
    '@timebox/worker: the worker entry runs only in a worker thread started by workerStrategy()',
  );
}
const host = port;

const abortReceived: WorkerEvent = { event: 'abort-received' };
const definitions = new TaskDefinitions();
host.on('message', (message: HostMessage) => {
  if (isControl(message)) {
    if (message.control === 'abort') {
      abortRunningTask(message.request);
      host.postMessage(abortReceived);
    } else {
      preload(message.requests);
    }
    return;
  }
  executeTaskRequest(definitions.expand(message as TaskRequest | CompactTaskRequest)).then(
    postResponse,
  );
});

function isControl(message: HostMessage): message is AbortMessage | PreloadMessage {
  return !Array.isArray(message) && 'control' in message;
}

/** Imports modules of module tasks ahead of need; a module that fails is left for its task. */
function preload(requests: readonly TaskRequest[]): void {
  for (const { taskName, run } of requests) {
    if (run.kind !== 'module') continue;
    const reference =
      run.exportName === undefined
        ? { module: run.specifier }
        : { module: run.specifier, export: run.exportName };
    loadTaskFunction(taskName, reference).catch(() => {});
  }
}

function postResponse(response: TaskResponse): void {
  postTaskResponse((message) => host.postMessage(message), response);
}

process.on('uncaughtException', (error) => {
  try {
    const report: WorkerEvent = { event: 'uncaught-exception', error: serializeThrown(error) };
    host.postMessage(report);
  } finally {
    process.exit(1);
  }
});

// Runs the task path once before saying ready, so that the first real task (on a spare
// replacing a terminated worker, say) does not pay for compiling it.
const warmUp: TaskRequest = {
  taskName: 'worker warm-up',
  run: { kind: 'source', source: '() => 0' },
  args: [],
};
const ready: WorkerEvent = { event: 'ready' };
executeTaskRequest(warmUp).then(() => host.postMessage(ready));
