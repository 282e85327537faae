import { readFileSync } from 'node:fs';
import { childPids, leakedHandles, settled } from '../test-support/leftovers.js';

/** Whether `pid` names a live process: signal 0 reaches it and it is not a zombie. */
export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch {
    return false;
  }
  try {
    const status = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // The state follows the command name, which is in parentheses.
    const state = status.slice(status.lastIndexOf(')') + 2, status.lastIndexOf(')') + 3);
    return state !== 'Z' && state !== 'X';
  } catch {
    // No /proc (macOS): signal 0 is all there is.
    return true;
  }
}

/** The pids among `pids` still alive after up to `within` milliseconds. */
export async function survivors(pids: readonly number[], within = 3_000): Promise<number[]> {
  return (await settled(() => pids.filter(isAlive), within)) as number[];
}

/**
 * What this process still holds after a test file closed everything: worker and child
 * process handles, and child processes. Empty when nothing leaked.
 */
export async function leftovers(
  within = 5_000,
): Promise<{ handles: string[]; children: number[] }> {
  const handles = (await settled(leakedHandles, within)) as string[];
  const children = (await settled(childPids, within)) as number[];
  return { handles, children };
}
