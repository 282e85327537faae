/** Helpers shared by this package's tests (not part of the build). */
import { defineTask, type Logger, type Task, type TimeoutStrategy } from '@timebox/core';
import { afterAll, beforeAll, expect } from 'vitest';
import { type WorkerStrategyOptions, workerStrategy } from './index.js';

/** The ESM fixture module with most test tasks. */
export const tasksModule = new URL('./test-fixtures/tasks.mjs', import.meta.url);

/** A module task from the ESM fixtures. */
export function fixtureTask<Args extends unknown[], Result>(
  exportName: string,
  timeout = 10_000,
): Task<Args, Result> {
  return defineTask<Args, Result>({
    name: `fixture ${exportName}`,
    timeout,
    run: { module: tasksModule, export: exportName },
  });
}

/** Indexes into the shared memory the fixtures use. */
export const slot = { started: 0, counter: 1, abortReason: 2, release: 3 } as const;

/** Shared memory for one fixture run, and its Int32 view. */
export function sharedMemory(): { buffer: SharedArrayBuffer; view: Int32Array } {
  const buffer = new SharedArrayBuffer(4 * 4);
  return { buffer, view: new Int32Array(buffer) };
}

/** Waits (without blocking) until `view[index]` is no longer `value`; throws after `within` ms. */
export async function waitUntilChanged(
  view: Int32Array,
  index: number,
  value = 0,
  within = 10_000,
): Promise<void> {
  const result = Atomics.waitAsync(view, index, value, within);
  if (result.async) await result.value;
  if (Atomics.load(view, index) === value) {
    throw new Error(`shared memory slot ${index} stayed ${value} for ${within} ms`);
  }
}

/** Stores 1 at `index` and wakes the thread waiting on it. */
export function release(view: Int32Array, index: number): void {
  Atomics.store(view, index, 1);
  Atomics.notify(view, index);
}

/** How many worker threads this process holds (`Worker` resources). */
export function workerCount(): number {
  return process.getActiveResourcesInfo().filter((resource) => resource === 'Worker').length;
}

/** A debug line a logger received, with when it arrived (a `performance.now()` reading). */
export interface LoggedLine {
  readonly level: string;
  readonly message: string;
  readonly fields: Record<string, unknown> | undefined;
  readonly at: number;
}

/**
 * A logger that records every line, and `waitFor(predicate)` that resolves with the first
 * line (past or future) matching it.
 */
export function recordingLogger(): {
  logger: Logger;
  lines: LoggedLine[];
  waitFor(predicate: (line: LoggedLine) => boolean): Promise<LoggedLine>;
} {
  const lines: LoggedLine[] = [];
  const waiters: Array<{
    predicate: (line: LoggedLine) => boolean;
    resolve(line: LoggedLine): void;
  }> = [];
  const record =
    (level: string) =>
    (message: string, ...details: unknown[]): void => {
      const fields = details[0] as Record<string, unknown> | undefined;
      const line = { level, message, fields, at: performance.now() };
      lines.push(line);
      for (const waiter of [...waiters]) {
        if (waiter.predicate(line)) {
          waiters.splice(waiters.indexOf(waiter), 1);
          waiter.resolve(line);
        }
      }
    };
  return {
    logger: {
      debug: record('debug'),
      info: record('info'),
      warn: record('warn'),
      error: record('error'),
    },
    lines,
    waitFor(predicate) {
      const found = lines.find(predicate);
      if (found !== undefined) return Promise.resolve(found);
      return new Promise((resolve) => waiters.push({ predicate, resolve }));
    },
  };
}

/** Whether a logged line says a worker thread is gone. */
export function threadGone(line: LoggedLine): boolean {
  return line.level === 'debug' && line.fields?.goneAfterAbort !== undefined;
}

/** Settles a promise into its rejection reason; throws if it fulfilled. */
export async function rejectionOf(promise: Promise<unknown>): Promise<unknown> {
  let value: unknown;
  try {
    value = await promise;
  } catch (error) {
    return error;
  }
  throw new Error(`expected a rejection, got ${JSON.stringify(value)}`);
}

/** A task that never needs a worker: for tests of refusals. */
export const inlineAdd = defineTask({
  name: 'inline add',
  timeout: 10_000,
  run: (left: number, right: number) => left + right,
});

/**
 * Inside a describe block: returns a factory of worker strategies that are all closed after
 * the block, which then checks that no worker thread outlived them.
 */
export function strategiesClosedAfterAll(): (options?: WorkerStrategyOptions) => TimeoutStrategy {
  const strategies: TimeoutStrategy[] = [];
  let workersBefore = 0;
  beforeAll(() => {
    workersBefore = workerCount();
  });
  afterAll(async () => {
    await Promise.all(strategies.map((strategy) => strategy.close()));
    expect(workerCount()).toBe(workersBefore);
  });
  return (options) => {
    const strategy = workerStrategy(options);
    strategies.push(strategy);
    return strategy;
  };
}
