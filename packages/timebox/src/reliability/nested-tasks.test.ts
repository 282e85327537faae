// Nested tasks across a thread or process boundary: the inner run is capped by the outer
// deadline, follows the outer signal, and its child processes die with the outer task.
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import {
  defineTask,
  isStrategyClosedError,
  isTaskAbortedError,
  isTaskTimeoutError,
  processStrategy,
  runTaskWithTimeout,
  type TimeoutStrategy,
  workerStrategy,
} from '../index.js';
import { settled } from '../test-support/leftovers.js';
import { isAlive, leftovers, survivors } from './process-table.js';

const nested = new URL('./fixtures/nested.mjs', import.meta.url);
const scratch = mkdtempSync(join(tmpdir(), 'timebox-nested-'));
const opened: TimeoutStrategy[] = [];

/** An outer strategy of one runner, closed after the file. */
function outerStrategy(kind: 'worker' | 'process', graceMs = 0): TimeoutStrategy {
  const strategy =
    kind === 'worker'
      ? workerStrategy({ maxWorkers: 1, spareWorkers: 0, graceMs })
      : processStrategy({ maxProcesses: 1, spareProcesses: 0, graceMs, killTimeoutMs: 300 });
  opened.push(strategy);
  return strategy;
}

function outerTask(exportName: string, timeout: number) {
  return defineTask<unknown[], unknown>({
    name: `outer ${exportName}`,
    timeout,
    run: { module: nested, export: exportName },
  });
}

/** Waits until the inner task wrote its child's and grandchild's pids; returns them. */
async function innerPids(pidFile: string): Promise<number[]> {
  const written = (): boolean =>
    existsSync(pidFile) && /^\d+ \d+$/.test(readFileSync(pidFile, 'utf8'));
  const missing = await settled(() => (written() ? [] : [pidFile]), 15_000);
  expect(missing, 'the inner task never wrote its pids').toEqual([]);
  const pids = readFileSync(pidFile, 'utf8').split(' ').map(Number);
  expect(pids.every(isAlive), `inner child and grandchild ${pids.join(', ')} alive`).toBe(true);
  return pids;
}

afterAll(async () => {
  await Promise.all(opened.map((strategy) => strategy.close()));
  rmSync(scratch, { recursive: true, force: true });
  const left = await leftovers();
  expect(left.handles, 'nested tasks left worker or process handles behind').toEqual([]);
  // A child started from a worker thread that was terminated is a zombie of this process
  // until it exits: Node reaps a child only on the thread that started it. Dead, it holds
  // nothing but its process-table entry; a live one is a leak.
  expect(
    left.children.filter(isAlive),
    `nested tasks left live child processes behind: ${JSON.stringify(left.children)}`,
  ).toEqual([]);
});

describe.each(['worker', 'process'] as const)('a task in a %s runs another task', (kind) => {
  it.each(['thread', 'process', 'timebox'])(
    'the inner run under %s is capped by the outer deadline',
    async (innerStrategy) => {
      const outerTimeout = 20_000;
      const limit = await runTaskWithTimeout(
        outerTask('innerLimit', outerTimeout),
        [innerStrategy],
        {
          strategy: outerStrategy(kind),
        },
      );
      expect(limit, `inner limit under ${innerStrategy} inside a ${kind}`).toBeTypeOf('number');
      expect(limit as number).toBeGreaterThan(0);
      expect(limit as number).toBeLessThanOrEqual(outerTimeout);
    },
    30_000,
  );

  it('the inner signal aborts when the outer task is aborted', async () => {
    const file = join(scratch, `signal-${kind}`);
    const controller = new AbortController();
    const running = runTaskWithTimeout(outerTask('innerWaitsForSignal', 60_000), [file], {
      strategy: outerStrategy(kind, 5_000),
      signal: controller.signal,
    }).catch((caught: unknown) => caught);
    const started = await settled(() => (existsSync(`${file}.started`) ? [] : [file]), 15_000);
    expect(started, `inner task inside a ${kind} never started`).toEqual([]);
    controller.abort(new Error('outer aborted'));
    const error = await running;
    expect(isTaskAbortedError(error), `outer task in a ${kind}: ${String(error)}`).toBe(true);
    const missing = await settled(() => (existsSync(file) ? [] : [file]), 10_000);
    expect(missing, `inner signal inside a ${kind} never aborted`).toEqual([]);
    expect(readFileSync(file, 'utf8')).toBe('TaskAbortedError');
  }, 30_000);

  it('an inner process task and its grandchild die when the outer task times out', async () => {
    const pidFile = join(scratch, `outer-timeout-${kind}`);
    const strategy = outerStrategy(kind);
    const running = runTaskWithTimeout(outerTask('innerProcessTask', 8_000), [pidFile, 60_000], {
      strategy,
    }).catch((caught: unknown) => caught);
    const pids = await innerPids(pidFile);
    const error = await running;
    expect(isTaskTimeoutError(error), `outer task in a ${kind}: ${String(error)}`).toBe(true);
    expect(await survivors(pids), `inner tree ${pids.join(', ')} after the outer timeout`).toEqual(
      [],
    );
  }, 30_000);

  it('an inner process task and its grandchild die at the inner limit', async () => {
    const pidFile = join(scratch, `inner-timeout-${kind}`);
    const outer = outerTask('innerProcessTask', 20_000);
    const result = runTaskWithTimeout(outer, [pidFile, 1_000], { strategy: outerStrategy(kind) });
    const pids = await innerPids(pidFile);
    expect(await result, `inner task's own limit inside a ${kind}`).toBe('TaskTimeoutError');
    expect(await survivors(pids), `inner tree ${pids.join(', ')} after the inner limit`).toEqual(
      [],
    );
  }, 30_000);

  it('an inner process task and its grandchild die when the outer strategy closes', async () => {
    const pidFile = join(scratch, `close-${kind}`);
    const strategy = outerStrategy(kind);
    const running = runTaskWithTimeout(outerTask('innerProcessTask', 60_000), [pidFile, 60_000], {
      strategy,
    }).catch((caught: unknown) => caught);
    const pids = await innerPids(pidFile);
    await strategy.close();
    const error = await running;
    expect(isStrategyClosedError(error), `outer task in a ${kind}: ${String(error)}`).toBe(true);
    expect(await survivors(pids), `inner tree ${pids.join(', ')} after close()`).toEqual([]);
  }, 30_000);
});
