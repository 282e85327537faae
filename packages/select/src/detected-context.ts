import type { RuntimeContext } from '@timebox/core';

/** The JavaScript runtimes that {@link detectContext} tells apart. */
export type RuntimeName = 'node' | 'bun' | 'deno' | 'browser' | 'edge' | 'unknown';

/**
 * What {@link detectContext} finds out about where the code runs. It satisfies core's
 * `RuntimeContext`, so strategies read `workersAllowed` and `childProcessesAllowed` from
 * it in `supports()`.
 */
export interface DetectedContext extends RuntimeContext {
  /** The runtime: `node`, `bun`, `deno`, `browser`, `edge` or `unknown`. */
  readonly runtime: RuntimeName;
  /** The runtime's version (`20.20.2` for Node); `undefined` when it does not say. */
  readonly runtimeVersion: string | undefined;
  /** The operating system as Node names it (`linux`, `darwin`, `win32`…); `unknown` in a browser. */
  readonly platform: string;
  /** `main` on the main thread, `worker` inside a worker thread (or a web worker). */
  readonly thread: 'main' | 'worker';
  /** Whether this process was started by another with an IPC channel (`fork()`, `stdio: 'ipc'`). */
  readonly ipcChannel: boolean;
  /** Whether Node's permission model is on (`--permission`, or `--experimental-permission` on Node 20). */
  readonly permissionModel: boolean;
  /** Whether the `worker_threads` module can be loaded here. */
  readonly workerThreadsAvailable: boolean;
  /** Whether the `child_process` module can be loaded here. */
  readonly childProcessAvailable: boolean;
  /**
   * Whether worker threads may be started: `worker_threads` loads and, under the permission
   * model, `process.permission.has('worker')`.
   */
  readonly workersAllowed: boolean;
  /**
   * Whether child processes may be started: `child_process` loads and, under the permission
   * model, `process.permission.has('child')` (Deno: the `run` permission).
   */
  readonly childProcessesAllowed: boolean;
  /**
   * Whether the runtime has a Web `Worker` global (browsers, Bun, Deno; not Node), the
   * thread a `@timebox/web-worker` strategy runs tasks in.
   */
  readonly webWorkersAvailable: boolean;
  /**
   * Whether terminating a thread stops it while it is busy in synchronous code. False on
   * Deno, whose `Worker.terminate()` leaves a spinning thread running: no thread-based
   * strategy can enforce a hard limit there.
   */
  readonly threadTerminationStopsBusyThreads: boolean;
  /** How many tasks can run in parallel (`os.availableParallelism()`, `navigator.hardwareConcurrency`). */
  readonly availableParallelism: number;
  /** Whether the `CI` environment variable is set (to anything but `false` or `0`). */
  readonly ci: boolean;
}
