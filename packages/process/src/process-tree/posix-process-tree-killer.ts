import { livingGroupMembers } from './linux-process-group.js';
import type { ProcessTreeKiller, Signaller } from './process-tree-killer.js';

/**
 * Kills process groups: the child was started `detached`, so it leads a group whose id is
 * its pid, and everything it starts joins that group unless it leaves it on purpose.
 * `-pid` addresses the whole group.
 */
export function posixProcessTreeKiller(
  signaller: Signaller,
  canReadProc: boolean,
): ProcessTreeKiller {
  /** The living members each group had when last looked at, to look at those first. */
  const lastSeen = new Map<number, number[]>();
  const signalGroup = (pid: number, signal: NodeJS.Signals): void => {
    try {
      signaller(-pid, signal);
    } catch (error) {
      if (errorCode(error) !== 'ESRCH') throw error;
    }
  };
  return {
    detachChildren: true,
    terminate: (pid) => signalGroup(pid, 'SIGTERM'),
    kill: (pid) => signalGroup(pid, 'SIGKILL'),
    async isAlive(pid) {
      try {
        signaller(-pid, 0);
      } catch (error) {
        if (errorCode(error) === 'ESRCH') {
          lastSeen.delete(pid);
          return false;
        }
        if (errorCode(error) !== 'EPERM') throw error;
      }
      if (!canReadProc) return true;
      // A killed process stays in the table as a zombie until its parent reaps it (an
      // orphan's new parent may take its time); it has stopped all the same. Linux shows
      // which members of the group still run.
      const living = await livingGroupMembers(pid, lastSeen.get(pid));
      if (living.length === 0) lastSeen.delete(pid);
      else lastSeen.set(pid, living);
      return living.length > 0;
    },
  };
}

function errorCode(error: unknown): unknown {
  return (error as { code?: unknown } | null)?.code;
}
