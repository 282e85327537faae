/**
 * The script each worker thread runs: it waits for task requests from the host, runs them
 * one at a time with `executeTaskRequest` (so `taskSignal()` works anywhere in the task),
 * aborts the running task's signal when the host asks, and reports anything thrown outside
 * the task before the thread exits.
 */
import { parentPort } from 'node:worker_threads';
import {
  abortRunningTask,
  executeTaskRequest,
  postTaskResponse,
  preloadTaskModules,
  serializeThrown,
  type TaskRequest,
  type TaskResponse,
} from '@timebox/core/strategy-kit';
import type { HostMessage, WorkerEvent } from './wire-messages.js';

const port = parentPort;
if (port === null) {
  throw new Error(
    '@timebox/worker: the worker entry runs only in a worker thread started by workerStrategy()',
  );
}
const host = port;

const abortReceived: WorkerEvent = { event: 'abort-received' };
host.on('message', (message: HostMessage) => {
  if ('control' in message) {
    if (message.control === 'abort') {
      abortRunningTask(message.request);
      host.postMessage(abortReceived);
    } else {
      preloadTaskModules(message.requests);
    }
    return;
  }
  executeTaskRequest(message).then(postResponse);
});

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
