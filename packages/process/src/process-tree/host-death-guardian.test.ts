import { type ChildProcess, spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { eventually, isHostDeathGuardian, isRunning } from '../test-support/processes.js';
import { guardianPid, guardProcessGroup } from './host-death-guardian.js';

/** Whether process `pid` ignores SIGHUP, SIGINT and SIGTERM (from `/proc/<pid>/status`). */
function ignoresTerminalSignals(pid: number): boolean {
  try {
    const mask = /^SigIgn:\s*([0-9a-f]+)$/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1];
    const ignored = BigInt(`0x${mask ?? '0'}`);
    return [1, 2, 15].every((signal) => (ignored >> BigInt(signal - 1)) & 1n);
  } catch {
    return false;
  }
}

/** A `sleep` that leads a process group of its own, as the pool's children do. */
function groupLeader(): ChildProcess {
  return spawn('sleep', ['1000'], { stdio: 'ignore', detached: true });
}

describe('the host-death guardian (the host-death case itself is in host-lifetime.test.ts)', () => {
  const leaders: ChildProcess[] = [];
  const releases: Array<() => Promise<void>> = [];

  afterEach(async () => {
    for (const release of releases.splice(0)) await release();
    for (const leader of leaders.splice(0)) leader.kill('SIGKILL');
    expect(await eventually(() => guardianPid() === undefined)).toBe(true);
  });

  it('starts with the first guarded group and ends once the last one is released', async () => {
    expect(guardianPid()).toBeUndefined();
    const first = groupLeader();
    const second = groupLeader();
    leaders.push(first, second);
    const releaseFirst = guardProcessGroup(first.pid as number);
    const guardian = guardianPid() as number;
    expect(guardian).toBeGreaterThan(0);
    const releaseSecond = guardProcessGroup(second.pid as number);
    expect(guardianPid()).toBe(guardian);
    expect(await eventually(() => isHostDeathGuardian(guardian))).toBe(true);
    releaseFirst();
    releaseFirst();
    expect(guardianPid()).toBe(guardian);
    const lastRelease = releaseSecond();
    expect(guardianPid()).toBeUndefined();
    // The last release resolves once the guardian has exited, so close() leaves no process.
    await lastRelease;
    expect(isRunning(guardian)).toBe(false);
    // With nothing to guard, it killed nothing on its way out.
    expect(isRunning(first.pid as number)).toBe(true);
    expect(isRunning(second.pid as number)).toBe(true);
  });

  it('ignores the signals a terminal sends to the host, and is replaced when killed', async () => {
    const leader = groupLeader();
    leaders.push(leader);
    releases.push(guardProcessGroup(leader.pid as number));
    const guardian = guardianPid() as number;
    expect(await eventually(() => ignoresTerminalSignals(guardian))).toBe(true);
    process.kill(guardian, 'SIGINT');
    process.kill(guardian, 'SIGTERM');
    process.kill(guardian, 'SIGHUP');
    // Still running after the signals had time to arrive: a round trip through /proc.
    expect(await eventually(() => !isRunning(guardian), 300)).toBe(false);
    process.kill(guardian, 'SIGKILL');
    expect(await eventually(() => guardianPid() !== undefined && guardianPid() !== guardian)).toBe(
      true,
    );
    expect(isRunning(leader.pid as number)).toBe(true);
  });
});
