import type { TimeoutStrategy } from '@timebox/core';
import {
  type WebWorkerStrategy,
  type WebWorkerStrategyOptions,
  webWorkerStrategy,
} from './index.js';

/** The prebuilt worker entry and task modules, served raw (see vitest.config.ts). */
export const staticWorkerUrl = new URL('/timebox-static/dist/web-worker-entry.js', location.href);
/** The task modules the tests import inside workers. */
export const tasksModuleUrl = new URL('/timebox-static/fixtures/tasks.js', location.href);

/** Strategies a test opened, for `closeStrategies()` in `afterEach`. */
const opened: TimeoutStrategy[] = [];

/** A web-worker strategy on the prebuilt entry, closed by `closeStrategies()`. */
export function openStrategy(options: WebWorkerStrategyOptions = {}): WebWorkerStrategy {
  const strategy = webWorkerStrategy({ workerUrl: staticWorkerUrl, ...options });
  opened.push(strategy);
  return strategy;
}

/** Closes every strategy the test opened. */
export async function closeStrategies(): Promise<void> {
  await Promise.all(opened.splice(0).map((strategy) => strategy.close()));
}

/** The first message on a BroadcastChannel named `name` (tasks in workers post to it). */
export function nextMessage(name: string): Promise<unknown> {
  const channel = new BroadcastChannel(name);
  return new Promise((resolve) => {
    channel.onmessage = (event) => {
      channel.close();
      resolve(event.data);
    };
  });
}

/** A channel name no other test uses. */
export function uniqueChannel(label: string): string {
  return `${label}-${crypto.randomUUID()}`;
}

/** What a promise rejected with; fails when it resolves. */
export async function rejectionOf(promise: Promise<unknown>): Promise<unknown> {
  return promise.then(
    (value) => {
      throw new Error(`expected a rejection, got ${JSON.stringify(value)}`);
    },
    (error: unknown) => error,
  );
}

/** Web workers started and not yet terminated, seen through a wrapper of the global Worker. */
const liveWorkers = new Set<Worker>();
const NativeWorker = globalThis.Worker;
globalThis.Worker = class CountedWorker extends NativeWorker {
  constructor(url: string | URL, options?: WorkerOptions) {
    super(url, options);
    liveWorkers.add(this);
  }

  override terminate(): void {
    liveWorkers.delete(this);
    super.terminate();
  }
};

/**
 * Starts a leak check for the conformance suite: the function it returns lists the web
 * workers started since and never terminated (`2 × Worker`), after a turn.
 */
export function watchWorkerLeaks(): () => Promise<string[]> {
  const before = new Set(liveWorkers);
  return async () => {
    await new Promise((resolve) => setTimeout(resolve, 0));
    const left = [...liveWorkers].filter((worker) => !before.has(worker)).length;
    return left === 0 ? [] : [`${left} × Worker`];
  };
}
