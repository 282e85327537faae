import type { ProcessTreeKiller, Signaller, Spawner } from './process-tree-killer.js';

/**
 * Kills process trees on Windows, which has no process groups and no SIGTERM for console
 * programs: `taskkill /pid N /T /F` ends the process and every descendant. Whether the tree
 * is gone is read from its root.
 */
export function windowsProcessTreeKiller(
  spawner: Spawner,
  signaller: Signaller,
): ProcessTreeKiller {
  const taskkill = (pid: number): void => {
    const killer = spawner('taskkill', ['/pid', String(pid), '/T', '/F'], {
      stdio: 'ignore',
      windowsHide: true,
    });
    killer.on('error', () => {
      // taskkill missing or refused: the process is checked with isAlive afterwards
    });
  };
  return {
    detachChildren: false,
    terminate: taskkill,
    kill: taskkill,
    async isAlive(pid) {
      try {
        signaller(pid, 0);
        return true;
      } catch (error) {
        return (error as { code?: unknown } | null)?.code === 'EPERM';
      }
    },
  };
}
