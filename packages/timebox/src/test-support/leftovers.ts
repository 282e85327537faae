import { execFileSync } from 'node:child_process';

/** Process ids of this process's children, zombies included (`ps` on Linux and macOS). */
export function childPids(): number[] {
  const output = execFileSync('ps', ['-A', '-o', 'pid=,ppid=,comm='], { encoding: 'utf8' });
  const pids: number[] = [];
  for (const line of output.split('\n')) {
    const [pid, ppid, command] = line.trim().split(/\s+/);
    // The ps that lists them is a child too.
    if (Number(ppid) === process.pid && command !== 'ps') pids.push(Number(pid));
  }
  return pids;
}

/** Handles that a live worker thread or child process holds in this process. */
const childHandleTypes = new Set(['Worker', 'MessagePort', 'ProcessWrap']);

/** The handles of live worker threads and child processes this process still holds. */
export function leakedHandles(): string[] {
  return process.getActiveResourcesInfo().filter((resource) => childHandleTypes.has(resource));
}

/** Polls `check` until it returns nothing or `within` milliseconds pass; returns what is left. */
export async function settled(check: () => unknown[], within = 5_000): Promise<unknown[]> {
  const deadline = Date.now() + within;
  let left = check();
  while (left.length > 0 && Date.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, 20));
    left = check();
  }
  return left;
}
