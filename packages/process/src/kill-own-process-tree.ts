import { spawnSync } from 'node:child_process';

/**
 * Ends this process and every process it started: SIGKILL to its own process group on
 * POSIX (it leads the group), `taskkill /T /F` on itself on Windows.
 */
export function killOwnProcessTree(): void {
  if (process.platform === 'win32') {
    spawnSync('taskkill', ['/pid', String(process.pid), '/T', '/F'], {
      stdio: 'ignore',
      windowsHide: true,
    });
  } else {
    try {
      process.kill(-process.pid, 'SIGKILL');
    } catch {
      // not a group leader after all: end this process at least
    }
  }
  process.exit(1);
}
