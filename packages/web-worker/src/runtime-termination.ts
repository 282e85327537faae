/** What `Worker.terminate()` does to a worker busy in synchronous code, in this runtime. */
export interface RuntimeTermination {
  /** The runtime, for messages: `Deno`, `Chromium`, `Bun`, `Firefox`, or `this runtime`. */
  readonly runtime: string;
  /**
   * Undefined when the thread stops at once; otherwise the sentence a `TaskTimeoutError`
   * gives as its `stillRunningReason`.
   */
  readonly stillRunningReason: string | undefined;
  /**
   * Milliseconds after `terminate()` by which the thread has surely stopped: 0 when it stops
   * at once, `Infinity` when it may never stop.
   */
  readonly stoppedWithinMs: number;
}

interface RuntimeGlobals {
  Deno?: unknown;
  Bun?: unknown;
  navigator?: { userAgent?: unknown };
}

/** Blink stops a spinning worker about 2 s after `terminate()`; a margin on top. */
const chromiumStopBoundMs = 3_000;

/** Reads the runtime from its globals (Deno, Bun, the browser's user agent). */
export function detectRuntimeTermination(
  globals: RuntimeGlobals = globalThis as RuntimeGlobals,
): RuntimeTermination {
  if (globals.Deno !== undefined) {
    return {
      runtime: 'Deno',
      stillRunningReason:
        'Deno does not stop a worker busy in synchronous code; its thread runs on until the process exits (use the process strategy to stop runaway code on Deno)',
      stoppedWithinMs: Infinity,
    };
  }
  if (globals.Bun !== undefined) {
    return { runtime: 'Bun', stillRunningReason: undefined, stoppedWithinMs: 0 };
  }
  const userAgent =
    typeof globals.navigator?.userAgent === 'string' ? globals.navigator.userAgent : '';
  if (/Firefox\//.test(userAgent)) {
    return { runtime: 'Firefox', stillRunningReason: undefined, stoppedWithinMs: 0 };
  }
  if (/Chrom(e|ium)\//.test(userAgent)) {
    return {
      runtime: 'Chromium',
      stillRunningReason:
        'Chromium stops a worker busy in synchronous code only about 2 s after terminate()',
      stoppedWithinMs: chromiumStopBoundMs,
    };
  }
  return {
    runtime: 'this runtime',
    stillRunningReason:
      'this runtime does not say how soon terminate() stops a worker busy in synchronous code',
    stoppedWithinMs: chromiumStopBoundMs,
  };
}
