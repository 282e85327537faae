/** How often the child looks whether its pending output has been written. */
const flushPollMs = 1;

function outputPending(): boolean {
  return process.stdout.writableLength > 0 || process.stderr.writableLength > 0;
}

/**
 * Resolves once the output waiting in this child (writes to a pipe are asynchronous in
 * Node) has been written, or after `maxWaitMs`, so that a task's output reaches the host
 * before its result does and is not lost when the process is stopped right after. Returns
 * undefined at once, without a timer, when nothing waits.
 */
export function pendingOutputWritten(maxWaitMs: number): Promise<void> | undefined {
  if (!outputPending()) return undefined;
  const giveUp = performance.now() + maxWaitMs;
  return new Promise((resolve) => {
    const poll = setInterval(() => {
      if (outputPending() && performance.now() < giveUp) return;
      clearInterval(poll);
      resolve();
    }, flushPollMs);
  });
}
