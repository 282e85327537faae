/**
 * The module a web worker runs: it waits for task requests from the host, runs them one at
 * a time with `executeTaskRequest` (so `taskSignal()` works anywhere in the task), aborts
 * the running task's signal when the host asks (and says it did), imports modules ahead of
 * need on a spare, and reports anything thrown outside the task. Built with
 * `@timebox/core` inside, so that it loads without a bundler or import map.
 */
import {
  abortRunningTask,
  executeTaskRequest,
  postTaskResponse,
  preloadTaskModules,
  serializeThrown,
  strayCallbackTask,
  type TaskRequest,
  trackTaskTimerCallbacks,
} from '@timebox/core/strategy-kit';
import type { HostMessage, MeasuredResponse, WorkerEvent } from './wire-messages.js';

/** The part of a dedicated worker's global scope this entry uses. */
interface WorkerScope {
  postMessage(message: unknown): void;
  addEventListener(type: 'message', listener: (event: MessageEvent<HostMessage>) => void): void;
  addEventListener(type: 'error', listener: (event: ErrorEvent) => void): void;
  addEventListener(
    type: 'unhandledrejection',
    listener: (event: PromiseRejectionEvent) => void,
  ): void;
}

const scope = globalThis as unknown as WorkerScope;

const abortReceived: WorkerEvent = { event: 'abort-received' };
const preloaded: WorkerEvent = { event: 'preloaded' };
scope.addEventListener('message', (event) => {
  const message = event.data;
  if ('control' in message) {
    if (message.control === 'abort') {
      abortRunningTask(message.request);
      scope.postMessage(abortReceived);
    } else {
      preloadTaskModules(message.requests).then(() => scope.postMessage(preloaded));
    }
    return;
  }
  const startedAt = performance.now();
  executeTaskRequest(message).then((response) =>
    postResponse({ ...response, ranFor: performance.now() - startedAt }),
  );
});

function postResponse(response: MeasuredResponse): void {
  postTaskResponse((message) => scope.postMessage(message), response);
}

function reportUncaught(error: unknown): void {
  const report: WorkerEvent = { event: 'uncaught-exception', error: serializeThrown(error) };
  scope.postMessage(report);
}
trackTaskTimerCallbacks();
scope.addEventListener('error', (event) => {
  const strayFrom = strayCallbackTask(event.error);
  if (strayFrom !== undefined) {
    // Handled here, so that the host's Worker hears no error event for it.
    event.preventDefault();
    const stray: WorkerEvent = {
      event: 'stray-error',
      taskName: strayFrom,
      error: serializeThrown(event.error),
    };
    scope.postMessage(stray);
    return;
  }
  reportUncaught(event.error ?? event.message);
});
scope.addEventListener('unhandledrejection', (event) => reportUncaught(event.reason));

// Runs the task path once before saying ready, so that the first real task does not pay
// for compiling it.
const warmUp: TaskRequest = {
  taskName: 'web-worker warm-up',
  run: { kind: 'source', source: '() => 0' },
  args: [],
};
const ready: WorkerEvent = { event: 'ready' };
executeTaskRequest(warmUp).then(() => scope.postMessage(ready));
