import { spawn } from 'node:child_process';
import { posixProcessTreeKiller } from './posix-process-tree-killer.js';
import { windowsProcessTreeKiller } from './windows-process-tree-killer.js';

/**
 * Stops a child process together with every process it started. On POSIX the child leads a
 * process group of its own and the group is signalled; on Windows `taskkill /T` walks the
 * tree.
 */
export interface ProcessTreeKiller {
  /** Whether children must be started `detached`, each leading a process group of its own. */
  readonly detachChildren: boolean;
  /** Asks the tree rooted at `pid` to stop (SIGTERM to the group; on Windows, `taskkill /T /F`). */
  terminate(pid: number): void;
  /** Forces the tree rooted at `pid` to stop (SIGKILL to the group; on Windows, `taskkill /T /F`). */
  kill(pid: number): void;
  /** Whether a process of the tree rooted at `pid` is still alive (zombies do not count). */
  isAlive(pid: number): Promise<boolean>;
}

/** Starts a program; the subset of `child_process.spawn` the Windows killer uses. */
export type Spawner = (
  command: string,
  args: readonly string[],
  options: { readonly stdio: 'ignore'; readonly windowsHide: true },
) => { on(event: 'error', listener: (error: Error) => void): unknown };

/** Sends a signal to a process or, with a negative id, a process group; `process.kill`'s shape. */
export type Signaller = (pid: number, signal: NodeJS.Signals | 0) => unknown;

/** What {@link createProcessTreeKiller} can be given instead of the real platform. */
export interface ProcessTreeKillerOptions {
  /** The platform to kill on. Default: `process.platform`. */
  readonly platform?: NodeJS.Platform;
  /** Starts `taskkill` on Windows. Default: `child_process.spawn`. */
  readonly spawner?: Spawner;
  /** Sends signals. Default: `process.kill`. */
  readonly signaller?: Signaller;
}

/** The {@link ProcessTreeKiller} for the platform: `taskkill` on Windows, process groups elsewhere. */
export function createProcessTreeKiller(options: ProcessTreeKillerOptions = {}): ProcessTreeKiller {
  const platform = options.platform ?? process.platform;
  const signaller: Signaller = options.signaller ?? ((pid, signal) => process.kill(pid, signal));
  if (platform === 'win32') {
    return windowsProcessTreeKiller(options.spawner ?? spawn, signaller);
  }
  return posixProcessTreeKiller(signaller, platform === 'linux');
}
