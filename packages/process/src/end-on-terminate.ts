/**
 * Keeps SIGTERM (the pool's stop, at a timeout or at `close()`) ending this child at once
 * whatever SIGTERM listener a task adds: as soon as a task adds one, the child adds its own,
 * which ends the process as SIGTERM ends a process that does not listen for it (so the
 * host sees the same exit). Without any listener SIGTERM keeps its default action, which
 * ends the child even while a task blocks its thread (`while (true) {}`), where no listener
 * could run. A task that removes the child's listener too is ended by the pool's SIGKILL,
 * `killTimeoutMs` after SIGTERM.
 */
export function endOnTerminate(): void {
  process.on('newListener', (event, listener) => {
    if (event !== 'SIGTERM' || listener === endNow) return;
    if (!process.listeners('SIGTERM').includes(endNow)) process.on('SIGTERM', endNow);
  });
}

function endNow(): void {
  process.removeAllListeners('SIGTERM');
  process.kill(process.pid, 'SIGTERM');
}
