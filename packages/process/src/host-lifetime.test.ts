import { type ChildProcess, spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  eventually,
  isRunning,
  leftoverProcesses,
  markedEnvironment,
  processState,
  readWhenWritten,
  survivorsAfter,
} from './test-support/processes.js';

const marker = randomUUID();
const host = fileURLToPath(new URL('./test-fixtures/host.mjs', import.meta.url));

interface TreePids {
  readonly child: number;
  readonly grandchild: number;
}

function startHost(...args: string[]): ChildProcess {
  return spawn(process.execPath, [host, ...args], {
    env: markedEnvironment(marker),
    stdio: ['ignore', 'inherit', 'inherit'],
  });
}

function exitOf(child: ChildProcess, timeoutMs: number) {
  return new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`the host did not exit within ${timeoutMs} ms`));
    }, timeoutMs);
    child.once('exit', (code, signal) => {
      clearTimeout(timer);
      resolve({ code, signal });
    });
  });
}

describe('the host process and its children', () => {
  let scratch: string;

  beforeAll(() => {
    scratch = mkdtempSync(join(tmpdir(), 'timebox-host-'));
  });

  afterAll(async () => {
    rmSync(scratch, { recursive: true, force: true });
    expect(await leftoverProcesses(marker)).toEqual({ children: [], marked: [] });
  });

  it.each([
    ['awaits', 'wait'],
    ['blocks its thread', 'spin'],
    ['stopped its process with SIGSTOP', 'stop'],
  ])(
    'ends the child and its grandchild within about a second when the host is killed with SIGKILL while the task %s',
    async (_description, variant) => {
      const pidFile = join(scratch, `orphan-${variant}`);
      const hostProcess = startHost('orphan', pidFile, variant);
      const exited = exitOf(hostProcess, 20_000);
      const pids = await readWhenWritten<TreePids>(pidFile);
      expect(isRunning(pids.child)).toBe(true);
      expect(isRunning(pids.grandchild)).toBe(true);
      if (variant === 'stop') {
        // No thread of a stopped process runs: only something outside it can end it.
        expect(await eventually(() => processState(pids.child) === 'T')).toBe(true);
      }
      hostProcess.kill('SIGKILL');
      expect(await exited).toEqual({ code: null, signal: 'SIGKILL' });
      const killed = performance.now();
      expect(await survivorsAfter([pids.child, pids.grandchild], 3_000)).toEqual([]);
      // "About a second": the watchdog looks every 100 ms; the bound allows for a busy machine.
      expect(performance.now() - killed).toBeLessThan(3_000);
    },
  );

  it('lets a host with an idle pool, never closed, exit on its own; its child ends too', async () => {
    const pidFile = join(scratch, 'idle');
    const hostProcess = startHost('idle', pidFile);
    expect(await exitOf(hostProcess, 15_000)).toEqual({ code: 0, signal: null });
    const childPid = await readWhenWritten<number>(pidFile, 0);
    expect(await survivorsAfter([childPid])).toEqual([]);
  });

  it('keeps the host alive while a task without a deadline runs', async () => {
    const pidFile = join(scratch, 'no-deadline');
    const hostProcess = startHost('no-deadline', pidFile);
    expect(await exitOf(hostProcess, 15_000)).toEqual({ code: 0, signal: null });
    const childPid = await readWhenWritten<number>(pidFile, 0);
    expect(await survivorsAfter([childPid])).toEqual([]);
  });

  it('lets a host exit on its own after a timeout, with the killed tree gone', async () => {
    const pidFile = join(scratch, 'timeout');
    const hostProcess = startHost('timeout', pidFile);
    expect(await exitOf(hostProcess, 15_000)).toEqual({ code: 0, signal: null });
    const pids = await readWhenWritten<TreePids>(pidFile, 0);
    expect(await survivorsAfter([pids.child, pids.grandchild])).toEqual([]);
  });
});
