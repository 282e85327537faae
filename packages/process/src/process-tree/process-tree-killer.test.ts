import { spawn } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { childrenOf, isRunning } from '../test-support/processes.js';
import { createProcessTreeKiller, type Spawner } from './process-tree-killer.js';
import { stopProcessTree } from './stop-process-tree.js';

/** A spawner that records what it was asked to start, and a fake process table. */
function recordingWindows(alive: Set<number>) {
  const calls: Array<{ command: string; args: readonly string[]; options: object }> = [];
  const spawner: Spawner = (command, args, options) => {
    calls.push({ command, args, options });
    const pid = Number(args[1]);
    if (args.includes('/F')) alive.delete(pid);
    return { on: () => undefined };
  };
  const signaller = (pid: number, signal: NodeJS.Signals | 0) => {
    if (signal !== 0) throw new Error('Windows has no signals to send here');
    if (!alive.has(pid)) throw Object.assign(new Error('no such process'), { code: 'ESRCH' });
  };
  return { calls, spawner, signaller };
}

describe('createProcessTreeKiller on Windows (platform and spawner injected)', () => {
  it('kills the tree with taskkill /pid N /T /F and does not detach children', async () => {
    const alive = new Set([4321]);
    const { calls, spawner, signaller } = recordingWindows(alive);
    const killer = createProcessTreeKiller({ platform: 'win32', spawner, signaller });
    expect(killer.detachChildren).toBe(false);
    await expect(killer.isAlive(4321)).resolves.toBe(true);
    killer.terminate(4321);
    expect(calls).toEqual([
      {
        command: 'taskkill',
        args: ['/pid', '4321', '/T', '/F'],
        options: { stdio: 'ignore', windowsHide: true },
      },
    ]);
    await expect(killer.isAlive(4321)).resolves.toBe(false);
  });

  it('stops a tree through stopProcessTree: one taskkill, then confirmed gone', async () => {
    const alive = new Set([77]);
    const { calls, spawner, signaller } = recordingWindows(alive);
    const killer = createProcessTreeKiller({ platform: 'win32', spawner, signaller });
    await expect(stopProcessTree({ killer, pid: 77, killTimeoutMs: 100 })).resolves.toBe(
      'terminated',
    );
    expect(calls.map((call) => call.args)).toEqual([['/pid', '77', '/T', '/F']]);
  });

  it('repeats taskkill and reports a tree that will not go', async () => {
    const alive = new Set([78]);
    const calls: string[][] = [];
    const stubbornSpawner: Spawner = (_command, args) => {
      calls.push([...args]);
      return { on: () => undefined };
    };
    const { signaller } = recordingWindows(alive);
    const killer = createProcessTreeKiller({
      platform: 'win32',
      spawner: stubbornSpawner,
      signaller,
    });
    await expect(
      stopProcessTree({ killer, pid: 78, killTimeoutMs: 20, confirmTimeoutMs: 20 }),
    ).resolves.toBe('survived');
    expect(calls).toEqual([
      ['/pid', '78', '/T', '/F'],
      ['/pid', '78', '/T', '/F'],
    ]);
  });

  it('treats a process it may not signal (EPERM) as alive', async () => {
    const killer = createProcessTreeKiller({
      platform: 'win32',
      spawner: () => ({ on: () => undefined }),
      signaller: () => {
        throw Object.assign(new Error('denied'), { code: 'EPERM' });
      },
    });
    await expect(killer.isAlive(5)).resolves.toBe(true);
  });
});

describe('createProcessTreeKiller on POSIX', () => {
  it('signals the whole group: SIGTERM ends a sleeping group, zombies count as gone', async () => {
    const killer = createProcessTreeKiller();
    expect(killer.detachChildren).toBe(true);
    const leader = spawn('sh', ['-c', 'sleep 1000 & sleep 1000 & wait'], {
      detached: true,
      stdio: 'ignore',
    });
    const pid = leader.pid as number;
    const exited = new Promise((resolve) => leader.once('exit', resolve));
    await expect.poll(() => childrenOf(pid).length).toBe(2);
    const members = childrenOf(pid);
    await expect(killer.isAlive(pid)).resolves.toBe(true);
    await expect(stopProcessTree({ killer, pid, killTimeoutMs: 2_000 })).resolves.toBe(
      'terminated',
    );
    await exited;
    expect([pid, ...members].filter(isRunning)).toEqual([]);
    await expect(killer.isAlive(pid)).resolves.toBe(false);
  });

  it('ignores a group that is already gone', async () => {
    const killer = createProcessTreeKiller();
    const unusedGroup = 2 ** 22 + 1;
    await expect(killer.isAlive(unusedGroup)).resolves.toBe(false);
    expect(() => killer.terminate(unusedGroup)).not.toThrow();
    expect(() => killer.kill(unusedGroup)).not.toThrow();
  });

  it('rethrows errors other than "no such process"', () => {
    const killer = createProcessTreeKiller({
      platform: 'linux',
      signaller: () => {
        throw Object.assign(new Error('invalid'), { code: 'EINVAL' });
      },
    });
    expect(() => killer.terminate(1234)).toThrow('invalid');
  });

  it('leaves no child process behind', () => {
    expect(childrenOf(process.pid)).toEqual([]);
  });
});
