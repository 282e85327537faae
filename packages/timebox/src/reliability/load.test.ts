// Load: many mixed tasks (fast, throwing, timing out, aborted) through the auto selector
// with bounded concurrency. 2,000 tasks by default; on demand:
//   cd packages/timebox && TIMEBOX_LOAD_TASKS=10000 npx vitest run src/reliability/load.test.ts
import { afterAll, expect, it } from 'vitest';
import {
  createTimebox,
  defineTask,
  isTaskAbortedError,
  isTaskTimeoutError,
  type Timebox,
} from '../index.js';
import { collectGarbage } from '../test-support/collect-garbage.js';
import { envCount } from './env-count.js';
import { leftovers } from './process-table.js';

const faults = new URL('./fixtures/faults.mjs', import.meta.url);
const total = envCount('TIMEBOX_LOAD_TASKS', 2_000);
const inFlight = 50;
const megabyte = 1024 * 1024;

const timebox: Timebox = createTimebox({
  worker: { maxWorkers: 2, spareWorkers: 1, graceMs: 10 },
  process: { maxProcesses: 1, spareProcesses: 1, graceMs: 10 },
});

let unhandled = 0;
const countUnhandled = (): void => {
  unhandled++;
};
process.on('unhandledRejection', countUnhandled);

afterAll(async () => {
  process.off('unhandledRejection', countUnhandled);
  await timebox.close();
  const left = await leftovers();
  expect(left, `load test left workers or child processes behind: ${JSON.stringify(left)}`).toEqual(
    {
      handles: [],
      children: [],
    },
  );
});

const fast = defineTask<[number], number>({
  name: 'load fast',
  timeout: 10_000,
  run: { module: faults, export: 'echo' },
});
const throwing = defineTask<[], never>({
  name: 'load throwing',
  timeout: 10_000,
  run: { module: faults, export: 'throwsError' },
});
// Never settles: the selector sends it to a hard strategy, which stops it at 30 ms.
const timingOut = defineTask<[], never>({
  name: 'load timing out',
  timeout: 30,
  run: { module: faults, export: 'neverSettles' },
});
const aborted = defineTask<[number], string>({
  name: 'load aborted',
  timeout: 10_000,
  run: { module: faults, export: 'waits' },
});

type Kind = 'fast' | 'throwing' | 'timing out' | 'aborted';
const kinds: Kind[] = ['fast', 'throwing', 'timing out', 'aborted'];

/** Runs task `index` and returns what is wrong with its outcome, or undefined. */
async function runOne(index: number): Promise<string | undefined> {
  const kind = kinds[index % kinds.length] as Kind;
  const describe = (outcome: string): string => `task ${index} (${kind}): ${outcome}`;
  const describeError = (error: unknown): string =>
    error instanceof Error
      ? `${error.name}: ${error.message} (strategy ${String((error as { strategy?: unknown }).strategy)})`
      : String(error);
  try {
    switch (kind) {
      case 'fast': {
        const value = await timebox.runTaskWithTimeout(fast, [index]);
        return value === index ? undefined : describe(`resolved ${value}, expected ${index}`);
      }
      case 'throwing':
        await timebox.runTaskWithTimeout(throwing, []);
        return describe('resolved, expected the task error');
      case 'timing out':
        await timebox.runTaskWithTimeout(timingOut, []);
        return describe('resolved, expected TaskTimeoutError');
      case 'aborted': {
        const controller = new AbortController();
        const pending = timebox.runTaskWithTimeout(aborted, [10_000], {
          signal: controller.signal,
        });
        // Aborted at once (queued or before-start) or a little later (running).
        if (index % 8 === 3) controller.abort(new Error(`abort ${index}`));
        else setTimeout(() => controller.abort(new Error(`abort ${index}`)), 5);
        await pending;
        return describe('resolved, expected TaskAbortedError');
      }
    }
  } catch (error) {
    if (kind === 'throwing') {
      return error instanceof Error && error.message === 'plain failure'
        ? undefined
        : describe(describeError(error));
    }
    if (kind === 'timing out') {
      return isTaskTimeoutError(error) &&
        error.taskName === timingOut.name &&
        error.enforcement === 'hard'
        ? undefined
        : describe(`expected a hard TaskTimeoutError, got ${describeError(error)}`);
    }
    if (kind === 'aborted') {
      return isTaskAbortedError(error) && (error.cause as Error).message === `abort ${index}`
        ? undefined
        : describe(`expected TaskAbortedError, got ${describeError(error)}`);
    }
    return describe(`rejected with ${describeError(error)}`);
  }
}

it(`${total} mixed tasks through the auto selector, ${inFlight} in flight: every outcome right, no unhandled rejection, heap flat`, async () => {
  const heap = (): number => {
    collectGarbage();
    return process.memoryUsage().heapUsed;
  };
  // Warm up every path once.
  for (let index = 0; index < kinds.length; index++) await runOne(index);
  const before = heap();
  const wrong: string[] = [];
  let next = 0;
  const lane = async (): Promise<void> => {
    while (next < total) {
      const index = next++;
      const problem = await runOne(index);
      if (problem !== undefined) wrong.push(problem);
    }
  };
  await Promise.all(Array.from({ length: inFlight }, lane));
  // Let any late rejection surface.
  await new Promise((resolve) => setTimeout(resolve, 100));
  expect(
    wrong,
    `${wrong.length} wrong outcomes of ${total}:\n${wrong.slice(0, 10).join('\n')}`,
  ).toEqual([]);
  expect(
    unhandled,
    `${unhandled} unhandled rejections during the load (host pid ${process.pid})`,
  ).toBe(0);
  const growth = heap() - before;
  expect(growth, `heap grew ${(growth / megabyte).toFixed(1)} MB over ${total} tasks`).toBeLessThan(
    64 * megabyte,
  );
}, 120_000);
