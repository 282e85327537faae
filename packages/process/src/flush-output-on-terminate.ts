/** How often the child looks whether its pending output was written, after SIGTERM. */
const flushPollMs = 2;

/**
 * Ends this child on SIGTERM once the output still waiting in it has been written to the
 * host, and then as SIGTERM ends a process that does not listen for it, so that the host
 * sees the same exit. A SIGTERM listener the task added does not keep the child alive.
 */
function endAfterFlush(): void {
  const end = (): void => {
    process.removeAllListeners('SIGTERM');
    process.kill(process.pid, 'SIGTERM');
  };
  const pending = (): boolean =>
    process.stdout.writableLength > 0 || process.stderr.writableLength > 0;
  if (!pending()) {
    end();
    return;
  }
  const poll = setInterval(() => {
    if (pending()) return;
    clearInterval(poll);
    end();
  }, flushPollMs);
}

/**
 * Decides how SIGTERM (the pool's stop, at a timeout or at `close()`) ends this child.
 * While it idles, and while a task that added its own SIGTERM listener runs, SIGTERM first
 * lets the pending output reach the host ({@link endAfterFlush}). While any other task
 * runs, no listener is installed, so that SIGTERM ends the child at once even when the
 * task blocks its thread (`while (true) {}`): a listener would only run once the thread
 * is free. Either way the pool's SIGKILL follows `killTimeoutMs` after SIGTERM.
 * Returns the function to call when a task starts.
 */
export function handleTerminate(): () => void {
  process.on('SIGTERM', endAfterFlush);
  process.on('newListener', (event, listener) => {
    if (event !== 'SIGTERM' || listener === endAfterFlush) return;
    if (!process.listeners('SIGTERM').includes(endAfterFlush)) {
      process.on('SIGTERM', endAfterFlush);
    }
  });
  return () => {
    process.removeListener('SIGTERM', endAfterFlush);
  };
}
