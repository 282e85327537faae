import { spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { defineTask, isStrategyClosedError, runTaskWithTimeout } from '@timebox/core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { type ProcessOutput, processStrategy } from '../dist/index.js';
import {
  eventually,
  leftoverProcesses,
  markedEnvironment,
  readWhenWritten,
} from './test-support/processes.js';

const marker = randomUUID();
const env = markedEnvironment(marker);
const tasksModule = new URL('./test-fixtures/tasks.mjs', import.meta.url);
const noisyHost = fileURLToPath(new URL('./test-fixtures/noisy-host.mjs', import.meta.url));
const droppedLine =
  /\n… (\d+) bytes of stderr dropped: more than 65536 bytes were waiting to be written\n/;

function task<Args extends unknown[], Result>(exportName: string, timeout = 30_000) {
  return defineTask<Args, Result>({
    name: `output ${exportName}`,
    timeout,
    run: { module: tasksModule, export: exportName },
  });
}

describe('processStrategy bounds the output waiting in a child', () => {
  const strategies: Array<{ close(): Promise<void> }> = [];
  let scratch: string;

  /** A strategy that captures output, and what it captured per stream. */
  function capturing(options: Parameters<typeof processStrategy>[0] = {}) {
    const captured = { stdout: '', stderr: '' };
    const strategy = processStrategy({
      env,
      maxProcesses: 1,
      spareProcesses: 0,
      stdio: 'pipe',
      onOutput: (output: ProcessOutput) => {
        captured[output.stream] += output.text;
      },
      ...options,
    });
    strategies.push(strategy);
    return { strategy, captured };
  }

  beforeAll(() => {
    scratch = mkdtempSync(join(tmpdir(), 'timebox-output-'));
  });

  afterEach(async () => {
    await Promise.all(strategies.splice(0).map((strategy) => strategy.close()));
  });

  afterAll(async () => {
    rmSync(scratch, { recursive: true, force: true });
    expect(await leftoverProcesses(marker)).toEqual({ children: [], marked: [] });
  });

  it('keeps at most maxPendingOutputBytes waiting, drops the rest and says how much', async () => {
    const { strategy, captured } = capturing({ maxPendingOutputBytes: 65_536 });
    const written = 4 * 1_048_576;
    const waiting = await runTaskWithTimeout(
      task<[string, number], number>('writeOutput'),
      ['stderr', written],
      { strategy },
    );
    // The limit is checked before each 1 KiB write.
    expect(waiting).toBeLessThanOrEqual(65_536 + 1_024);
    expect(await eventually(() => droppedLine.test(captured.stderr), 10_000)).toBe(true);
    const dropped = Number(droppedLine.exec(captured.stderr)?.[1]);
    const kept = captured.stderr.replace(droppedLine, '');
    expect(kept).toMatch(/^(x{1023}\n)+$/);
    expect(kept.length + dropped).toBe(written);
    expect(dropped).toBeGreaterThan(written / 2);
  });

  it("reads a child's stderr no faster than the host's own stderr takes it (stdio 'inherit')", async () => {
    const host = spawn(process.execPath, [noisyHost, String(8 * 1_048_576)], {
      env,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    // Nobody reads the host's stderr: its pipe fills after 64 KiB.
    host.stderr.pause();
    let report = '';
    host.stdout.setEncoding('utf8').on('data', (text: string) => {
      report += text;
    });
    const exitCode = await new Promise((resolve) => host.once('exit', resolve));
    host.stderr.destroy();
    expect(exitCode).toBe(0);
    const { waitingInHost, waitingInChild } = JSON.parse(report) as Record<string, number>;
    // Without backpressure most of the 8 MiB would wait in the host.
    expect(waitingInHost).toBeLessThan(1_048_576);
    expect(waitingInChild).toBeLessThanOrEqual(1_048_576 + 1_024);
  });

  it('delivers the output of a finished task still waiting in the child when close() stops it', async () => {
    // The grace lets the running task finish; its output has not left the child then.
    const { strategy, captured } = capturing({ graceMs: 10_000 });
    const startedFile = join(scratch, 'spinning');
    const written = 512 * 1_024;
    const running = runTaskWithTimeout(
      task<[string, number, string, number], string>('writeOutputThenSpin'),
      ['stdout', written, startedFile, 1_000],
      { strategy },
    ).catch((e: unknown) => e);
    await readWhenWritten<number>(startedFile);
    // The task blocks its thread for 1 s: close() comes while its output waits in it.
    await strategy.close();
    expect(isStrategyClosedError(await running)).toBe(true);
    expect(captured.stdout.length).toBe(written);
  });
});
