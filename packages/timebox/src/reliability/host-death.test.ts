// Host death: a host killed with SIGKILL while tasks run leaves no child or grandchild.
import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, expect, it } from 'vitest';
import { settled } from '../test-support/leftovers.js';
import { staleBuildReason } from '../test-support/stale-build.js';
import { isAlive, leftovers, survivors } from './process-table.js';

const host = fileURLToPath(new URL('./fixtures/host.mjs', import.meta.url));
const scratch = mkdtempSync(join(tmpdir(), 'timebox-host-death-'));
const hosts: ChildProcess[] = [];

afterAll(async () => {
  for (const hostProcess of hosts) if (hostProcess.exitCode === null) hostProcess.kill('SIGKILL');
  rmSync(scratch, { recursive: true, force: true });
  const left = await leftovers();
  expect(left, `host-death test left child processes behind: ${JSON.stringify(left)}`).toEqual({
    handles: [],
    children: [],
  });
});

it.each([
  ['spin', 'spin'],
  ['stopped themselves with SIGSTOP', 'stop'],
])(
  'a host killed with SIGKILL while process tasks (%s) and a worker task run leaves no child or grandchild',
  async (_description, variant) => {
    // The host runs the build (dist/): it must not be older than the sources.
    expect(staleBuildReason()).toBeUndefined();
    const count = 2;
    const prefix = join(scratch, `tree-${variant}`);
    const hostProcess = spawn(process.execPath, [host, prefix, String(count), variant], {
      stdio: ['ignore', 'inherit', 'inherit'],
    });
    hosts.push(hostProcess);
    const exited = new Promise<NodeJS.Signals | null>((resolve) => {
      hostProcess.once('exit', (_code, signal) => resolve(signal));
    });
    const files = Array.from({ length: count }, (_unused, index) => `${prefix}-${index}`);
    const written = (file: string): boolean =>
      existsSync(file) && /^\d+ \d+$/.test(readFileSync(file, 'utf8'));
    const missing = await settled(() => files.filter((file) => !written(file)), 15_000);
    expect(
      missing,
      `host ${hostProcess.pid}: tasks 'host death runaway with grandchild' never wrote their pids`,
    ).toEqual([]);
    const pids = files.flatMap((file) => readFileSync(file, 'utf8').split(' ').map(Number));
    expect(
      pids.every(isAlive),
      `host ${hostProcess.pid}: children and grandchildren ${pids.join(', ')} should be alive before the kill`,
    ).toBe(true);
    hostProcess.kill('SIGKILL');
    expect(await exited).toBe('SIGKILL');
    const killed = performance.now();
    const alive = await survivors(pids, 5_000);
    const waited = performance.now() - killed;
    expect(
      alive,
      `host ${hostProcess.pid} killed: children or grandchildren of 'host death runaway with grandchild' still alive after ${waited.toFixed(0)} ms: ${alive.join(', ')}`,
    ).toEqual([]);
    // "After a second": the children's watchdog notices a dead host quickly; the bound allows for a busy machine.
    expect(
      waited,
      `host ${hostProcess.pid}: the tree took ${waited.toFixed(0)} ms to go`,
    ).toBeLessThan(3_000);
  },
  30_000,
);
