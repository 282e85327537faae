import type { ProcessTreeKiller } from './process-tree-killer.js';
import { waitUntil } from './wait-until.js';

/** How a tree was stopped: it ended after SIGTERM, needed SIGKILL, or could not be stopped. */
export type StopOutcome = 'terminated' | 'killed' | 'survived';

/** What {@link stopProcessTree} needs. */
export interface StopProcessTreeOptions {
  /** The platform's killer. */
  readonly killer: ProcessTreeKiller;
  /** The root of the tree (on POSIX, the process group's id). */
  readonly pid: number;
  /** Milliseconds between terminate (SIGTERM) and kill (SIGKILL). */
  readonly killTimeoutMs: number;
  /** Milliseconds to wait for the tree to vanish after the kill. Default: 2 000. */
  readonly confirmTimeoutMs?: number;
}

/**
 * Escalates until every process of the tree is gone: terminate, wait up to
 * `killTimeoutMs`, kill, and confirm. Resolves with how it ended.
 */
export async function stopProcessTree(options: StopProcessTreeOptions): Promise<StopOutcome> {
  const { killer, pid, killTimeoutMs } = options;
  const gone = async (): Promise<boolean> => !(await killer.isAlive(pid));
  killer.terminate(pid);
  if (await waitUntil(gone, killTimeoutMs)) return 'terminated';
  killer.kill(pid);
  if (await waitUntil(gone, options.confirmTimeoutMs ?? 2_000)) return 'killed';
  return 'survived';
}
