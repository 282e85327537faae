import { Worker } from 'node:worker_threads';

/**
 * The watchdog's code, run in a thread of its own inside the child. It checks every
 * `intervalMs` whether the host still exists (on POSIX an orphan is re-parented, so its
 * parent id changes); when it does not, it kills the child's whole process tree. Being a
 * thread, it works while the task blocks the child's main thread (`while (true) {}`), when
 * the child cannot see its IPC channel close.
 */
const watchdogSource = `
const { workerData } = require('node:worker_threads');
const { spawnSync } = require('node:child_process');
const { hostPid, pid, platform, intervalMs } = workerData;
function hostIsGone() {
  if (platform !== 'win32' && process.ppid !== hostPid) return true;
  try {
    process.kill(hostPid, 0);
    return false;
  } catch (error) {
    return error.code === 'ESRCH';
  }
}
setInterval(() => {
  if (!hostIsGone()) return;
  if (platform === 'win32') {
    spawnSync('taskkill', ['/pid', String(pid), '/T', '/F'], { stdio: 'ignore', windowsHide: true });
  } else {
    process.kill(-pid, 'SIGKILL');
  }
}, intervalMs);
`;

/**
 * Whether this process may start a thread: under Node's permission model
 * (`--experimental-permission`) only with `--allow-worker`, which a child inherits from
 * its host's `execArgv`.
 */
function mayStartThreads(): boolean {
  const permission = (process as { permission?: { has(scope: string): boolean } }).permission;
  return permission === undefined || permission.has('worker');
}

/**
 * Starts the watchdog thread that ends this child and everything it started when the host
 * process `hostPid` dies, even while the task keeps the main thread busy. The thread does
 * not keep the child alive. Where the permission model forbids threads it starts nothing
 * and returns false: the host's guardian process (POSIX) and the `disconnect` handler
 * still end the child with its host.
 */
export function startParentWatchdog(hostPid: number, intervalMs = 100): boolean {
  if (!mayStartThreads()) return false;
  const watchdog = new Worker(watchdogSource, {
    eval: true,
    execArgv: [],
    stdout: true,
    stderr: true,
    workerData: { hostPid, pid: process.pid, platform: process.platform, intervalMs },
  });
  watchdog.on('error', () => {
    // the 'disconnect' handler still protects a child whose main thread is free
  });
  watchdog.unref();
  return true;
}
