/** How often the child looks whether its pending output was written, after SIGTERM. */
const flushPollMs = 2;

/**
 * Makes SIGTERM (the pool's stop, at a timeout or at `close()`) end this child only once
 * the output still waiting in it has been written to the host, and then as SIGTERM ends a
 * process that does not listen for it, so that the host sees the same exit. A SIGTERM
 * listener the task added does not keep the child alive. The wait is bounded by the pool:
 * SIGKILL follows `killTimeoutMs` after SIGTERM.
 */
export function flushOutputOnTerminate(): void {
  process.on('SIGTERM', () => {
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
  });
}
