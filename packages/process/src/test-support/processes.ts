// Helpers for tests that check which processes run: they read Linux's /proc, where a
// zombie (ended, not yet reaped) counts as gone.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { guardianTitle } from '../process-tree/host-death-guardian.js';
import { readProcessStatus } from '../process-tree/linux-process-group.js';

/** The environment variable that marks every process a test file starts. */
export const markerVariable = 'TIMEBOX_PROCESS_TEST_MARKER';

/** The host's environment plus the marker, for a strategy's `env` option. */
export function markedEnvironment(marker: string): Record<string, string | undefined> {
  return { ...process.env, [markerVariable]: marker };
}

/** Whether process `pid` is running (a zombie is not). */
export function isRunning(pid: number): boolean {
  const status = readProcessStatus(pid);
  return status?.running === true;
}

/** The state letter of process `pid` from `/proc/<pid>/stat` (`T`: stopped), or undefined. */
export function processState(pid: number): string | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2).split(' ')[0];
  } catch {
    return undefined;
  }
}

/** Whether process `pid` is a host's host-death guardian (a shell running its script). */
export function isHostDeathGuardian(pid: number): boolean {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes(guardianTitle);
  } catch {
    return false;
  }
}

/**
 * The running processes whose parent is `parentId`, except its host-death guardian, which
 * lives as long as any strategy of the host has processes.
 */
export function childrenOf(parentId: number): number[] {
  return numericEntries().filter((pid) => {
    const status = readProcessStatus(pid);
    return status?.running === true && status.parentId === parentId && !isHostDeathGuardian(pid);
  });
}

/** The running processes whose environment carries `marker` (inherited by grandchildren too). */
export function processesCarrying(marker: string): number[] {
  const needle = `${markerVariable}=${marker}\0`;
  return numericEntries().filter((pid) => {
    if (pid === process.pid || !isRunning(pid)) return false;
    try {
      return readFileSync(`/proc/${pid}/environ`, 'latin1').includes(needle);
    } catch {
      return false;
    }
  });
}

/** Polls until `condition` holds or `timeoutMs` pass; resolves with whether it held. */
export async function eventually(condition: () => boolean, timeoutMs = 5_000): Promise<boolean> {
  const deadline = performance.now() + timeoutMs;
  for (;;) {
    if (condition()) return true;
    if (performance.now() > deadline) return false;
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

/** Waits until every pid has stopped; resolves with those still running after `timeoutMs`. */
export async function survivorsAfter(pids: readonly number[], timeoutMs = 5_000) {
  await eventually(() => pids.every((pid) => !isRunning(pid)), timeoutMs);
  return pids.filter(isRunning);
}

/** Waits for `path` to appear (bounded) and returns its content parsed as JSON. */
export async function readWhenWritten<T>(path: string, timeoutMs = 10_000): Promise<T> {
  if (!(await eventually(() => existsSync(path), timeoutMs))) {
    throw new Error(`${path} was not written within ${timeoutMs} ms`);
  }
  return JSON.parse(readFileSync(path, 'utf8')) as T;
}

/**
 * What remains of a test file's processes after `timeoutMs`: children of this process and
 * any process carrying the marker. Both lists must end empty.
 */
export async function leftoverProcesses(marker: string, timeoutMs = 5_000) {
  const leftovers = () => ({
    children: childrenOf(process.pid),
    marked: processesCarrying(marker),
  });
  await eventually(() => {
    const { children, marked } = leftovers();
    return children.length === 0 && marked.length === 0;
  }, timeoutMs);
  return leftovers();
}

function numericEntries(): number[] {
  return readdirSync('/proc')
    .filter((entry) => /^\d+$/.test(entry))
    .map(Number);
}
