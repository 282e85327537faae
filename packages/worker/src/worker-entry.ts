/**
 * The script each worker thread runs: it waits for task requests from the host, runs them
 * one at a time with `executeTaskRequest` (so `taskSignal()` works anywhere in the task),
 * aborts the running task's signal when the host asks, and reports anything thrown outside
 * the task before the thread exits.
 */
import { createRequire } from 'node:module';
import { parentPort, workerData } from 'node:worker_threads';
import {
  abortRunningTask,
  type CompactTaskRequest,
  executeTaskRequest,
  isTypeScriptModule,
  postTaskResponse,
  preloadTaskModules,
  prepareTaskModule,
  prepareTypeScriptLoader,
  runTaskRequest,
  serializeThrown,
  strayCallbackTask,
  TaskDefinitions,
  type TaskRequest,
  type TaskResponse,
  trackTaskTimerCallbacks,
} from '@timebox/core/strategy-kit';
import { PrefetchRing } from './prefetch-ring.js';
import type {
  AbortMessage,
  HostMessage,
  PreloadMessage,
  WorkerEvent,
  WorkerMessage,
  WorkerStartData,
} from './wire-messages.js';

const port = parentPort;
if (port === null) {
  throw new Error(
    '@timebox/worker: the worker entry runs only in a worker thread started by workerStrategy()',
  );
}
const host = port;

/**
 * With a prefetch ring: the tasks the host sent ahead, run one at a time in the order sent.
 * Each is claimed in the ring as it starts (or skipped when the host took it back) and
 * marked ended before its answer is posted.
 */
class HeldTasks {
  readonly #ring: PrefetchRing;
  readonly #held: TaskRequest[] = [];
  /** The ticket of the next request to arrive. */
  #nextTicket = 0;
  /** The ticket of the first request held. */
  #firstHeld = 0;
  /** The ticket of the running task, if one runs. */
  running: number | undefined;

  constructor(ring: PrefetchRing) {
    this.#ring = ring;
  }

  hold(request: TaskRequest): void {
    if (this.#held.length === 0) this.#firstHeld = this.#nextTicket;
    this.#nextTicket++;
    this.#held.push(request);
    if (this.running === undefined) this.#startNext();
  }

  #startNext(): void {
    for (let request = this.#held.shift(); request !== undefined; request = this.#held.shift()) {
      const ticket = this.#firstHeld++;
      if (!this.#ring.claim(ticket)) continue;
      this.running = ticket;
      run(request, (response) => this.#ended(ticket, response));
      return;
    }
  }

  #ended(ticket: number, response: TaskResponse): void {
    this.running = undefined;
    this.#ring.end(ticket);
    postResponse(response);
    this.#startNext();
  }
}

const { typeScriptLoaderFrom, prefetchRing } = (workerData ?? {}) as WorkerStartData;
const abortReceived: WorkerEvent = { event: 'abort-received' };
const definitions = new TaskDefinitions();
const tasks =
  prefetchRing === undefined ? undefined : new HeldTasks(new PrefetchRing(prefetchRing));
host.on('message', (message: HostMessage) => {
  if (isControl(message)) {
    if (message.control === 'abort') {
      if (message.ticket === undefined || tasks?.running === message.ticket) {
        abortRunningTask(message.request);
      }
      host.postMessage(abortReceived);
    } else {
      preload(message.requests);
    }
    return;
  }
  const request = definitions.expand(message as TaskRequest | CompactTaskRequest);
  if (tasks === undefined) run(request, postResponse);
  else tasks.hold(request);
});

/** Runs a task request, after preparing this thread for a TypeScript module when it is one. */
function run(request: TaskRequest, respond: (response: TaskResponse) => void): void {
  if (request.run.kind === 'module' && isTypeScriptModule(request.run.specifier)) {
    prepareTaskModule(request, createRequire).then(() => runTaskRequest(request, respond));
    return;
  }
  runTaskRequest(request, respond);
}

function isControl(message: HostMessage): message is AbortMessage | PreloadMessage {
  return !Array.isArray(message) && 'control' in message;
}

const preloaded: WorkerEvent = { event: 'preloaded' };

/** Imports modules of module tasks ahead of need, then tells the host they are loaded. */
function preload(requests: readonly TaskRequest[]): void {
  preloadTaskModules(requests, (request) => prepareTaskModule(request, createRequire)).then(() =>
    host.postMessage(preloaded),
  );
}

function postResponse(response: TaskResponse): void {
  postTaskResponse((message) => host.postMessage(toWorkerMessage(message)), response);
}

/** A result goes as a one-element array; other responses as they are. */
function toWorkerMessage(response: TaskResponse): WorkerMessage {
  return response.outcome === 'fulfilled' ? [response.value] : response;
}

trackTaskTimerCallbacks();
process.on('uncaughtException', (error) => {
  const strayFrom = strayCallbackTask(error);
  if (strayFrom !== undefined) {
    const stray: WorkerEvent = {
      event: 'stray-error',
      taskName: strayFrom,
      error: serializeThrown(error),
    };
    host.postMessage(stray);
    return;
  }
  try {
    const report: WorkerEvent = { event: 'uncaught-exception', error: serializeThrown(error) };
    host.postMessage(report);
  } finally {
    process.exit(1);
  }
});

// Registers tsx first when the host runs under it (Node 20 does not pass its hooks on to
// worker threads), then runs the task path once before saying ready, so that the first
// real task (on a spare replacing a terminated worker, say) pays for neither.
const warmUp: TaskRequest = {
  taskName: 'worker warm-up',
  run: { kind: 'source', source: '() => 0' },
  args: [],
  // A limit, as every real task has: its task context reads the clock, which loads Node's
  // lazy `performance` global here rather than in the first real task.
  timeout: 1_000,
};
const ready: WorkerEvent = { event: 'ready' };
const loaderReady =
  typeScriptLoaderFrom === undefined
    ? Promise.resolve()
    : prepareTypeScriptLoader(typeScriptLoaderFrom, createRequire);
loaderReady.then(() => executeTaskRequest(warmUp)).then(() => host.postMessage(ready));
